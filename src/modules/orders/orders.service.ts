import { asc, eq, type SQL, sql } from "drizzle-orm";
import { queryRows, runPrepared, sqlTextArray } from "../../db/client.ts";
import { actorLabel, type Ctx, visibleTo } from "../../kernel/context.ts";
import { NotFoundError } from "../../kernel/errors.ts";
import { emit, emitFromSql } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import {
  assertCancellable,
  assertPaymentTransition,
  type OrderFulfillmentState,
  type OrderPaymentState,
  type OrderStatus,
  orderStatus,
  PAYMENT_TRANSITIONS,
} from "./orders.lifecycle.ts";
import { fulfillments, orderEvents, orderLines, orders } from "./orders.schema.ts";
import type { OrderInput } from "./orders.types.ts";

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;

/** The order.placed payload other modules react to (with the order's customerId added in SQL). */
function placedPayload(input: OrderInput) {
  return {
    orderId: input.id,
    marketId: input.marketId,
    email: input.email,
    currency: input.currency,
    total: input.total,
    lines: input.lines.map((l) => ({
      variantId: l.variantId,
      productId: l.productId,
      quantity: l.quantity,
      total: l.total,
    })),
  };
}

/**
 * The CTEs that write an order, its lines, its first timeline entry and `order.placed`, for a
 * statement composed by a flow (`with ${part.ctes}, … select ${part.number}`). A second order
 * for the same cart fails on the unique cart id. `customer` is SQL for the customer id when the
 * input has none (a guest's customer record, found or created in the same statement).
 * @example await queryRows(tx.db, sql`with ${part.ctes} select ${part.number} as number`)
 */
export function orderInsertPart(
  ctx: Ctx,
  input: OrderInput,
  customer?: SQL,
): { ctes: SQL; number: SQL; customerId: SQL } {
  const { lines, ...order } = input;
  const lineRows = lines.map((l, position) => ({ ...l, id: newId("line"), position }));
  const ctes = sql`placed_order as (
      insert into orders (id, cart_id, market_id, currency, locale, customer_id, email, status, prices_include_tax,
        subtotal, discount_total, shipping_total, tax_total, duty_total, total, shipping_address, billing_address,
        shipping_method, snapshot)
      values (${order.id}, ${order.cartId}, ${order.marketId}, ${order.currency}, ${order.locale},
        ${order.customerId ?? customer ?? null},
        ${order.email}, 'pending_payment', ${order.pricesIncludeTax}, ${order.subtotal}, ${order.discountTotal},
        ${order.shippingTotal}, ${order.taxTotal}, ${order.dutyTotal}, ${order.total},
        ${JSON.stringify(order.shippingAddress)}::jsonb, ${JSON.stringify(order.billingAddress)}::jsonb,
        ${JSON.stringify(order.shippingMethod)}::jsonb, ${JSON.stringify(order.snapshot)}::jsonb)
      returning id, number, customer_id
    ), placed_lines as (
      insert into order_lines (id, order_id, position, variant_id, product_id, sku, title, variant_title, quantity,
        unit_price, compare_at_price, discount, tax, tax_rate, duty, total, price_source, hs_code, origin_country, weight_grams)
      select r.id, o.id, r.position, r."variantId", r."productId", r.sku, r.title, r."variantTitle", r.quantity,
        r."unitPrice", r."compareAtPrice", r.discount, r.tax, r."taxRate", r.duty, r.total, r."priceSource", r."hsCode",
        r."originCountry", r."weightGrams"
      from placed_order o, jsonb_to_recordset(${JSON.stringify(lineRows)}::jsonb) as r(id text, position int,
        "variantId" text, "productId" text, sku text, title text, "variantTitle" text, quantity int, "unitPrice" bigint,
        "compareAtPrice" bigint, discount bigint, tax bigint, "taxRate" text, duty bigint, total bigint, "priceSource" jsonb,
        "hsCode" text, "originCountry" text, "weightGrams" int)
    ), placed_event as (
      insert into order_events (id, order_id, type, data, actor)
      select ${newId("oev")}, o.id, 'placed', ${JSON.stringify({ total: order.total, currency: order.currency })}::jsonb,
        ${actorLabel(ctx.actor)} from placed_order o
    ), placed_outbox as (${emitFromSql(
      "order.placed",
      sql`o.id`,
      sql`${JSON.stringify(placedPayload(input))}::jsonb || jsonb_build_object('customerId', o.customer_id)`,
      sql`from placed_order o`,
    )})`;
  return {
    ctes,
    number: sql`(select number from placed_order)`,
    customerId: sql`(select customer_id from placed_order)`,
  };
}

