import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminApi,
  adminOrder,
  events,
  freshKey,
  gatewayRefundsOf,
  paidCardOrder,
  paymentRecords,
  placeOrder,
  product,
  refundsOf,
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

describe("refunds", () => {
  it("refunds part, then the rest; a repeated key refunds nothing twice", async () => {
    const { order: placed, payment } = await paidCardOrder(world);
    const { gateway } = await paymentRecords(world.database, payment.id);

    const first = await refund(placed.id, { amount: 1000, reason: "goodwill" }, "refund-part-1");
    expect(first.statusCode, first.body).toBe(201);
    const refund1 = json(first);
    expect(refund1).toMatchObject({
      paymentId: payment.id,
      orderId: placed.id,
      amount: 1000,
      currency: "USD",
      status: "succeeded",
      reason: "goodwill",
      idempotencyKey: "refund-part-1",
    });
    expect(await adminOrder(world.app, placed.id)).toMatchObject({
      status: "partially_refunded",
      paymentStatus: "partially_refunded",
      refundedTotal: 1000,
    });

    // The same request again: the stored answer is replayed.
    const replay = await refund(placed.id, { amount: 1000, reason: "goodwill" }, "refund-part-1");
    expect(replay.statusCode).toBe(201);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(json(replay)).toEqual(refund1);
    // The same key with another amount is a different request.
    const reused = await refund(placed.id, { amount: 2000 }, "refund-part-1");
    expect(reused.statusCode).toBe(422);
    expect(json(reused).error.code).toBe("idempotency.key_reused");
    // Even once the HTTP layer forgot the key (purged after a day), the refund flow knows it.
    await world.database.db.execute(sql`delete from idempotency_keys where key = 'refund-part-1'`);
    const late = await refund(placed.id, { amount: 1000, reason: "goodwill" }, "refund-part-1");
    expect(late.statusCode, late.body).toBe(201);
    expect(json(late).id).toBe(refund1.id);

    expect((await refundsOf(world.database, placed.id)).map((r) => [r.id, r.amount])).toEqual([
      [refund1.id, 1000],
    ]);
    expect(await gatewayRefundsOf(world.database, gateway.ref)).toEqual([
      { amount: 1000, status: "succeeded" },
    ]);
    expect(await adminOrder(world.app, placed.id)).toMatchObject({ refundedTotal: 1000 });

    const rest = await refund(placed.id, { amount: 3595 }, "refund-rest-1");
    expect(rest.statusCode, rest.body).toBe(201);
    const order = await adminOrder(world.app, placed.id);
    expect(order).toMatchObject({ status: "refunded", paymentStatus: "refunded", refundedTotal: 4595 });
    expect(
      order.timeline.map((t: { type: string; data: { amount?: number } }) => [t.type, t.data.amount]),
    ).toEqual([
      ["placed", undefined],
      ["paid", undefined],
      ["refunded", 1000],
      ["refunded", 3595],
    ]);
    const records = await paymentRecords(world.database, payment.id);
    expect(records.ours).toMatchObject({ status: "refunded", refunded_amount: 4595 });
    expect(records.gateway).toMatchObject({ status: "refunded", refunded_amount: 4595 });
    expect(await gatewayRefundsOf(world.database, gateway.ref)).toEqual([
      { amount: 1000, status: "succeeded" },
      { amount: 3595, status: "succeeded" },
    ]);
    expect((await events(world.database, "refund.issued", placed.id)).map((e) => e.payload.amount)).toEqual([
      1000, 3595,
    ]);

    // Nothing is left to refund.
    const more = await refund(placed.id, { amount: 1 }, freshKey());
    expect(more.statusCode).toBe(409);
    expect(json(more).error).toMatchObject({ code: "refund.exceeds_captured", details: { refundable: 0 } });
  });

  it("refuses a refund larger than what is left, and writes nothing", async () => {
    const { order: placed, payment } = await paidCardOrder(world);
    expect((await refund(placed.id, { amount: 595 }, freshKey())).statusCode).toBe(201);
    const { gateway } = await paymentRecords(world.database, payment.id);

    const over = await refund(placed.id, { amount: 4001 }, freshKey());
    expect(over.statusCode).toBe(409);
    expect(json(over).error).toMatchObject({
      code: "refund.exceeds_captured",
      details: { refundable: 4000 },
    });
    expect((await refundsOf(world.database, placed.id)).map((r) => r.amount)).toEqual([595]);
    expect(await gatewayRefundsOf(world.database, gateway.ref)).toEqual([
      { amount: 595, status: "succeeded" },
    ]);
    expect(await adminOrder(world.app, placed.id)).toMatchObject({
      paymentStatus: "partially_refunded",
      refundedTotal: 595,
    });
    expect(await paymentRecords(world.database, payment.id)).toMatchObject({
      ours: { refunded_amount: 595 },
      gateway: { refunded_amount: 595 },
    });
    expect(await events(world.database, "refund.issued", placed.id)).toHaveLength(1);
  });

  it("needs an Idempotency-Key and a positive whole amount", async () => {
    const { order: placed } = await paidCardOrder(world);
    const noKey = await refund(placed.id, { amount: 100 });
    expect(noKey.statusCode).toBe(400);
    expect(json(noKey).error.code).toBe("idempotency.key_required");
    for (const payload of [{}, { amount: 0 }, { amount: -5 }, { amount: 10.5 }, { amount: "100" }]) {
      const res = await refund(placed.id, payload, freshKey());
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(json(res).error.code).toBe("validation.failed");
    }
    expect(await refundsOf(world.database, placed.id)).toEqual([]);
    expect((await adminOrder(world.app, placed.id)).paymentStatus).toBe("paid");
  });

  it("refuses to refund an order with no captured payment", async () => {
    const item = await product(world, 3000, { "us-ontario": 5 }, "CR-PIX");
    const placed = await placeOrder(world.app, {
      market: "br",
      country: "BR",
      items: [{ variant: item.sku, quantity: 1 }],
      payment: { method: "pix" },
    });
    const res = await refund(placed.order.id, { amount: 100 }, freshKey());
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe("refund.nothing_captured");
    expect(await refundsOf(world.database, placed.order.id)).toEqual([]);
    expect(await adminOrder(world.app, placed.order.id)).toMatchObject({
      paymentStatus: "unpaid",
      refundedTotal: 0,
    });
  });
});
