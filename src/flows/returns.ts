import { type Ctx, transaction } from "../kernel/context.ts";
import { ConflictError, ValidationError } from "../kernel/errors.ts";
import { emit } from "../kernel/events.ts";
import { getCustomer } from "../modules/customers/index.ts";
import { listWarehouses, restock } from "../modules/inventory/index.ts";
import {
  assertOrderVisible,
  getOrder,
  recordOrderRefund,
  recordReturnedUnits,
} from "../modules/orders/index.ts";
import type { PaymentProviders } from "../modules/payments/index.ts";
import {
  addStoreCredit,
  createReturn,
  getReturn,
  markReturnRefunded,
  type ReturnReason,
  receiveReturn,
} from "../modules/returns/index.ts";
import { loadRoutingInput } from "../modules/shipping/index.ts";
import { recordTaxCorrection } from "../modules/tax/index.ts";
import { refundOrder } from "./refunds.ts";

export interface ReturnInput {
  items: { lineId: string; quantity: number; reason: ReturnReason; note?: string }[];
  refundMethod?: "original" | "store_credit";
  note?: string;
}

/** The returns warehouse closest to the buyer: cheapest lane to their country, then fastest. */
async function nearestReturnsWarehouse(ctx: Ctx, country: string): Promise<string> {
  const accepting = new Set((await listWarehouses(ctx)).filter((w) => w.acceptsReturns).map((w) => w.id));
  const { lanes } = await loadRoutingInput(ctx, { country, variantIds: [] });
  const ranked = lanes
    .filter((l) => accepting.has(l.warehouseId))
    .sort(
      (a, b) =>
        (a.cost ?? Number.MAX_SAFE_INTEGER) - (b.cost ?? Number.MAX_SAFE_INTEGER) || a.maxDays - b.maxDays,
    );
  const nearest = ranked[0]?.warehouseId ?? [...accepting][0];
  if (!nearest) throw new ConflictError("returns.no_warehouse", "No warehouse accepts returns");
  return nearest;
}

/**
 * A customer asks to return shipped units of an order (Store API). Checks ownership, the
 * market's window from delivery, and the quantities; routes the return to the nearest returns
 * warehouse; the market's policy may approve it at once.
 */
export async function requestReturn(ctx: Ctx, orderId: string, input: ReturnInput) {
  return transaction(ctx, async (tx) => {
    const order = await getOrder(tx, orderId);
    assertOrderVisible(ctx, order);
    const method = input.refundMethod ?? "original";
    // A guest's order has the guest record for its email, which holds no credit until claimed.
    if (method === "store_credit" && (!order.customerId || (await getCustomer(tx, order.customerId)).isGuest))
      throw new ValidationError(
        "returns.store_credit_needs_account",
        "Store credit needs a customer account",
      );
    const times = order.fulfillments.map((f) => (f.deliveredAt ?? f.shippedAt).getTime());
    if (times.length === 0)
      throw new ConflictError("returns.not_shipped", "Nothing of this order has shipped yet");
    const created = await createReturn(tx, {
      orderId,
      customerId: order.customerId,
      marketId: order.marketId,
      currency: order.currency,
      receivedAt: new Date(Math.max(...times)),
      lines: order.lines,
      items: input.items,
      refundMethod: method,
      warehouseId: await nearestReturnsWarehouse(tx, order.shippingAddress.country),
      note: input.note,
    });
    return getReturn(tx, created.id);
  });
}

/** Goods arrived at the returns warehouse and were inspected: restock what is sellable. */
export async function receiveReturnFlow(
  ctx: Ctx,
  returnId: string,
  items: { lineId: string; restock: number; writeOff: number }[],
) {
  return transaction(ctx, async (tx) => {
    const { row, lines } = await receiveReturn(tx, returnId, items);
    await restock(
      tx,
      `return:${returnId}`,
      lines
        .filter((l) => l.restockedQuantity > 0)
        .map((l) => ({
          variantId: l.variantId,
          warehouseId: row.warehouseId,
          quantity: l.restockedQuantity,
        })),
    );
    await recordReturnedUnits(
      tx,
      row.orderId,
      lines.map((l) => ({ lineId: l.orderLineId, quantity: l.quantity })),
    );
    return getReturn(tx, returnId);
  });
}

/**
 * Refunds a received return, by default its full value, to the original payment method or as
 * store credit. Exactly once: the refund is keyed by the return.
 */
export async function refundReturn(
  ctx: Ctx,
  providers: PaymentProviders,
  returnId: string,
  input: { amount?: number } = {},
) {
  const ret = await getReturn(ctx, returnId);
  if (ret.status !== "received")
    throw new ConflictError("returns.invalid_transition", `A ${ret.status} return cannot be refunded`);
  const amount = input.amount ?? ret.amount;
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > ret.amount)
    throw new ValidationError("returns.invalid_refund_amount", `Refund between 1 and ${ret.amount}`);
  const key = `return:${returnId}`;
  if (ret.refundMethod === "original") {
    const refund = await refundOrder(ctx, providers, ret.orderId, { amount, key, reason: "return" });
    await transaction(ctx, (tx) => markReturnRefunded(tx, returnId, { amount, reference: refund.id }));
  } else {
    await transaction(ctx, async (tx) => {
      const credit = await addStoreCredit(tx, {
        customerId: ret.customerId!,
        amount,
        currency: ret.currency,
        reason: "return",
        reference: key,
      });
      const order = await recordOrderRefund(tx, ret.orderId, { refundId: credit.id, amount });
      await recordTaxCorrection(tx, { orderId: order.id, refundId: credit.id, ...order });
      await emit(
        tx,
        "refund.issued",
        { refundId: credit.id, orderId: ret.orderId, amount, currency: ret.currency, method: "store_credit" },
        { key: credit.id },
      );
      await markReturnRefunded(tx, returnId, { amount, reference: credit.id });
    });
  }
  return getReturn(ctx, returnId);
}
