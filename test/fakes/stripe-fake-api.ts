import type { FormValue } from "./form.ts";
import {
  type Intent,
  invalid,
  type Json,
  type Params,
  type StripeBook,
  TEST_PAYMENT_METHODS,
} from "./stripe-fake-book.ts";

/** The currencies each method takes (null: any). */
const METHOD_CURRENCIES: Record<string, readonly string[] | null> = {
  card: null,
  pix: ["brl"],
  boleto: ["brl"],
  ideal: ["eur"],
  bancontact: ["eur"],
  paypal: ["eur", "gbp", "usd", "chf", "czk", "dkk", "nok", "pln", "sek", "aud", "cad", "hkd", "nzd", "sgd"],
};
const MANUAL_CAPTURE = ["card", "paypal"];
const REDIRECT = ["ideal", "bancontact", "paypal"];
const TENS_ONLY = ["bhd", "jod", "kwd", "omr", "tnd"];
const CANCELABLE = [
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
];

/** The parameters each endpoint knows; any other is refused as Stripe refuses it. */
const KNOWN: Record<string, readonly string[]> = {
  create: [
    "amount",
    "currency",
    "allowed_payment_method_types",
    "capture_method",
    "confirm",
    "return_url",
    "metadata",
    "payment_method",
    "payment_method_data",
    "payment_method_options",
    "expand",
  ],
  retrieve: ["expand"],
  search: ["query", "limit", "page", "expand"],
  capture: ["amount_to_capture", "expand"],
  cancel: ["cancellation_reason", "expand"],
  refund: ["payment_intent", "amount", "reason", "metadata", "expand"],
};

export function checkKnown(endpoint: string, p: Params): void {
  const unknown = Object.keys(p).find((k) => !KNOWN[endpoint]!.includes(k));
  if (unknown)
    throw invalid(`Received unknown parameter: ${unknown}`, { code: "parameter_unknown", param: unknown });
}

const str = (v: FormValue | undefined) => (typeof v === "string" ? v : undefined);
const obj = (v: FormValue | undefined) => (v && typeof v === "object" && !Array.isArray(v) ? v : undefined);

function amountParam(v: FormValue | undefined, param: string, currency: string): number {
  const text = str(v) ?? "";
  if (!/^\d{1,12}$/.test(text) || Number(text) < 1)
    throw invalid("Invalid positive integer", { code: "parameter_invalid_integer", param });
  if (TENS_ONLY.includes(currency) && Number(text) % 10 !== 0)
    throw invalid(`Amounts in ${currency} must end in 0`, { code: "amount_invalid", param });
  return Number(text);
}

const missing = (param: string) =>
  invalid(`Missing required param: ${param}.`, { code: "parameter_missing", param });

/** What Stripe insists on knowing about the buyer for some methods. */
function checkBillingDetails(method: string, data: Params): void {
  const billing = obj(data.billing_details) ?? {};
  if ((method === "bancontact" || method === "boleto") && !str(billing.name))
    throw missing("payment_method_data[billing_details][name]");
  if (method !== "boleto") return;
  if (!str(billing.email)) throw missing("payment_method_data[billing_details][email]");
  const address = obj(billing.address) ?? {};
  for (const field of ["line1", "city", "state", "postal_code", "country"])
    if (!str(address[field])) throw missing(`payment_method_data[billing_details][address][${field}]`);
  if (!str(obj(data.boleto)?.tax_id)) throw missing("payment_method_data[boleto][tax_id]");
}

