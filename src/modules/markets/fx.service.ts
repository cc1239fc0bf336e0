import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { XMLParser } from "fast-xml-parser";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { divideDecimal, parseDecimal } from "../../kernel/money.ts";
import { requireCurrency } from "../../kernel/validate.ts";
import { fxOverrides, fxRates } from "./markets.schema.ts";

/** A rate with its provenance, stored with every converted price. */
export interface FxQuote {
  base: string;
  quote: string;
  /** Units of `quote` per one unit of `base`. */
  rate: string;
  rateDate: string | null;
  source: "identity" | "ecb" | "manual";
}

export interface EcbDay {
  date: string;
  rates: Record<string, string>;
}

const RATE_SCALE = 10;

/**
 * Reads the ECB euro reference-rate XML (daily, 90-day or historical files) into days of
 * EUR-based rates. Rejects anything that is not that format.
 */
export function parseEcbXml(xml: string): EcbDay[] {
  let doc: unknown;
  try {
    // `true` validates first: without it a truncated download parses as a partial file.
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", removeNSPrefix: true }).parse(
      xml,
      true,
    );
  } catch (err) {
    throw new ValidationError("fx.invalid_xml", `Not well-formed XML: ${(err as Error).message}`);
  }
  const outer = (doc as { Envelope?: { Cube?: { Cube?: unknown } } })?.Envelope?.Cube?.Cube;
  if (!outer) throw new ValidationError("fx.not_ecb", "Expected an ECB gesmes:Envelope with Cube elements");
  const days = (Array.isArray(outer) ? outer : [outer]) as Array<{ time?: string; Cube?: unknown }>;
  return days.map((day) => {
    if (!day.time || !isCalendarDate(day.time)) {
      throw new ValidationError(
        "fx.invalid_date",
        `Cube without a valid time attribute: ${JSON.stringify(day.time)}`,
      );
    }
    const cubes = (Array.isArray(day.Cube) ? day.Cube : [day.Cube]) as Array<{
      currency?: string;
      rate?: string;
    }>;
    const rates: Record<string, string> = {};
    for (const c of cubes) {
      if (!c?.currency || c.rate === undefined) continue;
      requireCurrency(c.currency);
      if (!/^\d+(?:\.\d+)?$/.test(String(c.rate).trim()) || parseDecimal(String(c.rate)).units === 0n)
        throw new ValidationError("fx.invalid_rate", `Bad rate for ${c.currency}`);
      rates[c.currency] = String(c.rate);
    }
    if (Object.keys(rates).length === 0)
      throw new ValidationError("fx.empty_day", `No rates for ${day.time}`);
    return { date: day.time, rates };
  });
}

/** "YYYY-MM-DD" naming a real day (not 2026-02-30). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Stores ECB rates (re-importing a day replaces its rates). Returns the days and rate count. */
export async function importEcbRates(ctx: Ctx, xml: string): Promise<{ days: string[]; rates: number }> {
  const days = parseEcbXml(xml);
  const rows = days.flatMap((d) =>
    Object.entries(d.rates).map(([quote, rate]) => ({
      base: "EUR",
      quote,
      rateDate: d.date,
      rate,
      source: "ecb",
    })),
  );
  for (let i = 0; i < rows.length; i += 500) {
    await ctx.db
      .insert(fxRates)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [fxRates.base, fxRates.quote, fxRates.rateDate],
        set: { rate: sql`excluded.rate`, source: sql`excluded.source`, importedAt: sql`now()` },
      });
  }
  await emit(ctx, "fx.rates_imported", { days: days.map((d) => d.date) });
  return { days: days.map((d) => d.date), rates: rows.length };
}

export async function setFxOverride(ctx: Ctx, base: string, quote: string, rate: string, note?: string) {
  requireCurrency(base, "base");
  requireCurrency(quote, "quote");
  if (parseDecimal(rate).units <= 0n)
    throw new ValidationError("fx.invalid_rate", "Rate must be a positive decimal");
  const values = { base, quote, rate, note: note ?? null };
  await ctx.db
    .insert(fxOverrides)
    .values(values)
    .onConflictDoUpdate({
      target: [fxOverrides.base, fxOverrides.quote],
      set: { ...values, createdAt: new Date() },
    });
  await emit(ctx, "fx.override_set", values);
  return values;
}

