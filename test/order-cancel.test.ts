import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adjustmentsOf,
  adminApi,
  adminOrder,
  count,
  events,
  freshKey,
  fulfil,
  gatewayRefundsOf,
  level,
  paidCardOrder,
  paymentRecords,
  placeOrder,
  product,
  refundsOf,
  rows,
  startWorld,
  stopWorld,
  type World,
} from "./support/lifecycle.ts";
import { json } from "./support/selling.ts";

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => stopWorld(world));

function refund(orderId: string, payload: object, key?: string) {
  return adminApi(world.app).post(`/orders/${orderId}/refunds`, payload, key);
}

describe("cancelling an order", () => {
  it("cancels an unpaid Boleto order: stock released, voucher cancelled at the gateway, order.cancelled", async () => {
    const item = await product(world, 3000, { "us-ontario": 5 }, "CR-BOLETO");
    const placed = await placeOrder(world.app, {
      market: "br",
      country: "BR",
      items: [{ variant: item.sku, quantity: 2 }],
      payment: { method: "boleto" },
    });
    expect(placed.payment.status).toBe("pending");
    expect(placed.order.status).toBe("pending_payment");
    expect(await level(world.database, item.variantId, "us-ontario")).toEqual({ on_hand: 5, reserved: 2 });

    const res = await adminApi(world.app).post(`/orders/${placed.order.id}/cancel`, {
      reason: "customer_request",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({
      id: placed.order.id,
      status: "cancelled",
      cancelled: true,
      cancelReason: "customer_request",
      paymentStatus: "unpaid",
    });

    expect(await level(world.database, item.variantId, "us-ontario")).toEqual({ on_hand: 5, reserved: 0 });
    const reservations = await rows(
      world.database,
      sql`select status, quantity from inventory_reservations where order_id = ${placed.order.id}`,
    );
    expect(reservations).toEqual([{ status: "released", quantity: 2 }]);
    const { ours, gateway } = await paymentRecords(world.database, placed.payment.id);
    expect(ours.status).toBe("canceled");
    expect(gateway.status).toBe("canceled");
    expect((await events(world.database, "order.cancelled", placed.order.id)).map((e) => e.payload)).toEqual([
      { orderId: placed.order.id, reason: "customer_request" },
    ]);
    expect(await refundsOf(world.database, placed.order.id)).toEqual([]);
    const order = await adminOrder(world.app, placed.order.id);
    expect(order.timeline.map((t: { type: string }) => t.type)).toEqual(["placed", "cancelled"]);

    // A second cancel is refused and changes nothing.
    const again = await adminApi(world.app).post(`/orders/${placed.order.id}/cancel`, { reason: "again" });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe("order.already_cancelled");
    expect((await adminOrder(world.app, placed.order.id)).cancelReason).toBe("customer_request");
    expect(await events(world.database, "order.cancelled", placed.order.id)).toHaveLength(1);
  });

  it("cancels a paid card order before shipping: units back on hand and the full amount refunded", async () => {
    const { order: placed, payment, item } = await paidCardOrder(world);
    expect(await level(world.database, item.variantId, "us-ontario")).toEqual({ on_hand: 9, reserved: 0 });

    const res = await adminApi(world.app).post(`/orders/${placed.id}/cancel`, { reason: "out_of_stock" });
    expect(res.statusCode, res.body).toBe(200);

    expect(await level(world.database, item.variantId, "us-ontario")).toEqual({ on_hand: 10, reserved: 0 });
    expect(await adjustmentsOf(world.database, item.variantId)).toEqual([
      { delta: -1, reason: "sold", reference: placed.id },
      { delta: 1, reason: "order_cancelled", reference: `cancel:${placed.id}` },
    ]);

    const refunds = await refundsOf(world.database, placed.id);
    expect(refunds).toEqual([
      {
        id: expect.stringMatching(/^ref_/),
        amount: 4595,
        status: "succeeded",
        idempotency_key: `cancel:${placed.id}`,
        reason: "out_of_stock",
      },
    ]);
    const order = await adminOrder(world.app, placed.id);
    expect(order).toMatchObject({
      status: "cancelled",
      cancelled: true,
      paymentStatus: "refunded",
      refundedTotal: 4595,
      cancelReason: "out_of_stock",
    });
    expect(order.timeline.map((t: { type: string }) => t.type)).toEqual([
      "placed",
      "paid",
      "cancelled",
      "refunded",
    ]);
    const { ours, gateway } = await paymentRecords(world.database, payment.id);
    expect(ours).toMatchObject({ status: "refunded", captured_amount: 4595, refunded_amount: 4595 });
    expect(gateway).toMatchObject({ status: "refunded", captured_amount: 4595, refunded_amount: 4595 });
    expect(await gatewayRefundsOf(world.database, gateway.ref)).toEqual([
      { amount: 4595, status: "succeeded" },
    ]);
    expect((await events(world.database, "refund.issued", placed.id)).map((e) => e.payload)).toEqual([
      { refundId: refunds[0]!.id, orderId: placed.id, paymentId: payment.id, amount: 4595, currency: "USD" },
    ]);
    expect(await events(world.database, "order.cancelled", placed.id)).toHaveLength(1);
  });

  it("cancels a partially refunded order by refunding only what is left", async () => {
    const { order: placed, payment } = await paidCardOrder(world);
    expect((await refund(placed.id, { amount: 1000 }, freshKey())).statusCode).toBe(201);
    const res = await adminApi(world.app).post(`/orders/${placed.id}/cancel`, { reason: "customer_request" });
    expect(res.statusCode, res.body).toBe(200);
    expect((await refundsOf(world.database, placed.id)).map((r) => r.amount)).toEqual([1000, 3595]);
    const { ours, gateway } = await paymentRecords(world.database, payment.id);
    expect(ours).toMatchObject({ status: "refunded", refunded_amount: 4595 });
    expect(await gatewayRefundsOf(world.database, gateway.ref)).toEqual([
      { amount: 1000, status: "succeeded" },
      { amount: 3595, status: "succeeded" },
    ]);
    expect(await adminOrder(world.app, placed.id)).toMatchObject({
      status: "cancelled",
      paymentStatus: "refunded",
      refundedTotal: 4595,
    });
  });

  it("refuses to cancel an order once anything shipped, and writes nothing", async () => {
    const two = await product(world, 1000, { "us-ontario": 10 }, "CR-SHIP");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: two.sku, quantity: 2 }],
    });
    const order = await adminOrder(world.app, placed.order.id);
    const partial = await fulfil(world.app, placed.order.id, {
      items: [{ lineId: order.lines[0].id, quantity: 1 }],
    });
    expect(partial.statusCode).toBe(201);

    const snapshot = async () => ({
      order: (
        await rows(
          world.database,
          sql`select status, cancelled, payment_status, refunded_total::int, updated_at from orders where id = ${placed.order.id}`,
        )
      )[0],
      level: await level(world.database, two.variantId, "us-ontario"),
      adjustments: await adjustmentsOf(world.database, two.variantId),
      refunds: await refundsOf(world.database, placed.order.id),
      timeline: await count(
        world.database,
        sql`select 1 from order_events where order_id = ${placed.order.id}`,
      ),
      cancelledEvents: await events(world.database, "order.cancelled", placed.order.id),
      payment: await paymentRecords(world.database, placed.payment.id),
    });
    const before = await snapshot();
    expect(before.order).toMatchObject({ status: "partially_fulfilled", cancelled: false });

    const res = await adminApi(world.app).post(`/orders/${placed.order.id}/cancel`, { reason: "too late" });
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe("order.not_cancellable");
    expect(await snapshot()).toEqual(before);

    expect((await fulfil(world.app, placed.order.id)).statusCode).toBe(201);
    const fulfilled = await snapshot();
    const again = await adminApi(world.app).post(`/orders/${placed.order.id}/cancel`, { reason: "too late" });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe("order.not_cancellable");
    expect(await snapshot()).toEqual(fulfilled);
  });

  it("validates the cancel request", async () => {
    const { order: placed } = await paidCardOrder(world);
    for (const payload of [{}, { reason: "" }, { reason: "x", extra: 1 }]) {
      const res = await adminApi(world.app).post(`/orders/${placed.id}/cancel`, payload);
      expect(res.statusCode).toBe(400);
      expect(json(res).error.code).toBe("validation.failed");
    }
    const unknown = await adminApi(world.app).post("/orders/ord_00000000000000000000000000/cancel", {
      reason: "x",
    });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe("order.not_found");
    expect((await adminOrder(world.app, placed.id)).status).toBe("paid");
  });
});
