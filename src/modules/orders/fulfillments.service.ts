import { and, eq, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { assertFulfillmentTransition, type OrderFulfillmentState } from "./orders.lifecycle.ts";
import { fulfillments, orderLines } from "./orders.schema.ts";
import { addTimeline, lockOrder, orderLinesOf, saveStates } from "./orders.service.ts";

export interface FulfillmentInput {
  warehouseId: string;
  carrier: string;
  trackingNumber?: string;
  trackingUrl?: string;
  /** Lines and quantities shipped; omitted: everything not yet shipped. */
  items?: { lineId: string; quantity: number }[];
}

/**
 * Ships some or all remaining units of a paid order from one warehouse, with carrier and
 * tracking number. Moves the order to partially fulfilled or fulfilled and emits
 * `fulfillment.created`.
 * @example await createFulfillment(tx, orderId, { warehouseId, carrier: "DHL", trackingNumber: "JD0146000034" })
 */
export async function createFulfillment(ctx: Ctx, orderId: string, input: FulfillmentInput) {
  const order = await lockOrder(ctx, orderId);
  if (order.cancelled) throw new ConflictError("order.cancelled", "A cancelled order cannot be fulfilled");
  if (!["paid", "authorized", "partially_refunded"].includes(order.paymentStatus))
    throw new ConflictError("order.not_paid", "Only paid orders can be fulfilled");
  const lines = await orderLinesOf(ctx, orderId);
  const items =
    input.items ??
    lines
      .filter((l) => l.quantity > l.fulfilledQuantity)
      .map((l) => ({ lineId: l.id, quantity: l.quantity - l.fulfilledQuantity }));
  if (items.length === 0)
    throw new ConflictError("fulfillment.nothing_to_ship", "Every unit has shipped already");
  const seen = new Set<string>();
  for (const item of items) {
    const line = lines.find((l) => l.id === item.lineId);
    if (!line) throw new ValidationError("fulfillment.unknown_line", `Order has no line ${item.lineId}`);
    if (seen.has(item.lineId))
      throw new ValidationError("fulfillment.duplicate_line", `Line ${item.lineId} is listed twice`);
    seen.add(item.lineId);
    if (
      !Number.isSafeInteger(item.quantity) ||
      item.quantity < 1 ||
      item.quantity > line.quantity - line.fulfilledQuantity
    )
      throw new ValidationError(
        "fulfillment.invalid_quantity",
        `Line ${item.lineId}: at most ${line.quantity - line.fulfilledQuantity} left to ship`,
      );
  }
  for (const item of items)
    await ctx.db
      .update(orderLines)
      .set({ fulfilledQuantity: sql`${orderLines.fulfilledQuantity} + ${item.quantity}` })
      .where(and(eq(orderLines.id, item.lineId), eq(orderLines.orderId, orderId)));
  const remaining =
    lines.reduce((s, l) => s + l.quantity - l.fulfilledQuantity, 0) -
    items.reduce((s, i) => s + i.quantity, 0);
  const to: OrderFulfillmentState = remaining === 0 ? "fulfilled" : "partially_fulfilled";
  assertFulfillmentTransition(order.fulfillmentStatus, to);
  const [row] = await ctx.db
    .insert(fulfillments)
    .values({
      id: newId("ful"),
      orderId,
      warehouseId: input.warehouseId,
      status: "shipped",
      carrier: input.carrier,
      trackingNumber: input.trackingNumber,
      trackingUrl: input.trackingUrl,
      items,
    })
    .returning();
  await saveStates(ctx, order, { fulfillment: to });
  await addTimeline(ctx, orderId, "fulfillment_created", {
    fulfillmentId: row!.id,
    carrier: input.carrier,
    trackingNumber: input.trackingNumber,
  });
  await emit(
    ctx,
    "fulfillment.created",
    {
      orderId,
      fulfillmentId: row!.id,
      items,
      carrier: input.carrier,
      trackingNumber: input.trackingNumber ?? null,
    },
    { key: row!.id },
  );
  return row!;
}

/**
 * Marks a shipment delivered (again: no change); when every unit of the order has shipped and every shipment is
 * delivered, the order becomes delivered and `order.delivered` is emitted.
 */
export async function markDelivered(ctx: Ctx, orderId: string, fulfillmentId: string) {
  const order = await lockOrder(ctx, orderId);
  const [current] = await ctx.db
    .select()
    .from(fulfillments)
    .where(and(eq(fulfillments.id, fulfillmentId), eq(fulfillments.orderId, orderId)));
  if (!current) throw new NotFoundError("fulfillment", fulfillmentId);
  // Delivered once is delivered: a repeat must not move the delivery date (the return window).
  if (current.status === "delivered") return current;
  const [shipment] = await ctx.db
    .update(fulfillments)
    .set({ status: "delivered", deliveredAt: new Date() })
    .where(eq(fulfillments.id, fulfillmentId))
    .returning();
  await addTimeline(ctx, orderId, "fulfillment_delivered", { fulfillmentId });
  const open = await ctx.db
    .select({ id: fulfillments.id })
    .from(fulfillments)
    .where(and(eq(fulfillments.orderId, orderId), eq(fulfillments.status, "shipped")));
  if (order.fulfillmentStatus === "fulfilled" && open.length === 0) {
    await saveStates(ctx, order, { fulfillment: "delivered" });
    await emit(ctx, "order.delivered", { orderId }, { key: orderId });
  }
  return shipment;
}
