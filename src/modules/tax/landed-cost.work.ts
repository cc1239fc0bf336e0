import { convert, divideDecimal, money } from "../../kernel/money.ts";
import type {
  AppliedRule,
  LandedCost,
  LandedCostInput,
  LandedCostLine,
  Regime,
} from "./landed-cost.types.ts";
import { type RateComponent, type RuleSet, registration } from "./rule-lookup.ts";
import type { Exact } from "./tax.rounding.ts";
import type { DutyRateRule, ImportRule, MoneyFigure } from "./tax.types.ts";

/** A line with its shipping share, regime and taxes while the cost is worked out. */
export interface Work {
  line: LandedCostLine;
  shipping: number;
  components: RateComponent[];
  /** The combined rate of the taxes a price holds (gross-up taxes such as ICMS excluded). */
  rate: string;
  /** The combined rate of every tax on the line, as shown. */
  displayRate: string;
  regime: Regime;
  scheme: string | null;
  /** Value before tax: the price, less the tax it holds in a tax-inclusive DDP market. */
  netGoods: Exact;
  netShipping: Exact;
  /** The goods' customs value: the net value, times a valuation factor for personal imports (Japan). */
  customsGoods: Exact;
  duty: number;
  /** The customs value the duty was charged on (minor units). */
  dutyBase: number;
  dutyRate: string | null;
  dutyBasis: string | null;
}

export interface TaxItem {
  work: Work;
  component: RateComponent;
  part: "goods" | "shipping";
  collectedBy: "seller" | "border";
  base: Exact;
  exact: Exact;
  /** The base holds the tax (tax-inclusive price): taxable is the base less the tax. */
  inclusive: boolean;
}

export interface EngineCtx {
  input: LandedCostInput;
  rules: RuleSet;
  applied: Map<string, AppliedRule>;
  warnings: Set<string>;
  result: LandedCost;
}

/** US sales tax is the seller's to collect in the states where the store is registered. */
export function usSalesTax(ctx: EngineCtx, w: Work): void {
  const region = ctx.input.destination.region ?? "";
  const registered = registration(ctx.rules, `US-${region}`) !== undefined;
  w.regime = registered ? (w.line.shipFrom === "US" ? "domestic" : "seller_collected") : "not_registered";
  w.scheme = registered ? `US-${region}` : null;
}

/** A value in the cart's currency compared with a figure in another: null when no rate is known. */
export function inCurrency(ctx: EngineCtx, amount: number, currency: string): number | null {
  if (currency === ctx.input.currency) return amount;
  const rate = ctx.rules.fx[currency];
  if (!rate) {
    ctx.warnings.add(`fx.rate_missing:${currency}`);
    return null;
  }
  return convert(money(amount, ctx.input.currency), rate, currency).amount;
}

export function cartAmount(ctx: EngineCtx, figure: MoneyFigure): number {
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
export function withinFigure(ctx: EngineCtx, value: number, figure: MoneyFigure): boolean {
  const converted = inCurrency(ctx, value, figure.currency);
  return converted !== null && converted <= figure.amount;
}

export function note(
  ctx: EngineCtx,
  rule: ImportRule | DutyRateRule,
  kind: AppliedRule["kind"],
  name: string,
) {
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
