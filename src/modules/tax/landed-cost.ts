import { ValidationError } from "../../kernel/errors.ts";
import { allocate, convert, divideDecimal, money } from "../../kernel/money.ts";
import type {
  AppliedRule,
  LandedCost,
  LandedCostInput,
  LandedCostLine,
  LineLandedCost,
  Regime,
  TaxSummaryLine,
} from "./landed-cost.types.ts";
import {
  dutyRate,
  EU_MEMBERS,
  importRule,
  type RateComponent,
  type RuleSet,
  rateComponents,
  registration,
} from "./rule-lookup.ts";
import {
  type Exact,
  exact,
  floorOf,
  plus,
  roundAsDocument,
  roundHalfUp,
  taxOn,
  ZERO,
} from "./tax.rounding.ts";
import type { DutyRateRule, ImportRule, MoneyFigure } from "./tax.types.ts";

/** A line with its shipping share, regime and taxes while the cost is worked out. */
interface Work {
  line: LandedCostLine;
  shipping: number;
  components: RateComponent[];
  rate: string;
  regime: Regime;
  scheme: string | null;
  /** Value before tax: the price, less the tax it holds in a tax-inclusive DDP market. */
  netGoods: Exact;
  netShipping: Exact;
  duty: number;
  dutyRate: string | null;
  dutyBasis: string | null;
}

interface TaxItem {
  work: Work;
  component: RateComponent;
  part: "goods" | "shipping";
  collectedBy: "seller" | "border";
  base: Exact;
  exact: Exact;
  /** The base holds the tax (tax-inclusive price): taxable is the base less the tax. */
  inclusive: boolean;
}

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

