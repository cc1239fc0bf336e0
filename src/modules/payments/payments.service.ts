import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import { queryRows, sqlTextArray } from "../../db/client.ts";
import { cached } from "../../kernel/config-cache.ts";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit, emitFromSql } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import type { PaymentStatus, ProviderPayment } from "./payment-provider.ts";
import { marketPaymentMethods, payments, paymentWebhookEvents, refunds } from "./payments.schema.ts";

export type PaymentRow = typeof payments.$inferSelect;

/** Allowed moves of a payment's status; anything else (a late "failed" after a capture) is ignored. */
export const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  pending: ["requires_action", "authorized", "captured", "failed", "canceled", "expired"],
  requires_action: ["pending", "authorized", "captured", "failed", "canceled", "expired"],
  authorized: ["captured", "canceled", "expired"],
  captured: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  refunded: [],
  failed: [],
  canceled: [],
  expired: [],
};

function allowedFrom(to: PaymentStatus): PaymentStatus[] {
  return (Object.keys(PAYMENT_TRANSITIONS) as PaymentStatus[]).filter((from) =>
    PAYMENT_TRANSITIONS[from].includes(to),
  );
}

export interface NewPayment {
  orderId: string;
  marketId: string;
  provider: string;
  method: string;
  captureMode: "automatic" | "manual";
  amount: number;
  currency: string;
}

/**
 * The CTE that records a payment attempt, for a statement composed by a flow; `row` reads it
 * back as JSON for paymentFromJson.
 */
export function paymentInsertPart(input: NewPayment): { ctes: SQL; row: SQL } {
  const ctes = sql`new_payment as (
      insert into payments (id, order_id, market_id, provider, method, status, capture_mode, amount, currency)
      values (${newId("pay")}, ${input.orderId}, ${input.marketId}, ${input.provider}, ${input.method}, 'pending',
        ${input.captureMode}, ${input.amount}, ${input.currency})
      returning *
    )`;
  return { ctes, row: sql`(select row_to_json(new_payment) from new_payment)` };
}

/** Records a payment attempt before the provider is called, so a crash leaves a trace to reconcile. */
export async function insertPayment(ctx: Ctx, input: NewPayment): Promise<PaymentRow> {
  const part = paymentInsertPart(input);
  const [row] = await queryRows<{ payment: PaymentJson }>(
    ctx.db,
    sql`with ${part.ctes} select ${part.row} as payment`,
    { prepared: true },
  );
  return paymentFromJson(row!.payment);
}

export interface PaymentChange {
  payment: PaymentRow;
  previous: PaymentStatus;
  /** False when the provider state was already known or the move is not allowed. */
  changed: boolean;
}

/** A payments row as `row_to_json` gives it (snake_case, timestamps as text). */
export type PaymentJson = { [K in keyof PaymentRow as K extends string ? SnakeCase<K> : never]: unknown };
type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S;

/** A payment row read back as JSON from a composed statement. */
export function paymentFromJson(j: PaymentJson): PaymentRow {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: j.id as string,
    orderId: j.order_id as string,
    marketId: j.market_id as string,
    provider: j.provider as string,
    method: j.method as string,
    status: j.status as PaymentStatus,
    captureMode: j.capture_mode as PaymentRow["captureMode"],
    amount: Number(j.amount),
    currency: j.currency as string,
    capturedAmount: Number(j.captured_amount),
    refundedAmount: Number(j.refunded_amount),
    providerRef: j.provider_ref as string | null,
    nextAction: j.next_action as PaymentRow["nextAction"],
    failureCode: j.failure_code as string | null,
    expiresAt: date(j.expires_at),
    createdAt: date(j.created_at)!,
    updatedAt: date(j.updated_at)!,
  };
}

/** What applyProviderPaymentPart's columns read back as. */
export interface PaymentChangeRow {
  previous: PaymentStatus | null;
  updated: PaymentJson | null;
  current: PaymentJson | null;
}

/**
 * The CTEs that apply what the provider reports to our payment record, if the status move is
 * allowed from the current one, and record `payment.failed` when the attempt just failed; for a
 * statement composed by a flow. `columns` select a PaymentChangeRow, `status` is the payment's
 * status after the statement and `orderId` its order.
 */
