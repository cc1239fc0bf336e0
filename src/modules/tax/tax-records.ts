import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
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

interface RecordedLine {
  id: string;
  taxable: number;
  amount: number;
  corrected_taxable: number;
  corrected_amount: number;
}

/**
 * Records what a refund takes back of an order's taxes and duties, as negative rows dated now:
 * each sale row is reduced in proportion to the part of the order refunded so far, less what
 * earlier refunds took, so a full refund cancels the rows exactly (no unit lost to rounding).
 * Call it in the refund's transaction.
 * @example await recordTaxCorrection(tx, { orderId, refundId, refundedTotal: 5000, total: 10000 })
 */
export async function recordTaxCorrection(
  ctx: Ctx,
  r: { orderId: string; refundId: string; refundedTotal: number; total: number },
): Promise<void> {
  if (r.total <= 0) return;
  const share = Math.min(r.refundedTotal, r.total);
  const lines = await queryRows<RecordedLine>(
    ctx.db,
    sql`select s.id, s.taxable, s.amount,
        coalesce(sum(c.taxable), 0)::bigint as corrected_taxable, coalesce(sum(c.amount), 0)::bigint as corrected_amount
      from order_tax_lines s left join order_tax_lines c on c.corrects_id = s.id
      where s.order_id = ${r.orderId} and s.refund_id is null
      group by s.id order by s.id`,
  );
  // Half-up of value × share / total, in integers.
  const part = (value: number) =>
    Number((2n * BigInt(value) * BigInt(share) + BigInt(r.total)) / (2n * BigInt(r.total)));
  const rows = lines
    .map((l) => ({
      id: newId("otl"),
      corrects: l.id,
      taxable: -part(Number(l.taxable)) - Number(l.corrected_taxable),
      amount: -part(Number(l.amount)) - Number(l.corrected_amount),
    }))
    .filter((c) => c.taxable !== 0 || c.amount !== 0);
  if (rows.length === 0) return;
  await ctx.db.execute(sql`insert into order_tax_lines (id, order_id, kind, regime, scheme, jurisdiction, ship_from,
      name, rate, currency, taxable, amount, collected_by, placed_at, refund_id, corrects_id)
    select c.id, s.order_id, s.kind, s.regime, s.scheme, s.jurisdiction, s.ship_from, s.name, s.rate, s.currency,
      c.taxable, c.amount, s.collected_by, now(), ${r.refundId}, s.id
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as c(id text, corrects text, taxable bigint, amount bigint)
    join order_tax_lines s on s.id = c.corrects`);
}
