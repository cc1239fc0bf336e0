import type { Ctx } from "../../kernel/context.ts";
import { createDiscount } from "./discounts.service.ts";
import type { Discount } from "./discounts.types.ts";
import type { DiscountDefinition } from "./discounts.validation.ts";

/** Free shipping thresholds of the demo markets, in minor units (about US$75 each). */
const FREE_SHIPPING_OVER = {
  USD: 7500,
  EUR: 7000,
  GBP: 6000,
  JPY: 10_000,
  BRL: 40_000,
  SAR: 28_000,
  IDR: 120_000_000,
  AUD: 11_000,
};

export const DEMO_DISCOUNTS: DiscountDefinition[] = [
  {
    code: "WELCOME10",
    title: "10 % off your first order",
    kind: "percentage",
    percentage: 1000,
    perCustomerLimit: 1,
    combinesWith: { product: true, shipping: true },
  },
  {
    code: "FREESHIP",
    title: "Free shipping over about $75",
    kind: "free_shipping",
    minSubtotal: FREE_SHIPPING_OVER,
    combinesWith: { product: true, order: true },
  },
  {
    code: "TRAIL15",
    title: "15 off orders over 100",
    kind: "fixed_amount",
    amounts: { USD: 1500, EUR: 1500, GBP: 1200 },
    minSubtotal: { USD: 10_000, EUR: 10_000, GBP: 8500 },
    usageLimit: 500,
    combinesWith: { shipping: true },
  },
  {
    title: "Merino socks: buy 2 pairs, get the 3rd free",
    kind: "buy_x_get_y",
    percentage: 10_000,
    buy: { quantity: 2, target: { type: "products", productIds: ["merino-hiking-socks"] } },
    get: { quantity: 1, target: { type: "products", productIds: ["merino-hiking-socks"] } },
    combinesWith: { order: true, shipping: true },
  },
];

/**
 * The demo brand's discounts: WELCOME10, FREESHIP, TRAIL15 and an automatic socks offer. Needs
 * the demo product "merino-hiking-socks".
 */
export async function seedDemoDiscounts(ctx: Ctx): Promise<Discount[]> {
  const out: Discount[] = [];
  for (const definition of DEMO_DISCOUNTS) out.push(await createDiscount(ctx, definition));
  return out;
}
