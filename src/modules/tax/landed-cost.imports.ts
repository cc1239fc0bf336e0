import { allocate, money } from "../../kernel/money.ts";
import { cartAmount, type EngineCtx, note, usSalesTax, type Work, withinFigure } from "./landed-cost.work.ts";
import { dutyRate, importRule, registration } from "./rule-lookup.ts";
import { ceilOf, type Exact, floorOf, plus, roundHalfUp, taxOn, ZERO } from "./tax.rounding.ts";
import type { DutyRateRule, ImportRule } from "./tax.types.ts";

export function importConsignment(ctx: EngineCtx, works: Work[]): void {
  const { rules, input } = ctx;
  const factorRule = input.buyerVatCountry ? undefined : importRule(rules, "valuation_factor");
  if (factorRule) note(ctx, factorRule, "import_rule", "customs valuation");
  const factor = factorRule?.factor ?? "1";
  for (const w of works) w.customsGoods = taxOn(w.netGoods, factor, "exclusive");
  const value = (w: Work, rule: ImportRule | null): Exact =>
    rule?.basis === "goods" ? w.customsGoods : plus(w.customsGoods, w.netShipping);
  const consignmentValue = (rule: ImportRule | null) =>
    ceilOf(works.map((w) => value(w, rule)).reduce(plus, ZERO));
  const holds = (rule: ImportRule | undefined, w: Work): boolean => {
    if (!rule) return false;
    if (!rule.value) return true;
    const v = rule.perItem
      ? ceilOf({ n: value(w, rule).n, d: value(w, rule).d * BigInt(w.line.quantity) })
      : consignmentValue(rule);
    return withinFigure(ctx, v, rule.value);
  };

  const dutiable = (w: Work): Exact => (rules.jurisdiction?.dutyOnShipping ? value(w, null) : w.customsGoods);
  dutiesFor(ctx, works, dutiable, consignmentValue, holds);

  const seller = importRule(rules, "seller_collects_up_to");
  const union = rules.jurisdiction?.customsUnion;
  for (const w of works) {
    w.regime = "import";
    const business = input.buyerVatCountry === rules.country;
    // The US has no import VAT: its sales tax is the seller's, imported or not.
    if (rules.country === "US") usSalesTax(ctx, w);
    else if (business) {
      // Seller-collection schemes are for consumers. A UK business accounts for the VAT on a
      // consignment up to £135 itself (HMRC); elsewhere the importer pays import VAT and deducts it.
      if (seller?.scheme === "UK_VAT" && holds(seller, w)) w.regime = "reverse_charge";
    } else if (seller && holds(seller, w)) {
      const reg = registration(rules, union ?? rules.country, seller.scheme ?? undefined);
      if (reg) {
        note(ctx, seller, "import_rule", `${seller.scheme} seller collection`);
        w.regime = "seller_collected";
        w.scheme = seller.scheme;
      } else ctx.warnings.add(`tax.not_registered:${seller.scheme}`);
    }
  }
}

export function dutiesFor(
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
      w.dutyBase = floorOf(lineValue(w));
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
    w.dutyBase = floorOf(lineValue(w));
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
