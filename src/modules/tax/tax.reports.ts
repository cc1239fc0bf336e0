import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { ValidationError } from "../../kernel/errors.ts";

/**
 * Tax reports: what the store declares on its OSS, IOSS, UK VAT and US sales-tax returns and what
 * it owes in duties, added up from the `order_tax_lines` the checkout records.
 *
 * An order counts in the period in which it was paid (`orders.paid_at`, UTC) unless it was
 * cancelled. Amounts are integer minor units in the order's currency, grouped by currency: nothing
 * is converted (a return in another currency needs the rate its authority prescribes, e.g. the
 * ECB rate of the period's last day for OSS). Refunds (money back or store credit for a return)
 * come in as negative corrections in the period they were made.
 */

/** A reporting period: a quarter (`2026-Q3`) or a month (`2026-07`), UTC; `to` is exclusive. */
export interface Period {
  period: string;
  /** First day, YYYY-MM-DD. */
  from: string;
  /** The day after the last, YYYY-MM-DD. */
  to: string;
}

const MIN_YEAR = 1970;
const MAX_YEAR = 9998;
const day = (year: number, month: number) => new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);

function invalid(value: unknown, expected: string): never {
  throw new ValidationError("tax.invalid_period", `"${String(value)}" is not ${expected}`, {
    value,
    expected,
  });
}

/**
 * Parses a quarter or a month into its UTC bounds.
 * @example parsePeriod("2026-Q3") // { period: "2026-Q3", from: "2026-07-01", to: "2026-10-01" }
 */
export function parsePeriod(value: string): Period {
  const m = /^(\d{4})-(?:Q([1-4])|(0[1-9]|1[0-2]))$/.exec(value);
  const year = Number(m?.[1]);
  if (!m || year < MIN_YEAR || year > MAX_YEAR) invalid(value, "a quarter (2026-Q3) or a month (2026-07)");
  const first = m[2] ? (Number(m[2]) - 1) * 3 : Number(m[3]) - 1;
  return { period: value, from: day(year, first), to: day(year, first + (m[2] ? 3 : 1)) };
}

/** A calendar year (`2026` or 2026). */
export function parseYear(value: string | number): number {
  const text = String(value);
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < MIN_YEAR || year > MAX_YEAR) invalid(value, "a year (2026)");
  return year;
}

const utc = (date: string) => sql`${`${date}T00:00:00Z`}::timestamptz`;

/**
 * Tax lines (`t`) of the orders (`o`) paid in [from, to) and not cancelled, plus the corrections
 * of refunds made in [from, to) (negative rows, declared in the period of the refund).
 */
const paidLines = (from: string, to: string, where: SQL) => sql`from order_tax_lines t
  join orders o on o.id = t.order_id
  where not o.cancelled and ${where} and case when t.refund_id is null
    then o.paid_at >= ${utc(from)} and o.paid_at < ${utc(to)}
    else t.placed_at >= ${utc(from)} and t.placed_at < ${utc(to)} end`;

export interface Totals {
  currency: string;
  taxable: number;
  tax: number;
  /** Distinct orders (an order with several rates counts once). */
  orders: number;
}

export interface VatRow extends Totals {
  /** The member state of consumption (OSS, IOSS) or "GB". */
  country: string;
  /** The country the goods were dispatched from (an OSS return lists sales per member state of dispatch). */
  shipFrom: string;
  /** A decimal fraction: "0.2" is 20 %. */
  rate: string;
}

export interface VatReport extends Period {
  scheme: string;
  rows: VatRow[];
  totals: Totals[];
}

interface GroupedRow {
  total: boolean;
  country: string;
  shipFrom: string;
  regime: string;
  rate: string;
  currency: string;
  taxable: number;
  tax: number;
  orders: number;
}

/** Rows per currency, country and rate (and regime) with per-currency totals, in one statement. */
async function vatRows(ctx: Ctx, p: Period, where: SQL, byRegime: boolean) {
  const regime = byRegime ? sql`t.regime, ` : sql``;
  const rows = await queryRows<GroupedRow>(
    ctx.db,
    sql`select grouping(t.jurisdiction) = 1 as total, t.jurisdiction as country, t.ship_from as "shipFrom",
        ${byRegime ? sql`t.regime` : sql`null`} as regime, t.rate::text as rate, t.currency,
        sum(t.taxable)::bigint as taxable, sum(t.amount)::bigint as tax,
        count(distinct t.order_id)::int as orders
      ${paidLines(p.from, p.to, where)}
      group by grouping sets ((t.currency, t.ship_from, t.jurisdiction, ${regime}t.rate), (t.currency))
      order by t.currency, total, t.jurisdiction, ${regime}t.ship_from, t.rate desc`,
  );
  const totals = rows
    .filter((r) => r.total)
    .map(({ currency, taxable, tax, orders }) => ({ currency, taxable, tax, orders }));
  return { rows: rows.filter((r) => !r.total), totals };
}

const strip = ({ total: _t, regime: _r, ...row }: GroupedRow): VatRow => row;

