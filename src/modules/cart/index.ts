/**
 * Cart: carts per market and currency with price snapshots, priced the one way the storefront and
 * the checkout both use (live prices, discounts, routed shipping options, taxes, totals).
 * @example const cart = await createCart(ctx, { market: "us", items: [{ variant: "YS-RSJ-M", quantity: 1 }] })
 */
export {
  type CartIssue,
  type CartRow,
  customerKey,
  type PricedCart,
  type PricedLine,
  priceCart,
} from "./cart.pricing.ts";
export {
  addItems,
  type CartCreate,
  type CartItemInput,
  type CartPatch,
  claimCart,
  completeCartPart,
  createCart,
  customerCart,
  getCart,
  loadCart,
  lockCart,
  refreshSnapshots,
  setLineQuantity,
  updateCart,
} from "./cart.service.ts";
export { type CartView, toCartView } from "./cart.view.ts";