function confirm(
  book: StripeBook,
  pi: Intent,
  method: string,
  pm: string | undefined,
  returnUrl: string | undefined,
  options: Params,
) {
  if (method === "card") {
    const card = TEST_PAYMENT_METHODS[pm!]!;
    if (card.decline)
      return book.failAttempt(
        pi,
        { type: "card_error", code: "card_declined", decline_code: card.decline, message: card.message },
        true,
      );
    if (!card.challenge) return book.settle(pi);
    const url = book.pageUrl("3ds", pi);
    // Without a return URL only Stripe.js on the buyer's page can run the challenge.
    return book.requireAction(
      pi,
      returnUrl
        ? { type: "redirect_to_url", redirect_to_url: { url, return_url: returnUrl } }
        : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: url } },
    );
  }
  if (method === "pix") {
    const seconds = Number(str(obj(options.pix)?.expires_after_seconds) ?? 86_400);
    return book.requireAction(pi, {
      type: "pix_display_qr_code",
      pix_display_qr_code: {
        data: `00020101021226880014br.gov.bcb.pix2566qr.stripe.com/${pi.id}5204000053039865802BR6304ABCD`,
        expires_at: book.now() + seconds,
        hosted_instructions_url: book.pageUrl("pix", pi),
        image_url_png: `${book.pageUrl("pix", pi)}.png`,
        image_url_svg: `${book.pageUrl("pix", pi)}.svg`,
      },
    });
  }
  if (method === "boleto") {
    const days = Number(str(obj(options.boleto)?.expires_after_days) ?? 3);
    const digits = [...pi.id].map((c) => c.charCodeAt(0) % 10).join("");
    return book.requireAction(pi, {
      type: "boleto_display_details",
      boleto_display_details: {
        number: `01010${digits}`.padEnd(47, "0").slice(0, 47),
        hosted_voucher_url: book.pageUrl("boleto", pi),
        pdf: `${book.pageUrl("boleto", pi)}.pdf`,
        expires_at: book.now() + days * 86_400,
      },
    });
  }
  return book.requireAction(pi, {
    type: "redirect_to_url",
    redirect_to_url: { url: book.pageUrl(method, pi), return_url: returnUrl },
  });
}

