import type { LineLandedCost, TaxSummaryLine } from "./landed-cost.types.ts";
import { type EngineCtx, note, type TaxItem, type Work, withinFigure } from "./landed-cost.work.ts";
import { importRule, type RuleSet } from "./rule-lookup.ts";
import { ceilOf, exact, floorOf, plus, roundAsDocument, roundHalfUp, taxOn, ZERO } from "./tax.rounding.ts";
import type { ImportRule } from "./tax.types.ts";

export function finish(ctx: EngineCtx, works: Work[]): void {
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
        const base = plus(plus(w.customsGoods, w.netShipping), exact(w.duty));
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
    const inPrice = seller.filter((x) => x.it.inclusive).reduce((s, x) => s + x.tax, 0);
    // What the shown prices hold at the line's rate, when no seller tax was taken out of them.
    const extract = (amount: number) => roundHalfUp(taxOn(exact(amount), w.rate, "inclusive"));
    const held = input.pricesIncludeTax ? extract(w.line.amount) + extract(w.shipping) : 0;
    result.lines.push(lineResult(ctx, w, { goodsTax, shippingTax, importTax, inPrice, held }));
  }
  result.summary = summarize(items, rounded, works, rules);
  totalsOf(ctx);
}

function lineResult(
  ctx: EngineCtx,
  w: Work,
  t: { goodsTax: number; shippingTax: number; importTax: number; inPrice: number; held: number },
): LineLandedCost {
  const { input } = ctx;
  const sellerTax = t.goodsTax + t.shippingTax;
  const ddp = input.dutyMode === "DDP";
  // Seller tax taken out of a tax-inclusive price is in it; any other tax due is added, except
  // that a price also holds import tax up to what it would hold as VAT.
  let taxIncluded = t.inPrice;
  let taxAdded = sellerTax - t.inPrice;
  if (w.regime === "import" && ddp) {
    taxIncluded = Math.min(t.importTax, t.held);
    taxAdded = t.importTax - taxIncluded;
  } else if (w.regime === "reverse_charge" && input.pricesIncludeTax) taxAdded = -t.held;
  else if (w.regime === "import" || w.regime === "not_registered") taxAdded = 0;
  return {
    id: w.line.id,
    goods: w.line.amount,
    shipping: w.shipping,
    shipFrom: w.line.shipFrom,
    regime: w.regime,
    scheme: w.scheme,
    taxRate: w.regime === "not_registered" || w.regime === "reverse_charge" ? "0" : w.displayRate,
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
    const values = works
      .filter((w) => w.regime === "import")
      .map((w) => (rule.basis === "goods" ? w.customsGoods : plus(w.customsGoods, w.netShipping)));
    measure = ceilOf(values.reduce(plus, ZERO));
  }
  if (!withinFigure(ctx, measure, rule.value)) return;
  note(ctx, rule, "import_rule", "import tax de minimis");
  for (const i of border) rounded[i] = 0;
}

function summarize(items: TaxItem[], rounded: number[], works: Work[], rules: RuleSet): TaxSummaryLine[] {
  const lines = new Map<string, TaxSummaryLine>();
  items.forEach((it, i) => {
    const key = `${it.component.rule.id}|${it.collectedBy}|${it.work.regime}|${it.work.scheme}|${it.work.line.shipFrom}`;
    const line = lines.get(key) ?? {
      kind: "tax" as const,
      ruleId: it.component.rule.id,
      regime: it.work.regime,
      scheme: it.work.scheme,
      jurisdiction: it.component.jurisdiction,
      shipFrom: it.work.line.shipFrom,
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
  const other = new Map<string, TaxSummaryLine>();
  const add = (key: string, fresh: TaxSummaryLine, taxable: number, amount: number) => {
    const line = other.get(key) ?? fresh;
    line.taxable += taxable;
    line.amount += amount;
    other.set(key, line);
  };
  for (const w of works) {
    const shipFrom = w.line.shipFrom;
    // Sales to businesses under the reverse charge are declared too (e.g. the EC Sales List).
    if (w.regime === "reverse_charge") {
      const name = `${w.components[0]?.rule.name ?? "VAT"} (reverse charge)`;
      const fresh = {
        ...zeroLine(rules.country, shipFrom, name),
        regime: w.regime,
        collectedBy: "buyer" as const,
      };
      add(`rc|${shipFrom}`, fresh, floorOf(plus(w.netGoods, w.netShipping)), 0);
    }
    if (w.duty === 0) continue;
    const union = rules.jurisdiction?.customsUnion ?? rules.country;
    const name = w.dutyBasis === "flat" ? "Customs duty (flat per subheading)" : "Customs duty";
    const fresh = {
      ...zeroLine(union, shipFrom, name),
      kind: "duty" as const,
      regime: "import" as const,
      scheme: w.dutyBasis,
      rate: w.dutyRate ?? "0",
      collectedBy: "border" as const,
    };
    add(`duty|${w.dutyRate}|${w.dutyBasis}|${shipFrom}`, fresh, w.dutyBase, w.duty);
  }
  return [...lines.values(), ...other.values()];
}

function zeroLine(jurisdiction: string, shipFrom: string, name: string): TaxSummaryLine {
  return {
    kind: "tax",
    ruleId: null,
    regime: "domestic",
    scheme: null,
    jurisdiction,
    shipFrom,
    name,
    rate: "0",
    taxable: 0,
    amount: 0,
    collectedBy: "seller",
  };
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
