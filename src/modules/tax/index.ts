/**
 * Tax: the strategy contract the checkout calls, and the basic standard-rate strategy.
 * @example const result = basicTaxStrategy.calculate({ currency: "EUR", country: "FR", pricesIncludeTax: true, lines, shipping: 490, date: new Date() })
 */
export { standardRate } from "./standard-rates.ts";
export {
  basicTaxStrategy,
  type TaxableLine,
  type TaxInput,
  type TaxResult,
  type TaxRule,
  type TaxStrategy,
  taxOf,
} from "./tax.strategy.ts";