export function applyProviderPaymentPart(
  paymentId: string,
  pp: ProviderPayment,
): { ctes: SQL; columns: SQL; status: SQL; orderId: SQL } {
  const from = sqlTextArray(allowedFrom(pp.status));
  const failed = emitFromSql(
    "payment.failed",
    sql`u.id`,
    sql`jsonb_build_object('paymentId', u.id, 'orderId', u.order_id, 'method', u.method, 'failureCode', u.failure_code)`,
    sql`from pay_upd u join pay_old old on old.id = u.id where u.status = 'failed' and old.status <> 'failed'`,
  );
  const ctes = sql`pay_old as (select * from payments where id = ${paymentId} for update),
      pay_upd as (
        update payments p set status = ${pp.status}, provider_ref = ${pp.ref}, captured_amount = ${pp.capturedAmount},
          next_action = ${pp.nextAction ? JSON.stringify(pp.nextAction) : null}::jsonb,
          failure_code = ${pp.failureCode ?? null}, expires_at = ${pp.expiresAt ?? null}::timestamptz, updated_at = now()
        from pay_old old where p.id = old.id and (old.status::text = any(${from})
          or (old.status = ${pp.status} and p.provider_ref is distinct from ${pp.ref}))
        returning p.*
      ), pay_failed as (${failed})`;
  return {
    ctes,
    columns: sql`(select status from pay_old) as previous, (select row_to_json(pay_upd) from pay_upd) as updated,
      (select row_to_json(pay_old) from pay_old) as current`,
    status: sql`coalesce((select status::text from pay_upd), (select status::text from pay_old))`,
    orderId: sql`(select order_id from pay_old)`,
  };
}

/** The change a composed statement made with applyProviderPaymentPart. */
export function paymentChangeFrom(
  paymentId: string,
  pp: ProviderPayment,
  row: PaymentChangeRow | undefined,
): PaymentChange {
  if (!row?.previous || !row.current) throw new NotFoundError("payment", paymentId);
  const payment = paymentFromJson(row.updated ?? row.current);
  return { payment, previous: row.previous, changed: row.updated !== null && row.previous !== pp.status };
}

/**
 * Applies what the provider reports to our payment record (see applyProviderPaymentPart). Safe
 * to repeat and atomic on its own: the same report twice changes nothing.
 */
export async function applyProviderPayment(
  ctx: Ctx,
  paymentId: string,
  pp: ProviderPayment,
): Promise<PaymentChange> {
  const part = applyProviderPaymentPart(paymentId, pp);
  const [row] = await queryRows<PaymentChangeRow>(ctx.db, sql`with ${part.ctes} select ${part.columns}`, {
    prepared: true,
  });
  return paymentChangeFrom(paymentId, pp, row);
}

export async function getPayment(ctx: Ctx, paymentId: string): Promise<PaymentRow> {
  const [row] = await ctx.db.select().from(payments).where(eq(payments.id, paymentId));
  if (!row) throw new NotFoundError("payment", paymentId);
  return row;
}

export async function paymentsOfOrder(ctx: Ctx, orderId: string): Promise<PaymentRow[]> {
  return ctx.db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(asc(payments.createdAt));
}

/** The order's payment that took money (captured or authorized), if any. */
export async function settledPaymentOf(ctx: Ctx, orderId: string): Promise<PaymentRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.orderId, orderId),
        sql`${payments.status} in ('authorized', 'captured', 'partially_refunded', 'refunded')`,
      ),
    )
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return row;
}

export async function findByProviderRef(
  ctx: Ctx,
  provider: string,
  ref: string,
): Promise<PaymentRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.provider, provider), eq(payments.providerRef, ref)));
  return row;
}

/** Remembers a webhook event; false when it was seen before (a replay). */
export async function claimWebhookEvent(ctx: Ctx, provider: string, eventId: string): Promise<boolean> {
  const rows = await ctx.db
    .insert(paymentWebhookEvents)
    .values({ provider, eventId })
    .onConflictDoNothing()
    .returning({ id: paymentWebhookEvents.eventId });
  return rows.length === 1;
}

