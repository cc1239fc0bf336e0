import Stripe from "stripe";
import { ValidationError } from "../../kernel/errors.ts";
import type {
  CreatePaymentRequest,
  PaymentProvider,
  ProviderPayment,
  ProviderRefund,
  ProviderWebhookEvent,
} from "./payment-provider.ts";
import {
  chargeToProviderPayment,
  fromStripeAmount,
  idempotencyKey,
  providerError,
  toProviderPayment,
  toProviderRefund,
  toStripeAmount,
} from "./stripe.mapping.ts";

// The checkout holds stock while a Pix code is open: the test gateway's 30 minutes, not Stripe's day.
const PIX_EXPIRES_AFTER_SECONDS = 30 * 60;
const BOLETO_EXPIRES_AFTER_DAYS = 3;
/** Methods Stripe can authorize now and capture later. */
const MANUAL_CAPTURE = new Set(["card", "paypal"]);
/** The PaymentIntent events that say where a payment stands; others are acknowledged and ignored. */
const PAYMENT_EVENTS = new Set([
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "payment_intent.processing",
  "payment_intent.requires_action",
  "payment_intent.amount_capturable_updated",
]);
// The charge shows refunds, so a retrieved payment can say partially_refunded / refunded.
const EXPAND = ["latest_charge"];

/**
 * How to reach Stripe: the keys from the dashboard and, for tests, another API address.
 * @example { secretKey: "sk_test_…", webhookSecret: "whsec_…", returnUrl: "https://shop.example" }
 */
export interface StripeProviderOptions {
  secretKey: string;
  /** The endpoint's signing secret (whsec_…) for `/webhooks/payments/stripe`. */
  webhookSecret: string;
  /** Where Stripe sends the buyer after a redirect when the checkout gives no return URL. */
  returnUrl: string;
  /** Another API address (a local fake in tests); Stripe's own by default. */
  apiHost?: string;
  apiPort?: number;
  apiProtocol?: "http" | "https";
  maxNetworkRetries?: number;
}

