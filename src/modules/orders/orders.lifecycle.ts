import { ConflictError } from "../../kernel/errors.ts";
import type { FULFILLMENT_STATES, ORDER_STATUSES, PAYMENT_STATES } from "./orders.schema.ts";

export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderPaymentState = (typeof PAYMENT_STATES)[number];
export type OrderFulfillmentState = (typeof FULFILLMENT_STATES)[number];

/** Allowed moves of an order's payment state. */
export const PAYMENT_TRANSITIONS: Record<OrderPaymentState, readonly OrderPaymentState[]> = {
  unpaid: ["authorized", "paid"],
  authorized: ["paid", "unpaid"],
  paid: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  refunded: [],
};

/** Allowed moves of an order's fulfilment state. */
export const FULFILLMENT_TRANSITIONS: Record<OrderFulfillmentState, readonly OrderFulfillmentState[]> = {
  unfulfilled: ["partially_fulfilled", "fulfilled"],
  partially_fulfilled: ["partially_fulfilled", "fulfilled"],
  fulfilled: ["delivered"],
  delivered: [],
};

export function assertPaymentTransition(from: OrderPaymentState, to: OrderPaymentState): void {
  if (!PAYMENT_TRANSITIONS[from].includes(to))
    throw new ConflictError("order.invalid_transition", `Payment state cannot go from ${from} to ${to}`, {
      from,
      to,
    });
}

export function assertFulfillmentTransition(from: OrderFulfillmentState, to: OrderFulfillmentState): void {
  if (!FULFILLMENT_TRANSITIONS[from].includes(to))
    throw new ConflictError("order.invalid_transition", `Fulfilment state cannot go from ${from} to ${to}`, {
      from,
      to,
    });
}

/**
 * The single order status shown to people, derived from the two state machines: cancelled wins,
 * then refunds, then fulfilment progress, then payment.
 * @example orderStatus({ cancelled: false, payment: "paid", fulfillment: "partially_fulfilled" }) // "partially_fulfilled"
 */
export function orderStatus(s: {
  cancelled: boolean;
  payment: OrderPaymentState;
  fulfillment: OrderFulfillmentState;
}): OrderStatus {
  if (s.cancelled) return "cancelled";
  if (s.payment === "refunded") return "refunded";
  if (s.payment === "partially_refunded") return "partially_refunded";
  if (s.fulfillment !== "unfulfilled") return s.fulfillment;
  return s.payment === "paid" ? "paid" : "pending_payment";
}

/** An order can be cancelled until something has shipped. */
export function assertCancellable(s: { cancelled: boolean; fulfillment: OrderFulfillmentState }): void {
  if (s.cancelled) throw new ConflictError("order.already_cancelled", "The order is already cancelled");
  if (s.fulfillment !== "unfulfilled")
    throw new ConflictError("order.not_cancellable", "Only orders with nothing shipped can be cancelled");
}
