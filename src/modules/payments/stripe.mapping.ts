import { createHash } from "node:crypto";
import Stripe from "stripe";
import { AppError, ConflictError, ValidationError } from "../../kernel/errors.ts";
import { currencyExponent } from "../../kernel/money.ts";
import type { NextAction, PaymentStatus, ProviderPayment, ProviderRefund } from "./payment-provider.ts";

// Stripe counts most currencies in ISO 4217 minor units, as we do. The exceptions: ISK stays a
// two-decimal currency in Stripe's API (100 = 1 króna) while ISO gives it none, and MGA is
// zero-decimal at Stripe while ISO gives it two.
const STRIPE_EXPONENT: Readonly<Record<string, number>> = { ISK: 2, MGA: 0 };
// Stripe takes three-decimal currencies in thousandths but its partners need the last digit 0.
const TENS_ONLY = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);

function exponentShift(currency: string): number {
  return (STRIPE_EXPONENT[currency] ?? currencyExponent(currency)) - currencyExponent(currency);
}

/**
 * Our minor units → Stripe's smallest unit. Throws `payment.amount_unsupported` for an amount
 * Stripe cannot charge (KWD 5.125, MGA 10.50) rather than silently charging a rounded one.
 */
export function toStripeAmount(amount: number, currency: string): number {
  const shift = exponentShift(currency);
  const unsupported = (why: string) =>
    new ValidationError("payment.amount_unsupported", `Stripe cannot charge ${amount} ${currency}: ${why}`, {
      amount,
      currency,
    });
  if (TENS_ONLY.has(currency) && amount % 10 !== 0) throw unsupported("the last digit must be 0");
  if (shift >= 0) return amount * 10 ** shift;
  const step = 10 ** -shift;
  if (amount % step !== 0) throw unsupported(`Stripe takes whole units of ${currency}`);
  return amount / step;
}

/** Stripe's smallest unit → our minor units. */
export function fromStripeAmount(amount: number, currency: string): number {
  const shift = exponentShift(currency);
  return shift >= 0 ? amount / 10 ** shift : amount * 10 ** -shift;
}

// Stripe's codes for failures that are not declines, in the words the test gateway uses.
const FAILURE_CODES: Readonly<Record<string, string>> = {
  payment_intent_authentication_failure: "authentication_failed",
  payment_intent_payment_attempt_failed: "payment_failed",
  payment_intent_payment_attempt_expired: "expired",
};

/** The failure code we store: the specific decline reason when Stripe gives one (insufficient_funds), else the code. */
export function failureCodeOf(error: { code?: string | null; decline_code?: string | null } | null): string {
  if (!error) return "payment_failed";
  if (error.code === "card_declined" && error.decline_code && error.decline_code !== "generic_decline")
    return error.decline_code;
  return FAILURE_CODES[error.code ?? ""] ?? error.code ?? "payment_failed";
}

const isoTime = (unix: number | null | undefined) => (unix ? new Date(unix * 1000).toISOString() : null);

/**
 * Stripe's next action in our terms. A QR code or voucher means the buyer pays outside and the
 * payment settles later (our `pending`, as with the test gateway); a redirect means the buyer
 * must act now (`requires_action`).
 */
function nextActionOf(action: Stripe.PaymentIntent.NextAction | null): {
  status: PaymentStatus;
  next: NextAction | null;
} {
  const pix = action?.pix_display_qr_code;
  if (pix?.data && pix.expires_at)
    return {
      status: "pending",
      next: { type: "pix_qr", qrCode: pix.data, expiresAt: isoTime(pix.expires_at)! },
    };
  const boleto = action?.boleto_display_details;
  if (boleto?.number && boleto.hosted_voucher_url && boleto.expires_at)
    return {
      status: "pending",
      next: {
        type: "boleto",
        barcode: boleto.number,
        voucherUrl: boleto.hosted_voucher_url,
        expiresAt: isoTime(boleto.expires_at)!,
      },
    };
  const url = action?.redirect_to_url?.url;
  // Other actions (use_stripe_sdk) need Stripe.js on the buyer's page; there is nothing to pass on.
  return { status: "requires_action", next: url ? { type: "redirect", url } : null };
}

function refundStatus(charge: Stripe.Charge): PaymentStatus {
  if (charge.amount_refunded === 0) return "captured";
  return charge.refunded || charge.amount_refunded >= charge.amount_captured
    ? "refunded"
    : "partially_refunded";
}

