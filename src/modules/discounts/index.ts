/**
 * Discounts: codes and automatic discounts (percentage, fixed amount per currency, free
 * shipping, buy X get Y), their combination rules, usage limits and redemptions.
 *
 * Checkout, in its transaction: `loadCandidates` → `applyDiscounts` → (order written) → `redeem`;
 * a cancelled order: `releaseRedemption`. Two SQL statements per order, one per cancellation.
 * @example
 * const candidates = await loadCandidates(tx, { marketId, codes: ["welcome10"], now, customerKey })
 * const result = applyDiscounts({ currency: "EUR", marketId, now, customerKey, codes: ["welcome10"], lines, shippingAmount: 495 }, candidates)
 * await redeem(tx, { orderId, customerKey, currency: "EUR", applied: result.applied })
 */

/**
 * Applies the best allowed combination of the automatic discounts and the entered codes to a
 * cart. Pure; amounts in minor units of `input.currency`.
 * @example applyDiscounts({ currency: "USD", marketId, now: new Date(), codes: ["WELCOME10"], lines, shippingAmount: 0 }, candidates).totalDiscount // 2530
 */
/**
 * The key per-customer limits count by: a customer id as given, an email trimmed and lower-cased.
 * @example customerKeyOf(" Ann@Example.com ") // "ann@example.com"
 */
export { applyDiscounts, customerKeyOf } from "./discounts.apply.ts";
/**
 * Loads, in one statement, the active discounts matching the codes and the live automatic ones.
 * @example const candidates = await loadCandidates(ctx, { marketId, codes: ["FREESHIP"], now: new Date(), customerKey: "cus_01J…" })
 */
/**
 * Records an order's discounts in one statement; a reached limit throws 409
 * `discount.usage_limit_reached` with `details.discountIds`, rolling the checkout back.
 * @example await redeem(tx, { orderId: "ord_01J…", customerKey: "ann@example.com", currency: "EUR", applied: result.applied })
 */
/**
 * Gives a cancelled order's uses back, in one statement; idempotent.
 * @example await releaseRedemption(ctx, "ord_01J…") // 1, then 0 on a second call
 */
export {
  type CandidateQuery,
  loadCandidates,
  type RedeemInput,
  redeem,
  releaseRedemption,
} from "./discounts.checkout.ts";

/**
 * Seeds the demo brand's discounts (WELCOME10, FREESHIP, TRAIL15, an automatic socks offer).
 * @example await seedDemoDiscounts(tx)
 */
export { seedDemoDiscounts } from "./discounts.demo.ts";
/**
 * Admin list, newest first, with a cursor.
 * @example const { items, nextCursor } = await listDiscounts(ctx, { code: "ship", active: true, limit: 20 })
 */
export { type DiscountFilter, listDiscounts } from "./discounts.list.ts";
/**
 * Applies the live discounts to a cart given with its market, as checkout would; saves nothing.
 * @example await previewDiscounts(ctx, { market: "eu", codes: ["WELCOME10"], lines: [{ lineId: "a", productId, quantity: 2, unitPrice: 2900 }] })
 */
export { type PreviewCart, previewDiscounts } from "./discounts.preview.ts";
/**
 * Admin writes and reads by id or code; a used discount cannot be deleted, only deactivated.
 * @example await createDiscount(ctx, { code: "spring", title: "Spring", kind: "percentage", percentage: 1500 })
 * @example await updateDiscount(ctx, "SPRING", { active: false })
 */
export { createDiscount, deleteDiscount, getDiscount, updateDiscount } from "./discounts.service.ts";

/**
 * The shapes checkout exchanges with this module, and a discount as stored.
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

/**
 * What an admin sends to create a discount (refs by id or handle/code).
 * @example const def: DiscountDefinition = { title: "Free shipping", kind: "free_shipping", minSubtotal: { EUR: 7000 } }
 */
export type { DiscountDefinition } from "./discounts.validation.ts";