/** Throws order.not_found when the order belongs to another signed-in customer. */
export function assertOrderVisible(ctx: Ctx, order: { id: string; customerId: string | null }): void {
  if (!visibleTo(ctx.actor, order.customerId)) throw new NotFoundError("order", order.id);
}

/** Locks an order row for the rest of the transaction. */
export async function lockOrder(ctx: Ctx, orderId: string): Promise<OrderRow> {
  const [row] = await runPrepared(ctx.db.select().from(orders).where(eq(orders.id, orderId)).for("update"));
  if (!row) throw new NotFoundError("order", orderId);
  return row;
}

export async function getOrderRow(ctx: Ctx, orderId: string): Promise<OrderRow> {
  const [row] = await runPrepared(ctx.db.select().from(orders).where(eq(orders.id, orderId)));
  if (!row) throw new NotFoundError("order", orderId);
  return row;
}

/** An order with its lines, shipments and timeline. */
export async function getOrder(ctx: Ctx, orderId: string) {
  const order = await getOrderRow(ctx, orderId);
  // One after another: inside a transaction they share one connection.
  const [lines, shipments, timeline] = [
    await ctx.db
      .select()
      .from(orderLines)
      .where(eq(orderLines.orderId, orderId))
      .orderBy(asc(orderLines.position)),
    await ctx.db
      .select()
      .from(fulfillments)
      .where(eq(fulfillments.orderId, orderId))
      .orderBy(asc(fulfillments.id)),
    await ctx.db
      .select()
      .from(orderEvents)
      .where(eq(orderEvents.orderId, orderId))
      .orderBy(asc(orderEvents.id)),
  ];
  return { ...order, lines, fulfillments: shipments, timeline };
}

export async function addTimeline(ctx: Ctx, orderId: string, type: string, data: object = {}): Promise<void> {
  await ctx.db
    .insert(orderEvents)
    .values({ id: newId("oev"), orderId, type, data, actor: actorLabel(ctx.actor) });
}

/** Saves new payment/fulfilment states (already checked) and the derived status. */
export async function saveStates(
  ctx: Ctx,
  order: OrderRow,
  next: { payment?: OrderPaymentState; fulfillment?: OrderFulfillmentState; cancelled?: boolean },
  extra: Partial<OrderRow> = {},
): Promise<OrderRow> {
  const payment = next.payment ?? order.paymentStatus;
  const fulfillment = next.fulfillment ?? order.fulfillmentStatus;
  const cancelled = next.cancelled ?? order.cancelled;
  const [row] = await ctx.db
    .update(orders)
    .set({
      ...extra,
      paymentStatus: payment,
      fulfillmentStatus: fulfillment,
      cancelled,
      status: orderStatus({ cancelled, payment, fulfillment }),
      updatedAt: new Date(),
    })
    .where(eq(orders.id, order.id))
    .returning();
  return row!;
}

/** The order payment states from which `to` may be reached, per the transition table. */
function paymentStatesInto(to: OrderPaymentState): OrderPaymentState[] {
  return (Object.keys(PAYMENT_TRANSITIONS) as OrderPaymentState[]).filter((from) =>
    PAYMENT_TRANSITIONS[from].includes(to),
  );
}

/**
 * The CTEs that record an order's payment as captured (or authorized, for manual capture) if
 * that is still due: the payment state, the derived status, a timeline entry and `order.paid`.
 * Nothing changes when the order is cancelled or already that far, or where `when` (SQL over the
 * statement's other CTEs) does not hold; `orderId` may be SQL too. `paid` is the CTE's name, so
 * other parts of the statement can depend on it (`exists (select 1 from paid)`), and `status`
 * reads the new status (null when nothing was due).
 */
export function markPaidPart(
  ctx: Ctx,
  orderId: string | SQL,
  how: { paymentId: string | null; captured: boolean },
  when: SQL = sql`true`,
): { ctes: SQL; status: SQL } {
  const to: OrderPaymentState = how.captured ? "paid" : "authorized";
  // An order that has shipped shows its fulfilment state; otherwise the payment decides.
  const unshipped = orderStatus({ cancelled: false, payment: to, fulfillment: "unfulfilled" });
  const paidEvent = emitFromSql(
    "order.paid",
    sql`o.id`,
    sql`jsonb_build_object('orderId', o.id, 'paymentId', ${how.paymentId}::text, 'total', o.total, 'currency', o.currency)`,
    sql`from paid o where ${how.captured}`,
  );
  const ctes = sql`paid as (
      update orders set payment_status = ${to}, updated_at = now(),
        status = case when fulfillment_status = 'unfulfilled' then ${unshipped} else fulfillment_status end,
        paid_at = case when ${how.captured} then now() else paid_at end
      where id = ${orderId} and not cancelled and payment_status::text = any(${sqlTextArray(paymentStatesInto(to))})
        and ${when}
      returning id, total, currency, status
    ), paid_event as (
      insert into order_events (id, order_id, type, data, actor)
      select ${newId("oev")}, o.id, ${how.captured ? "paid" : "payment_authorized"},
        ${JSON.stringify({ paymentId: how.paymentId })}::jsonb, ${actorLabel(ctx.actor)} from paid o
    ), paid_outbox as (${paidEvent})`;
  return { ctes, status: sql`(select status from paid)` };
}