export async function deleteFxOverride(ctx: Ctx, base: string, quote: string): Promise<void> {
  const deleted = await ctx.db
    .delete(fxOverrides)
    .where(and(eq(fxOverrides.base, base), eq(fxOverrides.quote, quote)))
    .returning();
  if (!deleted.length) throw new NotFoundError("fx_override", `${base}/${quote}`);
}

/** The reference rates of one day (default: the latest imported day on or before today). */
export async function listEcbRates(ctx: Ctx, date?: string) {
  const day =
    date ??
    (
      await ctx.db
        .select({ d: fxRates.rateDate })
        .from(fxRates)
        .where(lte(fxRates.rateDate, new Date().toISOString().slice(0, 10)))
        .orderBy(desc(fxRates.rateDate))
        .limit(1)
    )[0]?.d;
  if (!day) return { date: null, base: "EUR", rates: {} };
  const rows = await ctx.db
    .select({ quote: fxRates.quote, rate: fxRates.rate, source: fxRates.source })
    .from(fxRates)
    .where(and(eq(fxRates.base, "EUR"), eq(fxRates.rateDate, day)))
    .orderBy(fxRates.quote);
  return { date: day, base: "EUR", rates: Object.fromEntries(rows.map((r) => [r.quote, r.rate])) };
}

export async function listFxOverrides(ctx: Ctx) {
  return ctx.db.select().from(fxOverrides);
}

/**
 * The rate from `base` to `quote`: a manual override if set, else the ECB rate (crossed through
 * EUR) on or before `onDate` (default today). Throws fx.rate_missing when there is none.
 * @example await resolveRate(ctx, "USD", "JPY") // { rate: "154.2741935484", source: "ecb", … }
 */
export async function resolveRate(ctx: Ctx, base: string, quote: string, onDate?: string): Promise<FxQuote> {
  const date = onDate ?? new Date().toISOString().slice(0, 10);
  const [override] = await ctx.db
    .select()
    .from(fxOverrides)
    .where(and(eq(fxOverrides.base, base), eq(fxOverrides.quote, quote)));
  if (base === quote || override) return crossRate(base, quote, override?.rate ?? null, null, null)!;
  const rows = await ctx.db
    .selectDistinctOn([fxRates.quote], { quote: fxRates.quote, rate: fxRates.rate, date: fxRates.rateDate })
    .from(fxRates)
    .where(and(eq(fxRates.base, "EUR"), inArray(fxRates.quote, [base, quote]), lte(fxRates.rateDate, date)))
    .orderBy(fxRates.quote, desc(fxRates.rateDate));
  const ecb = new Map(rows.map((r) => [r.quote, r]));
  const fx = crossRate(base, quote, null, ecb.get(base), ecb.get(quote));
  if (!fx)
    throw new ValidationError("fx.rate_missing", `No exchange rate from ${base} to ${quote} on ${date}`);
  return fx;
}

/**
 * Combines an override and EUR-based reference rates into the base → quote rate, or null when
 * neither is known. Pure: used by resolveRate and by the single-statement pricing context.
 */
export function crossRate(
  base: string,
  quote: string,
  overrideRate: string | null,
  ecbBase: { rate: string; date: string } | null | undefined,
  ecbQuote: { rate: string; date: string } | null | undefined,
): FxQuote | null {
  if (base === quote) return { base, quote, rate: "1", rateDate: null, source: "identity" };
  if (overrideRate) return { base, quote, rate: overrideRate, rateDate: null, source: "manual" };
  const b = base === "EUR" ? { rate: "1", date: null } : ecbBase;
  const q = quote === "EUR" ? { rate: "1", date: null } : ecbQuote;
  if (!b || !q) return null;
  const dates = [b.date, q.date].filter((d): d is string => !!d).sort();
  return {
    base,
    quote,
    rate: divideDecimal(q.rate, b.rate, RATE_SCALE),
    rateDate: dates[0] ?? null,
    source: "ecb",
  };
}
