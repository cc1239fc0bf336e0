import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../db/client.ts";
import { type Ctx, transaction } from "../kernel/context.ts";
import { ConflictError } from "../kernel/errors.ts";
import { commitReservationsPart, extendReservations } from "../modules/inventory/index.ts";
import { getOrderRow, lockOrder, markPaidPart, type OrderStatus } from "../modules/orders/index.ts";
import {
  applyProviderPayment,
  applyProviderPaymentPart,
  type CreatePaymentRequest,
  claimWebhookEvent,
  findByProviderRef,
  getPayment,
  type PaymentChange,
  type PaymentChangeRow,
  type PaymentProviders,
  type PaymentRow,
  type ProviderPayment,
  paymentChangeFrom,
  stalePendingPayments,
} from "../modules/payments/index.ts";
import { cancelUnpaidOrder } from "./orders.ts";
import { refundPayment } from "./refunds.ts";

export interface PaymentOutcome {
  /** Null for an order with nothing to pay. */
  payment: PaymentRow | null;
  orderStatus: OrderStatus;
}

/** Extra time a reservation is held past the payment's own expiry, for late webhooks. */
const RESERVATION_GRACE_MS = 10 * 60_000;

/**
 * Sends a recorded payment attempt to its provider (outside any transaction) and applies the
 * answer. The provider deduplicates by our payment id, so sending the same attempt twice after
 * a crash or a retry charges once.
 */
export async function submitPayment(
  ctx: Ctx,
  providers: PaymentProviders,
  payment: PaymentRow,
  req: Pick<CreatePaymentRequest, "data" | "returnUrl" | "customer">,
): Promise<PaymentOutcome> {
  // If the provider cannot be reached the error goes to the caller and the attempt stays
  // pending; a retry or the reconciliation task settles it.
  const answer = await providers.get(payment.provider).create({
    paymentId: payment.id,
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
    captureMode: payment.captureMode,
    ...req,
  });
  return applyPaymentUpdate(ctx, providers, payment.id, answer);
}

/**
 * Applies a provider's report about a payment to the payment, the order and its stock. Each step
 * is one statement that is safe to repeat: when the report settles the payment (captured or
 * authorized), the payment is updated, the order marked paid and its stock committed in one
 * statement; when it waits, the stock hold is extended to the payment's expiry; when it expired
 * or was canceled, the order is cancelled and its stock released. A crash between steps is
 * repaired by the expiry task, which settles rather than cancels an order whose money arrived.
 * Money that arrives for a cancelled order goes back.
 */
export async function applyPaymentUpdate(
  ctx: Ctx,
  providers: PaymentProviders,
  paymentId: string,
  report: ProviderPayment,
): Promise<PaymentOutcome> {
  const { change, orderStatus } = await applyReport(ctx, paymentId, report);
  const p = change.payment;
  if (p.status === "captured" || p.status === "authorized") {
    // A report that did not move the payment (it had moved further) still settles its order.
    const status = orderStatus ?? (p.status === report.status ? null : await settleOrder(ctx, p));
    if (status) return { payment: p, orderStatus: status };
    const order = await getOrderRow(ctx, p.orderId);
    if (order.cancelled && change.changed) await undoLatePayment(ctx, providers, p);
    return { payment: p, orderStatus: order.status };
  }
  if ((p.status === "pending" || p.status === "requires_action") && p.expiresAt)
    await extendReservations(ctx, p.orderId, new Date(p.expiresAt.getTime() + RESERVATION_GRACE_MS));
  if (change.changed && (p.status === "expired" || p.status === "canceled")) {
    const cancelled = await transaction(ctx, async (tx) => {
      const order = await lockOrder(tx, p.orderId);
      return order.cancelled || order.paymentStatus !== "unpaid"
        ? order
        : cancelUnpaidOrder(tx, p.orderId, `payment_${p.status}`);
    });
    return { payment: p, orderStatus: cancelled.status };
  }
  return { payment: p, orderStatus: (await getOrderRow(ctx, p.orderId)).status };
}

/**
 * Applies the report to the payment; a report that settles it also marks the order paid, if
 * that is due, and only then commits its stock, in the same statement. `orderStatus` is the
 * order's new status when it was marked paid.
 */
async function applyReport(
  ctx: Ctx,
  paymentId: string,
  report: ProviderPayment,
): Promise<{ change: PaymentChange; orderStatus: OrderStatus | null }> {
  if (report.status !== "captured" && report.status !== "authorized")
    return { change: await applyProviderPayment(ctx, paymentId, report), orderStatus: null };
  // Locks the payment, then the order, then stock levels: the order every flow takes them in.
  const pay = applyProviderPaymentPart(paymentId, report);
  const settle = settlementPart(
    ctx,
    pay.orderId,
    { paymentId, captured: report.status === "captured" },
    sql`${pay.status} = ${report.status}`,
  );
  const [row] = await queryRows<PaymentChangeRow & { status: OrderStatus | null }>(
    ctx.db,
    sql`with ${pay.ctes}, ${settle.ctes} select ${pay.columns}, ${settle.columns}`,
    { prepared: true },
  );
  return { change: paymentChangeFrom(paymentId, report, row), orderStatus: row?.status ?? null };
}