/** Payments still waiting for the provider's answer after `olderThanSeconds` (a crash mid-call). */
export async function stalePendingPayments(
  ctx: Ctx,
  olderThanSeconds: number,
  limit = 50,
): Promise<PaymentRow[]> {
  return ctx.db
    .select()
    .from(payments)
    .where(
      sql`${payments.status} = 'pending' and ${payments.providerRef} is null
          and ${payments.createdAt} < now() - make_interval(secs => ${olderThanSeconds})`,
    )
    .orderBy(asc(payments.createdAt))
    .limit(limit);
}

export type RefundRow = typeof refunds.$inferSelect;

export async function findRefund(ctx: Ctx, paymentId: string, key: string): Promise<RefundRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.idempotencyKey, key)));
  return row;
}

/** Records a refund the provider accepted and adds it to the payment, in one transaction with the caller. */
export async function recordRefund(
  ctx: Ctx,
  payment: PaymentRow,
  input: {
    amount: number;
    key: string;
    reason?: string;
    providerRef: string;
    status: "pending" | "succeeded";
  },
): Promise<RefundRow> {
  const refunded = payment.refundedAmount + input.amount;
  if (refunded > payment.capturedAmount)
    throw new ValidationError("refund.exceeds_captured", "The refund is larger than what remains captured");
  const [row] = await ctx.db
    .insert(refunds)
    .values({
      id: newId("ref"),
      paymentId: payment.id,
      orderId: payment.orderId,
      amount: input.amount,
      currency: payment.currency,
      status: input.status,
      reason: input.reason,
      providerRef: input.providerRef,
      idempotencyKey: input.key,
    })
    .returning();
  await ctx.db
    .update(payments)
    .set({
      refundedAmount: refunded,
      status: refunded === payment.capturedAmount ? "refunded" : "partially_refunded",
      updatedAt: new Date(),
    })
    .where(eq(payments.id, payment.id));
  await emit(
    ctx,
    "refund.issued",
    {
      refundId: row!.id,
      orderId: payment.orderId,
      paymentId: payment.id,
      amount: input.amount,
      currency: payment.currency,
    },
    { key: row!.id },
  );
  return row!;
}

export interface MarketPaymentMethod {
  provider: string;
  method: string;
  captureMode: "automatic" | "manual";
}

/** The payment methods a market offers, in display order. */
export function marketMethods(ctx: Ctx, marketId: string): Promise<MarketPaymentMethod[]> {
  return cached(ctx, `payment-methods:${marketId}`, () => queryMarketMethods(ctx, marketId));
}

async function queryMarketMethods(ctx: Ctx, marketId: string): Promise<MarketPaymentMethod[]> {
  return ctx.db
    .select({
      provider: marketPaymentMethods.provider,
      method: marketPaymentMethods.method,
      captureMode: marketPaymentMethods.captureMode,
    })
    .from(marketPaymentMethods)
    .where(and(eq(marketPaymentMethods.marketId, marketId), eq(marketPaymentMethods.active, true)))
    .orderBy(asc(marketPaymentMethods.position));
}

/** Replaces a market's payment methods. */
export async function setMarketMethods(ctx: Ctx, marketId: string, methods: readonly MarketPaymentMethod[]) {
  await ctx.db.delete(marketPaymentMethods).where(eq(marketPaymentMethods.marketId, marketId));
  if (methods.length === 0) return [];
  await ctx.db
    .insert(marketPaymentMethods)
    .values(methods.map((m, position) => ({ marketId, position, ...m })));
  return marketMethods(ctx, marketId);
}

/** Attempts, successes and success rate per market and method in a time window. */
export async function paymentStats(ctx: Ctx, range: { from: Date; to: Date }) {
  return queryRows<{
    market_id: string;
    method: string;
    attempts: number;
    succeeded: number;
    failed: number;
  }>(
    ctx.db,
    sql`select market_id, method, count(*)::int as attempts,
          count(*) filter (where status in ('authorized', 'captured', 'partially_refunded', 'refunded'))::int as succeeded,
          count(*) filter (where status = 'failed')::int as failed
        from payments where created_at >= ${range.from.toISOString()}::timestamptz and created_at < ${range.to.toISOString()}::timestamptz
        group by market_id, method order by market_id, method`,
  );
}
