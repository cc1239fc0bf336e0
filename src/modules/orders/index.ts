/**
 * Orders: orders with snapshots of prices, taxes, FX and addresses, their lines, timeline and
 * fulfilments; the payment and fulfilment state machines and the status derived from them.
 * @example const { id, number } = await insertOrder(tx, input)
 */
export { createFulfillment, type FulfillmentInput, markDelivered } from "./fulfillments.service.ts";
export {
  assertCancellable,
  FULFILLMENT_TRANSITIONS,
  type OrderFulfillmentState,
  type OrderPaymentState,
  type OrderStatus,
  orderStatus,
  PAYMENT_TRANSITIONS,
} from "./orders.lifecycle.ts";
export { listOrders, type OrderFilter, type OrderSummary } from "./orders.list.ts";
export {
  addTimeline,
  assertOrderVisible,
  attachCustomer,
  cancelOrder,
  getOrder,
  getOrderRow,
  lockOrder,
  markPaid,
  markPaidPart,
  markVoided,
  type OrderLineRow,
  type OrderRow,
  orderInsertPart,
  orderLinesOf,
  recordOrderRefund,
  recordReturnedUnits,
  saveStates,
} from "./orders.service.ts";
export type {
  AppliedDiscount,
  OrderAddress,
  OrderInput,
  OrderLineInput,
  OrderShippingMethod,
  OrderSnapshot,
  PlannedShipment,
} from "./orders.types.ts";
