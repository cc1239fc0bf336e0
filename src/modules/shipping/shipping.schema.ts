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
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { warehouses } from "../inventory/inventory.schema.ts";
import { markets } from "../markets/markets.schema.ts";
import type { Rates, RateType } from "./shipping.rates.ts";

/**
 * Countries of a market that share shipping methods. An empty list is the market's catch-all
 * zone: every market country that no other zone of the market lists.
 */
export const shippingZones = pgTable(
  "shipping_zones",
  {
    id: text("id").primaryKey(),
    marketId: text("market_id")
      .notNull()
      .references(() => markets.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    countries: text("countries").array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("shipping_zones_market").on(t.marketId),
    uniqueIndex("shipping_zones_one_catch_all").on(t.marketId).where(sql`cardinality(${t.countries}) = 0`),
  ],
);

/** A way to ship to a zone and what it costs the customer, in minor units of the market currency. */
export const shippingMethods = pgTable(
  "shipping_methods",
  {
    id: text("id").primaryKey(),
    zoneId: text("zone_id")
      .notNull()
      .references(() => shippingZones.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    /** Display name per locale: { en: "Express", ja: "お急ぎ便" }. */
    name: jsonb("name").$type<Record<string, string>>().notNull(),
    carrier: text("carrier").notNull(),
    rateType: text("rate_type").$type<RateType>().notNull(),
    rates: jsonb("rates").$type<Rates>().notNull(),
    /** The method is free when the subtotal reaches this amount; null: never free. */
    freeOver: bigint("free_over", { mode: "number" }),
    /** Handling days this method adds to the lane's delivery time. */
    extraDays: integer("extra_days").notNull().default(0),
    active: boolean("active").notNull().default(true),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("shipping_methods_zone_code").on(t.zoneId, t.code),
    check("shipping_methods_rate_type", sql`${t.rateType} in ('flat', 'weight_tiers', 'value_tiers')`),
    check("shipping_methods_free_over", sql`${t.freeOver} >= 0`),
    check("shipping_methods_extra_days", sql`${t.extraDays} >= 0`),
  ],
);

/**
 * What shipping from a warehouse to a country costs the brand and how long it takes. Routing
 * uses the cost and time; the fastest method's transit is the lane's days.
 */
export const shippingLanes = pgTable(
  "shipping_lanes",
  {
    warehouseId: text("warehouse_id")
      .notNull()
      .references(() => warehouses.id, { onDelete: "cascade" }),
    country: text("country").notNull(),
    cost: bigint("cost", { mode: "number" }).notNull(),
    costCurrency: text("cost_currency").notNull(),
    minDays: integer("min_days").notNull(),
    maxDays: integer("max_days").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.warehouseId, t.country] }),
    index("shipping_lanes_country").on(t.country),
    check("shipping_lanes_cost", sql`${t.cost} >= 0`),
    check("shipping_lanes_days", sql`${t.minDays} >= 0 and ${t.maxDays} >= ${t.minDays}`),
  ],
);
