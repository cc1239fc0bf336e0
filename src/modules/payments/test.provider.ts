import { createHmac, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { AppError, ConflictError, ValidationError } from "../../kernel/errors.ts";
import { newId } from "../../kernel/ids.ts";
import type {
  CreatePaymentRequest,
  NextAction,
  PaymentProvider,
  PaymentStatus,
  ProviderPayment,
  ProviderRefund,
  ProviderWebhookEvent,
} from "./payment-provider.ts";
import { testGatewayPayments, testGatewayRefunds } from "./test-gateway.schema.ts";

/** Card numbers with a fixed outcome, as in the big providers' test modes. Any other valid number succeeds. */
export const TEST_CARDS = {
  success: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  threeDSecure: "4000002760003184",
  processingError: "4000000000000119",
} as const;

const PIX_MINUTES = 30;
const BOLETO_DAYS = 3;
const SIGNATURE_HEADER = "test-gateway-signature";
const TOLERANCE_SECONDS = 300;

type Row = typeof testGatewayPayments.$inferSelect;

function luhnValid(digits: string): boolean {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

function toProviderPayment(row: Row): ProviderPayment {
  return {
    ref: row.ref,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    capturedAmount: row.capturedAmount,
    nextAction: row.nextAction,
    failureCode: row.failureCode,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

interface Outcome {
  status: PaymentStatus;
  failureCode?: string;
  cardLast4?: string;
  nextAction?: NextAction;
  expiresAt?: Date;
}

/**
 * A payment service simulator that behaves like a real provider: test cards (success, decline,
 * insufficient funds, 3-D Secure challenge), Pix-like QR payments and Boleto-like vouchers that
 * settle later by webhook or expire, and a PayPal-like redirect. Its state lives in its own
 * tables; webhooks are HMAC-signed like Stripe's.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly id = "test";
  readonly methods = ["card", "pix", "boleto", "paypal", "ideal", "bancontact"] as const;

  constructor(
    private readonly db: Db,
    private readonly opts: { secret: string; publicUrl: string },
  ) {}

  private outcome(ref: string, req: CreatePaymentRequest): Outcome {
    const pageUrl = `${this.opts.publicUrl}/test-gateway/payments/${ref}`;
    switch (req.method) {
      case "card": {
        const number = String(req.data.cardNumber ?? "").replace(/[\s-]/g, "");
        if (!/^\d{12,19}$/.test(number) || !luhnValid(number))
          return { status: "failed", failureCode: "incorrect_number" };
        const cardLast4 = number.slice(-4);
        if (number === TEST_CARDS.processingError)
          throw new AppError(502, "payment.provider_error", "The test gateway reported a processing error");
        if (number === TEST_CARDS.declined)
          return { status: "failed", failureCode: "card_declined", cardLast4 };
        if (number === TEST_CARDS.insufficientFunds)
          return { status: "failed", failureCode: "insufficient_funds", cardLast4 };
        if (number === TEST_CARDS.threeDSecure)
          return { status: "requires_action", cardLast4, nextAction: { type: "redirect", url: pageUrl } };
        return { status: req.captureMode === "automatic" ? "captured" : "authorized", cardLast4 };
      }
      case "pix": {
        const expiresAt = new Date(Date.now() + PIX_MINUTES * 60_000);
        const qrCode = `00020126580014br.gov.bcb.pix0136${ref}5204000053039865802BR6009SAO PAULO62070503***6304`;
        return {
          status: "pending",
          expiresAt,
          nextAction: { type: "pix_qr", qrCode, expiresAt: expiresAt.toISOString() },
        };
      }
      case "boleto": {
        const expiresAt = new Date(Date.now() + BOLETO_DAYS * 86_400_000);
        const digits = [...ref].map((c) => c.charCodeAt(0) % 10).join("");
        const barcode = `23790${digits}`.padEnd(47, "0").slice(0, 47);
        return {
          status: "pending",
          expiresAt,
          nextAction: { type: "boleto", barcode, voucherUrl: pageUrl, expiresAt: expiresAt.toISOString() },
        };
      }
      default:
        return {
          status: "requires_action",
          expiresAt: new Date(Date.now() + 3_600_000),
          nextAction: { type: "redirect", url: pageUrl },
        };
    }
  }

  async create(req: CreatePaymentRequest): Promise<ProviderPayment> {
    if (!(this.methods as readonly string[]).includes(req.method))
      throw new ValidationError(
        "payment.method_unsupported",
        `The test gateway does not support "${req.method}"`,
      );
    const ref = newId("tgp");
    const o = this.outcome(ref, req);
    // A repeated create for the same merchant reference returns the first payment unchanged.
    const [row] = await this.db
      .insert(testGatewayPayments)
      .values({
        ref,
        merchantReference: req.paymentId,
        method: req.method,
        status: o.status,
        amount: req.amount,
        currency: req.currency,
        capturedAmount: o.status === "captured" ? req.amount : 0,
        captureMode: req.captureMode,
        cardLast4: o.cardLast4,
        failureCode: o.failureCode,
        nextAction: o.nextAction,
        returnUrl: req.returnUrl,
        expiresAt: o.expiresAt,
      })
      .onConflictDoUpdate({
        target: testGatewayPayments.merchantReference,
        set: { merchantReference: sql`excluded.merchant_reference` },
      })
      .returning();
    return toProviderPayment(row!);
  }

  private async load(ref: string): Promise<Row> {
    const [row] = await this.db.select().from(testGatewayPayments).where(eq(testGatewayPayments.ref, ref));
    if (!row)
      throw new AppError(502, "payment.provider_unknown_payment", `The test gateway has no payment ${ref}`);
    if (
      (row.status === "pending" || row.status === "requires_action") &&
      row.expiresAt &&
      row.expiresAt <= new Date()
    )
      return this.update(ref, { status: "expired", failureCode: "expired", nextAction: null });
    return row;
  }

  private async update(ref: string, set: Partial<Row>): Promise<Row> {
    const [row] = await this.db
      .update(testGatewayPayments)
      .set(set)
      .where(eq(testGatewayPayments.ref, ref))
      .returning();
    return row!;
  }

  async retrieve(ref: string): Promise<ProviderPayment> {
    return toProviderPayment(await this.load(ref));
  }

  async findByPaymentId(paymentId: string): Promise<ProviderPayment | null> {
    const [row] = await this.db
      .select({ ref: testGatewayPayments.ref })
      .from(testGatewayPayments)
      .where(eq(testGatewayPayments.merchantReference, paymentId));
    return row ? this.retrieve(row.ref) : null;
  }

  async capture(ref: string, amount: number, _key: string): Promise<ProviderPayment> {
    const row = await this.load(ref);
    if (row.status === "captured" || row.status === "partially_refunded" || row.status === "refunded")
      return toProviderPayment(row);
    if (row.status !== "authorized")
      throw new ConflictError("payment.not_capturable", `Payment is ${row.status}, not authorized`);
    if (amount <= 0 || amount > row.amount)
      throw new ValidationError(
        "payment.invalid_amount",
        "Capture amount must be between 1 and the authorized amount",
      );
    return toProviderPayment(await this.update(ref, { status: "captured", capturedAmount: amount }));
  }

  async cancel(ref: string, _key: string): Promise<ProviderPayment> {
    const row = await this.load(ref);
    if (["canceled", "expired", "failed"].includes(row.status)) return toProviderPayment(row);
    if (row.status !== "authorized" && row.status !== "pending" && row.status !== "requires_action")
      throw new ConflictError("payment.not_cancelable", `Payment is ${row.status}; refund it instead`);
    return toProviderPayment(await this.update(ref, { status: "canceled", nextAction: null }));
  }

  async refund(ref: string, amount: number, key: string): Promise<ProviderRefund> {
    return this.db.transaction(async (tx) => {
      const [done] = await tx
        .select()
        .from(testGatewayRefunds)
        .where(
          sql`${testGatewayRefunds.paymentRef} = ${ref} and ${testGatewayRefunds.idempotencyKey} = ${key}`,
        );
      if (done) return { ref: done.ref, status: done.status, amount: done.amount };
      const [row] = await tx
        .select()
        .from(testGatewayPayments)
        .where(eq(testGatewayPayments.ref, ref))
        .for("update");
      if (!row)
        throw new AppError(502, "payment.provider_unknown_payment", `The test gateway has no payment ${ref}`);
      const refundable = row.capturedAmount - row.refundedAmount;
      if (amount <= 0 || amount > refundable)
        throw new ConflictError("payment.refund_exceeds_captured", `At most ${refundable} can be refunded`);
      const refunded = row.refundedAmount + amount;
      await tx
        .update(testGatewayPayments)
        .set({
          refundedAmount: refunded,
          status: refunded === row.capturedAmount ? "refunded" : "partially_refunded",
        })
        .where(eq(testGatewayPayments.ref, ref));
      const refundRef = newId("tgr");
      await tx
        .insert(testGatewayRefunds)
        .values({ ref: refundRef, paymentRef: ref, idempotencyKey: key, amount, status: "succeeded" });
      return { ref: refundRef, status: "succeeded" as const, amount };
    });
  }

  /**
   * The buyer's side of the simulation: pays a Pix code or voucher, passes or fails a 3-D Secure
   * challenge, approves a redirect. Returns the signed webhook the gateway sends about it.
   */
  async complete(
    ref: string,
    outcome: "succeed" | "fail",
  ): Promise<{ payment: ProviderPayment; webhook: SignedWebhook }> {
    const row = await this.load(ref);
    if (row.status !== "pending" && row.status !== "requires_action")
      throw new ConflictError("payment.not_pending", `Payment is ${row.status}`);
    const next =
      outcome === "fail"
        ? await this.update(ref, {
            status: "failed",
            failureCode: row.method === "card" ? "authentication_failed" : "payment_failed",
            nextAction: null,
          })
        : await this.update(ref, {
            status: row.captureMode === "automatic" ? "captured" : "authorized",
            capturedAmount: row.captureMode === "automatic" ? row.amount : 0,
            nextAction: null,
          });
    const payment = toProviderPayment(next);
    const type = outcome === "fail" ? "payment.failed" : "payment.succeeded";
    return { payment, webhook: this.sign({ id: newId("tge"), type, payment }) };
  }

  /** The gateway's record of a payment as shown on its hosted page. */
  async describe(ref: string) {
    const row = await this.load(ref);
    return {
      ...toProviderPayment(row),
      method: row.method,
      cardLast4: row.cardLast4,
      returnUrl: row.returnUrl,
    };
  }

  sign(event: ProviderWebhookEvent, timestamp = Math.floor(Date.now() / 1000)): SignedWebhook {
    const body = JSON.stringify(event);
    const signature = createHmac("sha256", this.opts.secret).update(`${timestamp}.${body}`).digest("hex");
    return {
      body,
      headers: { [SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}`, "content-type": "application/json" },
    };
  }

  async parseWebhook(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<ProviderWebhookEvent> {
    const header = headers[SIGNATURE_HEADER];
    const match = typeof header === "string" ? /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) : null;
    const invalid = new ValidationError("payment.webhook_signature", "The webhook signature does not verify");
    if (!match) throw invalid;
    const timestamp = Number(match[1]);
    if (Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) throw invalid;
    const expected = createHmac("sha256", this.opts.secret).update(`${timestamp}.${rawBody}`).digest();
    if (!timingSafeEqual(expected, Buffer.from(match[2]!, "hex"))) throw invalid;
    const event = JSON.parse(rawBody) as ProviderWebhookEvent;
    if (typeof event?.id !== "string" || typeof event.type !== "string")
      throw new ValidationError("payment.webhook_invalid", "The webhook body is not an event");
    return event;
  }
}

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}
