import { and, asc, eq, gt, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Ctx } from "../../kernel/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { newId } from "../../kernel/ids.ts";
import {
  dutyRates,
  importRules,
  taxJurisdictions,
  taxRates,
  taxRegistrations,
  tradeAgreements,
} from "./tax.schema.ts";
import type { DutyRateRule, ImportRule, MoneyFigure, TaxRateRule } from "./tax.types.ts";

type Dates = { effectiveFrom: string; effectiveTo?: string | null };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real day written YYYY-MM-DD (a round trip through Date: Date.parse rolls 02-30 over to March). */
export function isDay(s: string): boolean {
  const day = new Date(`${s}T00:00:00Z`);
  return DATE.test(s) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(s);
}

function checkDates(d: Dates): void {
  if (!isDay(d.effectiveFrom) || (d.effectiveTo != null && !isDay(d.effectiveTo)))
    throw new ValidationError("tax.invalid_date", "Dates must be real days written YYYY-MM-DD");
  if (d.effectiveTo != null && d.effectiveTo <= d.effectiveFrom)
    throw new ValidationError("tax.invalid_period", "effectiveTo must be after effectiveFrom");
}

function checkRate(rate: string, max: number): void {
  if (!/^\d{1,3}(\.\d{1,6})?$/.test(rate) || Number(rate) < 0 || Number(rate) >= max)
    throw new ValidationError(
      "tax.invalid_rate",
      `rate must be a decimal fraction below ${max}, e.g. "0.19"`,
    );
}

function checkFigure(figure: MoneyFigure | null | undefined, field: string): void {
  if (figure && (!Number.isSafeInteger(figure.amount) || figure.amount < 0))
    throw new ValidationError(
      "tax.invalid_amount",
      `${field}.amount must be a non-negative integer of minor units`,
    );
}

interface Versioned {
  table: PgTable;
  id: PgColumn;
  from: PgColumn;
  to: PgColumn;
  /** The columns that name one rule whose versions follow each other in time. */
  key: SQL;
}

/**
 * Makes room for a new version of a rule: an open-ended earlier version ends where the new one
 * starts; any other overlap with an existing version is refused, so exactly one version of a rule
 * is in force on any day.
 */
async function makeRoom(ctx: Ctx, v: Versioned, dates: Dates): Promise<void> {
  const to = dates.effectiveTo ?? null;
  const overlapping = (await ctx.db
    .select({ id: v.id, from: v.from, to: v.to })
    .from(v.table)
    .where(
      and(
        v.key,
        or(isNull(v.to), gt(v.to, dates.effectiveFrom)),
        to === null ? undefined : sql`${v.from} < ${to}`,
      ),
    )
    .for("update")) as { id: string; from: string; to: string | null }[];
  for (const row of overlapping) {
    if (row.to === null && row.from < dates.effectiveFrom) {
      await ctx.db
        .update(v.table)
        .set({ effectiveTo: dates.effectiveFrom } as never)
        .where(eq(v.id, row.id));
      continue;
    }
    throw new ConflictError("tax.rule_overlap", "Another version of this rule is in force in that period", {
      id: row.id,
      effectiveFrom: row.from,
      effectiveTo: row.to,
    });
  }
}

export type TaxRateInput = Omit<
  TaxRateRule,
  "id" | "effectiveTo" | "replacesNational" | "appliesToShipping" | "grossUp" | "region" | "postalPrefix"
> &
  Partial<
    Pick<
      TaxRateRule,
      "effectiveTo" | "replacesNational" | "appliesToShipping" | "grossUp" | "region" | "postalPrefix"
    >
  >;

/**
 * Adds a tax rate version; the rate it follows (same country, region, ZIP prefix and category)
 * ends the day it starts. Orders keep the rules they were computed with.
 * @example await createTaxRate(ctx, { country: "DE", category: "standard", name: "VAT", rate: "0.19", effectiveFrom: "2027-01-01", source: "BMF" })
 */
export async function createTaxRate(ctx: Ctx, input: TaxRateInput) {
  checkDates(input);
  checkRate(input.rate, 1);
  const key = and(
    eq(taxRates.country, input.country),
    sql`coalesce(${taxRates.region}, '') = ${input.region ?? ""}`,
    sql`coalesce(${taxRates.postalPrefix}, '') = ${input.postalPrefix ?? ""}`,
    eq(taxRates.category, input.category),
  )!;
  await makeRoom(
    ctx,
    { table: taxRates, id: taxRates.id, from: taxRates.effectiveFrom, to: taxRates.effectiveTo, key },
    input,
  );
  const [row] = await ctx.db
    .insert(taxRates)
    .values({ ...input, id: newId("trate"), effectiveTo: input.effectiveTo ?? null })
    .returning();
  return row!;
}

