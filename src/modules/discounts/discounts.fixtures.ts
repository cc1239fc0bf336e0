import type { Discount, DiscountInput, DiscountLine } from "./discounts.types.ts";

// Test helpers shared by the discount tests (not exported from index.ts).

export const NOW = new Date("2026-06-01T12:00:00Z");

let seq = 0;

/** A live discount with no restrictions; override what a test needs. */
export function discount(overrides: Partial<Discount> = {}): Discount {
  seq += 1;
  return {
    id: `disc_${String(seq).padStart(4, "0")}`,
    code: null,
    title: `Discount ${seq}`,
    kind: "percentage",
    class: "order",
    percentage: 1000,
    amounts: null,
    appliesTo: { type: "all" },
    buy: null,
    get: null,
    maxUsesPerOrder: null,
    minSubtotal: null,
    marketIds: [],
    startsAt: null,
    endsAt: null,
    usageLimit: null,
    perCustomerLimit: null,
    combinesWith: { product: false, order: false, shipping: false },
    active: true,
    timesUsed: 0,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

export function line(
  lineId: string,
  productId: string,
  unitPrice: number,
  quantity = 1,
  collectionIds: string[] = [],
): DiscountLine {
  return { lineId, productId, variantId: `${productId}_v`, collectionIds, quantity, unitPrice };
}

/** Jacket $129 ×1, socks $22 ×3, tee $29 ×2: subtotal $253.00; shipping $9.95. */
export const CART: DiscountInput = {
  currency: "USD",
  marketId: "mkt_us",
  now: NOW,
  codes: [],
  shippingAmount: 995,
  lines: [
    line("L1", "p_jacket", 12_900, 1, ["c_outer"]),
    line("L2", "p_socks", 2200, 3, ["c_foot"]),
    line("L3", "p_tee", 2900, 2, ["c_tops"]),
  ],
};

export const cart = (overrides: Partial<DiscountInput> = {}): DiscountInput => ({ ...CART, ...overrides });
