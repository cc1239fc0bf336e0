import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
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
});

/** Stock of a variant in a warehouse; available = on hand − reserved, never negative. */
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
  },
  (t) => [
    primaryKey({ columns: [t.variantId, t.warehouseId] }),
    check("inventory_levels_non_negative", sql`${t.reserved} >= 0 and ${t.onHand} >= ${t.reserved}`),
  ],
);
