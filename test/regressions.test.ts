import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireReservations } from "../src/flows/orders.ts";
import type { TestPaymentProvider } from "../src/modules/payments/index.ts";
import {
  adminApi,
  adminOrder,
  CARD,
  cart,
  completeCart,
  count,
  deliver,
  deliverWebhook,
  events,
  freshKey,
  fulfil,
  level,
  paymentRecords,
  placeOrder,
  product,
  refundsOf,
  registerCustomer,
  rows,
  shipAndDeliver,
  startWorld,
  stopWorld,
  storeApi,
  type World,
} from "./support/lifecycle.ts";
import { json } from "./support/selling.ts";

// Behaviour that was once wrong: money after cancellation, refunds beyond what is left, repeated
// deliveries, voided authorizations, optional bodies, ownership checks and used-up discounts.

let world: World;
let gateway: TestPaymentProvider;

beforeAll(async () => {
  world = await startWorld();
  gateway = world.app.payments.testGateway()!;
});
afterAll(() => stopWorld(world));

/** A Pix order that the buyer has paid on the gateway; the gateway's webhook is held back. */
async function pixPaidWebhookLate() {
  const item = await product(world, 3000, { "us-ontario": 5 }, "KB-PIX");
  const placed = await placeOrder(world.app, {
    market: "br",
    country: "BR",
    items: [{ variant: item.sku, quantity: 1 }],
    payment: { method: "pix" },
  });
  const { ours } = await paymentRecords(world.database, placed.payment.id);
  const { webhook } = await gateway.complete(ours.provider_ref!, "succeed");
  return { ...placed, item, webhook };
}

