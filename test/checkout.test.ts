import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.ts";
import { queryRows } from "../src/db/client.ts";
import { createTestDatabase } from "../src/db/testing.ts";
import { expireReservations } from "../src/flows/orders.ts";
import type { App } from "../src/http/app.ts";
import { applyProviderPayment, getPayment, TEST_CARDS } from "../src/modules/payments/index.ts";
import { adminHeaders, ctxOf, storeHeaders, testApp } from "./support/fixtures.ts";
import { complete, json, readyCart, setupSelling, stockedVariant } from "./support/selling.ts";

let database: Database;
let app: App;
let jacket: string;
let socks: string;

async function levels(variantId: string) {
  return queryRows<{ warehouse: string; on_hand: number; reserved: number }>(
    database.db,
    sql`select w.code as warehouse, l.on_hand, l.reserved from inventory_levels l join warehouses w on w.id = l.warehouse_id
        where l.variant_id = ${variantId} order by w.code`,
  );
}

async function order(id: string) {
  const res = await app.inject({ method: "GET", url: `/admin/v1/orders/${id}`, headers: adminHeaders });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

async function outbox(type: string, orderId: string) {
  return queryRows(
    database.db,
    sql`select id from outbox_events where type = ${type} and payload->>'orderId' = ${orderId}`,
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  const ctx = ctxOf(database);
  await setupSelling(ctx);
  jacket = await stockedVariant(
    ctx,
    "CK-JACKET",
    12900,
    { "us-ontario": 20, "eu-duisburg": 20 },
    { weightGrams: 900 },
  );
  socks = await stockedVariant(
    ctx,
    "CK-SOCKS",
    1500,
    { "us-ontario": 50, "eu-duisburg": 50 },
    { weightGrams: 100 },
  );
  app = await testApp(database);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe("a card purchase in the US", () => {
  it("places a paid order, commits the stock and emits order.placed and order.paid", async () => {
    const cart = await readyCart(app, {
      market: "us",
      country: "US",
      items: [
        { variant: "CK-JACKET", quantity: 1 },
        { variant: "CK-SOCKS", quantity: 2 },
      ],
    });
    expect(cart.readyToComplete).toBe(true);
    expect(cart.totals.subtotal).toBe(12900 + 2 * 1500);
    // US sales tax is collected only in states where the store is registered (none here).
    expect(cart.totals.tax).toBe(0);
    expect(cart.tax.lines.map((l: { regime: string }) => l.regime)).toEqual([
      "not_registered",
      "not_registered",
    ]);
    expect(cart.tax.warnings).toEqual([]);
    expect(cart.totals.total).toBe(cart.totals.subtotal + cart.totals.shipping);

    const res = await complete(app, cart.id, { method: "card", data: { cardNumber: TEST_CARDS.success } });
    expect(res.statusCode, res.body).toBe(201);
    const body = json(res);
    expect(body.payment.status).toBe("captured");
    expect(body.order.status).toBe("paid");
    expect(body.order.total).toBe(cart.totals.total);

    const placed = await order(body.order.id);
    expect(placed.number).toBeGreaterThanOrEqual(1001);
    expect(placed.paymentStatus).toBe("paid");
    expect(placed.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([
      ["CK-JACKET", 1],
      ["CK-SOCKS", 2],
    ]);
    expect(placed.shippingAddress.postalCode).toBe("94105");
    expect(placed.shippingAddress.phone).toBe("+14155550100");
    expect(placed.snapshot.shipments).toEqual([
      {
        warehouseId: expect.any(String),
        items: expect.arrayContaining([{ variantId: jacket, quantity: 1 }]),
      },
    ]);
    expect(placed.timeline.map((t: { type: string }) => t.type)).toEqual(["placed", "paid"]);
    expect(await levels(jacket)).toEqual([
      { warehouse: "eu-duisburg", on_hand: 20, reserved: 0 },
      { warehouse: "us-ontario", on_hand: 19, reserved: 0 },
    ]);
    expect(await outbox("order.placed", body.order.id)).toHaveLength(1);
    expect(await outbox("order.paid", body.order.id)).toHaveLength(1);
  });

  it("returns the same order when completion is retried, with the same or a new key", async () => {
    const cart = await readyCart(app, {
      market: "us",
      country: "US",
      items: [{ variant: "CK-SOCKS", quantity: 1 }],
    });
    const payment = { method: "card", data: { cardNumber: TEST_CARDS.success } };
    const first = await complete(app, cart.id, payment, "retry-key-1");
    const again = await complete(app, cart.id, payment, "retry-key-1");
    const otherKey = await complete(app, cart.id, payment, "retry-key-2");
    expect(first.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(json(again)).toEqual(json(first));
    expect(json(otherKey).order.id).toBe(json(first).order.id);
    const [count] = await queryRows<{ orders: number; payments: number }>(
      database.db,
      sql`select (select count(*)::int from orders where cart_id = ${cart.id}) as orders,
        (select count(*)::int from payments p join orders o on o.id = p.order_id where o.cart_id = ${cart.id}) as payments`,
    );
    expect(count).toEqual({ orders: 1, payments: 1 });
  });

  it("requires an Idempotency-Key to complete", async () => {
    const cart = await readyCart(app, {
      market: "us",
      country: "US",
      items: [{ variant: "CK-SOCKS", quantity: 1 }],
    });
    const res = await app.inject({
      method: "POST",
      url: `/store/v1/carts/${cart.id}/complete`,
      headers: storeHeaders,
      payload: { payment: { method: "card", data: { cardNumber: TEST_CARDS.success } } },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe("idempotency.key_required");
  });

  it("declines a card, keeps the stock held, and takes a second card for the same order", async () => {
    const cart = await readyCart(app, {
      market: "us",
      country: "US",
      items: [{ variant: "CK-JACKET", quantity: 2 }],
    });
    const before = await levels(jacket);
    const declined = await complete(app, cart.id, {
      method: "card",
      data: { cardNumber: TEST_CARDS.declined },
    });
    expect(declined.statusCode).toBe(402);
    expect(json(declined).payment).toMatchObject({ status: "failed", failureCode: "card_declined" });
    const held = await levels(jacket);
    expect(held.find((l) => l.warehouse === "us-ontario")!.reserved).toBe(2);

    const retried = await complete(app, cart.id, {
      method: "card",
      data: { cardNumber: TEST_CARDS.success },
    });
    expect(retried.statusCode, retried.body).toBe(201);
    expect(json(retried).order.id).toBe(json(declined).order.id);
    expect(json(retried).order.status).toBe("paid");
    const after = await levels(jacket);
    const us = (rows: typeof after) => rows.find((l) => l.warehouse === "us-ontario")!;
    expect(us(after)).toEqual({ warehouse: "us-ontario", on_hand: us(before).on_hand - 2, reserved: 0 });
    const attempts = await app.inject({
      method: "GET",
      url: `/admin/v1/orders/${json(retried).order.id}/payments`,
      headers: adminHeaders,
    });
    expect(json(attempts).items.map((p: { status: string }) => p.status)).toEqual(["failed", "captured"]);
    expect(await outbox("payment.failed", json(retried).order.id)).toHaveLength(1);
  });

  it("passes a 3-D Secure challenge on the gateway's page and settles by webhook", async () => {
    const cart = await readyCart(app, {
      market: "us",
      country: "US",
      items: [{ variant: "CK-SOCKS", quantity: 1 }],
    });
    const res = await complete(app, cart.id, {
      method: "card",
      data: { cardNumber: TEST_CARDS.threeDSecure },
    });
    expect(res.statusCode).toBe(201);
    const { order: placed, payment } = json(res);
    expect(payment.status).toBe("requires_action");
    expect(placed.status).toBe("pending_payment");
    const url = new URL(payment.nextAction.url);
    const page = await app.inject({ method: "GET", url: url.pathname });
    expect(page.body).toContain("Approve");
    const done = await app.inject({
      method: "POST",
      url: `${url.pathname}/complete`,
      payload: { outcome: "succeed" },
    });
    expect(json(done).webhook.status).toBe(200);
    expect((await order(placed.id)).status).toBe("paid");
  });
});

describe("a purchase in Germany", () => {
  it("prices in EUR with 19% VAT included and keeps the rate used", async () => {
    const cart = await readyCart(app, {
      market: "eu",
      country: "DE",
      items: [{ variant: "CK-JACKET", quantity: 1 }],
    });
    expect(cart.currency).toBe("EUR");
    expect(cart.pricesIncludeTax).toBe(true);
    const line = cart.lines[0];
    // VAT contained in a gross amount: round(gross × 0.19 / 1.19).
    expect(line.tax).toBe(Math.round((line.subtotal * 19) / 119));
    expect(cart.totals.total).toBe(cart.totals.subtotal + cart.totals.shipping);
    expect(cart.totals.tax).toBe(line.tax + Math.round((cart.totals.shipping * 19) / 119));
    const res = await complete(app, cart.id, { method: "card", data: { cardNumber: TEST_CARDS.success } });
    expect(res.statusCode, res.body).toBe(201);
    const placed = await order(json(res).order.id);
    expect(placed.currency).toBe("EUR");
    expect(placed.taxTotal).toBe(cart.totals.tax);
    expect(placed.snapshot.fx).toMatchObject({
      base: "USD",
      quote: "EUR",
      rate: expect.any(String),
      rateDate: expect.any(String),
      source: "ecb",
    });
    expect(placed.lines[0].taxRate).toBe("0.19");
    expect(placed.lines[0].priceSource.source).toBe("converted");
  });
});

describe("asynchronous payments in Brazil", () => {
  it("holds stock for a Pix payment until the webhook confirms it", async () => {
    const cart = await readyCart(app, {
      market: "br",
      country: "BR",
      items: [{ variant: "CK-SOCKS", quantity: 3 }],
    });
    const res = await complete(app, cart.id, { method: "pix" });
    expect(res.statusCode, res.body).toBe(201);
    const { order: placed, payment } = json(res);
    expect(payment.status).toBe("pending");
    expect(payment.nextAction.type).toBe("pix_qr");
    expect((await levels(socks)).find((l) => l.warehouse === "us-ontario")!.reserved).toBe(3);

    const ref = (
      await queryRows<{ provider_ref: string }>(
        database.db,
        sql`select provider_ref from payments where id = ${payment.id}`,
      )
    )[0]!.provider_ref;
    const paid = await app.inject({
      method: "POST",
      url: `/test-gateway/payments/${ref}/complete`,
      payload: { outcome: "succeed" },
    });
    expect(json(paid).webhook.status).toBe(200);
    const settled = await order(placed.id);
    expect(settled.status).toBe("paid");
    expect((await levels(socks)).find((l) => l.warehouse === "us-ontario")!.reserved).toBe(0);
  });

  it("cancels the order and releases the stock when a Boleto voucher expires unpaid", async () => {
    const cart = await readyCart(app, {
      market: "br",
      country: "BR",
      items: [{ variant: "CK-JACKET", quantity: 1 }],
    });
    const res = await complete(app, cart.id, { method: "boleto" });
    const { order: placed, payment } = json(res);
    expect(payment.nextAction.type).toBe("boleto");
    const reservedBefore = (await levels(jacket)).find((l) => l.warehouse === "us-ontario")!.reserved;
    // Three days later: the voucher and the hold have lapsed.
    await database.db.execute(
      sql`update inventory_reservations set expires_at = now() - interval '1 minute' where order_id = ${placed.id}`,
    );
    await database.db.execute(
      sql`update test_gateway_payments set expires_at = now() - interval '1 minute' where merchant_reference = ${payment.id}`,
    );
    await expireReservations(ctxOf(database), app.payments);
    const cancelled = await order(placed.id);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.cancelReason).toBe("payment_expired");
    expect((await levels(jacket)).find((l) => l.warehouse === "us-ontario")!.reserved).toBe(
      reservedBefore - 1,
    );
    expect(await outbox("order.cancelled", placed.id)).toHaveLength(1);
    const attempts = json(
      await app.inject({
        method: "GET",
        url: `/admin/v1/orders/${placed.id}/payments`,
        headers: adminHeaders,
      }),
    );
    expect(attempts.items[0].status).toMatch(/^(expired|canceled)$/);
  });
});

describe("an order with nothing to pay", () => {
  it("is paid at once, without a payment attempt, when a discount covers everything", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/admin/v1/discounts",
      headers: adminHeaders,
      payload: {
        code: "ALLFREE",
        title: "Everything free",
        kind: "percentage",
        percentage: 10000,
        combinesWith: { product: true, order: true, shipping: true },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const shipFree = await app.inject({
      method: "POST",
      url: "/admin/v1/discounts",
      headers: adminHeaders,
      payload: {
        code: "SHIPFREE",
        title: "Free shipping",
        kind: "free_shipping",
        combinesWith: { product: true, order: true, shipping: true },
      },
    });
    expect(shipFree.statusCode, shipFree.body).toBe(201);
    const cart = await readyCart(app, {
      market: "us",
      country: "US",
      items: [{ variant: "CK-SOCKS", quantity: 1 }],
      discountCodes: ["ALLFREE", "SHIPFREE"],
    });
    expect(cart.totals.total).toBe(0);
    const before = (await levels(socks)).find((l) => l.warehouse === "us-ontario")!.on_hand;
    const res = await complete(app, cart.id, { method: "card", data: { cardNumber: TEST_CARDS.success } });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ order: { status: "paid", total: 0 }, payment: null });
    const attempts = json(
      await app.inject({
        method: "GET",
        url: `/admin/v1/orders/${json(res).order.id}/payments`,
        headers: adminHeaders,
      }),
    );
    expect(attempts.items).toEqual([]);
    expect((await levels(socks)).find((l) => l.warehouse === "us-ontario")!.on_hand).toBe(before - 1);
    expect(await outbox("order.paid", json(res).order.id)).toHaveLength(1);
  });
});

describe("backorders", () => {
  it("sells a backorderable variant beyond its stock from a warehouse that keeps it, and refuses others", async () => {
    const ctx = ctxOf(database);
    await stockedVariant(ctx, "CK-PREORDER", 8000, { "us-ontario": 1 }, { allowBackorder: true });
    await stockedVariant(ctx, "CK-SOLDOUT", 8000, { "us-ontario": 0 });
    const preorder = await readyCart(app, {
      market: "us",
      country: "US",
      items: [{ variant: "CK-PREORDER", quantity: 3 }],
    });
    expect(preorder.issues).toEqual([]);
    const res = await complete(app, preorder.id, {
      method: "card",
      data: { cardNumber: TEST_CARDS.success },
    });
    expect(res.statusCode, res.body).toBe(201);
    const placed = await order(json(res).order.id);
    expect(placed.snapshot.shipments).toEqual([
      { warehouseId: expect.any(String), items: [{ variantId: placed.lines[0].variantId, quantity: 3 }] },
    ]);
    // One unit was on hand; two are owed to the buyer.
    expect(await levels(placed.lines[0].variantId)).toEqual([
      { warehouse: "us-ontario", on_hand: -2, reserved: 0 },
    ]);

    const created = await app.inject({
      method: "POST",
      url: "/store/v1/carts",
      headers: storeHeaders,
      payload: { market: "us", items: [{ variant: "CK-SOLDOUT", quantity: 1 }] },
    });
    expect(created.statusCode).toBe(409);
    expect(json(created).error.code).toBe("inventory.insufficient_stock");
  });
});

describe("repair after a crash between the steps of a payment update", () => {
  it("settles, rather than cancels, an order whose payment was recorded as captured", async () => {
    const cart = await readyCart(app, {
      market: "br",
      country: "BR",
      items: [{ variant: "CK-SOCKS", quantity: 2 }],
    });
    const res = await complete(app, cart.id, { method: "pix" });
    const { order: placed, payment } = json(res);
    const before = (await levels(socks)).find((l) => l.warehouse === "us-ontario")!;
    // The payment row learned of the capture; the process died before the order and stock did.
    const ctx = ctxOf(database);
    const row = await getPayment(ctx, payment.id);
    await applyProviderPayment(ctx, payment.id, {
      ref: row.providerRef!,
      status: "captured",
      amount: row.amount,
      currency: row.currency,
      capturedAmount: row.amount,
    });
    expect((await order(placed.id)).status).toBe("pending_payment");
    await database.db.execute(
      sql`update inventory_reservations set expires_at = now() where order_id = ${placed.id}`,
    );
    await expireReservations(ctx, app.payments);
    const repaired = await order(placed.id);
    expect(repaired.status).toBe("paid");
    expect((await levels(socks)).find((l) => l.warehouse === "us-ontario")).toEqual({
      warehouse: "us-ontario",
      on_hand: before.on_hand - 2,
      reserved: before.reserved - 2,
    });
    expect(await outbox("order.paid", placed.id)).toHaveLength(1);
  });
});

describe("automatic discounts at the storefront", () => {
  it("stop applying once their usage limit is reached, although they are cached per instance", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/admin/v1/discounts",
      headers: adminHeaders,
      payload: {
        title: "First buyer gets 10 %",
        kind: "percentage",
        percentage: 1000,
        usageLimit: 1,
        combinesWith: { product: true, order: true, shipping: true },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const first = await readyCart(app, {
      market: "us",
      country: "US",
      items: [{ variant: "CK-SOCKS", quantity: 2 }],
    });
    expect(first.discounts.applied.map((d: { title: string }) => d.title)).toEqual(["First buyer gets 10 %"]);
    expect(first.totals.discount).toBe(300);
    const paid = await complete(app, first.id, { method: "card", data: { cardNumber: TEST_CARDS.success } });
    expect(paid.statusCode, paid.body).toBe(201);

    // The redemption used the discount up; the table's trigger tells every instance's cache.
    const second = await readyCart(app, {
      market: "us",
      country: "US",
      items: [{ variant: "CK-SOCKS", quantity: 2 }],
    });
    let view = second;
    for (let i = 0; i < 100 && view.discounts.applied.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = json(
        await app.inject({ method: "GET", url: `/store/v1/carts/${second.id}`, headers: storeHeaders }),
      );
    }
    expect(view.discounts.applied).toEqual([]);
    expect(view.totals.discount).toBe(0);
  });
});
