import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { markets } from "../markets/markets.schema.ts";

export const RETURN_REASONS = [
  "size_too_small",
  "size_too_large",
  "damaged",
  "defective",
  "wrong_item",
  "not_as_described",
  "changed_mind",
  "other",
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const RETURN_STATUSES = ["requested", "approved", "rejected", "received", "refunded"] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/**
 * A market's return policy: how many days after delivery a return may be requested, and which
 * requests are approved without a person looking at them. A market without a row uses 30 days
 * and approves nothing automatically.
 */
export const returnPolicies = pgTable("return_policies", {
  marketId: text("market_id")
    .primaryKey()
    .references(() => markets.id, { onDelete: "cascade" }),
  windowDays: integer("window_days").notNull().default(30),
  autoApproveReasons: text("auto_approve_reasons").array().notNull().default(sql`'{}'::text[]`),
  /** Auto-approve only up to this refund value (minor units of the market currency); null: any. */
  autoApproveMaxAmount: bigint("auto_approve_max_amount", { mode: "number" }),
});

/** A customer's return of some units of an order, from request to refund. */
export const returns = pgTable(
  "returns",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    customerId: text("customer_id"),
    status: text("status", { enum: RETURN_STATUSES }).notNull(),
    refundMethod: text("refund_method", { enum: ["original", "store_credit"] }).notNull(),
    warehouseId: text("warehouse_id").notNull(),
    autoApproved: boolean("auto_approved").notNull().default(false),
    currency: text("currency").notNull(),
    /** The value of the returned units as paid (tax included). */
    amount: bigint("amount", { mode: "number" }).notNull(),
    refundedAmount: bigint("refunded_amount", { mode: "number" }),
    refundReference: text("refund_reference"),
    note: text("note"),
    rejectionReason: text("rejection_reason"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }),
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
  },
  (t) => [index("returns_order").on(t.orderId), index("returns_status").on(t.status, t.requestedAt)],
);

export const returnLines = pgTable(
  "return_lines",
  {
    id: text("id").primaryKey(),
    returnId: text("return_id")
      .notNull()
      .references(() => returns.id, { onDelete: "cascade" }),
    orderLineId: text("order_line_id").notNull(),
    variantId: text("variant_id").notNull(),
    quantity: integer("quantity").notNull(),
    reason: text("reason", { enum: RETURN_REASONS }).notNull(),
    note: text("note"),
    amount: bigint("amount", { mode: "number" }).notNull(),
    restockedQuantity: integer("restocked_quantity").notNull().default(0),
    writtenOffQuantity: integer("written_off_quantity").notNull().default(0),
  },
  (t) => [
    index("return_lines_return").on(t.returnId),
    check(
      "return_lines_quantities",
      sql`${t.quantity} > 0 and ${t.restockedQuantity} >= 0 and ${t.writtenOffQuantity} >= 0 and ${t.restockedQuantity} + ${t.writtenOffQuantity} <= ${t.quantity}`,
    ),
  ],
);

/** Store credit given to customers (positive) and spent (negative), per currency. */
export const storeCreditEntries = pgTable(
  "store_credit_entries",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    reference: text("reference").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("store_credit_customer").on(t.customerId, t.currency)],
);
