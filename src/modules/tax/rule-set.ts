import type { ReferenceRules } from "./data/index.ts";
import { inForce, type RuleSet } from "./rule-lookup.ts";
import type { Registration } from "./tax.types.ts";

/**
 * The rules for one destination on one date, picked from a full set of rules: the country's
 * rates, and the duties and import rules of the country or of its customs union.
 */
export function ruleSetFrom(
  all: Omit<ReferenceRules, "nexus">,
  country: string,
  date: string,
  registrations: Registration[],
  fx: Record<string, string>,
): RuleSet {
  const jurisdiction = all.jurisdictions.find((j) => j.country === country) ?? null;
  const customs = new Set([country, jurisdiction?.customsUnion ?? country]);
  const live = <T extends { effectiveFrom: string; effectiveTo: string | null }>(rows: T[]) =>
    rows.filter((r) => inForce(r, date));
  return {
    country,
    date,
    jurisdiction,
    taxRates: live(all.taxRates.filter((r) => r.country === country)),
    duties: live(all.duties.filter((d) => customs.has(d.country))),
    importRules: live(all.importRules.filter((r) => customs.has(r.country))),
    agreements: all.agreements,
    registrations: live(registrations),
    fx,
  };
}
