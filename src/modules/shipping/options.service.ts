import { sql } from "drizzle-orm";
import { queryRows, sqlTextArray } from "../../db/client.ts";
import { cached } from "../../kernel/config-cache.ts";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { pickLocalized } from "../../kernel/locale.ts";
import { type RateTable, rateAmount } from "./shipping.rates.ts";

export interface ShippingQuery {
  /** Market id or code. */
  marketId: string;
  /** Destination, ISO 3166-1 alpha-2. */
  country: string;
  /** The cart's currency; when given it must be the market's (rates are in the market currency). */
  currency?: string;
  weightGrams: number;
  /** Subtotal in minor units of the market currency, as the caller defines it (e.g. after discounts). */
  subtotal: number;
  /** The warehouses the order ships from (ids or codes); absent or empty: not routed yet. */
  warehouseIds?: readonly string[];
  /** Locale fallback chain for method names, most wanted first; the market's locales follow it. */
  locales?: readonly string[];
  /** Treat an inactive market as unknown (the Store API). */
  activeMarketOnly?: boolean;
}

/** Delivery time in days from dispatch, lane days plus the method's handling days. */
export interface DeliveryEstimate {
  minDays: number;
  maxDays: number;
}

export interface ShippingOption {
  methodId: string;
  code: string;
  name: string;
  carrier: string;
  /** What the customer pays, in minor units of `currency`; 0 once the subtotal reaches freeOver. */
  amount: number;
  currency: string;
  freeOver: number | null;
  /** Null when a warehouse has no lane to the country (or no warehouse has one). */
  estimate: DeliveryEstimate | null;
}

interface Row {
  currency: string;
  locales: string[];
  in_market: boolean;
  methods: Array<
    RateTable & {
      id: string;
      code: string;
      name: Record<string, string>;
      carrier: string;
      freeOver: number | null;
      extraDays: number;
    }
  >;
  lane_min: number | null;
  lane_max: number | null;
  lanes_found: number;
}

function checkQuery(q: ShippingQuery): void {
  for (const [field, value] of [
    ["weightGrams", q.weightGrams],
    ["subtotal", q.subtotal],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new ValidationError("shipping.invalid_basket", `${field} must be a non-negative integer`);
  }
}

/**
 * The shipping methods a market offers to a country, priced for the basket, in one statement.
 *
 * The zone is the market's zone listing the country, else its catch-all zone; a country outside
 * the market or without a zone gets an empty list (the caller decides what that means). The
 * estimate is the slowest lane among `warehouseIds` to the country (every parcel must arrive)
 * plus the method's extra days; without warehouses it spans every lane to the country, from the
 * fastest minimum to the slowest maximum.
 * @example await shippingOptions(ctx, { marketId: "eu", country: "FR", weightGrams: 1200, subtotal: 4500 })
 */
export async function shippingOptions(ctx: Ctx, q: ShippingQuery): Promise<ShippingOption[]> {
  checkQuery(q);
  const refs = [...new Set(q.warehouseIds ?? [])];
  // A ref counts once it names a warehouse with a lane to the country; the estimate is known
  // only when every ref does.
  const lanes = refs.length
    ? sql`select max(l.min_days) as lane_min, max(l.max_days) as lane_max, count(distinct r.ref)::int as lanes_found
        from unnest(${sqlTextArray(refs)}) as r(ref)
        join warehouses w on w.id = r.ref or w.code = r.ref
        join shipping_lanes l on l.warehouse_id = w.id and l.country = ${q.country} and l.country = any(w.serves_countries)`
    : sql`select min(l.min_days) as lane_min, max(l.max_days) as lane_max, count(*)::int as lanes_found
        from shipping_lanes l join warehouses w on w.id = l.warehouse_id
        where l.country = ${q.country} and l.country = any(w.serves_countries)`;
  // Zones, methods, rates and lanes are store configuration (the basket is priced below, in
  // code): cached per instance for Store API requests, like the other settings.
  const key = `shipping:${q.marketId}:${q.country}:${refs.join(",")}:${q.activeMarketOnly ? 1 : 0}`;
  const [row] = await cached(ctx, key, () =>
    queryRows<Row>(
      ctx.db,
      sql`select m.currency, m.locales,
        exists (select 1 from market_countries mc where mc.market_id = m.id and mc.country = ${q.country}) as in_market,
        coalesce((select json_agg(json_build_object('id', sm.id, 'code', sm.code, 'name', sm.name,
            'carrier', sm.carrier, 'rateType', sm.rate_type, 'rates', sm.rates, 'freeOver', sm.free_over,
            'extraDays', sm.extra_days) order by sm.position, sm.code)
          from shipping_methods sm
          where sm.active and sm.zone_id = (select z.id from shipping_zones z
            where z.market_id = m.id and (cardinality(z.countries) = 0 or ${q.country} = any(z.countries))
            order by cardinality(z.countries) = 0, z.id limit 1)), '[]'::json) as methods,
        lanes.*
      from markets m cross join (${lanes}) lanes
      where (m.id = ${q.marketId} or m.code = ${q.marketId}) and (m.active or ${!q.activeMarketOnly})`,
      { prepared: true },
    ),
  );
  if (!row) throw new NotFoundError("market", q.marketId);
  if (q.currency !== undefined && q.currency !== row.currency)
    throw new ValidationError(
      "shipping.currency_mismatch",
      `Rates of this market are in ${row.currency}, not ${q.currency}`,
      { expected: row.currency },
    );
  if (!row.in_market) return [];
  const known = row.lane_max !== null && (refs.length === 0 || row.lanes_found === refs.length);
  const chain = [...(q.locales ?? []), ...row.locales];
  return row.methods.map((m) => ({
    methodId: m.id,
    code: m.code,
    name: pickLocalized(m.name, chain),
    carrier: m.carrier,
    amount: rateAmount(m, m.freeOver, q),
    currency: row.currency,
    freeOver: m.freeOver,
    estimate: known ? { minDays: row.lane_min! + m.extraDays, maxDays: row.lane_max! + m.extraDays } : null,
  }));
}