export type DutyRateInput = Omit<
  DutyRateRule,
  "id" | "agreement" | "valueUpTo" | "deduction" | "specific" | "effectiveTo"
> &
  Partial<Pick<DutyRateRule, "agreement" | "valueUpTo" | "deduction" | "specific" | "effectiveTo">>;

/** Adds a duty rate version for a destination, HS prefix, agreement and value band. */
export async function createDutyRate(ctx: Ctx, input: DutyRateInput) {
  checkDates(input);
  checkRate(input.rate, 10);
  checkFigure(input.valueUpTo, "valueUpTo");
  checkFigure(input.deduction, "deduction");
  if (!/^(\d{2}){0,3}$/.test(input.hsPrefix))
    throw new ValidationError(
      "tax.invalid_hs_prefix",
      "hsPrefix must be empty (the default) or 2, 4 or 6 digits",
    );
  const key = and(
    eq(dutyRates.country, input.country),
    eq(dutyRates.hsPrefix, input.hsPrefix),
    sql`coalesce(${dutyRates.agreement}, '') = ${input.agreement ?? ""}`,
    sql`coalesce((${dutyRates.valueUpTo}->>'amount')::bigint, -1) = ${input.valueUpTo?.amount ?? -1}`,
  )!;
  await makeRoom(
    ctx,
    { table: dutyRates, id: dutyRates.id, from: dutyRates.effectiveFrom, to: dutyRates.effectiveTo, key },
    input,
  );
  const [row] = await ctx.db
    .insert(dutyRates)
    .values({ ...input, id: newId("duty"), effectiveTo: input.effectiveTo ?? null })
    .returning();
  return row!;
}

export type ImportRuleInput = Omit<
  ImportRule,
  "id" | "effectiveTo" | "perItem" | "scheme" | "flat" | "factor"
> &
  Partial<Pick<ImportRule, "effectiveTo" | "perItem" | "scheme" | "flat" | "factor">>;

/** Adds an import rule version (a de-minimis threshold, a seller-collection scheme …). */
export async function createImportRule(ctx: Ctx, input: ImportRuleInput) {
  checkDates(input);
  checkFigure(input.value, "value");
  checkFigure(input.flat, "flat");
  if (input.kind === "valuation_factor" && !input.factor)
    throw new ValidationError("tax.invalid_rule", "A valuation_factor rule needs factor");
  if (input.factor) checkRate(input.factor, 10);
  if (input.kind === "seller_collects_up_to" && !input.scheme)
    throw new ValidationError(
      "tax.invalid_rule",
      "A seller_collects_up_to rule needs the scheme to register for",
    );
  const key = and(eq(importRules.country, input.country), eq(importRules.kind, input.kind))!;
  await makeRoom(
    ctx,
    {
      table: importRules,
      id: importRules.id,
      from: importRules.effectiveFrom,
      to: importRules.effectiveTo,
      key,
    },
    input,
  );
  const [row] = await ctx.db
    .insert(importRules)
    .values({ ...input, id: newId("imprule"), effectiveTo: input.effectiveTo ?? null })
    .returning();
  return row!;
}

export type RuleKind = "tax-rates" | "duty-rates" | "import-rules";

const TABLES = {
  "tax-rates": {
    table: taxRates,
    id: taxRates.id,
    country: taxRates.country,
    from: taxRates.effectiveFrom,
    to: taxRates.effectiveTo,
  },
  "duty-rates": {
    table: dutyRates,
    id: dutyRates.id,
    country: dutyRates.country,
    from: dutyRates.effectiveFrom,
    to: dutyRates.effectiveTo,
  },
  "import-rules": {
    table: importRules,
    id: importRules.id,
    country: importRules.country,
    from: importRules.effectiveFrom,
    to: importRules.effectiveTo,
  },
} as const;