/** POST /v1/payment_intents with confirm=true, the only way the provider creates one. */
export function createIntent(book: StripeBook, p: Params): { status: number; body: Json } {
  checkKnown("create", p);
  const currency = str(p.currency) ?? "";
  if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}`, { param: "currency" });
  const amount = amountParam(p.amount, "amount", currency);
  const types = p.allowed_payment_method_types;
  const method = Array.isArray(types) && types.length === 1 ? str(types[0]) : undefined;
  if (!method || !(method in METHOD_CURRENCIES))
    throw invalid("The fake takes exactly one allowed_payment_method_types entry it knows", {
      param: "allowed_payment_method_types",
    });
  if (METHOD_CURRENCIES[method] && !METHOD_CURRENCIES[method].includes(currency))
    throw invalid(`The currency provided (${currency}) is invalid for ${method}.`, {
      code: "payment_intent_invalid_parameter",
      param: "currency",
    });
  const capture = str(p.capture_method) ?? "automatic";
  if (capture !== "automatic" && capture !== "manual")
    throw invalid("Invalid capture_method", { param: "capture_method" });
  if (capture === "manual" && !MANUAL_CAPTURE.includes(method))
    throw invalid(`capture_method=manual is not supported for ${method}.`, {
      code: "payment_intent_invalid_parameter",
      param: "capture_method",
    });
  if (str(p.confirm) !== "true")
    throw invalid("The fake only creates and confirms at once (confirm=true)", { param: "confirm" });
  const returnUrl = str(p.return_url);
  if (REDIRECT.includes(method) && !returnUrl) throw missing("return_url");
  const metadata = obj(p.metadata) ?? {};
  if (Object.values(metadata).some((v) => typeof v !== "string"))
    throw invalid("Invalid metadata", { param: "metadata" });
  const pm = str(p.payment_method);
  const pmData = obj(p.payment_method_data);
  if (method === "card") {
    if (!pm) throw missing("payment_method");
    if (!Object.hasOwn(TEST_PAYMENT_METHODS, pm))
      throw invalid(`No such PaymentMethod: '${pm}'`, { code: "resource_missing", param: "payment_method" });
  } else {
    if (pm || !pmData)
      throw invalid(`The fake makes ${method} PaymentMethods from payment_method_data`, {
        param: "payment_method",
      });
    if (str(pmData.type) !== method)
      throw invalid("payment_method_data[type] must match", { param: "payment_method_data[type]" });
    checkBillingDetails(method, pmData);
  }
  const pi = book.newIntent({
    object: "payment_intent",
    amount,
    currency,
    capture_method: capture,
    metadata: metadata as Record<string, string>,
    payment_method: pm ?? book.newId("pm"),
    allowed_payment_method_types: [method],
    payment_method_types: [method],
  });
  confirm(book, pi, method, pm, returnUrl, obj(p.payment_method_options) ?? {});
  if (pi.status === "requires_payment_method") {
    const error = pi.last_payment_error!;
    return { status: 402, body: { error: { ...error, payment_intent: book.view(pi, undefined) } } };
  }
  return { status: 200, body: book.view(pi, p.expand) };
}

export function captureIntent(book: StripeBook, id: string, p: Params): Json {
  checkKnown("capture", p);
  const pi = book.intent(id);
  if (pi.status !== "requires_capture")
    throw invalid(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      { code: "payment_intent_unexpected_state", payment_intent: book.view(pi, undefined) },
    );
  const amount =
    p.amount_to_capture === undefined
      ? pi.amount_capturable
      : amountParam(p.amount_to_capture, "amount_to_capture", pi.currency);
  if (amount > pi.amount_capturable)
    throw invalid("The amount to capture is larger than the amount capturable", {
      code: "amount_too_large",
      param: "amount_to_capture",
    });
  const charge = book.charges.get(pi.latest_charge!)!;
  // The rest of a partial capture is released, not refunded.
  Object.assign(charge, { captured: true, amount_captured: amount });
  book.emit("charge.captured", charge);
  Object.assign(pi, { status: "succeeded", amount_received: amount, amount_capturable: 0 });
  book.emit("payment_intent.succeeded", pi);
  return book.view(pi, p.expand);
}

export function cancelIntent(book: StripeBook, id: string, p: Params): Json {
  checkKnown("cancel", p);
  const pi = book.intent(id);
  if (!CANCELABLE.includes(pi.status))
    throw invalid(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
      { code: "payment_intent_unexpected_state", payment_intent: book.view(pi, undefined) },
    );
  Object.assign(pi, {
    status: "canceled",
    canceled_at: book.now(),
    cancellation_reason: str(p.cancellation_reason) ?? null,
    next_action: null,
    amount_capturable: 0,
  });
  book.emit("payment_intent.canceled", pi);
  return book.view(pi, p.expand);
}

export function createRefund(book: StripeBook, p: Params): Json {
  checkKnown("refund", p);
  const id = str(p.payment_intent);
  if (!id) throw missing("payment_intent");
  const pi = book.intent(id);
  const charge =
    pi.status === "succeeded" && pi.latest_charge ? book.charges.get(pi.latest_charge) : undefined;
  if (!charge)
    throw invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, {
      code: "charge_not_refundable",
    });
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining === 0)
    throw invalid(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
  const amount = p.amount === undefined ? remaining : amountParam(p.amount, "amount", pi.currency);
  if (amount > remaining)
    throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, {
      code: "amount_too_large",
      param: "amount",
    });
  const refund = {
    id: book.newId("re"),
    object: "refund",
    amount,
    charge: charge.id,
    created: book.now(),
    currency: pi.currency,
    metadata: {},
    payment_intent: pi.id,
    reason: str(p.reason) ?? null,
    status: "succeeded",
  };
  book.refunds.set(refund.id, refund);
  Object.assign(charge, {
    amount_refunded: charge.amount_refunded + amount,
    refunded: charge.amount_refunded + amount === charge.amount_captured,
  });
  book.emit("refund.created", refund);
  book.emit("charge.refunded", charge);
  return refund;
}

/** GET /v1/payment_intents/search: the fake knows the one query form the provider sends. */
export function searchIntents(book: StripeBook, p: Params): Json {
  checkKnown("search", p);
  const match = /^metadata\['((?:[^'\\]|\\.)+)'\]:'((?:[^'\\]|\\.)*)'$/.exec((str(p.query) ?? "").trim());
  if (!match) throw invalid("The fake supports only metadata['key']:'value' queries", { param: "query" });
  const unquote = (s: string) => s.replace(/\\(.)/g, "$1");
  const [key, value] = [unquote(match[1]!), unquote(match[2]!)];
  const limit = p.limit === undefined ? 10 : Number(str(p.limit));
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalid("Invalid limit", { param: "limit" });
  const found = [...book.intents.values()].filter((pi) => pi.metadata[key] === value).reverse();
  return {
    object: "search_result",
    data: found.slice(0, limit).map((pi) => book.view(pi, undefined)),
    has_more: found.length > limit,
    next_page: null,
    url: "/v1/payment_intents/search",
  };
}
