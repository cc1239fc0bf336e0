import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeFake } from "../../../test/fakes/stripe-fake.ts";
import { newId } from "../../kernel/ids.ts";
import type { CreatePaymentRequest, ProviderWebhookEvent } from "./payment-provider.ts";
import { StripePaymentProvider } from "./stripe.provider.ts";

let fake: StripeFake;
let stripe: StripePaymentProvider;

beforeAll(async () => {
  fake = await StripeFake.start();
  stripe = new StripePaymentProvider({ ...fake.providerOptions(), returnUrl: "http://localhost:3000" });
});
afterAll(() => fake.close());

function create(overrides: Partial<CreatePaymentRequest> = {}) {
  return stripe.create({
    paymentId: newId("pay"),
    amount: 1999,
    currency: "EUR",
    method: "card",
    captureMode: "automatic",
    data: { paymentMethod: "pm_card_visa" },
    customer: { email: "ana@example.com", country: "DE" },
    ...overrides,
  });
}

/** Stripe's latest event of `type` about the payment, delivered and parsed. */
async function delivered(ref: string, type: string): Promise<ProviderWebhookEvent> {
  const event = fake.lastEvent(ref, type);
  const { body, headers } = fake.sign(event);
  const parsed = await stripe.parseWebhook(body, headers);
  expect(parsed).toMatchObject({ id: event.id, type });
  return parsed;
}

describe("Stripe webhooks in our terms", () => {
  it("payment_intent.succeeded → captured", async () => {
    const p = await create();
    expect((await delivered(p.ref, "payment_intent.succeeded")).payment).toMatchObject({
      ref: p.ref,
      status: "captured",
      amount: 1999,
      currency: "EUR",
      capturedAmount: 1999,
    });
  });

  it("payment_intent.amount_capturable_updated → authorized", async () => {
    const p = await create({ captureMode: "manual" });
    expect((await delivered(p.ref, "payment_intent.amount_capturable_updated")).payment).toMatchObject({
      status: "authorized",
      capturedAmount: 0,
    });
  });

  it("payment_intent.requires_action → a redirect to follow, or a Pix code to pay", async () => {
    const challenge = await create({ data: { paymentMethod: "pm_card_threeDSecure2Required" } });
    expect((await delivered(challenge.ref, "payment_intent.requires_action")).payment).toMatchObject({
      status: "requires_action",
      nextAction: { type: "redirect", url: `${fake.url}/fake/3ds/${challenge.ref}` },
    });
    const pix = await create({ method: "pix", currency: "BRL", data: {} });
    const event = await delivered(pix.ref, "payment_intent.requires_action");
    expect(event.payment).toMatchObject({
      status: "pending",
      nextAction: { type: "pix_qr" },
      expiresAt: pix.expiresAt,
    });
  });

  it("payment_intent.processing → pending without instructions", async () => {
    const customer = { email: "ana@example.com", name: "Ana Souza", country: "BR", taxId: "123.456.789-09" };
    const address = { line1: "Av. Paulista 1000", city: "São Paulo", state: "SP", postalCode: "01310-100" };
    const p = await create({
      method: "boleto",
      currency: "BRL",
      customer,
      data: { billingAddress: address },
    });
    fake.process(p.ref);
    expect((await delivered(p.ref, "payment_intent.processing")).payment).toMatchObject({
      status: "pending",
      nextAction: null,
    });
    fake.succeed(p.ref);
    expect((await delivered(p.ref, "payment_intent.succeeded")).payment).toMatchObject({
      status: "captured",
    });
  });

  it("payment_intent.payment_failed → failed with the decline reason, or expired", async () => {
    const declined = await create({ data: { paymentMethod: "pm_card_chargeDeclinedInsufficientFunds" } });
    expect((await delivered(declined.ref, "payment_intent.payment_failed")).payment).toMatchObject({
      status: "failed",
      failureCode: "insufficient_funds",
    });
    const pix = await create({ method: "pix", currency: "BRL", data: {} });
    fake.expire(pix.ref);
    expect((await delivered(pix.ref, "payment_intent.payment_failed")).payment).toMatchObject({
      status: "expired",
      failureCode: "expired",
    });
  });

  it("payment_intent.canceled → canceled", async () => {
    const p = await create({ captureMode: "manual" });
    await stripe.cancel(p.ref, "void");
    expect((await delivered(p.ref, "payment_intent.canceled")).payment).toMatchObject({ status: "canceled" });
  });

  it("charge.refunded → partially refunded, then refunded", async () => {
    const p = await create();
    await stripe.refund(p.ref, 500, "r1");
    expect((await delivered(p.ref, "charge.refunded")).payment).toMatchObject({
      ref: p.ref,
      status: "partially_refunded",
      capturedAmount: 1999,
    });
    await stripe.refund(p.ref, 1499, "r2");
    expect((await delivered(p.ref, "charge.refunded")).payment).toMatchObject({ status: "refunded" });
  });

  it("acknowledges other events without a payment", async () => {
    const p = await create();
    await stripe.refund(p.ref, 500, "r1");
    expect((await delivered(p.ref, "payment_intent.created")).payment).toBeUndefined();
    expect((await delivered(p.ref, "refund.created")).payment).toBeUndefined();
  });
});

describe("Stripe webhook verification", () => {
  it("accepts a header the SDK's own test helper signs, like the fake's", async () => {
    const p = await create();
    const event = fake.lastEvent(p.ref, "payment_intent.succeeded");
    const { body, headers } = fake.sign(event, { timestamp: 1_900_000_000 });
    const sdkHeader = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: fake.webhookSecret,
      timestamp: 1_900_000_000,
    });
    expect(headers["stripe-signature"]).toBe(sdkHeader);
  });

  it("refuses a signature header given twice", async () => {
    const p = await create();
    const { body, headers } = fake.sign(fake.lastEvent(p.ref));
    const sig = headers["stripe-signature"]!;
    await expect(stripe.parseWebhook(body, { "stripe-signature": [sig, sig] })).rejects.toMatchObject({
      status: 400,
      code: "payment.webhook_signature",
    });
  });

  it("refuses a correctly signed body that is not an event", async () => {
    const { body, headers } = fake.sign("not json");
    await expect(stripe.parseWebhook(body, headers)).rejects.toMatchObject({
      status: 400,
      code: "payment.webhook_invalid",
    });
    const empty = fake.sign({ hello: "world" });
    await expect(stripe.parseWebhook(empty.body, empty.headers)).rejects.toMatchObject({
      code: "payment.webhook_invalid",
    });
  });
});
