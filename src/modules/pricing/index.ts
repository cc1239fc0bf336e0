/**
 * Pricing: price lists per market and customer group, rounding rules per currency, and the one
 * price-resolution function.
 * @example const prices = await resolvePrices(ctx, await loadPricingContext(ctx, "jp"), [variantId])
 */
export { createPriceList, deleteRoundingRule, setPrices, setRoundingRule } from "./price-lists.service.ts";
export {
  ANONYMOUS,
  describePrice,
  loadPricingContext,
  minPricePerProduct,
  type PricingContext,
  type PricingCustomer,
  priceColumns,
  priceListJoin,
  type ResolvedPrice,
  type RoundingRule,
  resolvePrices,
} from "./pricing.service.ts";
