import { sql } from "drizzle-orm";
import { queryRows } from "../db/client.ts";
import { type Ctx, transaction } from "../kernel/context.ts";
import { AppError, ConflictError, ValidationError } from "../kernel/errors.ts";
import { newSecretId } from "../kernel/ids.ts";
import {
  completeCartPart,
  customerKey,
  lockCart,
  type PricedCart,
  priceCart,
  refreshSnapshots,
} from "../modules/cart/index.ts";
import { findOrCreateGuest, guestCustomerPart } from "../modules/customers/index.ts";
import { redeem } from "../modules/discounts/index.ts";
import { assertReserved, commitReservations, reservePart } from "../modules/inventory/index.ts";
import {
  attachCustomer,
  getOrderRow,
  markPaid,
  type OrderInput,
  type OrderRow,
  orderInsertPart,
} from "../modules/orders/index.ts";
import {
  insertPayment,
  marketMethods,
  type PaymentJson,
  type PaymentProviders,
  type PaymentRow,
  paymentFromJson,
  paymentInsertPart,
  paymentsOfOrder,
} from "../modules/payments/index.ts";
import type { FulfilmentPlan } from "../modules/shipping/index.ts";
import { orderTaxLinesPart } from "../modules/tax/index.ts";
import { type PaymentOutcome, submitPayment, syncPayment } from "./payments.ts";

export interface PaymentChoice {
  provider?: string;
  method: string;
  /** Method data from the buyer's client (a test card number, a Stripe PaymentMethod id, …). */
  data?: Record<string, unknown>;
  returnUrl?: string;
}

/** How long a checkout holds stock before its payment must have settled, by payment method. */
const HOLD_MINUTES: Record<string, number> = { card: 15, paypal: 60, ideal: 60, bancontact: 60 };
const DEFAULT_HOLD_MINUTES = 30;

type Placed =
  | { kind: "placed"; order: OrderSummary; payment: PaymentRow; email: string; country: string }
  | { kind: "free"; order: OrderSummary }
  | { kind: "resume"; orderId: string }
  | { kind: "prices_changed"; priced: PricedCart };

function assertReady(priced: PricedCart): void {
  // The same answer as a lost race in redeem(): the buyer saw a discount that is gone now.
  const usedUp = priced.discounts.rejectedCodes.filter((r) => r.reason === "usage_limit").map((r) => r.code);
  if (usedUp.length > 0)
    throw new ConflictError("discount.usage_limit_reached", "A discount code in the cart has been used up", {
      codes: usedUp,
    });
  const blocking = priced.issues.filter((i) => i !== "cart.prices_changed");
  if (blocking.length > 0)
    throw new ConflictError(
      "checkout.cart_not_ready",
      `The cart cannot be completed: ${blocking.join(", ")}`,
      {
        issues: blocking,
      },
    );
}

function orderInput(priced: PricedCart, orderId: string, plan: FulfilmentPlan): OrderInput {
  const { cart, pricing, totals, tax } = priced;
  const method = priced.shippingMethod!;
  return {
    id: orderId,
    cartId: cart.id,
    marketId: pricing.market.id,
    currency: cart.currency,
    locale: cart.locale,
    customerId: cart.customerId,
    email: cart.email!,
    pricesIncludeTax: pricing.market.taxInclusive,
    subtotal: totals.subtotal,
    discountTotal: totals.discount + method.discount,
    shippingTotal: totals.shipping,
    taxTotal: totals.tax,
    dutyTotal: totals.duties,
    total: totals.total,
    shippingAddress: cart.shippingAddress!,
    billingAddress: cart.billingAddress,
    shippingMethod: {
      methodId: method.methodId,
      code: method.code,
      name: method.name,
      carrier: method.carrier,
      amount: method.amount,
      discount: method.discount,
      estimate: method.estimate,
    },
    snapshot: {
      baseCurrency: pricing.baseCurrency,
      fx: pricing.fx,
      tax: { strategy: "landed-cost", buyerVatId: cart.buyerVatId, landedCost: tax },
      discounts: priced.discounts.applied.map((d) => ({
        discountId: d.discountId,
        code: d.code,
        title: d.title,
        amount: d.amount,
      })),
      shipments: plan.shipments,
    },
    lines: priced.lines.map((l) => {
      const v = priced.variants.get(l.variantId)!;
      return {
        variantId: l.variantId,
        productId: l.productId,
        sku: l.sku,
        title: l.title,
        variantTitle: l.variantTitle,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        compareAtPrice: l.compareAtPrice,
        discount: l.discount,
        tax: l.tax,
        taxRate: l.taxRate,
        duty: l.duty,
        total: l.total,
        priceSource: {
          source: v.price!.source,
          priceListId: v.price!.priceListId,
          fx: v.price!.fx,
          rounding: v.price!.rounding,
        },
        hsCode: v.hsCode,
        originCountry: v.originCountry,
        weightGrams: v.weightGrams,
      };
    }),
  };
}