describe("regressions", () => {
  it("refunds and records money that settles after its order was cancelled", async () => {
    const pix = await pixPaidWebhookLate();
    // The order is cancelled while the money is already at the gateway; whatever the cancel
    // answers (see the next test), the order ends up cancelled.
    await adminApi(world.app).post(`/orders/${pix.order.id}/cancel`, { reason: "customer_request" });
    expect((await adminOrder(world.app, pix.order.id)).status).toBe("cancelled");

    const res = await deliverWebhook(world.app, pix.webhook);
    expect(res.statusCode, res.body).toBe(200);
    const total = pix.order.total;
    expect(
      (await refundsOf(world.database, pix.order.id)).map((r) => ({
        amount: r.amount,
        idempotency_key: r.idempotency_key,
      })),
    ).toEqual([{ amount: total, idempotency_key: `late:${pix.payment.id}` }]);
    expect(await paymentRecords(world.database, pix.payment.id)).toMatchObject({
      ours: { status: "refunded", captured_amount: total, refunded_amount: total },
      gateway: { status: "refunded", refunded_amount: total },
    });
    expect(await adminOrder(world.app, pix.order.id)).toMatchObject({
      status: "cancelled",
      refundedTotal: total,
    });
    expect(await events(world.database, "refund.issued", pix.order.id)).toHaveLength(1);
  });

  it("answers a cancel with 200 and refunds a payment that already settled at the gateway", async () => {
    const pix = await pixPaidWebhookLate();
    const res = await adminApi(world.app).post(`/orders/${pix.order.id}/cancel`, {
      reason: "customer_request",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await paymentRecords(world.database, pix.payment.id)).toMatchObject({
      gateway: { status: "refunded", refunded_amount: pix.order.total },
    });
    expect(await refundsOf(world.database, pix.order.id)).toHaveLength(1);
  });

  it("keeps expiring holds when one order's payment settled at the gateway meanwhile", async () => {
    const paid = await pixPaidWebhookLate();
    const item = await product(world, 3000, { "us-ontario": 5 }, "KB-EXP");
    const unpaid = await placeOrder(world.app, {
      market: "br",
      country: "BR",
      items: [{ variant: item.sku, quantity: 1 }],
      payment: { method: "pix" },
    });
    await world.database.db.execute(
      sql`update inventory_reservations set expires_at = now() - interval '1 minute'
          where order_id in (${paid.order.id}, ${unpaid.order.id})`,
    );
    await expect(expireReservations(world.ctx, world.app.payments)).resolves.toBe(2);
    expect((await adminOrder(world.app, unpaid.order.id)).status).toBe("cancelled");
    expect((await paymentRecords(world.database, unpaid.payment.id)).gateway.status).toBe("canceled");
    // The money that arrived for the expired order goes back.
    expect((await paymentRecords(world.database, paid.payment.id)).gateway).toMatchObject({
      status: "refunded",
      refunded_amount: paid.order.total,
    });
  });

  it("never refunds more than an order has left after store credit", async () => {
    const customer = await registerCustomer(world.app, "kb-credit@example.com");
    const item = await product(world, 3000, { "us-ontario": 5 }, "KB-CREDIT");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
      token: customer.token,
      email: "kb-credit@example.com",
    });
    expect(placed.order.total).toBe(3595);
    await shipAndDeliver(world.app, placed.order.id);
    const lineId = (await adminOrder(world.app, placed.order.id)).lines[0].id;
    const ret = json(
      await storeApi(world.app).post(
        `/orders/${placed.order.id}/returns`,
        { items: [{ lineId, quantity: 1, reason: "changed_mind" }], refundMethod: "store_credit" },
        customer.token,
      ),
    );
    await adminApi(world.app).post(`/returns/${ret.id}/approve`);
    await adminApi(world.app).post(`/returns/${ret.id}/receive`, {
      items: [{ lineId: ret.lines[0].id, restock: 1, writeOff: 0 }],
    });
    expect((await adminApi(world.app).post(`/returns/${ret.id}/refund`, {})).statusCode).toBe(200);
    expect((await adminOrder(world.app, placed.order.id)).refundedTotal).toBe(3000);

    // 3000 went back as store credit: only 595 (the shipping) is left to refund.
    const res = await adminApi(world.app).post(
      `/orders/${placed.order.id}/refunds`,
      { amount: 3595 },
      freshKey(),
    );
    expect(res.statusCode, res.body).toBe(409);
    expect(await paymentRecords(world.database, placed.payment.id)).toMatchObject({
      gateway: { refunded_amount: 0 },
    });
    expect(await refundsOf(world.database, placed.order.id)).toEqual([]);
  });

  it("ships the rest of an order after a partial refund", async () => {
    const item = await product(world, 2000, { "us-ontario": 5 }, "KB-SHIP");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 2 }],
    });
    const refund = await adminApi(world.app).post(
      `/orders/${placed.order.id}/refunds`,
      { amount: 500 },
      freshKey(),
    );
    expect(refund.statusCode).toBe(201);
    const res = await fulfil(world.app, placed.order.id);
    expect(res.statusCode, res.body).toBe(201);
    expect((await adminOrder(world.app, placed.order.id)).fulfillmentStatus).toBe("fulfilled");
  });

  it("treats marking a delivered shipment delivered again as a no-op", async () => {
    const item = await product(world, 2000, { "us-ontario": 5 }, "KB-DLV");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
    });
    const shipmentId = await shipAndDeliver(world.app, placed.order.id);
    await world.database.db.execute(
      sql`update fulfillments set delivered_at = now() - interval '40 days' where id = ${shipmentId}`,
    );
    const [before] = await rows(
      world.database,
      sql`select delivered_at from fulfillments where id = ${shipmentId}`,
    );
    const again = await deliver(world.app, placed.order.id, shipmentId);
    expect([200, 409]).toContain(again.statusCode);
    // A repeated "delivered" must not reopen the return window or add to the timeline.
    expect(
      await rows(world.database, sql`select delivered_at from fulfillments where id = ${shipmentId}`),
    ).toEqual([before]);
    expect(
      await count(
        world.database,
        sql`select 1 from order_events where order_id = ${placed.order.id} and type = 'fulfillment_delivered'`,
      ),
    ).toBe(1);
  });

  it("moves an order back to unpaid when its authorization is voided on cancel", async () => {
    await adminApi(world.app).put("/markets/au/payment-methods", {
      items: [{ provider: "test", method: "card", captureMode: "manual" }],
    });
    const item = await product(world, 4000, { "apac-singapore": 5 }, "KB-VOID");
    const address = {
      firstName: "Liam",
      lastName: "Smith",
      line1: "1 Martin Place",
      city: "Sydney",
      province: "NSW",
      postalCode: "2000",
      country: "AU",
    };
    const created = await world.app.inject({
      method: "POST",
      url: "/store/v1/carts",
      headers: { "x-publishable-key": "pk_test" },
      payload: {
        market: "au",
        items: [{ variant: item.sku, quantity: 1 }],
        email: "liam@example.com",
        shippingAddress: address,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const c = json(created);
    await world.app.inject({
      method: "PATCH",
      url: `/store/v1/carts/${c.id}`,
      headers: { "x-publishable-key": "pk_test" },
      payload: { shippingMethodId: c.shippingOptions[0].methodId },
    });
    const done = await completeCart(world.app, c.id, CARD);
    expect(json(done).payment.status).toBe("authorized");
    const orderId = json(done).order.id;
    expect(
      (await adminApi(world.app).post(`/orders/${orderId}/cancel`, { reason: "fraud_check" })).statusCode,
    ).toBe(200);
    expect(await adminOrder(world.app, orderId)).toMatchObject({
      status: "cancelled",
      paymentStatus: "unpaid",
    });
  });

  it("accepts the optional bodies of return refunds and captures when they are left out", async () => {
    const item = await product(world, 2000, { "us-ontario": 5 }, "KB-BODY");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
    });
    await shipAndDeliver(world.app, placed.order.id);
    const lineId = (await adminOrder(world.app, placed.order.id)).lines[0].id;
    const ret = json(
      await storeApi(world.app).post(`/orders/${placed.order.id}/returns`, {
        items: [{ lineId, quantity: 1, reason: "damaged" }],
      }),
    );
    await adminApi(world.app).post(`/returns/${ret.id}/approve`);
    await adminApi(world.app).post(`/returns/${ret.id}/receive`, {
      items: [{ lineId: ret.lines[0].id, restock: 0, writeOff: 1 }],
    });
    const refund = await adminApi(world.app).post(`/returns/${ret.id}/refund`);
    expect(refund.statusCode, refund.body).toBe(200);
    expect(json(refund)).toMatchObject({ status: "refunded", refundedAmount: 2000 });

    const capture = await adminApi(world.app).post(
      `/payments/${placed.payment.id}/capture`,
      undefined,
      freshKey(),
    );
    expect(capture.statusCode, capture.body).toBe(200);
  });

  it("answers 404 for a refund of an order that does not exist", async () => {
    const res = await adminApi(world.app).post(
      "/orders/ord_00000000000000000000000000/refunds",
      { amount: 100 },
      freshKey(),
    );
    expect(res.statusCode).toBe(404);
    expect(json(res).error.code).toBe("order.not_found");
  });

  it("hides a customer's payment from other customers on payment sync", async () => {
    const owner = await registerCustomer(world.app, "kb-sync-owner@example.com");
    const other = await registerCustomer(world.app, "kb-sync-other@example.com");
    const item = await product(world, 3000, { "us-ontario": 5 }, "KB-SYNC");
    const placed = await placeOrder(world.app, {
      market: "br",
      country: "BR",
      items: [{ variant: item.sku, quantity: 1 }],
      payment: { method: "pix" },
      token: owner.token,
    });
    expect((await storeApi(world.app).get(`/orders/${placed.order.id}`, other.token)).statusCode).toBe(404);
    const sync = await storeApi(world.app).post(`/orders/${placed.order.id}/payment/sync`, {}, other.token);
    expect(sync.statusCode).toBe(404);
    expect(json(sync).error.code).toBe("order.not_found");
  });

  it("stores the discount codes of a new cart normalised, as a cart update does", async () => {
    const item = await product(world, 2000, { "us-ontario": 5 }, "KB-CODES");
    const c = await cart(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
      discountCodes: ["welcome10", " Welcome10 "],
    });
    expect(c.discountCodes).toEqual(["WELCOME10"]);
  });

  it("refuses a checkout whose one-use code was used up after the buyer saw the discount", async () => {
    const code = await adminApi(world.app).post("/discounts", {
      code: "KBONCE",
      title: "10 % once",
      kind: "percentage",
      percentage: 1000,
      usageLimit: 1,
    });
    expect(code.statusCode).toBe(201);
    const item = await product(world, 2000, { "us-ontario": 10 }, "KB-ONCE");
    const first = await cart(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
      email: "kb-first@example.com",
      discountCodes: ["KBONCE"],
    });
    const second = await cart(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
      email: "kb-second@example.com",
      discountCodes: ["KBONCE"],
    });
    // Both buyers were shown 2000 − 200 + 595 shipping = 2395.
    expect([first.totals.total, second.totals.total]).toEqual([2395, 2395]);
    expect((await completeCart(world.app, first.id, CARD)).statusCode).toBe(201);

    const lost = await completeCart(world.app, second.id, CARD);
    expect(lost.statusCode, lost.body).toBe(409);
    expect(json(lost).error.code).toBe("discount.usage_limit_reached");
    expect(await count(world.database, sql`select 1 from orders where cart_id = ${second.id}`)).toBe(0);
    expect(await level(world.database, item.variantId, "us-ontario")).toEqual({ on_hand: 9, reserved: 0 });
    expect(json(await storeApi(world.app).get(`/carts/${second.id}`)).status).toBe("open");
  });
});
