import { formatMoney, money } from "../../kernel/money.ts";
import type { CartIssue, PricedCart, PricedLine } from "./cart.pricing.ts";

/** The cart as the Store API returns it. */
export interface CartView {
  id: string;
  status: string;
  market: string;
  currency: string;
  locale: string;
  email: string | null;
  customerId: string | null;
  pricesIncludeTax: boolean;
  lines: PricedLine[];
  shippingAddress: unknown;
  billingAddress: unknown;
  shippingOptions: PricedCart["shippingOptions"];
  shippingMethod: PricedCart["shippingMethod"];
  discountCodes: string[];
  vatId: string | null;
  discounts: {
    applied: PricedCart["discounts"]["applied"];
    rejectedCodes: PricedCart["discounts"]["rejectedCodes"];
  };
  /** The landed cost: regimes, taxes and duties per line, rules used, DDU estimate, warnings. */
  tax: PricedCart["tax"];
  totals: PricedCart["totals"] & { formatted: Record<string, string> };
  issues: CartIssue[];
  readyToComplete: boolean;
  orderId: string | null;
}

/** Shapes a priced cart for the Store API, with totals formatted for the cart's locale. */
export function toCartView(p: PricedCart): CartView {
  const { cart, totals } = p;
  const formatted = Object.fromEntries(
    Object.entries(totals).map(([k, v]) => [k, formatMoney(money(v, cart.currency), cart.locale)]),
  );
  return {
    id: cart.id,
    status: cart.status,
    market: p.pricing.market.code,
    currency: cart.currency,
    locale: cart.locale,
    email: cart.email,
    customerId: cart.customerId,
    pricesIncludeTax: p.pricing.market.taxInclusive,
    lines: p.lines,
    shippingAddress: cart.shippingAddress,
    billingAddress: cart.billingAddress,
    shippingOptions: p.shippingOptions,
    shippingMethod: p.shippingMethod,
    discountCodes: cart.discountCodes,
    vatId: cart.buyerVatId,
    discounts: { applied: p.discounts.applied, rejectedCodes: p.discounts.rejectedCodes },
    tax: p.tax,
    totals: { ...totals, formatted },
    issues: p.issues,
    readyToComplete: p.issues.length === 0,
    orderId: cart.orderId,
  };
}
