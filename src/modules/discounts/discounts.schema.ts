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
} from "drizzle-orm/pg-core";
import type { BxgySide, CurrencyAmounts, DiscountTarget } from "./discounts.types.ts";

/**
 * A discount code (upper-case, unique) or an automatic discount (no code). Which fields are set
 * depends on `kind`; the checks below restate the service's rules so no write can break them.
 * Market ids, product ids and collection ids are checked when written; a deleted product simply
 * stops matching.
 */
export const discounts = pgTable(
  "discounts",
  {
    id: text("id").primaryKey(),
    code: text("code").unique(),
    title: text("title").notNull(),
    kind: text("kind", { enum: ["percentage", "fixed_amount", "free_shipping", "buy_x_get_y"] }).notNull(),
    class: text("discount_class", { enum: ["product", "order", "shipping"] }).notNull(),
    percentage: integer("percentage"),
    amounts: jsonb("amounts").$type<CurrencyAmounts>(),
    appliesTo: jsonb("applies_to").$type<DiscountTarget>().notNull().default({ type: "all" }),
    buy: jsonb("buy").$type<BxgySide>(),
    get: jsonb("get").$type<BxgySide>(),
    maxUsesPerOrder: integer("max_uses_per_order"),
    minSubtotal: jsonb("min_subtotal").$type<CurrencyAmounts>(),
    marketIds: text("market_ids").array().notNull().default(sql`'{}'::text[]`),
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    usageLimit: integer("usage_limit"),
    perCustomerLimit: integer("per_customer_limit"),
    combinesWithProduct: boolean("combines_with_product").notNull().default(false),
    combinesWithOrder: boolean("combines_with_order").notNull().default(false),
    combinesWithShipping: boolean("combines_with_shipping").notNull().default(false),
    active: boolean("active").notNull().default(true),
    timesUsed: integer("times_used").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("discounts_code_upper", sql`${t.code} = upper(${t.code})`),
    check("discounts_percentage", sql`${t.percentage} between 1 and 10000`),
    check(
      "discounts_kind_fields",
      sql`(${t.percentage} is not null) = (${t.kind} in ('percentage', 'buy_x_get_y'))
        and (${t.amounts} is not null) = (${t.kind} = 'fixed_amount')
        and (${t.buy} is not null) = (${t.kind} = 'buy_x_get_y')
        and (${t.get} is not null) = (${t.kind} = 'buy_x_get_y')
        and (${t.maxUsesPerOrder} is null or ${t.kind} = 'buy_x_get_y')`,
    ),
    check(
      "discounts_kind_class",
      sql`(${t.kind} = 'free_shipping') = (${t.class} = 'shipping')
        and (${t.kind} <> 'buy_x_get_y' or ${t.class} = 'product')`,
    ),
    check("discounts_window", sql`${t.endsAt} > ${t.startsAt}`),
    check(
      "discounts_limits",
      sql`${t.timesUsed} >= 0 and ${t.usageLimit} >= 1 and ${t.perCustomerLimit} >= 1 and ${t.maxUsesPerOrder} >= 1`,
    ),
    index("discounts_automatic").on(t.id).where(sql`${t.code} is null and ${t.active}`),
  ],
);

/** One discount used by one order; deleted (and the counters given back) when the order is cancelled. */
export const discountRedemptions = pgTable(
  "discount_redemptions",
  {
    discountId: text("discount_id")
      .notNull()
      .references(() => discounts.id, { onDelete: "restrict" }),
    orderId: text("order_id").notNull(),
    customerKey: text("customer_key").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.discountId, t.orderId] }),
    index("discount_redemptions_order").on(t.orderId),
    check("discount_redemptions_amount", sql`${t.amount} >= 0`),
  ],
);

/**
 * Redemptions per discount and customer. A counter, like `discounts.times_used`, because a limit
 * can only be enforced under concurrency on a row that concurrent redemptions lock: counting
 * `discount_redemptions` would let two simultaneous orders of one customer both pass.
 */
export const discountCustomerUses = pgTable(
  "discount_customer_uses",
  {
    discountId: text("discount_id")
      .notNull()
      .references(() => discounts.id, { onDelete: "cascade" }),
    customerKey: text("customer_key").notNull(),
    uses: integer("uses").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.discountId, t.customerKey] }),
    check("discount_customer_uses_non_negative", sql`${t.uses} >= 0`),
  ],
);