/**
 * Phase one, in one transaction: lock and price the cart with its stock locked, then write the
 * order, its stock reservations, the payment attempt and the completed cart in one statement,
 * and record discount uses.
 */
async function placeOrder(
  ctx: Ctx,
  cartId: string,
  choice: PaymentChoice & { provider: string },
): Promise<Placed> {
  return transaction(ctx, async (tx) => {
    const cart = await lockCart(tx, cartId);
    if (cart.status === "completed") return { kind: "resume", orderId: cart.orderId! };
    if (cart.status !== "open") throw new ConflictError("cart.not_open", `The cart is ${cart.status}`);
    const priced = await priceCart(tx, cart, { lockStock: true });
    assertReady(priced);
    // Committed without an order: the refreshed snapshots must survive the 409 the buyer gets.
    if (priced.issues.includes("cart.prices_changed")) return { kind: "prices_changed", priced };
    const offered = await marketMethods(tx, priced.pricing.market.id);
    const method = offered.find((m) => m.provider === choice.provider && m.method === choice.method);
    if (!method)
      throw new ValidationError(
        "checkout.payment_method_unavailable",
        `${choice.method} is not offered in this market`,
        {
          offered: offered.map((m) => ({ provider: m.provider, method: m.method })),
        },
      );
    const plan = priced.plan!;
    const orderId = newSecretId("ord");
    const total = priced.totals.total;
    const hold = HOLD_MINUTES[choice.method] ?? DEFAULT_HOLD_MINUTES;
    // The writes of a completion are one statement, each module contributing its part. A guest's
    // order gets the customer record for its email (an account's, or a guest record).
    const guest = cart.customerId ? null : guestCustomerPart(cart.email!);
    const order = orderInsertPart(tx, orderInput(priced, orderId, plan), guest?.id);
    const stock = reservePart(
      orderId,
      plan.shipments.flatMap((s) => s.items.map((i) => ({ ...i, warehouseId: s.warehouseId }))),
      new Date(Date.now() + hold * 60_000),
    );
    const pay =
      total > 0
        ? paymentInsertPart({
            orderId,
            marketId: priced.pricing.market.id,
            provider: method.provider,
            method: method.method,
            captureMode: method.captureMode,
            amount: total,
            currency: cart.currency,
          })
        : null;
    const done = completeCartPart(cart.id, orderId);
    const taxes = orderTaxLinesPart(orderId, cart.currency, priced.tax.summary);
    const [written] = await queryRows<{
      number: number;
      customer_id: string | null;
      reserved: number;
      payment: PaymentJson | null;
    }>(
      tx.db,
      sql`with ${guest ? sql`${guest.ctes}, ` : sql``}${order.ctes}, ${stock.ctes}, ${pay ? sql`${pay.ctes}, ` : sql``}${done.ctes}, ${taxes.ctes}
          select ${order.number} as number, ${order.customerId} as customer_id, ${stock.reserved} as reserved,
            ${pay ? pay.row : sql`null::json`} as payment`,
      { prepared: true },
    );
    assertReserved(written!.reserved, stock.expected);
    // A concurrent first order for the same email was creating its record: it is there now.
    if (!written!.customer_id)
      await attachCustomer(tx, orderId, (await findOrCreateGuest(tx, cart.email!)).id);
    await redeem(tx, {
      orderId,
      customerKey: customerKey(cart)!,
      currency: cart.currency,
      applied: priced.discounts.applied,
    });
    const summary = { id: orderId, number: written!.number, total, currency: cart.currency };
    if (!written!.payment) {
      // Nothing to pay (a discount covered everything): sold at once, no payment attempt.
      await commitReservations(tx, orderId);
      await markPaid(tx, orderId, { paymentId: null, captured: true });
      return { kind: "free", order: summary };
    }
    const payment = paymentFromJson(written!.payment);
    return {
      kind: "placed",
      order: summary,
      payment,
      email: cart.email!,
      country: cart.shippingAddress!.country,
    };
  });
}

