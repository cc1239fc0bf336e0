import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { failureCodeOf, fromStripeAmount, toProviderPayment, toStripeAmount } from "./stripe.mapping.ts";

/** A PaymentIntent with only the fields the mapping reads. */
function intent(fields: Partial<Stripe.PaymentIntent>): Stripe.PaymentIntent {
  return {
    id: "pi_1",
    object: "payment_intent",
    amount: 1999,
    amount_received: 0,
    currency: "eur",
    status: "requires_payment_method",
    next_action: null,
    last_payment_error: null,
    latest_charge: null,
    cancellation_reason: null,
    ...fields,
  } as Stripe.PaymentIntent;
}

describe("amounts", () => {
  it.each([
    ["EUR", 1999, 1999],
    ["JPY", 500, 500],
    ["KWD", 5120, 5120],
    ["ISK", 5, 500],
    ["MGA", 1200, 12],
    ["HUF", 12_345, 12_345],
  ])("%s %i is %i at Stripe and back", (currency, ours, theirs) => {
    expect(toStripeAmount(ours, currency)).toBe(theirs);
    expect(fromStripeAmount(theirs, currency)).toBe(ours);
  });

  it.each([
    ["KWD", 5124],
    ["BHD", 1],
    ["MGA", 1250],
  ])("refuses %s %i", (currency, amount) => {
    expect(() => toStripeAmount(amount, currency)).toThrow(
      expect.objectContaining({ code: "payment.amount_unsupported" }),
    );
  });

  it("refuses an unknown currency", () => {
    expect(() => toStripeAmount(100, "XXZ")).toThrow(
      expect.objectContaining({ code: "money.unknown_currency" }),
    );
  });
});

describe("failure codes", () => {
  it.each([
    [{ code: "card_declined", decline_code: "generic_decline" }, "card_declined"],
    [{ code: "card_declined", decline_code: "insufficient_funds" }, "insufficient_funds"],
    [{ code: "card_declined", decline_code: "lost_card" }, "lost_card"],
    [{ code: "expired_card" }, "expired_card"],
    [{ code: "payment_intent_authentication_failure" }, "authentication_failed"],
    [{ code: "payment_intent_payment_attempt_failed" }, "payment_failed"],
    [{ code: "payment_intent_payment_attempt_expired" }, "expired"],
    [{}, "payment_failed"],
    [null, "payment_failed"],
  ])("%j → %s", (error, code) => {
    expect(failureCodeOf(error)).toBe(code);
  });
});

describe("PaymentIntent statuses", () => {
  it("maps a waiting intent by what the buyer must do", () => {
    expect(toProviderPayment(intent({ status: "processing" }))).toMatchObject({
      status: "pending",
      nextAction: null,
    });
    expect(
      toProviderPayment(intent({ status: "requires_action", next_action: { type: "use_stripe_sdk" } })),
    ).toMatchObject({ status: "requires_action", nextAction: null, expiresAt: null });
    const boleto = toProviderPayment(
      intent({
        status: "requires_action",
        next_action: {
          type: "boleto_display_details",
          boleto_display_details: {
            number: "0101",
            hosted_voucher_url: "https://v",
            pdf: null,
            expires_at: 1_900_000_000,
          },
        },
      }),
    );
    expect(boleto).toMatchObject({
      status: "pending",
      nextAction: {
        type: "boleto",
        barcode: "0101",
        voucherUrl: "https://v",
        expiresAt: "2030-03-17T17:46:40.000Z",
      },
      expiresAt: "2030-03-17T17:46:40.000Z",
    });
  });

  it("maps ends: canceled, expired, failed", () => {
    expect(
      toProviderPayment(intent({ status: "canceled", cancellation_reason: "requested_by_customer" })),
    ).toMatchObject({
      status: "canceled",
    });
    expect(toProviderPayment(intent({ status: "canceled", cancellation_reason: "expired" }))).toMatchObject({
      status: "expired",
      failureCode: "expired",
    });
    expect(toProviderPayment(intent({}))).toMatchObject({ status: "failed", failureCode: "payment_failed" });
  });

  it("reads refunds from an expanded charge", () => {
    const charge = (amount_refunded: number) =>
      ({
        object: "charge",
        amount: 1999,
        amount_captured: 1500,
        amount_refunded,
        refunded: false,
      }) as Stripe.Charge;
    const settled = (c: Stripe.Charge | string) =>
      toProviderPayment(intent({ status: "succeeded", amount_received: 1500, latest_charge: c }));
    expect(settled("ch_1")).toMatchObject({ status: "captured", capturedAmount: 1500 });
    expect(settled(charge(0))).toMatchObject({ status: "captured" });
    expect(settled(charge(500))).toMatchObject({ status: "partially_refunded" });
    expect(settled(charge(1500))).toMatchObject({ status: "refunded" });
  });
});
