import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import type { FormValue } from "./form.ts";

/** An error answer in Stripe's shape: `{ error: { type, code, message, param, … } }`. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
  ) {
    super(String(error.message));
  }
}

export const invalid = (message: string, extra: Record<string, unknown> = {}, status = 400) =>
  new StripeApiError(status, { type: "invalid_request_error", message, ...extra });

export type Json = Record<string, unknown>;
export type Params = Record<string, FormValue>;

export interface Intent extends Json {
  id: string;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  capture_method: "automatic" | "manual";
  currency: string;
  status: string;
  latest_charge: string | null;
  metadata: Record<string, string>;
  next_action: Json | null;
  last_payment_error: Json | null;
  allowed_payment_method_types: string[];
  payment_method_types: string[];
}

export interface Charge extends Json {
  id: string;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  refunded: boolean;
  status: string;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);

/** Stripe's test PaymentMethods and what confirming with them does. */
export const TEST_PAYMENT_METHODS: Record<string, { decline?: string; message?: string; challenge?: true }> =
  {
    pm_card_visa: {},
    pm_card_mastercard: {},
    pm_card_chargeDeclined: { decline: "generic_decline", message: "Your card was declined." },
    pm_card_chargeDeclinedInsufficientFunds: {
      decline: "insufficient_funds",
      message: "Your card has insufficient funds.",
    },
    pm_card_threeDSecure2Required: { challenge: true },
  };

/**
 * The fake's books: PaymentIntents, their charges and refunds, and the events Stripe would
 * send about them. Every change goes through `set`, which records the matching event.
 */
export class StripeBook {
  readonly intents = new Map<string, Intent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Json>();
  readonly events: Json[] = [];

  constructor(private readonly baseUrl: () => string) {}

  emit(type: string, object: Json): void {
    this.events.push({
      id: newId("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      type,
      data: { object: structuredClone(object) },
    });
  }

  intent(id: string): Intent {
    const pi = this.intents.get(id);
    if (!pi)
      throw invalid(`No such payment_intent: '${id}'`, { code: "resource_missing", param: "intent" }, 404);
    return pi;
  }

  /** The intent as the API shows it, with `latest_charge` expanded when asked. */
  view(pi: Intent, expand: FormValue | undefined): Json {
    const wanted = Array.isArray(expand) ? expand : [];
    const charge = pi.latest_charge ? this.charges.get(pi.latest_charge) : undefined;
    return wanted.includes("latest_charge") && charge ? { ...pi, latest_charge: { ...charge } } : { ...pi };
  }

  newIntent(
    fields: Pick<
      Intent,
      | "amount"
      | "currency"
      | "capture_method"
      | "metadata"
      | "allowed_payment_method_types"
      | "payment_method_types"
    > &
      Json,
  ): Intent {
    const id = newId("pi");
    const pi: Intent = {
      id,
      object: "payment_intent",
      amount_capturable: 0,
      amount_received: 0,
      canceled_at: null,
      cancellation_reason: null,
      client_secret: `${id}_secret_${randomBytes(8).toString("hex")}`,
      confirmation_method: "automatic",
      created: now(),
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      next_action: null,
      status: "requires_payment_method",
      ...fields,
    };
    this.intents.set(id, pi);
    this.emit("payment_intent.created", pi);
    return pi;
  }

  /** The money moved: a charge, captured now or held for a later capture. */
  settle(pi: Intent): void {
    const charge: Charge = {
      id: newId("ch"),
      object: "charge",
      amount: pi.amount,
      amount_captured: pi.capture_method === "automatic" ? pi.amount : 0,
      amount_refunded: 0,
      captured: pi.capture_method === "automatic",
      created: now(),
      currency: pi.currency,
      paid: true,
      payment_intent: pi.id,
      refunded: false,
      status: "succeeded",
    };
    this.charges.set(charge.id, charge);
    this.emit("charge.succeeded", charge);
    const automatic = pi.capture_method === "automatic";
    Object.assign(pi, {
      latest_charge: charge.id,
      next_action: null,
      status: automatic ? "succeeded" : "requires_capture",
      amount_received: automatic ? pi.amount : 0,
      amount_capturable: automatic ? 0 : pi.amount,
    });
    this.emit(automatic ? "payment_intent.succeeded" : "payment_intent.amount_capturable_updated", pi);
  }

  /**
   * The attempt failed: back to requires_payment_method with the reason in last_payment_error. A
   * declined card leaves a failed charge; a failed redirect or an expired voucher does not.
   */
  failAttempt(pi: Intent, error: Json, withCharge = false): void {
    let charge: string | null = pi.latest_charge;
    if (withCharge) {
      charge = newId("ch");
      const failed = {
        id: charge,
        object: "charge",
        amount: pi.amount,
        amount_captured: 0,
        amount_refunded: 0,
        captured: false,
        created: now(),
        currency: pi.currency,
        failure_code: error.code,
        paid: false,
        payment_intent: pi.id,
        refunded: false,
        status: "failed",
      };
      this.charges.set(charge, failed);
      this.emit("charge.failed", failed);
    }
    Object.assign(pi, {
      latest_charge: charge,
      next_action: null,
      status: "requires_payment_method",
      last_payment_error: {
        ...error,
        ...(withCharge ? { charge } : {}),
        payment_method_type: pi.payment_method_types[0],
      },
    });
    this.emit("payment_intent.payment_failed", pi);
  }

  requireAction(pi: Intent, action: Json): void {
    Object.assign(pi, { status: "requires_action", next_action: action });
    this.emit("payment_intent.requires_action", pi);
  }

  /** The hosted page a redirect sends the buyer to (the fake serves none: tests complete actions directly). */
  pageUrl(kind: string, pi: Intent): string {
    return `${this.baseUrl()}/fake/${kind}/${pi.id}`;
  }

  newId = newId;
  now = now;
}
