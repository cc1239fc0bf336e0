import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../kernel/errors.ts";
import { newId } from "../../kernel/ids.ts";
import type { CreatePaymentRequest, PaymentProvider, ProviderPayment } from "./payment-provider.ts";

type MethodData = Record<string, unknown>;

/** What a provider's test setup gives the shared suite: the provider and the buyer's side of its test mode. */
export interface ContractHarness {
  provider: PaymentProvider;
  /** Card data that pays at once, is declined, lacks funds, or asks for a 3-D Secure challenge. */
  succeedCard(): MethodData;
  declineCard(): MethodData;
  insufficientCard(): MethodData;
  challengeCard(): MethodData;
  /** The buyer's side of a payment that waits: pays it (or passes the challenge), fails it, or lets it run out. */
  completeAction(ref: string, outcome: "succeed" | "fail" | "expire"): Promise<void>;
  /** A delivery of the provider's latest webhook about the payment, signed as the provider signs it. */
  signedWebhookFor(
    ref: string,
    opts?: { secret?: string; timestamp?: number },
  ): Promise<{ body: string; headers: Record<string, string> }>;
  /** How many payments the provider holds for one of our payment ids. */
  attempts(paymentId: string): Promise<number>;
  cleanup(): Promise<void>;
}

const BRAZIL = {
  line1: "Av. Paulista 1000",
  city: "São Paulo",
  state: "SP",
  postalCode: "01310-100",
  country: "BR",
};

