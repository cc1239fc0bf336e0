import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeFake } from "../../../test/fakes/stripe-fake.ts";
import { adminHeaders, ctxOf, TEST_CONFIG } from "../../../test/support/fixtures.ts";
import { complete, json, readyCart, setupSelling, stockedVariant } from "../../../test/support/selling.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { type App, buildApp } from "../../http/app.ts";
import { getMarket } from "../markets/index.ts";
import { getPayment, setMarketMethods } from "./index.ts";

// A journey through the whole shop with Stripe as the provider: the checkout calls the provider
// through the SDK, the fake plays the buyer and Stripe, and its signed webhooks come back in
// through /webhooks/payments/stripe.
let database: Database;
let fake: StripeFake;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await StripeFake.start();
  const ctx = ctxOf(database);
  await setupSelling(ctx);
  await stockedVariant(ctx, "ST-TEE", 2500, { "us-ontario": 20 });
  await setMarketMethods(ctx, (await getMarket(ctx, "br")).id, [
    { provider: "stripe", method: "card", captureMode: "automatic" },
    { provider: "stripe", method: "pix", captureMode: "automatic" },
  ]);
  app = await buildApp({
    config: { ...TEST_CONFIG, stripe: fake.providerOptions() },
    database,
    logger: false,
  });
});

afterAll(async () => {
  await app?.close();
  await fake?.close();
  await database?.close();
});

const brazilCart = () =>
  readyCart(app, { market: "br", country: "BR", items: [{ variant: "ST-TEE", quantity: 1 }] });

async function orderStatus(id: string): Promise<string> {
  const res = await app.inject({ method: "GET", url: `/admin/v1/orders/${id}`, headers: adminHeaders });
  return json(res).status;
}

function deliver(webhook: { body: string; headers: Record<string, string> }) {
  return app.inject({
    method: "POST",
    url: "/webhooks/payments/stripe",
    headers: webhook.headers,
    payload: webhook.body,
  });
}

describe("checkout with Stripe", () => {
  it("charges a card for the order total in one PaymentIntent keyed by the payment id", async () => {
    const cart = await brazilCart();
    const res = await complete(app, cart.id, {
      provider: "stripe",
      method: "card",
      data: { paymentMethod: "pm_card_visa" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { order, payment } = json(res);
    expect(order.status).toBe("paid");
    expect(payment).toMatchObject({
      provider: "stripe",
      status: "captured",
      amount: cart.totals.total,
      currency: "BRL",
    });
    const [intent] = fake.intentsFor(payment.id);
    expect(intent).toMatchObject({ amount: cart.totals.total, currency: "brl", status: "succeeded" });
    expect(fake.requests.find((r) => r.path === "/v1/payment_intents")?.idempotencyKey).toBe(payment.id);
  });

  it("takes a second card after a decline", async () => {
    const cart = await brazilCart();
    const declined = await complete(app, cart.id, {
      provider: "stripe",
      method: "card",
      data: { paymentMethod: "pm_card_chargeDeclinedInsufficientFunds" },
    });
    expect(declined.statusCode).toBe(402);
    expect(json(declined).payment).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
    const paid = await complete(app, cart.id, {
      provider: "stripe",
      method: "card",
      data: { paymentMethod: "pm_card_visa" },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(json(paid).order).toMatchObject({ id: json(declined).order.id, status: "paid" });
  });

  it("settles a Pix payment when Stripe's signed webhook arrives, once", async () => {
    const cart = await brazilCart();
    const res = await complete(app, cart.id, { provider: "stripe", method: "pix" });
    expect(res.statusCode, res.body).toBe(201);
    const { order, payment } = json(res);
    expect(payment).toMatchObject({ status: "pending", nextAction: { type: "pix_qr" } });
    expect(await orderStatus(order.id)).toBe("pending_payment");

    const ref = (await getPayment(ctxOf(database), payment.id)).providerRef!;
    fake.succeed(ref);
    const webhook = fake.sign(fake.lastEvent(ref, "payment_intent.succeeded"));
    const forged = await deliver({ ...webhook, body: webhook.body.replace('"succeeded"', '"canceled"') });
    expect(forged.statusCode).toBe(400);
    expect(json(forged).error.code).toBe("payment.webhook_signature");
    expect(await orderStatus(order.id)).toBe("pending_payment");

    const first = await deliver(webhook);
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toEqual({ status: "applied" });
    expect(await orderStatus(order.id)).toBe("paid");
    expect(json(await deliver(webhook))).toEqual({ status: "duplicate" });
  });

  it("refunds through Stripe from the Admin API, once per key", async () => {
    const cart = await brazilCart();
    const res = await complete(app, cart.id, {
      provider: "stripe",
      method: "card",
      data: { paymentMethod: "pm_card_visa" },
    });
    const { order, payment } = json(res);
    const refund = () =>
      app.inject({
        method: "POST",
        url: `/admin/v1/orders/${order.id}/refunds`,
        headers: { ...adminHeaders, "idempotency-key": `refund-${order.id}` },
        payload: { amount: 1000 },
      });
    expect((await refund()).statusCode).toBe(201);
    expect((await refund()).statusCode).toBe(201);
    const [intent] = fake.intentsFor(payment.id);
    expect(fake.book.charges.get(intent!.latest_charge!)).toMatchObject({
      amount_refunded: 1000,
      refunded: false,
    });
  });
});
