import { sql } from "drizzle-orm";
import {
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
import { variants } from "../catalog/catalog.schema.ts";

export interface WarehouseAddress {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

/** A stocking location, with the countries it ships to. */
export const warehouses = pgTable("warehouses", {
  id: text("id").primaryKey(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  address: jsonb("address").$type<WarehouseAddress>().notNull(),
  servesCountries: text("serves_countries").array().notNull(),
  /** Accepts customer returns (the returns flow sends a return to the nearest such warehouse). */
  acceptsReturns: boolean("accepts_returns").notNull().default(true),
});

/**
 * Stock of a variant in a warehouse. available = on hand − reserved. Reservations and adjustments
 * keep it at zero or above unless the variant allows backorders (catalog `allow_backorder`).
 */
export const inventoryLevels = pgTable(
  "inventory_levels",
  {
    variantId: text("variant_id")
      .notNull()
      .references(() => variants.id, { onDelete: "cascade" }),
    warehouseId: text("warehouse_id")
      .notNull()
      .references(() => warehouses.id, { onDelete: "cascade" }),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    incoming: integer("incoming").notNull().default(0),
    lowStockThreshold: integer("low_stock_threshold"),
  },
  (t) => [
    primaryKey({ columns: [t.variantId, t.warehouseId] }),
    check("inventory_levels_non_negative", sql`${t.reserved} >= 0 and ${t.incoming} >= 0`),
  ],
);

export const ADJUSTMENT_REASONS = [
  "received",
  "correction",
  "damaged",
  "lost",
  "sold",
  "returned",
  "written_off",
  "order_cancelled",
  "cycle_count",
] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/** Every change of on-hand stock, with why and by whom. */
export const inventoryAdjustments = pgTable(
  "inventory_adjustments",
  {
    id: text("id").primaryKey(),
    variantId: text("variant_id").notNull(),
    warehouseId: text("warehouse_id").notNull(),
    delta: integer("delta").notNull(),
    reason: text("reason", { enum: ADJUSTMENT_REASONS }).notNull(),
    reference: text("reference"),
    actor: text("actor").notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("inventory_adjustments_variant").on(t.variantId, t.createdAt)],
);

/** Units held for an order until it is paid (committed) or cancelled/expired (released). */
export const inventoryReservations = pgTable(
  "inventory_reservations",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    variantId: text("variant_id").notNull(),
    warehouseId: text("warehouse_id").notNull(),
    quantity: integer("quantity").notNull(),
    status: text("status", { enum: ["active", "committed", "released"] })
      .notNull()
      .default("active"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("inventory_reservations_order_item").on(t.orderId, t.variantId, t.warehouseId),
    index("inventory_reservations_expiry").on(t.expiresAt).where(sql`${t.status} = 'active'`),
    // An order's active holds (commit, release, extend): without it the planner may combine the
    // expiry index, whose dead entries pile up between vacuums under a steady checkout load.
    index("inventory_reservations_active_order").on(t.orderId).where(sql`${t.status} = 'active'`),
    check("inventory_reservations_positive", sql`${t.quantity} > 0`),
  ],
);