/**
 * The EU One-Stop-Shop (union scheme) return: distance sales of goods shipped from one member
 * state to consumers in another, per member state of consumption and rate. Sales from a
 * warehouse in the consumer's own state are domestic and belong on that state's VAT return.
 * @example const report = await ossReturn(ctx, "2026-Q3")
 */
export async function ossReturn(ctx: Ctx, period: string): Promise<VatReport> {
  const p = parsePeriod(period);
  const where = sql`t.kind = 'tax' and t.regime = 'distance_sale' and t.scheme = 'OSS'`;
  const { rows, totals } = await vatRows(ctx, p, where, false);
  return { ...p, scheme: "OSS", rows: rows.map(strip), totals };
}

/**
 * The EU Import One-Stop-Shop return: imported consignments up to €150 on which the store
 * collected the member state's VAT at sale, per member state of consumption and rate.
 * @example const report = await iossReturn(ctx, "2026-07")
 */
export async function iossReturn(ctx: Ctx, period: string): Promise<VatReport> {
  const p = parsePeriod(period);
  const where = sql`t.kind = 'tax' and t.scheme = 'IOSS' and t.collected_by = 'seller'`;
  const { rows, totals } = await vatRows(ctx, p, where, false);
  return { ...p, scheme: "IOSS", rows: rows.map(strip), totals };
}

export interface UkVatRow extends VatRow {
  /** `domestic` (shipped from a UK warehouse) or `seller_collected` (imports up to £135). */
  regime: string;
}

export interface UkVatReport extends Period {
  rows: UkVatRow[];
  /** Box 1 (VAT due on sales) and box 6 (sales excluding VAT), in minor units, per currency. */
  totals: (Totals & { box1: number; box6: number })[];
}

/**
 * The UK VAT figures for sales: VAT the store charged on UK domestic sales and on imported
 * consignments up to £135, per regime and rate, with box 1 and box 6 of the VAT return (in
 * pence; HMRC wants box 6 in whole pounds). Import VAT paid at the border is not included.
 * @example const report = await ukVatReturn(ctx, "2026-Q3")
 */
export async function ukVatReturn(ctx: Ctx, period: string): Promise<UkVatReport> {
  const p = parsePeriod(period);
  const where = sql`t.kind = 'tax' and t.jurisdiction = 'GB' and t.collected_by = 'seller'`;
  const { rows, totals } = await vatRows(ctx, p, where, true);
  return {
    ...p,
    rows: rows.map(({ total: _t, ...row }) => row),
    totals: totals.map((t) => ({ ...t, box1: t.tax, box6: t.taxable })),
  };
}

export type NexusStatus = "registered" | "nexus_reached_unregistered" | "below_threshold";

export interface UsStateRow {
  /** The state's two-letter code. */
  state: string;
  /** Gross sales in US cents (goods after discounts plus shipping, before tax) and transactions. */
  sales: number;
  transactions: number;
  priorSales: number;
  priorTransactions: number;
  /** Sales tax collected for the state in the year, in cents. */
  taxCollected: number;
  /** The economic-nexus threshold (sales in whole dollars), or null where the state sets none. */
  threshold: { sales: number; transactions: number | null; requiresBoth: boolean } | null;
  nexusReached: boolean;
  registered: boolean;
  status: NexusStatus;
}

export interface UsSalesTaxReport {
  year: number;
  currency: "USD";
  rows: UsStateRow[];
  totals: { sales: number; transactions: number; taxCollected: number };
}

interface UsQueryRow {
  state: string;
  sales: number;
  transactions: number;
  prior_sales: number;
  prior_transactions: number;
  tax: number;
  nexus_sales: number | null;
  nexus_transactions: number | null;
  requires_both: boolean | null;
  registered: boolean;
}

function reached(sales: number, transactions: number, t: UsStateRow["threshold"]): boolean {
  if (!t) return false;
  const bySales = sales >= t.sales * 100;
  if (t.transactions === null) return bySales;
  const byCount = transactions >= t.transactions;
  return t.requiresBoth ? bySales && byCount : bySales || byCount;
}

/**
 * US economic nexus and sales tax per state for a calendar year: USD orders shipped to the state,
 * this year and last (thresholds apply to either), the tax collected for it, its threshold, and
 * whether the store holds a registration there on the year's last day. Every state with a
 * threshold or with sales is listed.
 * @example const report = await usSalesTaxReport(ctx, 2026)
 */
