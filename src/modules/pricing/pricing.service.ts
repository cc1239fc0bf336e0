import { type SQL, sql } from "drizzle-orm";
import { queryRows, sqlList, sqlTextArray } from "../../db/client.ts";
import { cached } from "../../kernel/config-cache.ts";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError } from "../../kernel/errors.ts";
import { currencyExponent, shiftDecimal } from "../../kernel/money.ts";
import { crossRate, type FxQuote, type Market } from "../markets/index.ts";

export interface RoundingRule {
  /** Major units, e.g. "1" with ending "0.99" → prices end in .99; "10" → JPY to tens. */
  step: string;
  ending: string;
  mode: "up" | "nearest" | "down";
}

/** Everything needed to price variants in one market, loaded with a single statement. */
export interface PricingContext {
  market: Market;
  baseCurrency: string;
  defaultLocale: string;
  /** Null when the market has no rate from the base currency: only price-list prices apply. */
  fx: FxQuote | null;
  rounding: RoundingRule | null;
}

/** A resolved price and how it was obtained. */
export interface ResolvedPrice {
  amount: number;
  currency: string;
  compareAtAmount: number | null;
  source: "price_list" | "base" | "converted";
  priceListId: string | null;
  fx: FxQuote | null;
  rounding: RoundingRule | null;
}

/** Who is buying: customer groups select group price lists. */
export interface PricingCustomer {
  groups: readonly string[];
}

export const ANONYMOUS: PricingCustomer = { groups: [] };

interface ContextRow {
  id: string;
  code: string;
  name: string;
  currency: string;
  locales: string[];
  countries: string[] | null;
  tax_inclusive: boolean;
  duty_mode: "DDP" | "DDU";
  url_prefix: string;
  active: boolean;
  base_currency: string;
  default_locale: string;
  override_rate: string | null;
  ecb_base: { rate: string; date: string } | null;
  ecb_quote: { rate: string; date: string } | null;
  rounding: RoundingRule | null;
}

function latestEcb(currency: SQL): SQL {
  return sql`(select json_build_object('rate', r.rate::text, 'date', r.rate_date::text) from fx_rates r
    where r.base = 'EUR' and r.quote = ${currency} and r.rate_date <= current_date
    order by r.rate_date desc limit 1)`;
}

/**
 * Loads an active market (by id or code; the first active market when none is given) with the
 * shop's base currency, the exchange rate and the rounding rule, in one statement.
 */
export function loadPricingContext(ctx: Ctx, marketIdOrCode?: string): Promise<PricingContext> {
  // The latest rate "on or before today" changes with the date, so the date is part of the key.
  const day = new Date().toISOString().slice(0, 10);
  return cached(ctx, `pricing:${marketIdOrCode ?? ""}:${day}`, () =>
    queryPricingContext(ctx, marketIdOrCode),
  );
}

async function queryPricingContext(ctx: Ctx, marketIdOrCode?: string): Promise<PricingContext> {
  const which = marketIdOrCode
    ? sql`(m.id = ${marketIdOrCode} or m.code = ${marketIdOrCode})`
    : sql`m.id = (select id from markets where active order by position, code limit 1)`;
  const [row] = await queryRows<ContextRow>(
    ctx.db,
    sql`select m.id, m.code, m.name, m.currency, m.locales, m.tax_inclusive, m.duty_mode, m.url_prefix, m.active,
      (select array_agg(c.country order by c.country) from market_countries c where c.market_id = m.id) as countries,
      s.base_currency, s.default_locale,
      (select o.rate::text from fx_overrides o where o.base = s.base_currency and o.quote = m.currency) as override_rate,
      ${latestEcb(sql`s.base_currency`)} as ecb_base,
      ${latestEcb(sql`m.currency`)} as ecb_quote,
      (select json_build_object('step', rr.step::text, 'ending', rr.ending::text, 'mode', rr.mode)
         from rounding_rules rr where rr.currency = m.currency) as rounding
    from markets m cross join shop s
    where ${which} and m.active`,
    { prepared: true },
  );
  if (!row) throw new NotFoundError("market", marketIdOrCode ?? "default");
  const market: Market = {
    id: row.id,
    code: row.code,
    name: row.name,
    currency: row.currency,
    locales: row.locales,
    countries: row.countries ?? [],
    taxInclusive: row.tax_inclusive,
    dutyMode: row.duty_mode,
    urlPrefix: row.url_prefix,
    active: row.active,
  };
  const fx = crossRate(row.base_currency, row.currency, row.override_rate, row.ecb_base, row.ecb_quote);
  return {
    market,
    baseCurrency: row.base_currency,
    defaultLocale: row.default_locale,
    fx,
    rounding: fx?.source === "identity" ? null : row.rounding,
  };
}

/** Numeric parameters of the conversion in target minor units, or null when there is no rate. */
function conversion(pc: PricingContext) {
  if (!pc.fx) return null;
  const shift = currencyExponent(pc.market.currency) - currencyExponent(pc.baseCurrency);
  const exp = currencyExponent(pc.market.currency);
  const rule = pc.rounding;
  return {
    factor: shiftDecimal(pc.fx.rate, shift),
    step: rule ? shiftDecimal(rule.step, exp) : "1",
    ending: rule ? shiftDecimal(rule.ending, exp) : "0",
    mode: rule?.mode ?? "nearest",
  };
}

