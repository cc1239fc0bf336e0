import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { OrderAddress } from "../orders/index.ts";

/** A line as stored: the variant, how many, and the unit price the buyer last saw. */
export interface StoredCartLine {
  id: string;
  variantId: string;
  quantity: number;
  /** Price snapshot in the cart's currency; checked against the live price at completion. */
  unitPrice: number;
}

/**
 * A shopping cart in one market and currency. Lines live in one JSON column so a cart is read and
 * written in one statement; `version` guards against lost updates from concurrent requests.
 */
export const carts = pgTable(
  "carts",
  {
    id: text("id").primaryKey(),
    marketId: text("market_id").notNull(),
    currency: text("currency").notNull(),
    locale: text("locale").notNull(),
    customerId: text("customer_id"),
    email: text("email"),
    status: text("status", { enum: ["open", "completed", "merged"] })
      .notNull()
      .default("open"),
    lines: jsonb("lines").$type<StoredCartLine[]>().notNull().default([]),
    shippingAddress: jsonb("shipping_address").$type<OrderAddress>(),
    billingAddress: jsonb("billing_address").$type<OrderAddress>(),
    shippingMethodId: text("shipping_method_id"),
    /** A business buyer's VAT number, validated when set: reverse charge where the rules allow. */
    buyerVatId: text("buyer_vat_id"),
    discountCodes: text("discount_codes").array().notNull().default(sql`'{}'::text[]`),
    orderId: text("order_id"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("carts_customer").on(t.customerId).where(sql`${t.status} = 'open'`),
    check("carts_completed_has_order", sql`${t.status} <> 'completed' or ${t.orderId} is not null`),
  ],
);
