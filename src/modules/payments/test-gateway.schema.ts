import { bigint, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import type { NextAction, PaymentStatus } from "./payment-provider.ts";

/**
 * The built-in test gateway's own books. It plays an outside payment service, so the shop's
 * tables never read these: the shop learns about a payment only through the provider contract.
 */
export const testGatewayPayments = pgTable("test_gateway_payments", {
  ref: text("ref").primaryKey(),
  merchantReference: text("merchant_reference").notNull().unique(),
  method: text("method").notNull(),
  status: text("status").$type<PaymentStatus>().notNull(),
  amount: bigint("amount", { mode: "number" }).notNull(),
  currency: text("currency").notNull(),
  capturedAmount: bigint("captured_amount", { mode: "number" }).notNull().default(0),
  refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
  captureMode: text("capture_mode").notNull(),
  cardLast4: text("card_last4"),
  failureCode: text("failure_code"),
  nextAction: jsonb("next_action").$type<NextAction>(),
  returnUrl: text("return_url"),
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const testGatewayRefunds = pgTable(
  "test_gateway_refunds",
  {
    ref: text("ref").notNull().unique(),
    paymentRef: text("payment_ref").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    status: text("status", { enum: ["succeeded", "failed"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.paymentRef, t.idempotencyKey] })],
);
