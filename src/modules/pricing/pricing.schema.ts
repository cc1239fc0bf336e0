import { sql } from "drizzle-orm";
import { bigint, check, index, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { variants } from "../catalog/catalog.schema.ts";
import { markets } from "../markets/markets.schema.ts";

/**
 * How converted prices are rounded in a currency, in major units: the result is the nearest
 * (or next, for mode "up") value of the form k × step + ending, e.g. step 1, ending 0.99 → x.99.
 */
export const roundingRules = pgTable(
  "rounding_rules",
  {
    currency: text("currency").primaryKey(),
    step: numeric("step").notNull(),
    ending: numeric("ending").notNull().default("0"),
    mode: text("mode", { enum: ["up", "nearest", "down"] })
      .notNull()
      .default("up"),
  },
  (t) => [check("rounding_rules_step", sql`${t.step} > 0 and ${t.ending} >= 0 and ${t.ending} < ${t.step}`)],
);

/** Fixed prices for a market (optionally only for one customer group, optionally time-boxed). */
export const priceLists = pgTable(
  "price_lists",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    marketId: text("market_id")
      .notNull()
      .references(() => markets.id, { onDelete: "cascade" }),
    customerGroup: text("customer_group"),
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("price_lists_market").on(t.marketId)],
);

/** A variant's price in a price list, in minor units of the list's market currency. */
export const priceListPrices = pgTable(
  "price_list_prices",
  {
    priceListId: text("price_list_id")
      .notNull()
      .references(() => priceLists.id, { onDelete: "cascade" }),
    variantId: text("variant_id")
      .notNull()
      .references(() => variants.id, { onDelete: "cascade" }),
    amount: bigint("amount", { mode: "number" }).notNull(),
    compareAtAmount: bigint("compare_at_amount", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.priceListId, t.variantId] }),
    index("price_list_prices_variant").on(t.variantId),
    check("price_list_prices_amount", sql`${t.amount} >= 0`),
  ],
);