/** Marks a settled payment's order paid and commits its stock, if that is still due. */
async function settleOrder(ctx: Ctx, p: PaymentRow): Promise<OrderStatus | null> {
  const settle = settlementPart(ctx, p.orderId, { paymentId: p.id, captured: p.status === "captured" });
  const [row] = await queryRows<{ status: OrderStatus | null }>(
    ctx.db,
    sql`with ${settle.ctes} select ${settle.columns}`,
    { prepared: true },
  );
  return row?.status ?? null;
}

/**
 * The CTEs that mark an order paid, if that is due and `when` holds, and only then commit its
 * stock; `columns` select the order's new `status` (null when nothing was due) and `committed`.
 */
function settlementPart(
  ctx: Ctx,
  orderId: string | SQL,
  how: { paymentId: string; captured: boolean },
  when?: SQL,
): { ctes: SQL; columns: SQL } {
  const paid = markPaidPart(ctx, orderId, how, when);
  const sold = commitReservationsPart(ctx, orderId, sql`exists (select 1 from paid)`);
  return {
    ctes: sql`${paid.ctes}, ${sold.ctes}`,
    columns: sql`${paid.status} as status, ${sold.committed} as committed`,
  };
}

/** Money that arrived after its order was cancelled goes back: voided if authorized, else refunded. */
async function undoLatePayment(ctx: Ctx, providers: PaymentProviders, payment: PaymentRow): Promise<void> {
  const provider = providers.get(payment.provider);
  if (payment.status === "authorized") {
    const answer = await provider.cancel(payment.providerRef!, `void:${payment.id}`);
    await applyProviderPayment(ctx, payment.id, answer);
    return;
  }
  await refundPayment(ctx, providers, payment.id, {
    amount: payment.capturedAmount,
    key: `late:${payment.id}`,
    reason: "order_cancelled_before_payment",
  });
}

/** Captures an authorized payment (manual capture). Repeating it returns the captured payment. */
export async function capturePayment(
  ctx: Ctx,
  providers: PaymentProviders,
  paymentId: string,
  amount?: number,
): Promise<PaymentOutcome> {
  const payment = await getPayment(ctx, paymentId);
  if (
    payment.status === "captured" ||
    payment.status === "partially_refunded" ||
    payment.status === "refunded"
  ) {
    const order = await getOrderRow(ctx, payment.orderId);
    return { payment, orderStatus: order.status };
  }
  if (payment.status !== "authorized")
    throw new ConflictError("payment.not_capturable", `Payment is ${payment.status}, not authorized`);
  const answer = await providers
    .get(payment.provider)
    .capture(payment.providerRef!, amount ?? payment.amount, `capture:${payment.id}`);
  return applyPaymentUpdate(ctx, providers, payment.id, answer);
}

/**
 * Handles a provider webhook: verifies its signature, ignores replays, and applies the payment
 * state it reports. Returns what happened for the provider's delivery log.
 */
export async function handlePaymentWebhook(
  ctx: Ctx,
  providers: PaymentProviders,
  providerId: string,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
): Promise<{ status: "applied" | "duplicate" | "ignored" }> {
  const provider = providers.get(providerId);
  const event = await provider.parseWebhook(rawBody, headers);
  if (!event.payment) return { status: "ignored" };
  const payment = await findByProviderRef(ctx, providerId, event.payment.ref);
  if (!payment) return { status: "ignored" };
  // Applying a report is idempotent, so the event is remembered after it took effect: a crash
  // in between lets the provider's redelivery apply it.
  await applyPaymentUpdate(ctx, providers, payment.id, event.payment);
  return { status: (await claimWebhookEvent(ctx, providerId, event.id)) ? "applied" : "duplicate" };
}

/** Asks the provider where a payment stands and applies it (return from a redirect, reconciliation). */
export async function syncPayment(
  ctx: Ctx,
  providers: PaymentProviders,
  paymentId: string,
): Promise<PaymentOutcome> {
  const payment = await getPayment(ctx, paymentId);
  const provider = providers.get(payment.provider);
  const report = payment.providerRef
    ? await provider.retrieve(payment.providerRef)
    : await provider.findByPaymentId(payment.id);
  if (!report) {
    const order = await getOrderRow(ctx, payment.orderId);
    return { payment, orderStatus: order.status };
  }
  return applyPaymentUpdate(ctx, providers, payment.id, report);
}

/**
 * Settles payment attempts that never got an answer (the process died during the provider
 * call): applies what the provider knows, or marks the attempt failed if it never arrived there.
 */
export async function reconcilePayments(
  ctx: Ctx,
  providers: PaymentProviders,
  olderThanSeconds = 60,
): Promise<number> {
  const stale = await stalePendingPayments(ctx, olderThanSeconds);
  for (const payment of stale) {
    const report = await providers.get(payment.provider).findByPaymentId(payment.id);
    await applyPaymentUpdate(
      ctx,
      providers,
      payment.id,
      report ?? {
        ref: `unsent:${payment.id}`,
        status: "failed",
        amount: payment.amount,
        currency: payment.currency,
        capturedAmount: 0,
        failureCode: "not_submitted",
      },
    );
  }
  return stale.length;
}
