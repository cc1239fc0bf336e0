import { type Ctx, transaction } from "../kernel/context.ts";
import { ConflictError, ValidationError } from "../kernel/errors.ts";
import { getOrderRow, recordOrderRefund } from "../modules/orders/index.ts";
import {
  findRefund,
  getPayment,
  type PaymentProviders,
  type RefundRow,
  recordRefund,
  settledPaymentOf,
} from "../modules/payments/index.ts";
import { recordTaxCorrection } from "../modules/tax/index.ts";

/**
 * Refunds part or all of a captured payment. The key makes it exactly-once: the provider gets
 * the same key on a retry and answers with the same refund, and a refund already recorded under
 * the key is returned as it is.
 */
export async function refundPayment(
  ctx: Ctx,
  providers: PaymentProviders,
  paymentId: string,
  input: { amount: number; key: string; reason?: string },
): Promise<RefundRow> {
  const payment = await getPayment(ctx, paymentId);
  const done = await findRefund(ctx, paymentId, input.key);
  if (done) return done;
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    throw new ValidationError("refund.invalid_amount", "Refund amount must be a positive integer");
  if (input.amount > payment.capturedAmount - payment.refundedAmount)
    throw new ConflictError("refund.exceeds_captured", "The refund is larger than what remains captured", {
      refundable: payment.capturedAmount - payment.refundedAmount,
    });
  const answer = await providers
    .get(payment.provider)
    .refund(payment.providerRef!, input.amount, `${paymentId}:${input.key}`);
  const status = answer.status;
  if (status === "failed")
    throw new ConflictError("refund.failed", "The payment provider declined the refund");
  return transaction(ctx, async (tx) => {
    const again = await findRefund(tx, paymentId, input.key);
    if (again) return again;
    const current = await getPayment(tx, paymentId);
    const refund = await recordRefund(tx, current, { ...input, providerRef: answer.ref, status });
    const order = await recordOrderRefund(tx, current.orderId, { refundId: refund.id, amount: input.amount });
    await recordTaxCorrection(tx, { orderId: order.id, refundId: refund.id, ...order });
    return refund;
  });
}

/** Refunds an order through the payment that settled it. */
export async function refundOrder(
  ctx: Ctx,
  providers: PaymentProviders,
  orderId: string,
  input: { amount: number; key: string; reason?: string },
): Promise<RefundRow> {
  const order = await getOrderRow(ctx, orderId);
  const payment = await settledPaymentOf(ctx, orderId);
  if (!payment || payment.capturedAmount === 0)
    throw new ConflictError("refund.nothing_captured", "The order has no captured payment to refund");
  // Store credit given for returns counts against what the order can still give back.
  const left = order.total - order.refundedTotal;
  const onPayment = payment.capturedAmount - payment.refundedAmount;
  if (left < onPayment && input.amount > left && !(await findRefund(ctx, payment.id, input.key)))
    throw new ConflictError(
      "refund.exceeds_order",
      "The refund is larger than what the order has left to refund",
      {
        refundable: Math.max(left, 0),
      },
    );
  return refundPayment(ctx, providers, payment.id, input);
}