/**
 * Records that an order's payment was captured or authorized, if still due, in one statement
 * (see markPaidPart). Returns the order's new status, or null when nothing was due.
 */
export async function markPaid(
  ctx: Ctx,
  orderId: string,
  how: { paymentId: string | null; captured: boolean },
): Promise<{ status: OrderStatus } | null> {
  const part = markPaidPart(ctx, orderId, how);
  const [row] = await queryRows<{ status: OrderStatus | null }>(
    ctx.db,
    sql`with ${part.ctes} select ${part.status} as status`,
    { prepared: true },
  );
  return row?.status ? { status: row.status } : null;
}

/** An authorization of the order was voided: its payment state goes back to unpaid. */
export async function markVoided(ctx: Ctx, orderId: string, paymentId: string): Promise<void> {
  const order = await lockOrder(ctx, orderId);
  if (order.paymentStatus !== "authorized") return;
  assertPaymentTransition(order.paymentStatus, "unpaid");
  await saveStates(ctx, order, { payment: "unpaid" });
  await addTimeline(ctx, orderId, "payment_voided", { paymentId });
}

/** Cancels an order that has shipped nothing; the caller releases stock and voids or refunds payment. */
export async function cancelOrder(ctx: Ctx, orderId: string, reason: string): Promise<OrderRow> {
  const order = await lockOrder(ctx, orderId);
  assertCancellable({ cancelled: order.cancelled, fulfillment: order.fulfillmentStatus });
  const row = await saveStates(
    ctx,
    order,
    { cancelled: true },
    { cancelReason: reason, cancelledAt: new Date() },
  );
  await addTimeline(ctx, orderId, "cancelled", { reason });
  await emit(ctx, "order.cancelled", { orderId, reason }, { key: orderId });
  return row;
}

/** Adds a refund to the order's totals and payment state. */
export async function recordOrderRefund(
  ctx: Ctx,
  orderId: string,
  refund: { refundId: string; amount: number },
) {
  const order = await lockOrder(ctx, orderId);
  // Money that arrived after the order was cancelled and went straight back: nothing was paid.
  if (order.cancelled && order.paymentStatus === "unpaid") {
    await addTimeline(ctx, orderId, "late_payment_refunded", refund);
    return saveStates(ctx, order, {}, { refundedTotal: order.refundedTotal + refund.amount });
  }
  const refunded = order.refundedTotal + refund.amount;
  const to: OrderPaymentState = refunded >= order.total ? "refunded" : "partially_refunded";
  assertPaymentTransition(order.paymentStatus, to);
  const row = await saveStates(ctx, order, { payment: to }, { refundedTotal: refunded });
  await addTimeline(ctx, orderId, "refunded", refund);
  return row;
}

/** Order ids and payment summary for the admin and the customer's account. */
export async function orderLinesOf(ctx: Ctx, orderId: string): Promise<OrderLineRow[]> {
  return ctx.db
    .select()
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId))
    .orderBy(asc(orderLines.position));
}

/** Counts received returned units on the order's lines (never more than were shipped). */
export async function recordReturnedUnits(
  ctx: Ctx,
  orderId: string,
  items: { lineId: string; quantity: number }[],
) {
  for (const item of items)
    await ctx.db
      .update(orderLines)
      .set({ returnedQuantity: sql`${orderLines.returnedQuantity} + ${item.quantity}` })
      .where(sql`${orderLines.id} = ${item.lineId} and ${orderLines.orderId} = ${orderId}`);
}

/** Gives an order placed without a customer its customer (never replaces one). */
export async function attachCustomer(ctx: Ctx, orderId: string, customerId: string): Promise<void> {
  await ctx.db
    .update(orders)
    .set({ customerId, updatedAt: new Date() })
    .where(sql`${orders.id} = ${orderId} and ${orders.customerId} is null`);
}
