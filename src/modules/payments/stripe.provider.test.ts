import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeFake } from "../../../test/fakes/stripe-fake.ts";
import { newId } from "../../kernel/ids.ts";
import type { CreatePaymentRequest } from "./payment-provider.ts";
import { StripePaymentProvider } from "./stripe.provider.ts";

let fake: StripeFake;
let stripe: StripePaymentProvider;
const RETURN_URL = "http://localhost:3000";
const BRAZIL = {
  line1: "Av. Paulista 1000",
  city: "São Paulo",
  state: "SP",
  postalCode: "01310-100",
  country: "BR",
};

beforeAll(async () => {
  fake = await StripeFake.start();
  stripe = new StripePaymentProvider({ ...fake.providerOptions(), returnUrl: RETURN_URL });
});
afterAll(() => fake.close());

function request(overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest {
  return {
    paymentId: newId("pay"),
    amount: 1999,
    currency: "EUR",
    method: "card",
    captureMode: "automatic",
    data: { paymentMethod: "pm_card_visa" },
    customer: { email: "ana@example.com", name: "Ana Souza", country: "BR", taxId: "123.456.789-09" },
    ...overrides,
  };
}

const intentOf = (ref: string) => fake.book.intent(ref);
const requestCount = () => fake.requests.length;

describe("creating PaymentIntents", () => {
  it("creates and confirms in one form-encoded call keyed by our payment id", async () => {
    const req = request();
    const p = await stripe.create(req);
    const sent = fake.requests.at(-1)!;
    expect(sent).toEqual({
      method: "POST",
      path: "/v1/payment_intents",
      idempotencyKey: req.paymentId,
      replayed: false,
    });
    expect(intentOf(p.ref)).toMatchObject({
      amount: 1999,
      currency: "eur",
      capture_method: "automatic",
      metadata: { payment_id: req.paymentId },
      allowed_payment_method_types: ["card"],
      payment_method: "pm_card_visa",
      status: "succeeded",
    });
    await stripe.create(req);
    expect(fake.requests.at(-1)).toMatchObject({ idempotencyKey: req.paymentId, replayed: true });
  });

  it.each([
    ["JPY", 3880, 3880], // zero-decimal at both
    ["ISK", 5000, 500_000], // ISO has no decimals, Stripe keeps two
    ["MGA", 12_300, 123], // ISO has two, Stripe none
    ["KWD", 12_340, 12_340], // three decimals, last digit 0
  ])("sends %s %i as %i in Stripe's units and reads it back", async (currency, amount, stripeAmount) => {
    const p = await stripe.create(request({ currency, amount }));
    expect(intentOf(p.ref)).toMatchObject({ amount: stripeAmount, currency: currency.toLowerCase() });
    expect(p).toMatchObject({ amount, currency, capturedAmount: amount, status: "captured" });
  });

  it.each([
    ["KWD", 12_345],
    ["MGA", 12_345],
  ])("refuses %s %i, which Stripe cannot charge, without calling it", async (currency, amount) => {
    const before = requestCount();
    await expect(stripe.create(request({ currency, amount }))).rejects.toMatchObject({
      status: 400,
      code: "payment.amount_unsupported",
    });
    expect(requestCount()).toBe(before);
  });

  it("needs a PaymentMethod id for a card, checked before calling Stripe", async () => {
    const before = requestCount();
    await expect(stripe.create(request({ data: { cardNumber: "4242424242424242" } }))).rejects.toMatchObject({
      status: 400,
      code: "payment.method_data_invalid",
    });
    expect(requestCount()).toBe(before);
  });

  it("turns a PaymentMethod Stripe does not know into a 400 and creates nothing", async () => {
    const req = request({ data: { paymentMethod: "pm_card_unknown" } });
    await expect(stripe.create(req)).rejects.toMatchObject({
      status: 400,
      code: "payment.method_data_invalid",
    });
    expect(fake.intentsFor(req.paymentId)).toHaveLength(0);
  });

  it("refuses manual capture for a method that cannot hold funds", async () => {
    await expect(
      stripe.create(request({ method: "pix", currency: "BRL", captureMode: "manual", data: {} })),
    ).rejects.toMatchObject({ status: 400, code: "payment.capture_mode_unsupported" });
  });

  it("asks Stripe for a Pix code that lasts 30 minutes", async () => {
    const before = Date.now();
    const p = await stripe.create(request({ method: "pix", currency: "BRL", amount: 13_390, data: {} }));
    const expires = Date.parse(p.expiresAt!);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 1_800_000);
    expect(expires).toBeLessThanOrEqual(before + 1_800_000 + 2000);
  });

  it("sends a Boleto's CPF and address, and reports one missing as bad method data", async () => {
    const p = await stripe.create(
      request({ method: "boleto", currency: "BRL", data: { billingAddress: BRAZIL } }),
    );
    expect(p).toMatchObject({ status: "pending", nextAction: { type: "boleto" } });
    const bare = request({ method: "boleto", currency: "BRL", data: {} });
    await expect(stripe.create(bare)).rejects.toMatchObject({
      status: 400,
      code: "payment.method_data_invalid",
    });
    expect(fake.intentsFor(bare.paymentId)).toHaveLength(0);
  });

  it("uses the shop's return URL for a challenge when the checkout gives none", async () => {
    const p = await stripe.create(request({ data: { paymentMethod: "pm_card_threeDSecure2Required" } }));
    expect(p.nextAction).toMatchObject({ type: "redirect" });
    expect(intentOf(p.ref).next_action).toMatchObject({ redirect_to_url: { return_url: RETURN_URL } });
  });

  it("answers a repeated create with other details with the first payment", async () => {
    const req = request();
    const first = await stripe.create(req);
    const again = await stripe.create({ ...req, amount: 2500 });
    expect(again).toMatchObject({ ref: first.ref, amount: 1999 });
    expect(fake.intentsFor(req.paymentId)).toHaveLength(1);
  });

  it("finds a payment whose id needs quoting in Stripe's search language", async () => {
    const req = request({ paymentId: "pay_o'brien\\1" });
    const p = await stripe.create(req);
    expect(await stripe.findByPaymentId(req.paymentId)).toMatchObject({ ref: p.ref, status: "captured" });
  });
});

