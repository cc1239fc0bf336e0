import { ValidationError } from "../../kernel/errors.ts";
import { allocate, divideDecimal, money } from "../../kernel/money.ts";
import { importConsignment } from "./landed-cost.imports.ts";
import { finish } from "./landed-cost.taxes.ts";
import type { AppliedRule, LandedCost, LandedCostInput, LandedCostLine } from "./landed-cost.types.ts";
import { type EngineCtx, usSalesTax, type Work } from "./landed-cost.work.ts";
import { EU_MEMBERS, type RateComponent, type RuleSet, rateComponents, registration } from "./rule-lookup.ts";
import { type Exact, exact, plus, taxOn } from "./tax.rounding.ts";

function checkInput(input: LandedCostInput): void {
  const bad = (what: string) => {
    throw new ValidationError("tax.invalid_input", `${what} must be a non-negative integer amount`);
  };
  if (!Number.isSafeInteger(input.shipping) || input.shipping < 0) bad("shipping");
  for (const l of input.lines) {
    if (!Number.isSafeInteger(l.amount) || l.amount < 0) bad(`line ${l.id} amount`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1)
      throw new ValidationError("tax.invalid_input", `line ${l.id} quantity must be a positive integer`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date))
    throw new ValidationError("tax.invalid_input", "date must be YYYY-MM-DD");
}

function sumRates(components: RateComponent[]): string {
  const scale = 100_000;
  const total = components.reduce((s, c) => s + Math.round(Number(c.rule.rate) * scale), 0);
  return divideDecimal(String(total), String(scale), 5);
}

/**
 * The landed cost of a cart or order for one destination: per line and in total the goods,
 * shipping, tax collected at sale, duties and import taxes, with the rules they came from. Pure:
 * the caller loads the `RuleSet` in force on the date (see `loadRuleSet`).
 * @example landedCost({ date: "2026-11-25", currency: "EUR", pricesIncludeTax: true, dutyMode: "DDP", destination: { country: "FR" }, lines, shipping: 490 }, rules)
 */
export function landedCost(input: LandedCostInput, rules: RuleSet): LandedCost {
  checkInput(input);
  const dest = input.destination.country;
  const applied = new Map<string, AppliedRule>();
  const warnings = new Set<string>();
  const result = emptyResult(input);
  if (!rules.jurisdiction) {
    result.blocked = "tax.unsupported_destination";
    return result;
  }
  const ratios = input.lines.map((l) => l.amount);
  const shares =
    input.lines.length === 0
      ? []
      : ratios.some((r) => r > 0)
        ? allocate(money(input.shipping, input.currency), ratios).map((m) => m.amount)
        : allocate(
            money(input.shipping, input.currency),
            ratios.map(() => 1),
          ).map((m) => m.amount);
  const works = input.lines.map((line, i) => workFor(input, rules, line, shares[i] ?? 0, warnings));
  const ctx: EngineCtx = { input, rules, applied, warnings, result };
  for (const shipFrom of new Set(works.map((w) => w.line.shipFrom))) {
    const consignment = works.filter((w) => w.line.shipFrom === shipFrom);
    if (isDomestic(shipFrom, dest)) domesticRegime(ctx, consignment, shipFrom);
    else importConsignment(ctx, consignment);
  }
  if (result.blocked) return result;
  finish(ctx, works);
  result.rules = [...applied.values()];
  result.warnings = [...warnings].sort();
  return result;
}

function emptyResult(input: LandedCostInput): LandedCost {
  return {
    date: input.date,
    currency: input.currency,
    pricesIncludeTax: input.pricesIncludeTax,
    dutyMode: input.dutyMode,
    lines: [],
    summary: [],
    totals: { goods: 0, shipping: 0, salesTax: 0, importTax: 0, duties: 0 },
    charged: { tax: 0, duties: 0, taxAdded: 0, total: 0 },
    atDelivery: 0,
    rules: [],
    warnings: [],
    blocked: null,
  };
}

function isDomestic(shipFrom: string, dest: string): boolean {
  return shipFrom === dest || (EU_MEMBERS.has(shipFrom) && EU_MEMBERS.has(dest));
}

/** Regional taxes in the US and Canada are collected only where the store is registered. */
function regionIncluded(rules: RuleSet, region: string): boolean {
  if (rules.country !== "US" && rules.country !== "CA") return true;
  if (registration(rules, `${rules.country}-${region}`)) return true;
  const replaces = rules.taxRates.some((r) => r.region === region && r.replacesNational);
  return rules.country === "CA" && replaces && registration(rules, "CA") !== undefined;
}

function workFor(
  input: LandedCostInput,
  rules: RuleSet,
  line: LandedCostLine,
  shipping: number,
  warnings: Set<string>,
): Work {
  const { region = null, postalCode = null } = input.destination;
  const components = rateComponents(rules, line.taxCategory, region ?? null, postalCode ?? null, (r) =>
    regionIncluded(rules, r),
  );
  if (components.length === 0 && rules.country !== "US") warnings.add("tax.no_rate");
  const rate = sumRates(components.filter((c) => !c.rule.grossUp));
  const extract = input.pricesIncludeTax && input.dutyMode === "DDP";
  const net = (amount: number): Exact =>
    extract ? plus(exact(amount), negate(taxOn(exact(amount), rate, "inclusive"))) : exact(amount);
  return {
    line,
    shipping,
    components,
    rate,
    displayRate: sumRates(components),
    regime: "domestic",
    scheme: null,
    netGoods: net(line.amount),
    netShipping: net(shipping),
    customsGoods: net(line.amount),
    duty: 0,
    dutyBase: 0,
    dutyRate: null,
    dutyBasis: null,
  };
}

function negate(x: Exact): Exact {
  return { n: -x.n, d: x.d };
}

function domesticRegime(ctx: EngineCtx, works: Work[], shipFrom: string): void {
  const { rules, input, warnings } = ctx;
  const dest = rules.country;
  for (const w of works) {
    if (dest === "US") usSalesTax(ctx, w);
    else if (shipFrom !== dest) {
      w.regime = input.buyerVatCountry === dest ? "reverse_charge" : "distance_sale";
      w.scheme = w.regime === "distance_sale" ? "OSS" : null;
      if (w.regime === "distance_sale" && !registration(rules, "EU", "OSS"))
        warnings.add("tax.not_registered:OSS");
    } else {
      w.regime = "domestic";
      if (!rules.registrations.some((r) => r.jurisdiction === dest))
        warnings.add(`tax.not_registered:${dest}`);
    }
  }
}
