import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/** The store's own settings: one row. Base prices are in `baseCurrency`. */
export const shop = pgTable("shop", {
  id: integer("id").primaryKey().default(1),
  name: text("name").notNull(),
  baseCurrency: text("base_currency").notNull(),
  defaultLocale: text("default_locale").notNull(),
});

/** A market: countries sold to with one currency, its locales (default first) and tax/duty behaviour. */
export const markets = pgTable(
  "markets",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    currency: text("currency").notNull(),
    locales: text("locales").array().notNull(),
    taxInclusive: boolean("tax_inclusive").notNull(),
    dutyMode: text("duty_mode", { enum: ["DDP", "DDU"] }).notNull(),
    urlPrefix: text("url_prefix").notNull().unique(),
    active: boolean("active").notNull().default(true),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("markets_locales_not_empty", sql`cardinality(${t.locales}) > 0`)],
);

/** Each country belongs to at most one market. */
export const marketCountries = pgTable("market_countries", {
  country: text("country").primaryKey(),
  marketId: text("market_id")
    .notNull()
    .references(() => markets.id, { onDelete: "cascade" }),
});

/** Reference rates: units of `quote` per one unit of `base` on `rateDate` (ECB publishes EUR-based rates). */
export const fxRates = pgTable(
  "fx_rates",
  {
    base: text("base").notNull(),
    quote: text("quote").notNull(),
    rateDate: date("rate_date").notNull(),
    rate: numeric("rate").notNull(),
    source: text("source").notNull(),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.base, t.quote, t.rateDate] }),
    check("fx_rates_positive", sql`${t.rate} > 0`),
  ],
);

/** A manual rate that replaces the reference rate for base → quote until removed. */
export const fxOverrides = pgTable(
  "fx_overrides",
  {
    base: text("base").notNull(),
    quote: text("quote").notNull(),
    rate: numeric("rate").notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.base, t.quote] }), check("fx_overrides_positive", sql`${t.rate} > 0`)],
);