describe("captures, cancellations and refunds", () => {
  it("scopes keys to the payment and the call, and hashes long ones", async () => {
    const p = await stripe.create(request());
    const key = "k".repeat(300);
    const refund = await stripe.refund(p.ref, 500, key);
    expect(fake.requests.at(-1)!.idempotencyKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await stripe.refund(p.ref, 500, key)).toEqual(refund);
    await stripe.refund(p.ref, 100, "short");
    expect(fake.requests.at(-1)!.idempotencyKey).toBe(`refund:${p.ref}:short`);
  });

  it("rejects a key reused for a different refund", async () => {
    const p = await stripe.create(request());
    await stripe.refund(p.ref, 500, "same");
    await expect(stripe.refund(p.ref, 600, "same")).rejects.toMatchObject({
      status: 409,
      code: "payment.idempotency_conflict",
    });
    expect(fake.book.charges.get(intentOf(p.ref).latest_charge!)!.amount_refunded).toBe(500);
  });

  it("cancels a Pix payment still waiting to be paid", async () => {
    const p = await stripe.create(request({ method: "pix", currency: "BRL", data: {} }));
    expect(await stripe.cancel(p.ref, "void")).toMatchObject({ status: "canceled", nextAction: null });
  });
});

describe("failures of Stripe itself", () => {
  it("reports a rejected API key as a provider error", async () => {
    const wrong = new StripePaymentProvider({
      ...fake.providerOptions(),
      secretKey: "sk_test_wrong",
      returnUrl: RETURN_URL,
    });
    await expect(wrong.create(request())).rejects.toMatchObject({
      status: 502,
      code: "payment.provider_error",
    });
  });

  it("reports an unreachable API as unavailable", async () => {
    const gone = await StripeFake.start();
    const options = gone.providerOptions();
    await gone.close();
    const offline = new StripePaymentProvider({ ...options, returnUrl: RETURN_URL, maxNetworkRetries: 0 });
    await expect(offline.retrieve("pi_123")).rejects.toMatchObject({
      status: 502,
      code: "payment.provider_unavailable",
    });
  });
});
