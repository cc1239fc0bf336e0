import { type SQL, sql } from "drizzle-orm";
import { newId } from "../../kernel/ids.ts";
import type { TaxSummaryLine } from "./landed-cost.types.ts";

/**
 * The CTE that records an order's taxes and duties (its landed-cost summary) for the reports, for
 * a statement composed by the checkout: `with ${order.ctes}, ${taxes.ctes} select …`.
 */
export function orderTaxLinesPart(
  orderId: string,
  currency: string,
  summary: readonly TaxSummaryLine[],
): { ctes: SQL } {
  const rows = summary.map((s) => ({ ...s, id: newId("otl") }));
  return {
    ctes: sql`placed_taxes as (
      insert into order_tax_lines (id, order_id, kind, regime, scheme, jurisdiction, ship_from, name, rate, currency,
        taxable, amount, collected_by, placed_at)
      select r.id, ${orderId}, r.kind, r.regime, r.scheme, r.jurisdiction, r."shipFrom", r.name, r.rate::numeric,
        ${currency}, r.taxable, r.amount, r."collectedBy", now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, kind text, regime text, scheme text,
        jurisdiction text, "shipFrom" text, name text, rate text, taxable bigint, amount bigint, "collectedBy" text)
    )`,
  };
}
