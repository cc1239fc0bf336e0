/**
 * Discounts: codes and automatic discounts (percentage, fixed amount per currency, free
 * shipping, buy X get Y), their combination rules, usage limits and redemptions.
 *
 * Checkout calls, in its transaction: `loadCandidates` → `applyDiscounts` → (order written) →
 * `redeem`; a cancelled order calls `releaseRedemption`.
 * @example
 * const candidates = await loadCandidates(tx, { marketId, codes: ["welcome10"], now, customerKey })
 * const result = applyDiscounts({ currency: "EUR", marketId, now, customerKey, codes: ["welcome10"], lines, shippingAmount: 495 }, candidates)
 * await redeem(tx, { orderId, customerKey, currency: "EUR", applied: result.applied })
 */

/**
 * Applies the best allowed combination of automatic discounts and entered codes to a cart (pure).
 * @example applyDiscounts({ currency: "USD", marketId, now: new Date(), codes: ["WELCOME10"], lines, shippingAmount: 0 }, candidates).totalDiscount
 */
/**
 * The key per-customer limits count by (customer id as is, an email trimmed and lower-cased).
 * @example customerKeyOf("Ann@Example.com") // "ann@example.com"
 */
export { applyDiscounts, customerKeyOf } from "./discounts.apply.ts";

/**
 * Checkout's database side: candidates in one statement, redemption with race-safe limits in one
 * statement, release for cancelled orders.
 * @example await releaseRedemption(ctx, orderId) // 0 when already released
 */
export {
  type CandidateQuery,
  loadCandidates,
  type RedeemInput,
  redeem,
  releaseRedemption,
} from "./discounts.checkout.ts";

/**
 * The demo brand's discounts.
 * @example await seedDemoDiscounts(tx)
 */
export { seedDemoDiscounts } from "./discounts.demo.ts";
export { type DiscountFilter, listDiscounts } from "./discounts.list.ts";
export { type PreviewCart, previewDiscounts } from "./discounts.preview.ts";
/**
 * Admin reads and writes.
 * @example await createDiscount(ctx, { code: "SPRING", title: "Spring", kind: "percentage", percentage: 1500 })
 */
export { createDiscount, deleteDiscount, getDiscount, updateDiscount } from "./discounts.service.ts";

/**
 * The shapes checkout exchanges with this module.
 * @example const line: DiscountLine = { lineId: "l1", productId, variantId, collectionIds: [], quantity: 2, unitPrice: 2200 }
 */
export type {
  AppliedDiscount,
  BxgySide,
  CombinesWith,
  Discount,
  DiscountClass,
  DiscountInput,
  DiscountKind,
  DiscountLine,
  DiscountResult,
  DiscountTarget,
  LineDiscount,
  RejectedCode,
  RejectionReason,
} from "./discounts.types.ts";
export type { DiscountDefinition } from "./discounts.validation.ts";
