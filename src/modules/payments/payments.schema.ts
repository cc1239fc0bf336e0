import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { markets } from "../markets/markets.schema.ts";
import type { NextAction, PaymentStatus } from "./payment-provider.ts";

export const PAYMENT_STATUSES = [
  "pending",
  "requires_action",
  "authorized",
  "captured",
  "partially_refunded",
  "refunded",
  "failed",
  "canceled",
  "expired",
] as const;

/**
 * One payment attempt for an order with one provider and method. A declined card and the retry
 * that succeeds are two rows, so the success rate per market and method can be measured.
 */
export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    marketId: text("market_id").notNull(),
    provider: text("provider").notNull(),
    method: text("method").notNull(),
    status: text("status", { enum: PAYMENT_STATUSES }).$type<PaymentStatus>().notNull(),
    captureMode: text("capture_mode", { enum: ["automatic", "manual"] }).notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    capturedAmount: bigint("captured_amount", { mode: "number" }).notNull().default(0),
    refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
    providerRef: text("provider_ref"),
    nextAction: jsonb("next_action").$type<NextAction>(),
    failureCode: text("failure_code"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("payments_order").on(t.orderId),
    uniqueIndex("payments_provider_ref").on(t.provider, t.providerRef),
    index("payments_stats").on(t.createdAt, t.marketId),
    check(
      "payments_amounts",
      sql`${t.amount} > 0 and ${t.capturedAmount} between 0 and ${t.amount} and ${t.refundedAmount} between 0 and ${t.capturedAmount}`,
    ),
  ],
);

/** A refund of (part of) a captured payment; the key makes a retried refund a no-op. */
export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    orderId: text("order_id").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    reason: text("reason"),
    providerRef: text("provider_ref"),
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("refunds_key").on(t.paymentId, t.idempotencyKey),
    index("refunds_order").on(t.orderId),
    check("refunds_positive", sql`${t.amount} > 0`),
  ],
);

/** Webhook events already processed, so a replayed event changes nothing. */
export const paymentWebhookEvents = pgTable(
  "payment_webhook_events",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);

/** Which payment methods a market offers, through which provider, in what order. */
export const marketPaymentMethods = pgTable(
  "market_payment_methods",
  {
    marketId: text("market_id")
      .notNull()
      .references(() => markets.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    method: text("method").notNull(),
    captureMode: text("capture_mode", { enum: ["automatic", "manual"] })
      .notNull()
      .default("automatic"),
    position: integer("position").notNull().default(0),
    active: boolean("active").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.marketId, t.provider, t.method] })],
);