export async function usSalesTaxReport(ctx: Ctx, year: string | number): Promise<UsSalesTaxReport> {
  const y = parseYear(year);
  const [prior, from, to] = [utc(`${y - 1}-01-01`), utc(`${y}-01-01`), utc(`${y + 1}-01-01`)];
  const lastDay = `${y}-12-31`;
  // Shipping counts as charged: discount_total holds the shipping discount, shipping_total is net of it.
  const gross = sql`o.subtotal - o.discount_total + o.shipping_total
    + coalesce((o.shipping_method->>'discount')::bigint, 0)`;
  const collected = sql`t.kind = 'tax' and t.collected_by = 'seller' and t.currency = 'USD'
    and t.jurisdiction like 'US-%'`;
  const rows = await queryRows<UsQueryRow>(
    ctx.db,
    sql`with sales as (
        select o.shipping_address->>'province' as state,
          coalesce(sum(${gross}) filter (where o.paid_at >= ${from}), 0)::bigint as sales,
          count(*) filter (where o.paid_at >= ${from})::int as transactions,
          coalesce(sum(${gross}) filter (where o.paid_at < ${from}), 0)::bigint as prior_sales,
          count(*) filter (where o.paid_at < ${from})::int as prior_transactions
        from orders o
        where o.shipping_address->>'country' = 'US' and o.currency = 'USD' and not o.cancelled
          and o.paid_at >= ${prior} and o.paid_at < ${to} and o.shipping_address->>'province' is not null
        group by 1
      ), taxes as (
        select t.jurisdiction, sum(t.amount)::bigint as tax
        ${paidLines(`${y}-01-01`, `${y + 1}-01-01`, collected)}
        group by 1
      ), states as (
        select region as state from sales_tax_nexus where country = 'US' union select state from sales
      )
      select s.state, coalesce(a.sales, 0)::bigint as sales, coalesce(a.transactions, 0) as transactions,
        coalesce(a.prior_sales, 0)::bigint as prior_sales,
        coalesce(a.prior_transactions, 0) as prior_transactions, coalesce(x.tax, 0)::bigint as tax,
        n.sales as nexus_sales, n.transactions as nexus_transactions, n.requires_both,
        exists (select 1 from tax_registrations r where r.jurisdiction = 'US-' || s.state
          and r.effective_from <= ${lastDay}::date
          and (r.effective_to is null or r.effective_to > ${lastDay}::date)) as registered
      from states s
      left join sales a on a.state = s.state
      left join taxes x on x.jurisdiction = 'US-' || s.state
      left join sales_tax_nexus n on n.country = 'US' and n.region = s.state
      order by s.state`,
  );
  const out = rows.map((r): UsStateRow => {
    const threshold =
      r.nexus_sales === null
        ? null
        : {
            sales: r.nexus_sales,
            transactions: r.nexus_transactions,
            requiresBoth: r.requires_both ?? false,
          };
    const nexusReached =
      reached(r.sales, r.transactions, threshold) || reached(r.prior_sales, r.prior_transactions, threshold);
    return {
      state: r.state,
      sales: r.sales,
      transactions: r.transactions,
      priorSales: r.prior_sales,
      priorTransactions: r.prior_transactions,
      taxCollected: r.tax,
      threshold,
      nexusReached,
      registered: r.registered,
      status: r.registered ? "registered" : nexusReached ? "nexus_reached_unregistered" : "below_threshold",
    };
  });
  const sum = (f: (r: UsStateRow) => number) => out.reduce((s, r) => s + f(r), 0);
  return {
    year: y,
    currency: "USD",
    rows: out,
    totals: {
      sales: sum((r) => r.sales),
      transactions: sum((r) => r.transactions),
      taxCollected: sum((r) => r.taxCollected),
    },
  };
}

export interface DutyRow {
  /** The destination country, or its customs union ("EU"). */
  jurisdiction: string;
  /** mfn, a trade agreement (RCEP …), default, flat or band. */
  basis: string | null;
  rate: string;
  /** DDP: charged to the buyer at checkout and paid by the store; DDU: paid by the buyer on delivery. */
  dutyMode: string | null;
  currency: string;
  dutiableValue: number;
  duty: number;
  orders: number;
}

export interface DutiesReport extends Period {
  rows: DutyRow[];
  totals: { currency: string; dutiableValue: number; duty: number; orders: number }[];
}

/**
 * Customs duties of the period's orders per destination (or customs union), basis, rate, duty
 * mode and currency, with per-currency totals.
 * @example const report = await dutiesReport(ctx, "2026-Q3")
 */
export async function dutiesReport(ctx: Ctx, period: string): Promise<DutiesReport> {
  const p = parsePeriod(period);
  const mode = sql`o.snapshot #>> '{tax,landedCost,dutyMode}'`;
  const rows = await queryRows<DutyRow & { total: boolean }>(
    ctx.db,
    sql`select grouping(t.jurisdiction) = 1 as total, t.jurisdiction, t.scheme as basis, t.rate::text as rate,
        ${mode} as "dutyMode", t.currency, sum(t.taxable)::bigint as "dutiableValue",
        sum(t.amount)::bigint as duty, count(distinct t.order_id)::int as orders
      ${paidLines(p.from, p.to, sql`t.kind = 'duty'`)}
      group by grouping sets ((t.currency, t.jurisdiction, t.scheme, t.rate, ${mode}), (t.currency))
      order by t.currency, total, t.jurisdiction, t.scheme, t.rate desc, ${mode}`,
  );
  return {
    ...p,
    rows: rows.filter((r) => !r.total).map(({ total: _t, ...row }) => row),
    totals: rows
      .filter((r) => r.total)
      .map(({ currency, dutiableValue, duty, orders }) => ({ currency, dutiableValue, duty, orders })),
  };
}