export interface OrderSummary {
  id: string;
  number: number;
  total: number;
  currency: string;
}

export interface CheckoutResult extends PaymentOutcome {
  order: OrderSummary;
}

/**
 * Completes a cart: writes the order and reserves its stock in one transaction, then asks the
 * payment provider (outside any transaction) and applies its answer. Repeating it for a completed
 * cart returns the same order; after a declined payment it makes a new attempt for that order.
 * @example await completeCheckout(ctx, providers, cartId, { method: "card", data: { cardNumber: TEST_CARDS.success } })
 */
export async function completeCheckout(
  ctx: Ctx,
  providers: PaymentProviders,
  cartId: string,
  choice: PaymentChoice,
): Promise<CheckoutResult> {
  const provider = choice.provider ?? "test";
  if (!providers.has(provider))
    throw new ValidationError("checkout.payment_provider_unknown", `No payment provider "${provider}"`);
  const placed = await placeOrder(ctx, cartId, { ...choice, provider });
  if (placed.kind === "prices_changed") {
    const p = placed.priced;
    await refreshSnapshots(ctx, p.cart, new Map(p.lines.map((l) => [l.id, l.unitPrice])));
    throw new ConflictError(
      "cart.prices_changed",
      "Prices changed since the cart was last seen; review and complete again",
      {
        lines: p.lines
          .filter((l) => l.unitPrice !== l.snapshotPrice)
          .map((l) => ({ id: l.id, was: l.snapshotPrice, now: l.unitPrice })),
      },
    );
  }
  if (placed.kind === "free") return { order: placed.order, payment: null, orderStatus: "paid" };
  if (placed.kind === "resume") return resumePayment(ctx, providers, placed.orderId, choice, provider);
  const outcome = await submitPayment(ctx, providers, placed.payment, {
    data: choice.data ?? {},
    returnUrl: choice.returnUrl,
    customer: { email: placed.email, country: placed.country },
  });
  return { order: placed.order, ...outcome };
}

/**
 * A completion for a cart that already has its order: returns the order's payment state, or
 * makes a new attempt when the last one failed and the order still awaits payment.
 */
async function resumePayment(
  ctx: Ctx,
  providers: PaymentProviders,
  orderId: string,
  choice: PaymentChoice,
  provider: string,
): Promise<CheckoutResult> {
  const row = await getOrderRow(ctx, orderId);
  const order = { id: row.id, number: row.number, total: row.total, currency: row.currency };
  return { order, ...(await retryOrReport(ctx, providers, row, choice, provider)) };
}

async function retryOrReport(
  ctx: Ctx,
  providers: PaymentProviders,
  order: OrderRow,
  choice: PaymentChoice,
  provider: string,
): Promise<PaymentOutcome> {
  const orderId = order.id;
  const attempts = await paymentsOfOrder(ctx, orderId);
  const last = attempts[attempts.length - 1];
  if (!last) return { payment: null, orderStatus: order.status };
  const retryable = order.paymentStatus === "unpaid" && !order.cancelled && last.status === "failed";
  if (!retryable) {
    if (last.status === "pending" && !last.providerRef)
      return submitPayment(ctx, providers, last, {
        data: choice.data ?? {},
        returnUrl: choice.returnUrl,
        customer: { email: order.email, country: order.shippingAddress.country },
      });
    // Money recorded but the order not updated (a crash mid-update): settle it now.
    if (
      order.paymentStatus === "unpaid" &&
      !order.cancelled &&
      ["captured", "authorized"].includes(last.status)
    )
      return syncPayment(ctx, providers, last.id);
    return { payment: last, orderStatus: order.status };
  }
  const offered = await marketMethods(ctx, order.marketId);
  const method = offered.find((m) => m.provider === provider && m.method === choice.method);
  if (!method)
    throw new ValidationError(
      "checkout.payment_method_unavailable",
      `${choice.method} is not offered in this market`,
    );
  const payment = await insertPayment(ctx, {
    orderId,
    marketId: order.marketId,
    provider,
    method: method.method,
    captureMode: method.captureMode,
    amount: order.total,
    currency: order.currency,
  });
  if (payment.amount <= 0) throw new AppError(409, "checkout.nothing_to_pay", "The order total is zero");
  return submitPayment(ctx, providers, payment, {
    data: choice.data ?? {},
    returnUrl: choice.returnUrl,
    customer: { email: order.email, country: order.shippingAddress.country },
  });
}
