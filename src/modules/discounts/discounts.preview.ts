import type { Ctx } from "../../kernel/context.ts";
import { getMarket } from "../markets/index.ts";
import { applyDiscounts } from "./discounts.apply.ts";
import { loadCandidates } from "./discounts.checkout.ts";
import type { DiscountResult } from "./discounts.types.ts";
import { parseDateTime } from "./discounts.validation.ts";

export interface PreviewCart {
  /** Market id or code; the cart is priced in the market's currency. */
  market: string;
  codes?: string[];
  customerKey?: string;
  /** ISO date-time to evaluate at (default: now). */
  at?: string;
  shippingAmount?: number;
  lines: Array<{
    lineId: string;
    productId: string;
    variantId?: string;
    collectionIds?: string[];
    quantity: number;
    unitPrice: number;
  }>;
}

/** What the discounts would do to a cart, as checkout would compute it: for trying discounts out. */
export async function previewDiscounts(ctx: Ctx, cart: PreviewCart): Promise<DiscountResult> {
  const market = await getMarket(ctx, cart.market);
  const now = cart.at ? parseDateTime(cart.at, "at") : new Date();
  const codes = cart.codes ?? [];
  const candidates = await loadCandidates(ctx, {
    marketId: market.id,
    codes,
    now,
    customerKey: cart.customerKey,
  });
  return applyDiscounts(
    {
      currency: market.currency,
      marketId: market.id,
      now,
      customerKey: cart.customerKey,
      codes,
      shippingAmount: cart.shippingAmount ?? 0,
      lines: cart.lines.map((l) => ({
        ...l,
        variantId: l.variantId ?? "",
        collectionIds: l.collectionIds ?? [],
      })),
    },
    candidates,
  );
}