function request(overrides: Partial<CreatePaymentRequest> & { data: MethodData }): CreatePaymentRequest {
  return {
    paymentId: newId("pay"),
    amount: 1999,
    currency: "EUR",
    method: "card",
    captureMode: "automatic",
    returnUrl: "https://shop.example/checkout/return",
    customer: { email: "ana@example.com", name: "Ana Souza", country: "BR", taxId: "123.456.789-09" },
    ...overrides,
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

/**
 * The behaviour every PaymentProvider owes the checkout, written once and run against each
 * implementation (the built-in test gateway, Stripe against its local fake).
 * @example describePaymentProviderContract("stripe", async () => ({ provider, succeedCard: () => ({ paymentMethod: "pm_card_visa" }), … }))
 */
export function describePaymentProviderContract(name: string, make: () => Promise<ContractHarness>): void {
  describe(`${name}: PaymentProvider contract`, () => {
    let h: ContractHarness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(() => h?.cleanup());

    const create = (overrides: Partial<CreatePaymentRequest> & { data: MethodData }) =>
      h.provider.create(request(overrides));
    const captured = () => create({ data: h.succeedCard() });
    const authorized = () => create({ data: h.succeedCard(), captureMode: "manual" });

    it.each([
      [1999, "EUR"],
      [3880, "JPY"],
      [12_340, "KWD"],
    ])("captures a card that pays at once, echoing %i %s", async (amount, currency) => {
      const p = await create({ data: h.succeedCard(), amount, currency });
      expect(p).toMatchObject({ status: "captured", amount, currency, capturedAmount: amount });
      expect(p.failureCode ?? null).toBeNull();
      expect(await h.provider.retrieve(p.ref)).toMatchObject({
        ref: p.ref,
        status: "captured",
        capturedAmount: amount,
      });
    });

    it("authorizes with manual capture, then captures once under one key", async () => {
      const p = await authorized();
      expect(p).toMatchObject({ status: "authorized", amount: 1999, capturedAmount: 0 });
      const first = await h.provider.capture(p.ref, 1999, `capture:${p.ref}`);
      expect(first).toMatchObject({ ref: p.ref, status: "captured", capturedAmount: 1999 });
      expect(await h.provider.capture(p.ref, 1999, `capture:${p.ref}`)).toMatchObject({
        status: "captured",
        capturedAmount: 1999,
      });
      // A capture of a payment already captured (a lost answer, another key) returns it as it is.
      expect(await h.provider.capture(p.ref, 1999, `again:${p.ref}`)).toMatchObject({
        status: "captured",
        capturedAmount: 1999,
      });
    });

    it("captures less than authorized, and refuses more", async () => {
      const p = await authorized();
      await rejectsWith(h.provider.capture(p.ref, 2000, `too-much:${p.ref}`), "payment.invalid_amount");
      expect(await h.provider.retrieve(p.ref)).toMatchObject({ status: "authorized", capturedAmount: 0 });
      expect(await h.provider.capture(p.ref, 1500, `part:${p.ref}`)).toMatchObject({
        status: "captured",
        amount: 1999,
        capturedAmount: 1500,
      });
    });

    it.each([
      ["declined", "card_declined"],
      ["insufficient", "insufficient_funds"],
    ] as const)("reports a %s card as a failed payment with its code", async (kind, failureCode) => {
      const data = kind === "declined" ? h.declineCard() : h.insufficientCard();
      const p = await create({ data });
      expect(p).toMatchObject({ status: "failed", failureCode, capturedAmount: 0 });
      expect(await h.provider.retrieve(p.ref)).toMatchObject({ status: "failed", failureCode });
    });

    it("sends a 3-D Secure card to a challenge, captured once passed", async () => {
      const p = await create({ data: h.challengeCard() });
      expect(p).toMatchObject({
        status: "requires_action",
        capturedAmount: 0,
        nextAction: { type: "redirect" },
      });
      expect((p.nextAction as { url: string }).url).toMatch(/^https?:\/\/\S+$/);
      await h.completeAction(p.ref, "succeed");
      const done = await h.provider.retrieve(p.ref);
      expect(done).toMatchObject({ status: "captured", capturedAmount: 1999 });
      expect(done.nextAction ?? null).toBeNull();
    });

    it("fails a payment whose 3-D Secure challenge fails", async () => {
      const p = await create({ data: h.challengeCard() });
      await h.completeAction(p.ref, "fail");
      expect(await h.provider.retrieve(p.ref)).toMatchObject({
        status: "failed",
        failureCode: "authentication_failed",
      });
    });

    it.each([
      ["pix", "pix_qr"],
      ["boleto", "boleto"],
    ])("keeps a %s payment pending with its instructions until it is paid", async (method, type) => {
      const before = Date.now();
      const p = await create({ method, amount: 13_390, currency: "BRL", data: { billingAddress: BRAZIL } });
      expect(p).toMatchObject({
        status: "pending",
        amount: 13_390,
        currency: "BRL",
        capturedAmount: 0,
        nextAction: { type },
      });
      const action = p.nextAction as {
        qrCode?: string;
        barcode?: string;
        voucherUrl?: string;
        expiresAt: string;
      };
      if (type === "pix_qr") expect(action.qrCode).toMatch(/^000201/);
      else
        expect(action).toMatchObject({
          barcode: expect.stringMatching(/^\d{47}$/),
          voucherUrl: expect.stringMatching(/^https?:/),
        });
      expect(p.expiresAt).toBe(action.expiresAt);
      const expires = Date.parse(action.expiresAt);
      expect(expires).toBeGreaterThan(before);
      expect(expires).toBeLessThanOrEqual(before + 4 * 86_400_000);
      expect(await h.provider.retrieve(p.ref)).toMatchObject({ status: "pending", nextAction: { type } });
      await h.completeAction(p.ref, "succeed");
      expect(await h.provider.retrieve(p.ref)).toMatchObject({ status: "captured", capturedAmount: 13_390 });
    });

    it("expires a Pix code nobody paid", async () => {
      const p = await create({ method: "pix", amount: 5000, currency: "BRL", data: {} });
      await h.completeAction(p.ref, "expire");
      expect(await h.provider.retrieve(p.ref)).toMatchObject({ status: "expired", capturedAmount: 0 });
    });

    it.each(["ideal", "bancontact", "paypal"])(
      "redirects a %s payment and captures it on approval",
      async (method) => {
        const p = await create({ method, data: {} });
        expect(p).toMatchObject({ status: "requires_action", nextAction: { type: "redirect" } });
        await h.completeAction(p.ref, "succeed");
        expect(await h.provider.retrieve(p.ref)).toMatchObject({ status: "captured", capturedAmount: 1999 });
      },
    );

    it("refuses a method it does not offer", async () => {
      await rejectsWith(create({ method: "carrier_pigeon", data: {} }), "payment.method_unsupported");
    });

    it("creates one payment per payment id, however often it is sent", async () => {
      const req = request({ data: h.succeedCard() });
      const first = await h.provider.create(req);
      const again = await h.provider.create(req);
      expect(again).toMatchObject({ ref: first.ref, status: "captured", capturedAmount: 1999 });
      expect(await h.attempts(req.paymentId)).toBe(1);
    });

    it("cancels an authorized payment, after which it cannot be captured", async () => {
      const p = await authorized();
      expect(await h.provider.cancel(p.ref, `void:${p.ref}`)).toMatchObject({
        ref: p.ref,
        status: "canceled",
        capturedAmount: 0,
      });
      expect(await h.provider.cancel(p.ref, `void:${p.ref}`)).toMatchObject({ status: "canceled" });
      expect(await h.provider.cancel(p.ref, `void-again:${p.ref}`)).toMatchObject({ status: "canceled" });
      await rejectsWith(h.provider.capture(p.ref, 1999, `capture:${p.ref}`), "payment.not_capturable");
    });

    it("refuses to cancel a captured payment (refund it instead)", async () => {
      const p = await captured();
      await rejectsWith(h.provider.cancel(p.ref, `void:${p.ref}`), "payment.not_cancelable");
      expect(await h.provider.retrieve(p.ref)).toMatchObject({ status: "captured", capturedAmount: 1999 });
    });

    it("refunds in parts, once per key, and never more than was captured", async () => {
      const p = await captured();
      const part = await h.provider.refund(p.ref, 500, "r1");
      expect(part).toMatchObject({ status: "succeeded", amount: 500 });
      expect(await h.provider.refund(p.ref, 500, "r1")).toEqual(part);
      expect(await h.provider.retrieve(p.ref)).toMatchObject({
        status: "partially_refunded",
        capturedAmount: 1999,
      });
      const rest = await h.provider.refund(p.ref, 1499, "r2");
      expect(rest).toMatchObject({ status: "succeeded", amount: 1499 });
      expect(rest.ref).not.toBe(part.ref);
      expect(await h.provider.retrieve(p.ref)).toMatchObject({ status: "refunded" });
      await rejectsWith(h.provider.refund(p.ref, 1, "r3"), "payment.refund_exceeds_captured");
    });

    it("refuses to refund a payment that captured nothing", async () => {
      const p = await authorized();
      await rejectsWith(h.provider.refund(p.ref, 100, "r1"), "payment.refund_exceeds_captured");
    });

    it("finds a payment by our payment id, and nothing for an id it never saw", async () => {
      const req = request({ data: h.succeedCard(), captureMode: "manual" });
      const p = await h.provider.create(req);
      expect(await h.provider.findByPaymentId(req.paymentId)).toMatchObject({
        ref: p.ref,
        status: "authorized",
      });
      expect(await h.provider.findByPaymentId(newId("pay"))).toBeNull();
      await rejectsWith(h.provider.retrieve(`${p.ref}x`), "payment.provider_unknown_payment");
    });

    describe("webhooks", () => {
      let p: ProviderPayment;
      beforeAll(async () => {
        p = await captured();
      });
      const rejected = async (body: string, headers: Record<string, string | string[] | undefined>) => {
        const parsing = h.provider.parseWebhook(body, headers);
        await expect(parsing).rejects.toBeInstanceOf(ValidationError);
        await rejectsWith(parsing, "payment.webhook_signature");
      };

      it("parses a correctly signed event about the payment", async () => {
        const { body, headers } = await h.signedWebhookFor(p.ref);
        const event = await h.provider.parseWebhook(body, headers);
        expect(event.id).toEqual(expect.any(String));
        expect(event.payment).toMatchObject({
          ref: p.ref,
          status: "captured",
          amount: 1999,
          currency: "EUR",
          capturedAmount: 1999,
        });
        // A redelivery carries the same event id, which is how replays are recognised.
        expect((await h.provider.parseWebhook(body, headers)).id).toBe(event.id);
      });

      it("rejects a tampered body", async () => {
        const { body, headers } = await h.signedWebhookFor(p.ref);
        await rejected(body.replace("1999", "1"), headers);
      });

      it("rejects a signature made with another secret", async () => {
        const { body, headers } = await h.signedWebhookFor(p.ref, {
          secret: "whsec_not_the_endpoint_secret_0123",
        });
        await rejected(body, headers);
      });

      it("rejects a stale timestamp", async () => {
        const { body, headers } = await h.signedWebhookFor(p.ref, {
          timestamp: Math.floor(Date.now() / 1000) - 3600,
        });
        await rejected(body, headers);
      });

      it("rejects a delivery without a signature", async () => {
        const { body } = await h.signedWebhookFor(p.ref);
        await rejected(body, { "content-type": "application/json" });
      });
    });
  });
}
