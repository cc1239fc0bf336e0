import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import type { OrderAddress, OrderShippingMethod, OrderSnapshot } from "./orders.types.ts";

/** Human-friendly order numbers (#1001, #1002, …), never reused. */
export const orderNumbers = pgSequence("order_number_seq", { startWith: 1001 });

export const ORDER_STATUSES = [
  "pending_payment",
  "paid",
  "partially_fulfilled",
  "fulfilled",
  "delivered",
  "cancelled",
  "partially_refunded",
  "refunded",
] as const;
export const PAYMENT_STATES = ["unpaid", "authorized", "paid", "partially_refunded", "refunded"] as const;
export const FULFILLMENT_STATES = ["unfulfilled", "partially_fulfilled", "fulfilled", "delivered"] as const;

/**
 * An order with everything it was sold under: prices, discounts, taxes, FX and addresses are
 * snapshots, so later catalog, price or rate changes never alter it. `status` is derived from the
 * payment and fulfilment states (see orders.lifecycle.ts). One order per cart, at most.
 */
export const orders = pgTable(
  "orders",
  {
    id: text("id").primaryKey(),
    number: bigint("number", { mode: "number" }).notNull().unique().default(sql`nextval('order_number_seq')`),
    cartId: text("cart_id").unique(),
    marketId: text("market_id").notNull(),
    currency: text("currency").notNull(),
    locale: text("locale").notNull(),
    customerId: text("customer_id"),
    email: text("email").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    paymentStatus: text("payment_status", { enum: PAYMENT_STATES }).notNull().default("unpaid"),
    fulfillmentStatus: text("fulfillment_status", { enum: FULFILLMENT_STATES })
      .notNull()
      .default("unfulfilled"),
    cancelled: boolean("cancelled").notNull().default(false),
    cancelReason: text("cancel_reason"),
    pricesIncludeTax: boolean("prices_include_tax").notNull(),
    subtotal: bigint("subtotal", { mode: "number" }).notNull(),
    discountTotal: bigint("discount_total", { mode: "number" }).notNull(),
    shippingTotal: bigint("shipping_total", { mode: "number" }).notNull(),
    taxTotal: bigint("tax_total", { mode: "number" }).notNull(),
    dutyTotal: bigint("duty_total", { mode: "number" }).notNull().default(0),
    total: bigint("total", { mode: "number" }).notNull(),
    refundedTotal: bigint("refunded_total", { mode: "number" }).notNull().default(0),
    shippingAddress: jsonb("shipping_address").$type<OrderAddress>().notNull(),
    billingAddress: jsonb("billing_address").$type<OrderAddress>(),
    shippingMethod: jsonb("shipping_method").$type<OrderShippingMethod>().notNull(),
    snapshot: jsonb("snapshot").$type<OrderSnapshot>().notNull(),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull().defaultNow(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("orders_customer").on(t.customerId, t.placedAt),
    index("orders_email").on(t.email),
    index("orders_placed").on(t.placedAt),
    index("orders_paid").on(t.paidAt),
    check("orders_totals", sql`${t.total} >= 0 and ${t.refundedTotal} between 0 and ${t.total}`),
  ],
);

/** A line as sold; quantities fulfilled and returned are counted here. */
export const orderLines = pgTable(
  "order_lines",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    variantId: text("variant_id").notNull(),
    productId: text("product_id").notNull(),
    sku: text("sku").notNull(),
    title: text("title").notNull(),
    variantTitle: text("variant_title").notNull(),
    quantity: integer("quantity").notNull(),
    unitPrice: bigint("unit_price", { mode: "number" }).notNull(),
    compareAtPrice: bigint("compare_at_price", { mode: "number" }),
    discount: bigint("discount", { mode: "number" }).notNull(),
    tax: bigint("tax", { mode: "number" }).notNull(),
    taxRate: text("tax_rate").notNull(),
    /** Duty charged at checkout on the line (DDP markets). */
    duty: bigint("duty", { mode: "number" }).notNull().default(0),
    total: bigint("total", { mode: "number" }).notNull(),
    /** How the unit price was obtained (price list or conversion with rate and rounding). */
    priceSource: jsonb("price_source").notNull(),
    hsCode: text("hs_code"),
    originCountry: text("origin_country"),
    weightGrams: integer("weight_grams"),
    fulfilledQuantity: integer("fulfilled_quantity").notNull().default(0),
    returnedQuantity: integer("returned_quantity").notNull().default(0),
  },
  (t) => [
    index("order_lines_order").on(t.orderId),
    check(
      "order_lines_quantities",
      sql`${t.quantity} > 0 and ${t.fulfilledQuantity} between 0 and ${t.quantity} and ${t.returnedQuantity} between 0 and ${t.fulfilledQuantity}`,
    ),
  ],
);

/** The order's timeline: every state change and note, with who did it. */
export const orderEvents = pgTable(
  "order_events",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    data: jsonb("data").notNull().default({}),
    actor: text("actor").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("order_events_order").on(t.orderId, t.id)],
);

/** A shipment of some of an order's units from one warehouse. */
export const fulfillments = pgTable(
  "fulfillments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    warehouseId: text("warehouse_id").notNull(),
    status: text("status", { enum: ["shipped", "delivered"] }).notNull(),
    carrier: text("carrier").notNull(),
    trackingNumber: text("tracking_number"),
    trackingUrl: text("tracking_url"),
    items: jsonb("items").$type<{ lineId: string; quantity: number }[]>().notNull(),
    shippedAt: timestamp("shipped_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [index("fulfillments_order").on(t.orderId)],
);
