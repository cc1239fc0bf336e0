import type {
  DutyRateRule,
  ImportRule,
  ImportRuleKind,
  Jurisdiction,
  Registration,
  TaxRateRule,
  TradeAgreement,
} from "./tax.types.ts";

/** Everything the landed-cost engine needs about one destination on one date. */
export interface RuleSet {
  country: string;
  /** YYYY-MM-DD: only rules in force on this day are used. */
  date: string;
  jurisdiction: Jurisdiction | null;
  taxRates: TaxRateRule[];
  duties: DutyRateRule[];
  importRules: ImportRule[];
  agreements: TradeAgreement[];
  registrations: Registration[];
  /** Units of each currency per one unit of the cart's currency (thresholds are in many). */
  fx: Record<string, string>;
}

export const EU_MEMBERS = new Set([
  "AT",
  "BE",
  "BG",
  "CY",
  "CZ",
  "DE",
  "DK",
  "EE",
  "ES",
  "FI",
  "FR",
  "GR",
  "HR",
  "HU",
  "IE",
  "IT",
  "LT",
  "LU",
  "LV",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SE",
  "SI",
  "SK",
]);

/** Is a dated rule in force on `date` (YYYY-MM-DD)? */
export function inForce(rule: { effectiveFrom: string; effectiveTo: string | null }, date: string): boolean {
  return rule.effectiveFrom <= date && (rule.effectiveTo === null || date < rule.effectiveTo);
}

/** One tax that applies to a line: a national rate, or a regional one stacked on it. */
export interface RateComponent {
  rule: TaxRateRule;
  /** Where the tax is due: the country, or "US-NY", "CA-QC", "BR-SP". */
  jurisdiction: string;
}

function pickCategory(rows: TaxRateRule[], category: string): TaxRateRule | undefined {
  return rows.find((r) => r.category === category) ?? rows.find((r) => r.category === "standard");
}

/**
 * The rates for a product category at the destination: the national rate and the region's (a
 * local rate narrowed to the longest matching postal prefix), each falling back from the
 * category to the standard rate. A region row that replaces the national one (HST) does.
 */
export function rateComponents(
  rules: RuleSet,
  category: string,
  region: string | null,
  postalCode: string | null,
  includeRegion: (region: string) => boolean,
): RateComponent[] {
  const live = rules.taxRates.filter((r) => inForce(r, rules.date));
  const national = pickCategory(
    live.filter((r) => r.region === null),
    category,
  );
  const out: RateComponent[] = [];
  if (region && includeRegion(region)) {
    const regional = live.filter((r) => r.region === region);
    const state = pickCategory(
      regional.filter((r) => r.postalPrefix === null),
      category,
    );
    const compact = (postalCode ?? "").replace(/[\s-]/g, "").toUpperCase();
    const local = pickCategory(
      regional
        .filter((r) => r.postalPrefix !== null && compact.startsWith(r.postalPrefix))
        .sort((a, b) => (b.postalPrefix?.length ?? 0) - (a.postalPrefix?.length ?? 0)),
      category,
    );
    for (const rule of [state, local])
      if (rule) out.push({ rule, jurisdiction: `${rules.country}-${region}` });
  }
  if (national && !out.some((c) => c.rule.replacesNational))
    out.unshift({ rule: national, jurisdiction: rules.country });
  return out;
}

export interface DutyChoice {
  rule: DutyRateRule;
  /** "mfn", a trade agreement's code, or "default" when only the country default matched. */
  basis: string;
}

function longestPrefix(rows: DutyRateRule[], hsCode: string): DutyRateRule | undefined {
  return rows
    .filter((r) => hsCode.startsWith(r.hsPrefix))
    .sort((a, b) => b.hsPrefix.length - a.hsPrefix.length)[0];
}

/**
 * The duty rate for a line: the most specific MFN row for its HS code (6 digits, then the
 * heading, the chapter, the country default ""), replaced by a lower preferential rate when the
 * origin and the destination are both members of an agreement on this date. `withinBand` keeps
 * the value-banded rows whose band holds the consignment.
 */
export function dutyRate(
  rules: RuleSet,
  hsCode: string | null,
  origin: string | null,
  withinBand: (rule: DutyRateRule) => boolean,
): DutyChoice | null {
  const live = rules.duties
    .filter((r) => inForce(r, rules.date) && withinBand(r))
    .sort((a, b) => bandSize(a) - bandSize(b));
  const code = hsCode ?? "";
  const mfn = longestPrefix(
    live.filter((r) => r.agreement === null),
    code,
  );
  if (!mfn) return null;
  let best: DutyChoice = { rule: mfn, basis: mfn.hsPrefix === "" && !mfn.valueUpTo ? "default" : "mfn" };
  if (!origin || !hsCode) return best;
  const union = rules.jurisdiction?.customsUnion;
  for (const agreement of rules.agreements) {
    const member = (c: string) => agreement.members.some((m) => m.country === c && m.from <= rules.date);
    if (!member(origin) || !(member(rules.country) || (union && member(union)))) continue;
    const pref = longestPrefix(
      live.filter((r) => r.agreement === agreement.code),
      code,
    );
    if (pref && Number(pref.rate) < Number(best.rule.rate)) best = { rule: pref, basis: agreement.code };
  }
  return best;
}

/** Value-banded rows first, narrowest band first, so the band that holds the value wins. */
function bandSize(rule: DutyRateRule): number {
  return rule.valueUpTo ? rule.valueUpTo.amount : Number.MAX_SAFE_INTEGER;
}

export function importRule(rules: RuleSet, kind: ImportRuleKind): ImportRule | undefined {
  return rules.importRules.find((r) => r.kind === kind && inForce(r, rules.date));
}

/** The store's registration for a jurisdiction in force on the date, if any (optionally for one scheme). */
export function registration(
  rules: RuleSet,
  jurisdiction: string,
  scheme?: string,
): Registration | undefined {
  return rules.registrations.find(
    (r) =>
      r.jurisdiction === jurisdiction &&
      (scheme === undefined || r.scheme === scheme) &&
      inForce(r, rules.date),
  );
}