/** Rules of a kind, optionally for one country (or customs union) and only those in force on a day. */
export async function listRules(ctx: Ctx, kind: RuleKind, filter: { country?: string; on?: string } = {}) {
  const t = TABLES[kind];
  if (filter.on !== undefined) checkDates({ effectiveFrom: filter.on });
  return ctx.db
    .select()
    .from(t.table)
    .where(
      and(
        filter.country ? eq(t.country, filter.country) : undefined,
        filter.on ? and(lte(t.from, filter.on), or(isNull(t.to), gt(t.to, filter.on))) : undefined,
      ),
    )
    .orderBy(asc(t.country), asc(t.id));
}

export async function getRule(ctx: Ctx, kind: RuleKind, id: string) {
  const t = TABLES[kind];
  const [row] = await ctx.db.select().from(t.table).where(eq(t.id, id));
  if (!row) throw new NotFoundError("tax_rule", id);
  return row;
}

/**
 * Ends a rule version on a day (the rule no longer applies from then), or deletes it outright
 * when `effectiveTo` is not given. Orders placed under it keep their snapshot either way.
 */
export async function endRule(ctx: Ctx, kind: RuleKind, id: string, effectiveTo?: string) {
  const t = TABLES[kind];
  const rule = (await getRule(ctx, kind, id)) as { effectiveFrom: string };
  if (effectiveTo === undefined) {
    await ctx.db.delete(t.table).where(eq(t.id, id));
    return null;
  }
  checkDates({ effectiveFrom: rule.effectiveFrom, effectiveTo });
  const [row] = await ctx.db
    .update(t.table)
    .set({ effectiveTo } as never)
    .where(eq(t.id, id))
    .returning();
  return row;
}

export interface RegistrationInput {
  jurisdiction: string;
  scheme: string;
  number: string;
  effectiveFrom: string;
  effectiveTo?: string | null;
}

/** Records where the store is registered: tax is collected only where a registration is in force. */
export async function createRegistration(ctx: Ctx, input: RegistrationInput) {
  checkDates(input);
  if (!/^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU)$/.test(input.jurisdiction))
    throw new ValidationError(
      "tax.invalid_jurisdiction",
      'jurisdiction is a country, "US-NY"-style region, or EU',
    );
  const key = and(
    eq(taxRegistrations.jurisdiction, input.jurisdiction),
    eq(taxRegistrations.scheme, input.scheme),
  )!;
  await makeRoom(
    ctx,
    {
      table: taxRegistrations,
      id: taxRegistrations.id,
      from: taxRegistrations.effectiveFrom,
      to: taxRegistrations.effectiveTo,
      key,
    },
    input,
  );
  const [row] = await ctx.db
    .insert(taxRegistrations)
    .values({ ...input, id: newId("taxreg"), effectiveTo: input.effectiveTo ?? null })
    .returning();
  return row!;
}

export async function listRegistrations(ctx: Ctx) {
  return ctx.db
    .select()
    .from(taxRegistrations)
    .orderBy(asc(taxRegistrations.jurisdiction), asc(taxRegistrations.id));
}

export async function deleteRegistration(ctx: Ctx, id: string): Promise<void> {
  const deleted = await ctx.db.delete(taxRegistrations).where(eq(taxRegistrations.id, id)).returning();
  if (deleted.length === 0) throw new NotFoundError("tax_registration", id);
}

export async function listJurisdictions(ctx: Ctx) {
  return ctx.db.select().from(taxJurisdictions).orderBy(asc(taxJurisdictions.country));
}

export async function listAgreements(ctx: Ctx) {
  return ctx.db.select().from(tradeAgreements).orderBy(asc(tradeAgreements.code));
}

export interface JurisdictionInput {
  customsUnion: string | null;
  rounding: "line" | "document";
  dutyOnShipping: boolean;
  source: string;
}

/** Creates or replaces how a destination's taxes are computed (a country without a row is not served). */
export async function putJurisdiction(ctx: Ctx, country: string, input: JurisdictionInput) {
  const [row] = await ctx.db
    .insert(taxJurisdictions)
    .values({ country, ...input })
    .onConflictDoUpdate({ target: taxJurisdictions.country, set: input })
    .returning();
  return row!;
}

export interface AgreementInput {
  name: string;
  members: { country: string; from: string }[];
  source: string;
}

/** Creates or replaces a trade agreement and its parties (each with its entry into force). */
export async function putAgreement(ctx: Ctx, code: string, input: AgreementInput) {
  for (const m of input.members) checkDates({ effectiveFrom: m.from });
  const [row] = await ctx.db
    .insert(tradeAgreements)
    .values({ code, ...input })
    .onConflictDoUpdate({ target: tradeAgreements.code, set: input })
    .returning();
  return row!;
}
