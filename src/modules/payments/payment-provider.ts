/** Where a payment stands at its provider. */
export type PaymentStatus =
  | "pending"
  | "requires_action"
  | "authorized"
  | "captured"
  | "partially_refunded"
  | "refunded"
  | "failed"
  | "canceled"
  | "expired";

/** What the buyer must do next: follow a redirect (3-D Secure, wallet), scan a QR code, pay a voucher. */
export type NextAction =
  | { type: "redirect"; url: string }
  | { type: "pix_qr"; qrCode: string; expiresAt: string }
  | { type: "boleto"; barcode: string; voucherUrl: string; expiresAt: string };

/** The provider's view of a payment. */
export interface ProviderPayment {
  ref: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  capturedAmount: number;
  nextAction?: NextAction | null;
  failureCode?: string | null;
  expiresAt?: string | null;
}

export interface CreatePaymentRequest {
  /** Our payment id; providers use it as their idempotency key, so a repeated create returns the same payment. */
  paymentId: string;
  amount: number;
  currency: string;
  method: string;
  captureMode: "automatic" | "manual";
  /** Method-specific input from the buyer's client (a test card number, a Stripe PaymentMethod id, …). */
  data: Record<string, unknown>;
  returnUrl?: string;
  customer: { email: string; name?: string; country: string; taxId?: string };
}

export interface ProviderRefund {
  ref: string;
  status: "pending" | "succeeded" | "failed";
  amount: number;
}

/** A verified webhook: `id` is the provider's event id, used to ignore replays. */
export interface ProviderWebhookEvent {
  id: string;
  type: string;
  payment?: ProviderPayment;
  refund?: ProviderRefund & { paymentRef: string };
}

/**
 * The contract every payment provider implements. All calls are idempotent: `create` by the
 * payment id, `capture`/`cancel`/`refund` by the key given. Failures the buyer caused (a declined
 * card) come back as a payment with status `failed` and a `failureCode`; thrown errors mean the
 * provider could not be reached or refused the request.
 */
export interface PaymentProvider {
  readonly id: string;
  readonly methods: readonly string[];
  create(req: CreatePaymentRequest): Promise<ProviderPayment>;
  retrieve(ref: string): Promise<ProviderPayment>;
  /** The payment created for our payment id, or null if the create never reached the provider. */
  findByPaymentId(paymentId: string): Promise<ProviderPayment | null>;
  capture(ref: string, amount: number, key: string): Promise<ProviderPayment>;
  cancel(ref: string, key: string): Promise<ProviderPayment>;
  refund(ref: string, amount: number, key: string): Promise<ProviderRefund>;
  /** Verifies the signature and parses the event; throws `payment.webhook_signature` when it does not verify. */
  parseWebhook(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<ProviderWebhookEvent>;
}