function settledStatus(pi: Stripe.PaymentIntent): PaymentStatus {
  return pi.latest_charge && typeof pi.latest_charge === "object"
    ? refundStatus(pi.latest_charge)
    : "captured";
}

/** A PaymentIntent in our terms (refunds show only when `latest_charge` is expanded). */
export function toProviderPayment(pi: Stripe.PaymentIntent): ProviderPayment {
  const currency = pi.currency.toUpperCase();
  const base = {
    ref: pi.id,
    amount: fromStripeAmount(pi.amount, currency),
    currency,
    capturedAmount: fromStripeAmount(pi.amount_received, currency),
    nextAction: null,
    failureCode: null,
    expiresAt: null,
  };
  switch (pi.status) {
    case "succeeded":
      return { ...base, status: settledStatus(pi) };
    case "requires_capture":
      return { ...base, status: "authorized" };
    case "processing":
    case "requires_confirmation":
      return { ...base, status: "pending" };
    case "requires_action": {
      const { status, next } = nextActionOf(pi.next_action);
      return {
        ...base,
        status,
        nextAction: next,
        expiresAt: next && "expiresAt" in next ? next.expiresAt : null,
      };
    }
    case "canceled":
      return pi.cancellation_reason === "expired"
        ? { ...base, status: "expired", failureCode: "expired" }
        : { ...base, status: "canceled" };
    default: {
      // requires_payment_method: we always confirm on create, so this is a failed attempt.
      const failureCode = failureCodeOf(pi.last_payment_error);
      return { ...base, status: failureCode === "expired" ? "expired" : "failed", failureCode };
    }
  }
}

/** A refunded charge in our terms (the `charge.refunded` webhook). */
export function chargeToProviderPayment(charge: Stripe.Charge): ProviderPayment | undefined {
  const ref = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  if (!ref) return undefined;
  const currency = charge.currency.toUpperCase();
  return {
    ref,
    status: refundStatus(charge),
    amount: fromStripeAmount(charge.amount, currency),
    currency,
    capturedAmount: fromStripeAmount(charge.amount_captured, currency),
  };
}

export function toProviderRefund(refund: Stripe.Refund): ProviderRefund {
  const status =
    refund.status === "succeeded"
      ? "succeeded"
      : refund.status === "pending" || refund.status === "requires_action"
        ? "pending"
        : "failed";
  return { ref: refund.id, status, amount: fromStripeAmount(refund.amount, refund.currency.toUpperCase()) };
}

/**
 * Stripe scopes idempotency keys to the account, while the contract scopes them to one payment
 * and one call: the key sent is `capture:pi_…:<key>`. Stripe takes up to 255 characters; longer
 * keys are hashed.
 */
export function idempotencyKey(...parts: string[]): string {
  const key = parts.join(":");
  return key.length <= 255 ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

function isStripeError(err: unknown): err is Stripe.errors.StripeError {
  return err instanceof Stripe.errors.StripeError;
}

/**
 * Stripe's refusal in our terms. `conflictCode` names what a request Stripe finds wrong for the
 * payment's state means for this call (not capturable, nothing left to refund).
 */
export function providerError(err: unknown, conflictCode?: string): unknown {
  if (!isStripeError(err)) return err;
  const details = {
    type: err.rawType ?? err.type,
    code: err.code,
    param: err.param,
    requestId: err.requestId,
  };
  // The buyer's method data did not do: an unknown PaymentMethod, a Boleto without an address.
  if (err instanceof Stripe.errors.StripeInvalidRequestError && err.param?.startsWith("payment_method"))
    return new ValidationError("payment.method_data_invalid", err.message, details);
  if (err.code === "resource_missing")
    return new AppError(502, "payment.provider_unknown_payment", "Stripe has no such PaymentIntent", details);
  if (err instanceof Stripe.errors.StripeIdempotencyError)
    return new ConflictError("payment.idempotency_conflict", err.message, details);
  if (conflictCode && err instanceof Stripe.errors.StripeInvalidRequestError)
    return new ConflictError(conflictCode, err.message, details);
  // Stripe's message repeats part of the key; it is not worth a line in any log.
  if (err instanceof Stripe.errors.StripeAuthenticationError)
    return new AppError(502, "payment.provider_error", "Stripe refused the API key", details);
  if (err instanceof Stripe.errors.StripeConnectionError)
    return new AppError(502, "payment.provider_unavailable", "Stripe could not be reached", details);
  return new AppError(502, "payment.provider_error", `Stripe refused the request: ${err.message}`, details);
}