interface EngineCtx {
  input: LandedCostInput;
  rules: RuleSet;
  applied: Map<string, AppliedRule>;
  warnings: Set<string>;
  result: LandedCost;
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
    regime: "domestic",
    scheme: null,
    netGoods: net(line.amount),
    netShipping: net(shipping),
    duty: 0,
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
    if (dest === "US") {
      const region = input.destination.region ?? "";
      const reg = registration(rules, `US-${region}`);
      w.regime = reg ? "domestic" : "not_registered";
      w.scheme = reg ? `US-${region}` : null;
    } else if (shipFrom !== dest) {
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

/** A value in the cart's currency compared with a figure in another: null when no rate is known. */
function inCurrency(ctx: EngineCtx, amount: number, currency: string): number | null {
  if (currency === ctx.input.currency) return amount;
  const rate = ctx.rules.fx[currency];
  if (!rate) {
    ctx.warnings.add(`fx.rate_missing:${currency}`);
    return null;
  }
  return convert(money(amount, ctx.input.currency), rate, currency).amount;
}

function cartAmount(ctx: EngineCtx, figure: MoneyFigure): number {
  if (figure.currency === ctx.input.currency) return figure.amount;
  const rate = ctx.rules.fx[figure.currency];
  if (!rate) {
    ctx.warnings.add(`fx.rate_missing:${figure.currency}`);
    return 0;
  }
  return convert(money(figure.amount, figure.currency), divideDecimal("1", rate, 10), ctx.input.currency)
    .amount;
}

/** Is `value` (cart currency) at or below the rule's figure? Unknown rates count as above. */
function withinFigure(ctx: EngineCtx, value: number, figure: MoneyFigure): boolean {
  const converted = inCurrency(ctx, value, figure.currency);
  return converted !== null && converted <= figure.amount;
}

function note(ctx: EngineCtx, rule: ImportRule | DutyRateRule, kind: AppliedRule["kind"], name: string) {
  ctx.applied.set(rule.id, {
    id: rule.id,
    kind,
    jurisdiction: rule.country,
    name,
    rate: "rate" in rule ? rule.rate : null,
    effectiveFrom: rule.effectiveFrom,
    effectiveTo: rule.effectiveTo,
    source: rule.source,
  });
}

function importConsignment(ctx: EngineCtx, works: Work[]): void {
  const { rules, input } = ctx;
  const factorRule = input.buyerVatCountry ? undefined : importRule(rules, "valuation_factor");
  if (factorRule) note(ctx, factorRule, "import_rule", "customs valuation");
  const factor = factorRule?.factor ?? "1";
  const value = (w: Work, rule: ImportRule | null): Exact => {
    const goods = taxOn(w.netGoods, factor, "exclusive");
    return rule?.basis === "goods" ? goods : plus(goods, w.netShipping);
  };
  const consignmentValue = (rule: ImportRule | null) =>
    floorOf(works.map((w) => value(w, rule)).reduce(plus, ZERO));
  const holds = (rule: ImportRule | undefined, w: Work): boolean => {
    if (!rule) return false;
    if (!rule.value) return true;
    const v = rule.perItem
      ? floorOf({ n: value(w, rule).n, d: value(w, rule).d * BigInt(w.line.quantity) })
      : consignmentValue(rule);
    return withinFigure(ctx, v, rule.value);
  };

  const dutiable = (w: Work): Exact =>
    rules.jurisdiction?.dutyOnShipping ? value(w, null) : taxOn(w.netGoods, factor, "exclusive");
  dutiesFor(ctx, works, dutiable, consignmentValue, holds);

  const seller = importRule(rules, "seller_collects_up_to");
  const union = rules.jurisdiction?.customsUnion;
  for (const w of works) {
    w.regime = "import";
    if (input.buyerVatCountry === rules.country) w.regime = "reverse_charge";
    else if (seller && holds(seller, w)) {
      const reg = registration(rules, union ?? rules.country, seller.scheme ?? undefined);
      if (reg) {
        note(ctx, seller, "import_rule", `${seller.scheme} seller collection`);
        w.regime = "seller_collected";
        w.scheme = seller.scheme;
      } else ctx.warnings.add(`tax.not_registered:${seller.scheme}`);
    }
  }
}

function dutiesFor(
  ctx: EngineCtx,
  works: Work[],
  lineValue: (w: Work) => Exact,
  consignmentValue: (rule: ImportRule | null) => number,
  holds: (rule: ImportRule | undefined, w: Work) => boolean,
): void {
  const { rules } = ctx;
  const exempt = importRule(rules, "duty_exempt_up_to");
  if (exempt && works.every((w) => holds(exempt, w))) {
    note(ctx, exempt, "import_rule", "duty de minimis");
    for (const w of works) w.dutyBasis = "de_minimis";
    return;
  }
  const flat = importRule(rules, "flat_duty_up_to");
  if (flat?.flat && works.every((w) => holds(flat, w))) {
    note(ctx, flat, "import_rule", "flat duty on low-value consignments");
    const perLine = cartAmount(ctx, flat.flat);
    const seen = new Set<string>();
    for (const w of works) {
      const key = w.line.hsCode?.slice(0, 6) ?? `line:${w.line.id}`;
      if (!w.line.hsCode) ctx.warnings.add("duty.hs_code_missing");
      w.duty = seen.has(key) ? 0 : perLine;
      w.dutyBasis = "flat";
      seen.add(key);
    }
    return;
  }
  const total = consignmentValue(null);
  const inBand = (r: DutyRateRule) => !r.valueUpTo || withinFigure(ctx, total, r.valueUpTo);
  let deduction = 0;
  for (const w of works) {
    const choice = dutyRate(rules, w.line.hsCode, w.line.originCountry, inBand);
    if (!choice) {
      ctx.result.blocked = w.line.hsCode ? "duty.rate_unknown" : "duty.hs_code_required";
      return;
    }
    if (!w.line.hsCode) ctx.warnings.add("duty.hs_code_missing");
    else if (choice.basis === "default") ctx.warnings.add("duty.default_rate");
    if (choice.rule.specific) ctx.warnings.add("duty.specific_not_computed");
    note(ctx, choice.rule, "duty_rate", choice.basis === "mfn" ? "duty" : `duty (${choice.basis})`);
    w.duty = roundHalfUp(taxOn(lineValue(w), choice.rule.rate, "exclusive"));
    w.dutyRate = choice.rule.rate;
    w.dutyBasis = choice.rule.valueUpTo ? "band" : choice.basis;
    if (choice.rule.deduction) deduction = Math.max(deduction, cartAmount(ctx, choice.rule.deduction));
  }
  const dutyTotal = works.reduce((s, w) => s + w.duty, 0);
  if (deduction > 0 && dutyTotal > 0) {
    const after = Math.max(0, dutyTotal - deduction);
    const shares = allocate(
      money(after, ctx.input.currency),
      works.map((w) => w.duty),
    );
    works.forEach((w, i) => {
      w.duty = shares[i]!.amount;
    });
  }
}

function finish(ctx: EngineCtx, works: Work[]): void {
  const { input, rules, result } = ctx;
  const items: TaxItem[] = [];
  for (const w of works) {
    const collectedBy = w.regime === "import" ? "border" : "seller";
    if (w.regime === "not_registered" || w.regime === "reverse_charge") continue;
    for (const component of w.components) {
      ctx.applied.set(component.rule.id, {
        id: component.rule.id,
        kind: "tax_rate",
        jurisdiction: component.jurisdiction,
        name: component.rule.name,
        rate: component.rule.rate,
        effectiveFrom: component.rule.effectiveFrom,
        effectiveTo: component.rule.effectiveTo,
        source: component.rule.source,
      });
      const mode = component.rule.grossUp ? "grossUp" : "exclusive";
      if (collectedBy === "seller") {
        const inclusive = input.pricesIncludeTax && !component.rule.grossUp;
        const how = inclusive ? "inclusive" : mode;
        const parts: ["goods" | "shipping", number][] = [["goods", w.line.amount]];
        if (component.rule.appliesToShipping && w.shipping > 0) parts.push(["shipping", w.shipping]);
        for (const [part, amount] of parts) {
          const base = exact(amount);
          items.push({
            work: w,
            component,
            part,
            collectedBy,
            base,
            exact: taxOn(base, component.rule.rate, how),
            inclusive,
          });
        }
      } else {
        const factor = importRule(rules, "valuation_factor")?.factor ?? "1";
        const base = plus(plus(taxOn(w.netGoods, factor, "exclusive"), w.netShipping), exact(w.duty));
        const tax = taxOn(base, component.rule.rate, mode);
        items.push({ work: w, component, part: "goods", collectedBy, base, exact: tax, inclusive: false });
      }
    }
  }
  const taxExempt = importRule(rules, "tax_exempt_up_to");
  const rounded = roundItems(rules, items);
  if (taxExempt?.value) applyTaxDeMinimis(ctx, taxExempt, works, items, rounded);

  for (const w of works) {
    const mine = items.map((it, i) => ({ it, tax: rounded[i]! })).filter((x) => x.it.work === w);
    const seller = mine.filter((x) => x.it.collectedBy === "seller");
    const goodsTax = seller.filter((x) => x.it.part === "goods").reduce((s, x) => s + x.tax, 0);
    const shippingTax = seller.filter((x) => x.it.part === "shipping").reduce((s, x) => s + x.tax, 0);
    const importTax = mine.filter((x) => x.it.collectedBy === "border").reduce((s, x) => s + x.tax, 0);
    const included = input.pricesIncludeTax
      ? roundHalfUp(taxOn(exact(w.line.amount + w.shipping), w.rate, "inclusive"))
      : 0;
    result.lines.push(lineResult(ctx, w, { goodsTax, shippingTax, importTax, included }));
  }
  result.summary = summarize(items, rounded, works, rules);
  totalsOf(ctx);
}

function lineResult(
  ctx: EngineCtx,
  w: Work,
  t: { goodsTax: number; shippingTax: number; importTax: number; included: number },
): LineLandedCost {
  const { input } = ctx;
  const sellerTax = t.goodsTax + t.shippingTax;
  const ddp = input.dutyMode === "DDP";
  const due = sellerTax + (ddp ? t.importTax : 0);
  let taxIncluded = 0;
  let taxAdded = due;
  if (input.pricesIncludeTax) {
    if (w.regime === "reverse_charge") {
      taxAdded = -t.included;
    } else if (w.regime === "import" && !ddp) {
      taxAdded = 0;
    } else {
      taxIncluded = Math.min(due, t.included);
      taxAdded = Math.max(0, due - t.included);
    }
  }
  return {
    id: w.line.id,
    goods: w.line.amount,
    shipping: w.shipping,
    shipFrom: w.line.shipFrom,
    regime: w.regime,
    scheme: w.scheme,
    taxRate: w.regime === "not_registered" || w.regime === "reverse_charge" ? "0" : w.rate,
    tax: t.goodsTax,
    shippingTax: t.shippingTax,
    importTax: t.importTax,
    duty: w.duty,
    dutyRate: w.dutyRate,
    dutyBasis: w.dutyBasis,
    taxIncluded,
    taxAdded,
  };
}

/** Rounds per line, or per document: once per rule, regime and collector, spread over the lines. */
function roundItems(rules: RuleSet, items: TaxItem[]): number[] {
  if (rules.jurisdiction?.rounding !== "document") return items.map((it) => roundHalfUp(it.exact));
  const out = new Array<number>(items.length).fill(0);
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => {
    const key = `${it.component.rule.id}|${it.collectedBy}|${it.work.regime}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const indexes of groups.values()) {
    const values = roundAsDocument(indexes.map((i) => items[i]!.exact));
    indexes.forEach((i, k) => {
      out[i] = values[k]!;
    });
  }
  return out;
}

/** Import tax at or below the threshold (on the value, or on the tax itself) is not collected. */
function applyTaxDeMinimis(
  ctx: EngineCtx,
  rule: ImportRule,
  works: Work[],
  items: TaxItem[],
  rounded: number[],
) {
  const border = items.map((_item, i) => i).filter((i) => items[i]!.collectedBy === "border");
  if (border.length === 0 || !rule.value) return;
  let measure: number;
  if (rule.basis === "tax_amount") measure = border.reduce((s, i) => s + rounded[i]!, 0);
  else {
    const factor = importRule(ctx.rules, "valuation_factor")?.factor ?? "1";
    const values = works
      .filter((w) => w.regime === "import")
      .map((w) => {
        const goods = taxOn(w.netGoods, factor, "exclusive");
        return rule.basis === "goods" ? goods : plus(goods, w.netShipping);
      });
    measure = floorOf(values.reduce(plus, ZERO));
  }
  if (!withinFigure(ctx, measure, rule.value)) return;
  note(ctx, rule, "import_rule", "import tax de minimis");
  for (const i of border) rounded[i] = 0;
}

function summarize(items: TaxItem[], rounded: number[], works: Work[], rules: RuleSet): TaxSummaryLine[] {
  const lines = new Map<string, TaxSummaryLine>();
  items.forEach((it, i) => {
    const key = `${it.component.rule.id}|${it.collectedBy}|${it.work.regime}|${it.work.scheme}`;
    const line = lines.get(key) ?? {
      kind: "tax" as const,
      regime: it.work.regime,
      scheme: it.work.scheme,
      jurisdiction: it.component.jurisdiction,
      name: it.component.rule.name,
      rate: it.component.rule.rate,
      taxable: 0,
      amount: 0,
      collectedBy: it.collectedBy,
    };
    line.taxable += floorOf(it.base) - (it.inclusive ? rounded[i]! : 0);
    line.amount += rounded[i]!;
    lines.set(key, line);
  });
  const duty = new Map<string, TaxSummaryLine>();
  for (const w of works) {
    if (w.duty === 0) continue;
    const key = `${w.dutyRate}|${w.dutyBasis}`;
    const line = duty.get(key) ?? {
      kind: "duty" as const,
      regime: "import" as const,
      scheme: w.dutyBasis,
      jurisdiction: rules.jurisdiction?.customsUnion ?? rules.country,
      name: "Customs duty",
      rate: w.dutyRate ?? "0",
      taxable: 0,
      amount: 0,
      collectedBy: "border" as const,
    };
    line.taxable += w.line.amount;
    line.amount += w.duty;
    duty.set(key, line);
  }
  return [...lines.values(), ...duty.values()];
}

function totalsOf(ctx: EngineCtx): void {
  const { result, input } = ctx;
  const sum = (f: (l: LineLandedCost) => number) => result.lines.reduce((s, l) => s + f(l), 0);
  const ddp = input.dutyMode === "DDP";
  result.totals = {
    goods: sum((l) => l.goods),
    shipping: input.shipping,
    salesTax: sum((l) => l.tax + l.shippingTax),
    importTax: sum((l) => l.importTax),
    duties: sum((l) => l.duty),
  };
  const taxAdded = sum((l) => l.taxAdded);
  const dutiesCharged = ddp ? result.totals.duties : 0;
  result.charged = {
    tax: result.totals.salesTax + (ddp ? result.totals.importTax : 0),
    duties: dutiesCharged,
    taxAdded,
    total: result.totals.goods + result.totals.shipping + taxAdded + dutiesCharged,
  };
  result.atDelivery = ddp ? 0 : result.totals.duties + result.totals.importTax;
}
