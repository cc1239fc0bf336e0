import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseForm } from "./form.ts";
import {
  cancelIntent,
  captureIntent,
  checkKnown,
  createIntent,
  createRefund,
  searchIntents,
} from "./stripe-fake-api.ts";
import {
  type Intent,
  invalid,
  type Json,
  type Params,
  StripeApiError,
  StripeBook,
} from "./stripe-fake-book.ts";

export { TEST_PAYMENT_METHODS } from "./stripe-fake-book.ts";

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

interface Answer {
  status: number;
  body: Json;
}

/** JSON with sorted keys: two requests with the same parameters in another order are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A local stand-in for the parts of Stripe's API the provider uses, spoken over real HTTP so the
 * official SDK runs unchanged (its host/port/protocol settings point at it): form-encoded
 * requests, Bearer keys, Idempotency-Key replays and conflicts, Stripe's test PaymentMethods,
 * Pix/Boleto/redirect actions that tests complete with `succeed`/`fail`/`expire`, refunds,
 * search by metadata, and webhooks signed the way Stripe signs them.
 * @example const fake = await StripeFake.start(); new StripePaymentProvider({ ...fake.providerOptions(), returnUrl })
 */
export class StripeFake {
  readonly book: StripeBook;
  /** Every API request received, in order (`replayed` when answered from an idempotency key). */
  readonly requests: { method: string; path: string; idempotencyKey?: string; replayed: boolean }[] = [];
  private readonly keys = new Map<string, { fingerprint: string; answer: Answer }>();
  private readonly server: Server;

