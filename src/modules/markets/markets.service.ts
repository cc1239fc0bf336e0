import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { requireCountry, requireCurrency, requireLocales } from "../../kernel/validate.ts";
import { marketCountries, markets, shop } from "./markets.schema.ts";

export interface Market {
  id: string;
  code: string;
  name: string;
  currency: string;
  /** Enabled locales, default first. */
  locales: string[];
  countries: string[];
  taxInclusive: boolean;
  dutyMode: "DDP" | "DDU";
  urlPrefix: string;
  active: boolean;
}

export type MarketInput = Omit<Market, "id" | "active"> & { active?: boolean; position?: number };

export interface Shop {
  name: string;
  baseCurrency: string;
  defaultLocale: string;
}

type MarketRow = typeof markets.$inferSelect;

function toMarket(row: MarketRow, countries: string[]): Market {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    currency: row.currency,
    locales: row.locales,
    countries: countries.sort(),
    taxInclusive: row.taxInclusive,
    dutyMode: row.dutyMode,
    urlPrefix: row.urlPrefix,
    active: row.active,
  };
}

function validate(input: Partial<MarketInput>): void {
  if (input.currency !== undefined) requireCurrency(input.currency);
  if (input.locales !== undefined) {
    if (input.locales.length === 0)
      throw new ValidationError("market.no_locales", "A market needs at least one locale");
    input.locales = requireLocales(input.locales);
  }
  if (input.countries !== undefined) {
    if (input.countries.length === 0)
      throw new ValidationError("market.no_countries", "A market needs at least one country");
    for (const c of input.countries) requireCountry(c);
    if (new Set(input.countries).size !== input.countries.length) {
      throw new ValidationError("market.duplicate_country", "A country is listed twice");
    }
  }
}

/** The store's settings; created by the seed. */
export async function getShop(ctx: Ctx): Promise<Shop> {
  const [row] = await ctx.db.select().from(shop).limit(1);
  if (!row) throw new NotFoundError("shop", "1");
  return { name: row.name, baseCurrency: row.baseCurrency, defaultLocale: row.defaultLocale };
}

export async function upsertShop(ctx: Ctx, input: Shop): Promise<Shop> {
  requireCurrency(input.baseCurrency, "baseCurrency");
  const [defaultLocale] = requireLocales([input.defaultLocale], "defaultLocale");
  const values = { ...input, defaultLocale: defaultLocale!, id: 1 };
  await ctx.db.insert(shop).values(values).onConflictDoUpdate({ target: shop.id, set: values });
  return getShop(ctx);
}

export async function listMarkets(ctx: Ctx): Promise<Market[]> {
  const rows = await ctx.db.select().from(markets).orderBy(asc(markets.position), asc(markets.code));
  const countries = await ctx.db.select().from(marketCountries);
  return rows.map((r) =>
    toMarket(
      r,
      countries.filter((c) => c.marketId === r.id).map((c) => c.country),
    ),
  );
}

/** A market by id or code. */
export async function getMarket(ctx: Ctx, idOrCode: string): Promise<Market> {
  const [row] = await ctx.db
    .select()
    .from(markets)
    .where(sql`${markets.id} = ${idOrCode} or ${markets.code} = ${idOrCode}`);
  if (!row) throw new NotFoundError("market", idOrCode);
  const countries = await ctx.db.select().from(marketCountries).where(eq(marketCountries.marketId, row.id));
  return toMarket(
    row,
    countries.map((c) => c.country),
  );
}

async function assignCountries(ctx: Ctx, marketId: string, countries: string[]): Promise<void> {
  const taken = await ctx.db
    .select()
    .from(marketCountries)
    .where(inArray(marketCountries.country, countries));
  const clash = taken.filter((t) => t.marketId !== marketId);
  if (clash.length) {
    throw new ConflictError("market.country_taken", "Countries already belong to another market", {
      countries: clash.map((c) => c.country),
    });
  }
  await ctx.db.delete(marketCountries).where(eq(marketCountries.marketId, marketId));
  await ctx.db.insert(marketCountries).values(countries.map((country) => ({ country, marketId })));
}

/** Creates a market; call inside a transaction (the countries are written separately). */
export async function createMarket(ctx: Ctx, input: MarketInput): Promise<Market> {
  validate(input);
  const id = newId("mkt");
  const { countries, ...fields } = input;
  await ctx.db.insert(markets).values({ ...fields, id });
  await assignCountries(ctx, id, countries);
  await emit(ctx, "market.created", { marketId: id });
  return getMarket(ctx, id);
}

export async function updateMarket(ctx: Ctx, idOrCode: string, patch: Partial<MarketInput>): Promise<Market> {
  validate(patch);
  const market = await getMarket(ctx, idOrCode);
  const { countries, ...fields } = patch;
  if (Object.keys(fields).length) {
    await ctx.db
      .update(markets)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(markets.id, market.id));
  }
  if (countries) await assignCountries(ctx, market.id, countries);
  await emit(ctx, "market.updated", { marketId: market.id });
  return getMarket(ctx, market.id);
}

export async function deleteMarket(ctx: Ctx, idOrCode: string): Promise<void> {
  const market = await getMarket(ctx, idOrCode);
  await ctx.db.delete(markets).where(eq(markets.id, market.id));
  await emit(ctx, "market.deleted", { marketId: market.id });
}
