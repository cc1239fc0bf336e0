import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminApi,
  adminOrder,
  CARD,
  count,
  events,
  freshKey,
  level,
  paymentFootprint,
  paymentRecords,
  placeOrder,
  product,
  rows,
  startWorld,
  stopWorld,
  type World,
} from "./support/lifecycle.ts";
import { json } from "./support/selling.ts";

let world: World;

beforeAll(async () => {
  world = await startWorld();
  // The UK takes cards authorized at checkout and captured later (e.g. when the parcel ships).
  const res = await adminApi(world.app).put("/markets/gb/payment-methods", {
    items: [{ provider: "test", method: "card", captureMode: "manual" }],
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(() => stopWorld(world));

function capture(paymentId: string, key?: string, payload: object = {}) {
  return adminApi(world.app).post(`/payments/${paymentId}/capture`, payload, key);
}

describe("manual capture", () => {
  it("validates a market's payment methods and keeps the old ones on a refused change", async () => {
    const cases: [object[], number, string][] = [
      [[{ provider: "acme", method: "card", captureMode: "manual" }], 400, "payment.provider_unknown"],
      [[{ provider: "test", method: "cheque", captureMode: "manual" }], 400, "payment.method_unsupported"],
      [
        [
          { provider: "test", method: "card", captureMode: "manual" },
          { provider: "test", method: "card", captureMode: "automatic" },
        ],
        400,
        "payment.duplicate_method",
      ],
      [[{ provider: "test", method: "card", captureMode: "later" }], 400, "validation.failed"],
    ];
    for (const [items, status, code] of cases) {
      const res = await adminApi(world.app).put("/markets/gb/payment-methods", { items });
      expect(res.statusCode, res.body).toBe(status);
      expect(json(res).error.code).toBe(code);
    }
    const unknown = await adminApi(world.app).put("/markets/atlantis/payment-methods", { items: [] });
    expect(unknown.statusCode).toBe(404);
    const current = await adminApi(world.app).get("/markets/gb/payment-methods");
    expect(json(current).items).toEqual([{ provider: "test", method: "card", captureMode: "manual" }]);
  });

  it("authorizes at checkout with the stock committed, and captures exactly once", async () => {
    const item = await product(world, 4000, { "uk-tilbury": 5 }, "CAP");
    const placed = await placeOrder(world.app, {
      market: "gb",
      country: "GB",
      items: [{ variant: item.sku, quantity: 1 }],
    });
    expect(placed.payment.status).toBe("authorized");
    expect(placed.order.status).toBe("pending_payment");
    expect(placed.order.currency).toBe("GBP");
    let order = await adminOrder(world.app, placed.order.id);
    expect(order.paymentStatus).toBe("authorized");
    // Authorized money is as good as paid for stock: the units are sold, not just held.
    expect(await level(world.database, item.variantId, "uk-tilbury")).toEqual({ on_hand: 4, reserved: 0 });
    expect(
      await rows(
        world.database,
        sql`select status from inventory_reservations where order_id = ${placed.order.id}`,
      ),
    ).toEqual([{ status: "committed" }]);
    expect(await paymentRecords(world.database, placed.payment.id)).toMatchObject({
      ours: { status: "authorized", captured_amount: 0 },
      gateway: { status: "authorized", captured_amount: 0 },
    });
    expect(await events(world.database, "order.paid", placed.order.id)).toHaveLength(0);

    const noKey = await capture(placed.payment.id);
    expect(noKey.statusCode).toBe(400);
    expect(json(noKey).error.code).toBe("idempotency.key_required");

    const first = await capture(placed.payment.id, "capture-1");
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toMatchObject({
      payment: { id: placed.payment.id, status: "captured", amount: placed.order.total },
      orderStatus: "paid",
    });
    const replay = await capture(placed.payment.id, "capture-1");
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(json(replay)).toEqual(json(first));
    const second = await capture(placed.payment.id, "capture-2");
    expect(second.statusCode, second.body).toBe(200);
    expect(json(second)).toMatchObject({ payment: { status: "captured" }, orderStatus: "paid" });

    order = await adminOrder(world.app, placed.order.id);
    expect(order).toMatchObject({ status: "paid", paymentStatus: "paid" });
    expect(order.paidAt).not.toBeNull();
    expect(order.timeline.map((t: { type: string }) => t.type)).toEqual([
      "placed",
      "payment_authorized",
      "paid",
    ]);
    const total = placed.order.total;
    expect(await paymentRecords(world.database, placed.payment.id)).toMatchObject({
      ours: { status: "captured", captured_amount: total },
      gateway: { status: "captured", captured_amount: total },
    });
    expect((await events(world.database, "order.paid", placed.order.id)).map((e) => e.payload)).toEqual([
      { orderId: placed.order.id, paymentId: placed.payment.id, total, currency: "GBP" },
    ]);
    expect(await level(world.database, item.variantId, "uk-tilbury")).toEqual({ on_hand: 4, reserved: 0 });
    expect(
      await count(
        world.database,
        sql`select 1 from inventory_adjustments where variant_id = ${item.variantId} and reason = 'sold'`,
      ),
    ).toBe(1);
  });

  it("voids an authorized payment when the order is cancelled, and puts the units back", async () => {
    const item = await product(world, 4000, { "uk-tilbury": 5 }, "CAP-VOID");
    const placed = await placeOrder(world.app, {
      market: "gb",
      country: "GB",
      items: [{ variant: item.sku, quantity: 2 }],
    });
    expect(placed.payment.status).toBe("authorized");
    const res = await adminApi(world.app).post(`/orders/${placed.order.id}/cancel`, {
      reason: "fraud_check",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await paymentRecords(world.database, placed.payment.id)).toMatchObject({
      ours: { status: "canceled", captured_amount: 0, refunded_amount: 0 },
      gateway: { status: "canceled", captured_amount: 0 },
    });
    expect(await count(world.database, sql`select 1 from refunds where order_id = ${placed.order.id}`)).toBe(
      0,
    );
    expect(await level(world.database, item.variantId, "uk-tilbury")).toEqual({ on_hand: 5, reserved: 0 });
    const captureAfter = await capture(placed.payment.id, freshKey());
    expect(captureAfter.statusCode).toBe(409);
    expect(json(captureAfter).error.code).toBe("payment.not_capturable");
  });

  it("refuses to capture a payment that is not authorized", async () => {
    const item = await product(world, 3000, { "us-ontario": 5 }, "CAP-NO");
    const pix = await placeOrder(world.app, {
      market: "br",
      country: "BR",
      items: [{ variant: item.sku, quantity: 1 }],
      payment: { method: "pix" },
    });
    const before = await paymentFootprint(world.database, pix.order.id, pix.payment.id);
    const res = await capture(pix.payment.id, freshKey());
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe("payment.not_capturable");
    expect(await paymentFootprint(world.database, pix.order.id, pix.payment.id)).toEqual(before);

    const unknown = await capture("pay_00000000000000000000000000", freshKey());
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe("payment.not_found");

    // Capturing an automatically captured card payment just reports it.
    const paid = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
      payment: CARD,
    });
    const again = await capture(paid.payment.id, freshKey());
    expect(again.statusCode).toBe(200);
    expect(json(again)).toMatchObject({ payment: { status: "captured" }, orderStatus: "paid" });
    expect(await events(world.database, "order.paid", paid.order.id)).toHaveLength(1);
  });
});