/**
 * SQL selecting, per variant, the applicable price-list price in the market: a customer-group
 * list beats the market list, the newest list wins a tie, only lists inside their time window.
 * Columns: variant_id, amount, compare_at_amount, price_list_id. `where` narrows the variants.
 */
function listPrices(pc: PricingContext, customer: PricingCustomer, where: SQL = sql`true`): SQL {
  const groups = sqlTextArray(customer.groups);
  return sql`select distinct on (plp.variant_id) plp.variant_id, plp.amount, plp.compare_at_amount, pl.id as price_list_id
    from price_list_prices plp join price_lists pl on pl.id = plp.price_list_id
    where ${where} and pl.market_id = ${pc.market.id}
      and (pl.customer_group is null or pl.customer_group = any(${groups}))
      and (pl.starts_at is null or pl.starts_at <= now()) and (pl.ends_at is null or pl.ends_at > now())
    order by plp.variant_id, (pl.customer_group is not null) desc, pl.created_at desc`;
}

/** SQL that joins the applicable price-list price of variant `v` as `pp`. Use with priceColumns. */
export function priceListJoin(pc: PricingContext, customer: PricingCustomer): SQL {
  return sql`left join lateral (${listPrices(pc, customer, sql`plp.variant_id = v.id`)}) pp on true`;
}

/** SQL converting a base-currency amount column to the market currency with its rounding rule. */
function converted(pc: PricingContext, column: SQL): SQL {
  const c = conversion(pc);
  if (!c) return sql`null::bigint`;
  return sql`chuhai_round_price(${column} * ${c.factor}::numeric, ${c.step}::numeric, ${c.ending}::numeric, ${c.mode})`;
}

/**
 * SQL columns `price_amount`, `price_compare_at`, `price_list_id` for variant `v` joined with
 * priceListJoin. With minPricePerProduct, the one place a market price is computed.
 */
export function priceColumns(pc: PricingContext): SQL {
  return sql`coalesce(pp.amount, ${converted(pc, sql`v.price`)}) as price_amount,
    case when pp.amount is not null then pp.compare_at_amount else ${converted(pc, sql`v.compare_at_price`)} end as price_compare_at,
    pp.price_list_id`;
}

/**
 * SQL selecting (product_id, min_price) over the variants of the products `productIds` selects:
 * set-based, for sorting and filtering many products by price.
 */
export function minPricePerProduct(pc: PricingContext, customer: PricingCustomer, productIds: SQL): SQL {
  // Conversion and rounding never reverse an order, so the cheapest converted variant is the
  // conversion of the cheapest base price among variants without a list price: one conversion
  // per product instead of one per variant.
  return sql`select v.product_id,
      least(${converted(pc, sql`min(v.price) filter (where pp.variant_id is null)`)}, min(pp.amount)) as min_price
    from variants v left join (${listPrices(pc, customer)}) pp on pp.variant_id = v.id
    where v.product_id in (${productIds}) group by v.product_id`;
}

/** Turns the price columns of a row into a ResolvedPrice, or null when the market cannot price it. */
export function describePrice(
  pc: PricingContext,
  row: {
    price_amount: number | string | null;
    price_compare_at: number | string | null;
    price_list_id: string | null;
  },
): ResolvedPrice | null {
  if (row.price_amount === null) return null;
  const fromList = row.price_list_id !== null;
  return {
    amount: Number(row.price_amount),
    currency: pc.market.currency,
    compareAtAmount: row.price_compare_at === null ? null : Number(row.price_compare_at),
    source: fromList ? "price_list" : pc.fx?.source === "identity" ? "base" : "converted",
    priceListId: row.price_list_id,
    fx: fromList ? null : pc.fx,
    rounding: fromList ? null : pc.rounding,
  };
}

/**
 * Resolves the price of variants in a market for a customer: a group or market price-list
 * price if one applies, else the base price converted at the market's rate and rounded by the
 * currency's rule. Variants the market cannot price map to null.
 * @example const [p] = (await resolvePrices(ctx, await loadPricingContext(ctx, "jp"), [variantId])).values()
 */
export async function resolvePrices(
  ctx: Ctx,
  pc: PricingContext,
  variantIds: readonly string[],
  customer: PricingCustomer = ANONYMOUS,
): Promise<Map<string, ResolvedPrice | null>> {
  if (variantIds.length === 0) return new Map();
  const rows = await queryRows<{
    id: string;
    price_amount: string | null;
    price_compare_at: string | null;
    price_list_id: string | null;
  }>(
    ctx.db,
    sql`select v.id, ${priceColumns(pc)} from variants v ${priceListJoin(pc, customer)}
        where v.id in (${sqlList(variantIds)})`,
  );
  return new Map(rows.map((r) => [r.id, describePrice(pc, r)]));
}
