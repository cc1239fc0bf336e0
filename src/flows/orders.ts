import { type Ctx, transaction } from "../kernel/context.ts";
import { releaseRedemption } from "../modules/discounts/index.ts";
import {
  commitReservations,
  ordersWithExpiredReservations,
  releaseReservations,
  restock,
} from "../modules/inventory/index.ts";
import { cancelOrder, lockOrder, markPaid, markVoided, type OrderRow } from "../modules/orders/index.ts";
import {
  applyProviderPayment,
  type PaymentProviders,
  paymentsOfOrder,
  settledPaymentOf,
} from "../modules/payments/index.ts";
import { applyPaymentUpdate } from "./payments.ts";
import { refundPayment } from "./refunds.ts";

/**
 * Cancels an order that never got paid, in the caller's transaction: the order, its held stock
 * and its discount uses are given back. The caller cancels any open payment at the provider.
 */
export async function cancelUnpaidOrder(ctx: Ctx, orderId: string, reason: string): Promise<OrderRow> {
  const order = await cancelOrder(ctx, orderId, reason);
  await releaseReservations(ctx, orderId);
  await releaseRedemption(ctx, orderId);
  return order;
}

/**
 * Cancels an order's payments that are still open at their provider, so a late payment is
 * refused. One that settled meanwhile is applied instead, which refunds it (the order is
 * cancelled); an authorization is voided and the order's payment state goes back to unpaid.
 */
async function cancelOpenPayments(ctx: Ctx, providers: PaymentProviders, orderId: string): Promise<void> {
  for (const p of await paymentsOfOrder(ctx, orderId)) {
    if (!p.providerRef || !["pending", "requires_action", "authorized"].includes(p.status)) continue;
    const provider = providers.get(p.provider);
    const now = await provider.retrieve(p.providerRef);
    if (now.status === "captured" || (now.status === "authorized" && p.status !== "authorized")) {
      await applyPaymentUpdate(ctx, providers, p.id, now);
      continue;
    }
    const answer = await provider.cancel(p.providerRef, `cancel:${p.id}`);
    await transaction(ctx, async (tx) => {
      const change = await applyProviderPayment(tx, p.id, answer);
      if (change.changed && change.previous === "authorized") await markVoided(tx, orderId, p.id);
    });
  }
}

/**
 * Cancels an order before anything shipped (admin or customer). Unpaid: stock held is released.
 * Paid: the sold units go back on hand and the payment is refunded (or voided if only authorized).
 */
export async function cancelOrderFlow(
  ctx: Ctx,
  providers: PaymentProviders,
  orderId: string,
  reason: string,
) {
  const { order, committed } = await transaction(ctx, async (tx) => {
    const before = await lockOrder(tx, orderId);
    const wasPaid = before.paymentStatus !== "unpaid";
    const cancelled = await cancelUnpaidOrder(tx, orderId, reason);
    if (wasPaid) {
      const units = cancelled.snapshot.shipments.flatMap((s) =>
        s.items.map((i) => ({ ...i, warehouseId: s.warehouseId })),
      );
      await restock(tx, `cancel:${orderId}`, units, "order_cancelled");
    }
    return { order: cancelled, committed: wasPaid };
  });
  await cancelOpenPayments(ctx, providers, orderId);
  if (committed) {
    const settled = await settledPaymentOf(ctx, orderId);
    if (settled && settled.capturedAmount > settled.refundedAmount)
      await refundPayment(ctx, providers, settled.id, {
        amount: settled.capturedAmount - settled.refundedAmount,
        key: `cancel:${orderId}`,
        reason,
      });
  }
  return order;
}

/**
 * Cancels orders whose stock hold ran out before their payment settled (an unpaid voucher, an
 * abandoned 3-D Secure challenge) and releases the stock; an order whose money did arrive is
 * settled instead. Runs on a schedule.
 */
export async function expireReservations(ctx: Ctx, providers: PaymentProviders): Promise<number> {
  const orderIds = await ordersWithExpiredReservations(ctx);
  const failures: unknown[] = [];
  for (const orderId of orderIds) {
    try {
      const expired = await transaction(ctx, async (tx) => {
        const order = await lockOrder(tx, orderId);
        // Holds left behind by a crash between the steps of a payment update are repaired here.
        if (order.cancelled) {
          await releaseReservations(tx, orderId);
          return false;
        }
        if (order.paymentStatus !== "unpaid") {
          await commitReservations(tx, orderId);
          return false;
        }
        const settled = await settledPaymentOf(tx, orderId);
        if (settled) {
          await markPaid(tx, orderId, { paymentId: settled.id, captured: settled.status !== "authorized" });
          await commitReservations(tx, orderId);
          return false;
        }
        await cancelUnpaidOrder(tx, orderId, "payment_expired");
        return true;
      });
      if (expired) await cancelOpenPayments(ctx, providers, orderId);
    } catch (err) {
      // One provider hiccup must not keep the other holds: retried on the next run.
      failures.push(err);
    }
  }
  if (failures.length)
    throw new AggregateError(failures, `${failures.length} expired order(s) could not be settled`);
  return orderIds.length;
}