  private constructor(
    readonly secretKey: string,
    readonly webhookSecret: string,
  ) {
    this.book = new StripeBook(() => this.url);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { type: "api_error", message: `The fake failed: ${err.message}` } }));
      });
    });
  }

  static async start(opts: { secretKey?: string; webhookSecret?: string } = {}): Promise<StripeFake> {
    const fake = new StripeFake(
      opts.secretKey ?? `sk_test_${randomBytes(12).toString("hex")}`,
      opts.webhookSecret ?? `whsec_${randomBytes(16).toString("hex")}`,
    );
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** StripePaymentProvider options that point the SDK at this fake. */
  providerOptions() {
    return {
      secretKey: this.secretKey,
      webhookSecret: this.webhookSecret,
      apiHost: "127.0.0.1",
      apiPort: this.port,
      apiProtocol: "http" as const,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const raw = await readBody(req);
    const method = req.method ?? "GET";
    const key = req.headers["idempotency-key"];
    const idempotencyKey = method === "POST" && typeof key === "string" ? key : undefined;
    let answer: Answer;
    let replayed = false;
    try {
      if (req.headers.authorization !== `Bearer ${this.secretKey}`)
        throw new StripeApiError(401, { type: "invalid_request_error", message: "Invalid API Key provided" });
      let params: Params;
      try {
        params = parseForm(method === "GET" ? url.search.slice(1) : raw);
      } catch (err) {
        throw invalid((err as Error).message);
      }
      const fingerprint = `${method} ${url.pathname} ${canonical(params)}`;
      const seen = idempotencyKey ? this.keys.get(idempotencyKey) : undefined;
      if (seen && seen.fingerprint !== fingerprint)
        throw new StripeApiError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        });
      replayed = seen !== undefined;
      answer = seen?.answer ?? this.route(method, url.pathname, params);
      // Stripe saves the result once the endpoint ran: successes and declines, not rejected input.
      if (idempotencyKey && !seen && (answer.status === 200 || answer.status === 402))
        this.keys.set(idempotencyKey, { fingerprint, answer });
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err;
      answer = { status: err.status, body: { error: err.error } };
    }
    this.requests.push({ method, path: url.pathname, idempotencyKey, replayed });
    res.writeHead(answer.status, {
      "content-type": "application/json",
      "request-id": `req_${randomBytes(8).toString("hex")}`,
      ...(replayed ? { "idempotent-replayed": "true" } : {}),
    });
    res.end(JSON.stringify(answer.body));
  }

  private route(method: string, path: string, params: Params): Answer {
    const ok = (body: Json) => ({ status: 200, body });
    if (method === "POST" && path === "/v1/payment_intents") return createIntent(this.book, params);
    if (method === "GET" && path === "/v1/payment_intents/search")
      return ok(searchIntents(this.book, params));
    if (method === "POST" && path === "/v1/refunds") return ok(createRefund(this.book, params));
    const one = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (one && method === "GET" && !one[2]) {
      checkKnown("retrieve", params);
      return ok(this.book.view(this.book.intent(one[1]!), params.expand));
    }
    if (one && method === "POST" && one[2] === "capture")
      return ok(captureIntent(this.book, one[1]!, params));
    if (one && method === "POST" && one[2] === "cancel") return ok(cancelIntent(this.book, one[1]!, params));
    throw invalid(`Unrecognized request URL (${method}: ${path}).`, {}, 404);
  }

  private waiting(id: string, states: string[]): Intent {
    const pi = this.book.intent(id);
    if (!states.includes(pi.status))
      throw new Error(`PaymentIntent ${id} is ${pi.status}, not ${states.join(" or ")}`);
    return pi;
  }

  /** The buyer passed the challenge, approved the redirect or paid the code/voucher: the money moves. */
  succeed(id: string): void {
    this.book.settle(this.waiting(id, ["requires_action", "processing"]));
  }

  /** The buyer paid and the bank is clearing it (Boleto takes a business day). */
  process(id: string): void {
    const pi = this.waiting(id, ["requires_action"]);
    Object.assign(pi, { status: "processing", next_action: null });
    this.book.emit("payment_intent.processing", pi);
  }

  /** The buyer failed the challenge or the bank refused the redirect payment. */
  fail(id: string): void {
    const pi = this.waiting(id, ["requires_action", "processing"]);
    const error =
      pi.payment_method_types[0] === "card"
        ? {
            type: "invalid_request_error",
            code: "payment_intent_authentication_failure",
            message: "The provided PaymentMethod has failed authentication.",
          }
        : {
            type: "invalid_request_error",
            code: "payment_intent_payment_attempt_failed",
            message: "The latest payment attempt of this PaymentIntent has failed.",
          };
    this.book.failAttempt(pi, error);
  }

  /** The Pix code or Boleto voucher ran out before the buyer paid. */
  expire(id: string): void {
    this.book.failAttempt(this.waiting(id, ["requires_action"]), {
      type: "invalid_request_error",
      code: "payment_intent_payment_attempt_expired",
      message: "The latest payment attempt of this PaymentIntent has expired.",
    });
  }

  /** PaymentIntents made for one of our payment ids (exactly one when creates are idempotent). */
  intentsFor(paymentId: string): Intent[] {
    return [...this.book.intents.values()].filter((pi) => pi.metadata.payment_id === paymentId);
  }

  /** The latest event about a PaymentIntent (or its charge), optionally of one type. */
  lastEvent(id: string, type?: string): Json {
    const about = (e: Json) => {
      const o = (e.data as { object: Json }).object;
      return o.id === id || o.payment_intent === id;
    };
    const event = this.book.events.findLast((e) => about(e) && (!type || e.type === type));
    if (!event) throw new Error(`No ${type ?? "event"} for ${id}`);
    return event;
  }

  /** A delivery as Stripe makes it: `Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`. */
  sign(event: Json | string, opts: { secret?: string; timestamp?: number } = {}): SignedWebhook {
    const body = typeof event === "string" ? event : JSON.stringify(event, null, 2);
    const t = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", opts.secret ?? this.webhookSecret)
      .update(`${t}.${body}`)
      .digest("hex");
    return {
      body,
      headers: { "stripe-signature": `t=${t},v1=${v1}`, "content-type": "application/json; charset=utf-8" },
    };
  }
}
