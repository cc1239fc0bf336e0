import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseForm } from "./form.ts";
import { StripeFake } from "./stripe-fake.ts";

describe("form bodies", () => {
  it("nests brackets into objects and arrays", () => {
    expect(
      parseForm(
        "amount=1999&metadata[payment_id]=pay_1&allowed_payment_method_types[0]=card&expand[]=latest_charge&expand[]=x" +
          "&payment_method_data[billing_details][address][line1]=Av.%20Paulista%201000&return_url=https%3A%2F%2Fa.example%2F%3Fq%3D1",
      ),
    ).toEqual({
      amount: "1999",
      metadata: { payment_id: "pay_1" },
      allowed_payment_method_types: ["card"],
      expand: ["latest_charge", "x"],
      payment_method_data: { billing_details: { address: { line1: "Av. Paulista 1000" } } },
      return_url: "https://a.example/?q=1",
    });
  });

  it("reads encoded brackets and keeps numeric-looking object keys with gaps as objects", () => {
    expect(parseForm("a%5B0%5D=x&a%5B1%5D=y&b[2]=z")).toEqual({ a: ["x", "y"], b: { 2: "z" } });
  });

  it.each(["a]=1", "a[b]=1&a=2", "a=1&a[b]=2", "a=1&a=2", "__proto__[x]=1", "a[constructor]=1"])(
    "refuses %s",
    (body) => {
      expect(() => parseForm(body)).toThrow();
    },
  );
});

describe("the fake Stripe API", () => {
  let fake: StripeFake;
  let client: Stripe;
  beforeAll(async () => {
    fake = await StripeFake.start();
    client = new Stripe(fake.secretKey, {
      host: "127.0.0.1",
      port: fake.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
  });
  afterAll(() => fake.close());

  const params = (
    overrides: Partial<Stripe.PaymentIntentCreateParams> = {},
  ): Stripe.PaymentIntentCreateParams => ({
    amount: 1000,
    currency: "eur",
    allowed_payment_method_types: ["card"],
    payment_method: "pm_card_visa",
    confirm: true,
    ...overrides,
  });

  it("wants the secret key", async () => {
    const stranger = new Stripe("sk_test_other", { host: "127.0.0.1", port: fake.port, protocol: "http" });
    await expect(stranger.paymentIntents.create(params())).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    expect(fake.book.intents.size).toBe(0);
  });

  it("replays a key's first answer and refuses the key for other parameters", async () => {
    const first = await client.paymentIntents.create(params(), { idempotencyKey: "k1" });
    const again = await client.paymentIntents.create(params(), { idempotencyKey: "k1" });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    await expect(
      client.paymentIntents.create(params({ amount: 2000 }), { idempotencyKey: "k1" }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(fake.book.intents.size).toBe(1);
  });

  it("answers a decline with 402 and the failed PaymentIntent, and replays it", async () => {
    const decline = () =>
      client.paymentIntents
        .create(params({ payment_method: "pm_card_chargeDeclined" }), { idempotencyKey: "k2" })
        .then(
          () => Promise.reject(new Error("the card should be declined")),
          (e: Stripe.errors.StripeCardError) => e,
        );
    const error = await decline();
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "generic_decline" });
    expect(error.payment_intent).toMatchObject({ status: "requires_payment_method" });
    expect((await decline()).payment_intent?.id).toBe(error.payment_intent?.id);
  });

  it("refuses parameters this API version does not have", async () => {
    const old = { ...params(), payment_method_types: ["card"] } as Stripe.PaymentIntentCreateParams;
    await expect(client.paymentIntents.create(old)).rejects.toMatchObject({
      code: "parameter_unknown",
      param: "payment_method_types",
    });
  });

  it("refuses a currency a method does not take", async () => {
    await expect(
      client.paymentIntents.create(
        params({
          allowed_payment_method_types: ["pix"],
          payment_method: undefined,
          payment_method_data: { type: "pix" },
        }),
      ),
    ).rejects.toMatchObject({ code: "payment_intent_invalid_parameter", param: "currency" });
  });

  it("says 404 for an unknown PaymentIntent and for an unknown path", async () => {
    await expect(client.paymentIntents.retrieve("pi_nope")).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
    await expect(client.customers.create({})).rejects.toMatchObject({ statusCode: 404 });
  });
});
