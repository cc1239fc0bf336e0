import { parseDecimal } from "../../kernel/money.ts";
import { standardRate } from "./standard-rates.ts";

/** One taxable amount: a cart or order line after discounts, in minor units. */
export interface TaxableLine {
  id: string;
  amount: number;
  /** Product tax category (e.g. "standard", "food", "books"); the basic strategy taxes all at standard. */
  taxCategory?: string;
}

export interface TaxInput {
  currency: string;
  country: string;
  province?: string;
  /** True when amounts include tax (the market's prices are tax-inclusive): tax is extracted. */
  pricesIncludeTax: boolean;
  lines: readonly TaxableLine[];
  shipping: number;
  date: Date;
}

/** The rule a tax amount came from, stored with the order. */
export interface TaxRule {
  jurisdiction: string;
  name: string;
  rate: string;
  source: string;
}

export interface TaxResult {
  lines: { id: string; rate: string; tax: number }[];
  shippingTax: number;
  totalTax: number;
  pricesIncludeTax: boolean;
  rules: TaxRule[];
  /** Stable codes for anything the strategy could not decide (shown on the order). */
  warnings: string[];
}

/**
 * Computes the taxes of a cart or order. The checkout depends only on this contract; the basic
 * strategy below is the default and a fuller one replaces it without touching the checkout.
 */
export interface TaxStrategy {
  id: string;
  calculate(input: TaxInput): TaxResult;
}

/** Tax of `amount` at `rate`, rounded half-up per line: added on top, or contained in it. */
export function taxOf(amount: number, rate: string, inclusive: boolean): number {
  const r = parseDecimal(rate);
  const scale = 10n ** BigInt(r.scale);
  const num = BigInt(amount) * r.units;
  const den = inclusive ? scale + r.units : scale;
  const q = num / den;
  return Number(2n * (num % den) >= den ? q + 1n : q);
}

/**
 * Standard VAT/GST of the destination country on goods and shipping, rounded per line. US sales
 * tax is not collected (no state registrations exist yet) and countries without a rate are
 * reported in `warnings` rather than silently treated as tax-free.
 * @example basicTaxStrategy.calculate({ currency: "EUR", country: "DE", pricesIncludeTax: true, lines: [{ id: "l1", amount: 11900 }], shipping: 0, date: new Date() }).totalTax // 1900
 */
export const basicTaxStrategy: TaxStrategy = {
  id: "basic",
  calculate(input) {
    const rule = standardRate(input.country);
    const warnings: string[] = [];
    if (!rule) warnings.push(input.country === "US" ? "tax.us_sales_tax_not_collected" : "tax.no_rule");
    const rate = rule?.rate ?? "0";
    const lines = input.lines.map((l) => ({
      id: l.id,
      rate,
      tax: taxOf(l.amount, rate, input.pricesIncludeTax),
    }));
    const shippingTax = taxOf(input.shipping, rate, input.pricesIncludeTax);
    return {
      lines,
      shippingTax,
      totalTax: lines.reduce((s, l) => s + l.tax, shippingTax),
      pricesIncludeTax: input.pricesIncludeTax,
      rules: rule ? [{ jurisdiction: input.country, ...rule }] : [],
      warnings,
    };
  },
};
