import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { requireCountry } from "../../kernel/validate.ts";
import { getMarket, type Market } from "../markets/index.ts";
import { shippingZones } from "./shipping.schema.ts";

export interface ZoneInput {
  /** Market id or code. */
  market: string;
  name: string;
  /** A subset of the market's countries; empty: every market country no other zone lists. */
  countries: string[];
}

export type ShippingZone = typeof shippingZones.$inferSelect;

export async function listZones(ctx: Ctx, market?: string): Promise<ShippingZone[]> {
  const marketId = market ? (await getMarket(ctx, market)).id : undefined;
  return ctx.db
    .select()
    .from(shippingZones)
    .where(marketId ? eq(shippingZones.marketId, marketId) : undefined)
    .orderBy(asc(shippingZones.marketId), asc(shippingZones.name), asc(shippingZones.id));
}

export async function getZone(ctx: Ctx, id: string): Promise<ShippingZone> {
  const [row] = await ctx.db.select().from(shippingZones).where(eq(shippingZones.id, id));
  if (!row) throw new NotFoundError("shipping_zone", id);
  return row;
}

/**
 * Checks the countries against the market and the market's other zones. A country is in at most
 * one zone of a market and a market has at most one catch-all zone, so a country's zone is never
 * ambiguous. Locks the market's zones for the rest of the transaction so two concurrent writes
 * cannot both pass the check.
 */
async function checkCountries(ctx: Ctx, market: Market, countries: string[], zoneId: string | null) {
  for (const c of countries) requireCountry(c, "countries");
  if (new Set(countries).size !== countries.length)
    throw new ValidationError("shipping.duplicate_country", "A country is listed twice");
  const foreign = countries.filter((c) => !market.countries.includes(c));
  if (foreign.length)
    throw new ValidationError(
      "shipping.country_not_in_market",
      `Countries not in market ${market.code}: ${foreign.join(", ")}`,
      { countries: foreign, market: market.code },
    );
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`shipping_zones:${market.id}`}))`);
  const others = await ctx.db
    .select()
    .from(shippingZones)
    .where(and(eq(shippingZones.marketId, market.id), zoneId ? ne(shippingZones.id, zoneId) : undefined));
  const taken = others.flatMap((z) => z.countries.filter((c) => countries.includes(c)));
  const catchAll = countries.length === 0 ? others.find((z) => z.countries.length === 0) : undefined;
  if (taken.length || catchAll)
    throw new ConflictError(
      "shipping.zone_overlap",
      catchAll
        ? `Market ${market.code} already has a zone for all its other countries`
        : `Countries already in another zone of market ${market.code}: ${taken.join(", ")}`,
      { countries: taken, zoneId: catchAll?.id },
    );
}

/** Creates a zone; call inside a transaction (the overlap check holds a lock until commit). */
export async function createZone(ctx: Ctx, input: ZoneInput): Promise<ShippingZone> {
  const market = await getMarket(ctx, input.market);
  await checkCountries(ctx, market, input.countries, null);
  const [row] = await ctx.db
    .insert(shippingZones)
    .values({ id: newId("shz"), marketId: market.id, name: input.name, countries: input.countries })
    .returning();
  await emit(ctx, "shipping.zone_created", { zoneId: row!.id, marketId: market.id });
  return row!;
}

export async function updateZone(
  ctx: Ctx,
  id: string,
  patch: Partial<Omit<ZoneInput, "market">>,
): Promise<ShippingZone> {
  const zone = await getZone(ctx, id);
  if (patch.countries)
    await checkCountries(ctx, await getMarket(ctx, zone.marketId), patch.countries, zone.id);
  const set = { name: patch.name ?? zone.name, countries: patch.countries ?? zone.countries };
  const [row] = await ctx.db.update(shippingZones).set(set).where(eq(shippingZones.id, zone.id)).returning();
  await emit(ctx, "shipping.zone_updated", { zoneId: zone.id });
  return row!;
}

/** Deletes a zone and its methods. */
export async function deleteZone(ctx: Ctx, id: string): Promise<void> {
  const [row] = await ctx.db.delete(shippingZones).where(eq(shippingZones.id, id)).returning();
  if (!row) throw new NotFoundError("shipping_zone", id);
  await emit(ctx, "shipping.zone_deleted", { zoneId: id, marketId: row.marketId });
}
