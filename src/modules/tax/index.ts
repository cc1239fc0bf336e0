/**
 * Tax: cross-border taxes, duties and landed cost. Rules are dated, cited data in the database
 * (shipped by a migration, editable in the Admin API); `landedCost` is the one pure calculation
 * that checkout, product pages and orders use, fed by `loadRuleSet`.
 * @example const landed = landedCost(input, await loadRuleSet(ctx, "DE", "EUR", "2026-11-25"))
 */
export { landedCost } from "./landed-cost.ts";
export type {
  AppliedRule,
  LandedCost,
  LandedCostInput,
  LandedCostLine,
  LineLandedCost,
  Regime,
  TaxSummaryLine,
} from "./landed-cost.types.ts";
export type { RuleSet } from "./rule-lookup.ts";
export { createRegistration, type RegistrationInput } from "./rules.admin.service.ts";
export { loadRuleSet } from "./rules.service.ts";
export { TAX_CATEGORIES, type TaxCategory } from "./tax.types.ts";
export { orderTaxLinesPart, recordTaxCorrection } from "./tax-records.ts";
export { requireVatId, type VatIdCheck, validateVatId } from "./vat-id.ts";