/**
 * Stripe through the official SDK: one PaymentIntent per payment, created and confirmed at once
 * with our payment id as its idempotency key and in its metadata. Declines come back as failed
 * payments; the state of Pix codes, Boleto vouchers and redirects arrives by signed webhook.
 * @example
 * const stripe = new StripePaymentProvider({ secretKey, webhookSecret, returnUrl: publicUrl })
 * await stripe.create({ paymentId, amount: 1999, currency: "EUR", method: "card", captureMode: "automatic",
 *   data: { paymentMethod: "pm_card_visa" }, customer: { email, country: "DE" } }) // → { status: "captured", … }
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly id = "stripe";
  readonly methods = ["card", "pix", "boleto", "ideal", "bancontact", "paypal"] as const;
  private readonly stripe: Stripe;

  constructor(private readonly opts: StripeProviderOptions) {
    this.stripe = new Stripe(opts.secretKey, {
      host: opts.apiHost,
      port: opts.apiPort,
      protocol: opts.apiProtocol,
      // Every write carries our idempotency key, so retrying a lost request is safe.
      maxNetworkRetries: opts.maxNetworkRetries ?? 2,
      timeout: 30_000,
      telemetry: false,
    });
  }

  private createParams(req: CreatePaymentRequest): Stripe.PaymentIntentCreateParams {
    const params: Stripe.PaymentIntentCreateParams = {
      amount: toStripeAmount(req.amount, req.currency),
      currency: req.currency.toLowerCase(),
      allowed_payment_method_types: [req.method],
      confirm: true,
      capture_method: req.captureMode === "manual" ? "manual" : "automatic",
      return_url: req.returnUrl ?? this.opts.returnUrl,
      metadata: { payment_id: req.paymentId },
      expand: EXPAND,
    };
    const paymentMethod = req.data.paymentMethod;
    if (typeof paymentMethod === "string" && /^pm_\w+$/.test(paymentMethod))
      params.payment_method = paymentMethod;
    else if (req.method === "card")
      throw new ValidationError(
        "payment.method_data_invalid",
        "A card payment needs a Stripe PaymentMethod id (pm_…)",
      );
    else params.payment_method_data = this.methodData(req);
    if (req.method === "pix")
      params.payment_method_options = { pix: { expires_after_seconds: PIX_EXPIRES_AFTER_SECONDS } };
    if (req.method === "boleto")
      params.payment_method_options = { boleto: { expires_after_days: BOLETO_EXPIRES_AFTER_DAYS } };
    return params;
  }

  /** Details Stripe needs to make the method itself: the buyer's name and email, a Boleto's CPF/CNPJ and address. */
  private methodData(req: CreatePaymentRequest): Stripe.PaymentIntentCreateParams.PaymentMethodData {
    const address = req.data.billingAddress as Record<string, unknown> | undefined;
    const text = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);
    const data: Stripe.PaymentIntentCreateParams.PaymentMethodData = {
      type: req.method as Stripe.PaymentIntentCreateParams.PaymentMethodData.Type,
      billing_details: {
        email: req.customer.email,
        name: req.customer.name ?? text(req.data.name),
        address:
          address && typeof address === "object"
            ? {
                line1: text(address.line1),
                line2: text(address.line2),
                city: text(address.city),
                state: text(address.state),
                postal_code: text(address.postalCode),
                country: text(address.country) ?? req.customer.country,
              }
            : undefined,
      },
    };
    const taxId = req.customer.taxId ?? text(req.data.taxId);
    if (req.method === "boleto" && taxId) data.boleto = { tax_id: taxId };
    return data;
  }

  async create(req: CreatePaymentRequest): Promise<ProviderPayment> {
    if (!(this.methods as readonly string[]).includes(req.method))
      throw new ValidationError(
        "payment.method_unsupported",
        `Stripe is not set up for "${req.method}" here`,
      );
    if (req.captureMode === "manual" && !MANUAL_CAPTURE.has(req.method))
      throw new ValidationError(
        "payment.capture_mode_unsupported",
        `${req.method} payments cannot be captured later`,
      );
    const params = this.createParams(req);
    try {
      return toProviderPayment(
        await this.stripe.paymentIntents.create(params, { idempotencyKey: idempotencyKey(req.paymentId) }),
      );
    } catch (err) {
      // A decline is an answer, not an error: Stripe replies 402 with the failed PaymentIntent.
      if (err instanceof Stripe.errors.StripeCardError && err.payment_intent)
        return toProviderPayment(err.payment_intent);
      if (err instanceof Stripe.errors.StripeIdempotencyError) {
        // This payment reached Stripe before with other details (a retried checkout): it is that one.
        const first = await this.findByPaymentId(req.paymentId);
        if (first) return first;
      }
      throw providerError(err);
    }
  }

  async retrieve(ref: string): Promise<ProviderPayment> {
    try {
      return toProviderPayment(await this.stripe.paymentIntents.retrieve(ref, { expand: EXPAND }));
    } catch (err) {
      throw providerError(err);
    }
  }

  /**
   * Stripe's search finds the PaymentIntent by our payment id in its metadata. Search trails
   * writes by up to a minute, which suits its use: reconciling attempts older than that.
   */
  async findByPaymentId(paymentId: string): Promise<ProviderPayment | null> {
    const quoted = paymentId.replace(/[\\']/g, (c) => `\\${c}`);
    try {
      const found = await this.stripe.paymentIntents.search({
        query: `metadata['payment_id']:'${quoted}'`,
        limit: 1,
      });
      const first = found.data[0];
      return first ? this.retrieve(first.id) : null;
    } catch (err) {
      throw providerError(err);
    }
  }

  async capture(ref: string, amount: number, key: string): Promise<ProviderPayment> {
    try {
      const current = await this.stripe.paymentIntents.retrieve(ref);
      const currency = current.currency.toUpperCase();
      const capturable = fromStripeAmount(current.amount_capturable, currency);
      if (current.status === "requires_capture" && (amount <= 0 || amount > capturable))
        throw new ValidationError(
          "payment.invalid_amount",
          "Capture amount must be between 1 and the authorized amount",
        );
      const pi = await this.stripe.paymentIntents.capture(
        ref,
        { amount_to_capture: toStripeAmount(amount, currency), expand: EXPAND },
        { idempotencyKey: idempotencyKey("capture", ref, key) },
      );
      return toProviderPayment(pi);
    } catch (err) {
      return this.settledOr(ref, err, "payment.not_capturable", [
        "captured",
        "partially_refunded",
        "refunded",
      ]);
    }
  }

  async cancel(ref: string, key: string): Promise<ProviderPayment> {
    try {
      return toProviderPayment(
        await this.stripe.paymentIntents.cancel(
          ref,
          { expand: EXPAND },
          { idempotencyKey: idempotencyKey("cancel", ref, key) },
        ),
      );
    } catch (err) {
      return this.settledOr(ref, err, "payment.not_cancelable", ["canceled", "expired", "failed"]);
    }
  }

  /** After a refusal: a payment already where the call would take it is returned as it is, as a repeat would be. */
  private async settledOr(ref: string, err: unknown, code: string, done: string[]): Promise<ProviderPayment> {
    if (
      !(err instanceof Stripe.errors.StripeInvalidRequestError) ||
      err.code !== "payment_intent_unexpected_state"
    )
      throw providerError(err, code);
    const now = await this.retrieve(ref);
    if (done.includes(now.status)) return now;
    throw providerError(err, code);
  }

  async refund(ref: string, amount: number, key: string): Promise<ProviderRefund> {
    try {
      const pi = await this.stripe.paymentIntents.retrieve(ref);
      const refund = await this.stripe.refunds.create(
        { payment_intent: ref, amount: toStripeAmount(amount, pi.currency.toUpperCase()) },
        { idempotencyKey: idempotencyKey("refund", ref, key) },
      );
      return toProviderRefund(refund);
    } catch (err) {
      throw providerError(err, "payment.refund_exceeds_captured");
    }
  }

  async parseWebhook(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<ProviderWebhookEvent> {
    const signature = headers["stripe-signature"];
    const invalid = new ValidationError("payment.webhook_signature", "The webhook signature does not verify");
    if (typeof signature !== "string") throw invalid;
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.opts.webhookSecret);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError) throw invalid;
      throw new ValidationError("payment.webhook_invalid", "The webhook body is not an event");
    }
    if (
      typeof event?.id !== "string" ||
      typeof event.type !== "string" ||
      typeof event.data?.object !== "object"
    )
      throw new ValidationError("payment.webhook_invalid", "The webhook body is not an event");
    const object = event.data.object as { object?: string };
    if (PAYMENT_EVENTS.has(event.type) && object.object === "payment_intent")
      return { id: event.id, type: event.type, payment: toProviderPayment(object as Stripe.PaymentIntent) };
    if (event.type === "charge.refunded" && object.object === "charge")
      return { id: event.id, type: event.type, payment: chargeToProviderPayment(object as Stripe.Charge) };
    return { id: event.id, type: event.type };
  }
}
