import { type SQL, sql } from "drizzle-orm";
import { queryRows, sqlTextArray } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError } from "../../kernel/errors.ts";
import { convert, money } from "../../kernel/money.ts";
import { requireCountry } from "../../kernel/validate.ts";
import { crossRate } from "../markets/index.ts";
import type { RoutingLane, StockLevel } from "./routing.ts";

/** A lane to the destination with its cost converted to the shop's base currency for comparison. */
export interface LoadedLane extends RoutingLane {
  warehouseCode: string;
  /** Where the warehouse is: goods shipped from another country are imports. */
  warehouseCountry: string;
  /** Minor units of `currency` (the shop's base currency); null when no exchange rate is known. */
  cost: number | null;
  currency: string;
  /** What the carrier charges, as entered. */
  carrierCost: { amount: number; currency: string };
  minDays: number;
}

export interface LoadedRoutingInput {
  lanes: LoadedLane[];
  /** Positive availability of the variants in warehouses with a lane to the destination. */
  stock: StockLevel[];
}

type Ecb = { rate: string; date: string } | null;

interface Row {
  base_currency: string | null;
  ecb_base: Ecb;
  lanes: Array<{
    warehouseId: string;
    warehouseCode: string;
    warehouseCountry: string;
    cost: number;
    costCurrency: string;
    minDays: number;
    maxDays: number;
    override: string | null;
    ecb: Ecb;
  }>;
  stock: StockLevel[];
}

const latestEcb = (currency: SQL) =>
  sql`(select json_build_object('rate', r.rate::text, 'date', r.rate_date::text) from fx_rates r
    where r.base = 'EUR' and r.quote = ${currency} and r.rate_date <= current_date
    order by r.rate_date desc limit 1)`;

/**
 * Reads what planFulfilment needs for one destination in one statement: the lanes of warehouses
 * that serve the country (costs converted to the shop's base currency at the current rate) and
 * the available stock (on hand − reserved) of the variants there. It only reads: a checkout that
 * must not oversell locks the levels itself.
 * @example planFulfilment({ lines, ...(await loadRoutingInput(ctx, { country: "FR", variantIds })) })
 */
export async function loadRoutingInput(
  ctx: Ctx,
  params: { country: string; variantIds: readonly string[] },
): Promise<LoadedRoutingInput> {
  const country = requireCountry(params.country);
  const serving = sql`join warehouses w on w.id = l.warehouse_id and l.country = any(w.serves_countries)`;
  const [row] = await queryRows<Row>(
    ctx.db,
    sql`select s.base_currency, ${latestEcb(sql`s.base_currency`)} as ecb_base,
      coalesce((select json_agg(json_build_object('warehouseId', w.id, 'warehouseCode', w.code, 'warehouseCountry', w.address->>'country',
          'cost', l.cost, 'costCurrency', l.cost_currency, 'minDays', l.min_days, 'maxDays', l.max_days,
          'override', (select o.rate::text from fx_overrides o where o.base = l.cost_currency and o.quote = s.base_currency),
          'ecb', ${latestEcb(sql`l.cost_currency`)}) order by w.id)
        from shipping_lanes l ${serving} where l.country = ${country}), '[]'::json) as lanes,
      coalesce((select json_agg(json_build_object('warehouseId', il.warehouse_id, 'variantId', il.variant_id,
          'available', il.on_hand - il.reserved) order by il.warehouse_id, il.variant_id)
        from inventory_levels il join shipping_lanes l on l.warehouse_id = il.warehouse_id and l.country = ${country}
          ${serving}
        where il.variant_id = any(${sqlTextArray(params.variantIds)}) and il.on_hand > il.reserved), '[]'::json) as stock
    from (select 1) one left join shop s on true`,
  );
  if (!row?.base_currency) throw new NotFoundError("shop", "1");
  const base = row.base_currency;
  return {
    stock: row.stock,
    lanes: row.lanes.map((l) => {
      const fx = crossRate(l.costCurrency, base, l.override, l.ecb, row.ecb_base);
      return {
        warehouseId: l.warehouseId,
        warehouseCode: l.warehouseCode,
        warehouseCountry: l.warehouseCountry,
        cost: fx ? convert(money(l.cost, l.costCurrency), fx.rate, base).amount : null,
        currency: base,
        carrierCost: { amount: l.cost, currency: l.costCurrency },
        minDays: l.minDays,
        maxDays: l.maxDays,
      };
    }),
  };
}
