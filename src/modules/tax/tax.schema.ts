import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { orders } from "../orders/orders.schema.ts";
import type { MoneyFigure } from "./tax.types.ts";

const dated = {
  effectiveFrom: date("effective_from").notNull(),
  effectiveTo: date("effective_to"),
  source: text("source").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};
const period = (t: { effectiveFrom: unknown; effectiveTo: unknown }) =>
  sql`${t.effectiveTo} is null or ${t.effectiveTo} > ${t.effectiveFrom}`;

/** How a destination's taxes are computed: its customs union, rounding and duty valuation. */
export const taxJurisdictions = pgTable("tax_jurisdictions", {
  country: text("country").primaryKey(),
  customsUnion: text("customs_union"),
  rounding: text("rounding", { enum: ["line", "document"] }).notNull(),
  dutyOnShipping: boolean("duty_on_shipping").notNull(),
  source: text("source").notNull(),
});

/** VAT/GST/sales-tax rates by country, region, ZIP prefix and product category, with their dates. */
export const taxRates = pgTable(
  "tax_rates",
  {
    id: text("id").primaryKey(),
    country: text("country").notNull(),
    region: text("region"),
    postalPrefix: text("postal_prefix"),
    category: text("category").notNull(),
    name: text("name").notNull(),
    rate: numeric("rate").notNull(),
    replacesNational: boolean("replaces_national").notNull().default(false),
    appliesToShipping: boolean("applies_to_shipping").notNull().default(true),
    grossUp: boolean("gross_up").notNull().default(false),
    ...dated,
  },
  (t) => [
    uniqueIndex("tax_rates_version").on(
      t.country,
      sql`coalesce(${t.region}, '')`,
      sql`coalesce(${t.postalPrefix}, '')`,
      t.category,
      t.effectiveFrom,
    ),
    check("tax_rates_rate", sql`${t.rate} >= 0 and ${t.rate} < 1`),
    check("tax_rates_period", period(t)),
  ],
);

/** Ad valorem duty by destination (or customs union) and HS prefix, MFN or preferential. */
export const dutyRates = pgTable(
  "duty_rates",
  {
    id: text("id").primaryKey(),
    country: text("country").notNull(),
    hsPrefix: text("hs_prefix").notNull(),
    agreement: text("agreement"),
    rate: numeric("rate").notNull(),
    valueUpTo: jsonb("value_up_to").$type<MoneyFigure>(),
    deduction: jsonb("deduction").$type<MoneyFigure>(),
    specific: text("specific"),
    ...dated,
  },
  (t) => [
    uniqueIndex("duty_rates_version").on(
      t.country,
      t.hsPrefix,
      sql`coalesce(${t.agreement}, '')`,
      sql`coalesce((${t.valueUpTo}->>'amount')::bigint, -1)`,
      t.effectiveFrom,
    ),
    check("duty_rates_hs", sql`${t.hsPrefix} ~ '^([0-9]{2}){0,3}$'`),
    check("duty_rates_rate", sql`${t.rate} >= 0 and ${t.rate} <= 10`),
    check("duty_rates_period", period(t)),
  ],
);

/** De-minimis thresholds, seller-collection schemes and valuation rules for imports. */
export const importRules = pgTable(
  "import_rules",
  {
    id: text("id").primaryKey(),
    country: text("country").notNull(),
    kind: text("kind").notNull(),
    value: jsonb("value").$type<MoneyFigure>(),
    basis: text("basis", { enum: ["goods", "goods_and_shipping", "tax_amount"] }).notNull(),
    perItem: boolean("per_item").notNull().default(false),
    scheme: text("scheme"),
    flat: jsonb("flat").$type<MoneyFigure>(),
    factor: numeric("factor"),
    ...dated,
  },
  (t) => [
    uniqueIndex("import_rules_version").on(t.country, t.kind, t.effectiveFrom),
    check("import_rules_period", period(t)),
  ],
);

export const tradeAgreements = pgTable("trade_agreements", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  members: jsonb("members").$type<{ country: string; from: string }[]>().notNull(),
  source: text("source").notNull(),
});

/** Where the store is registered to collect tax: a country, "US-NY", or "EU" for IOSS/OSS. */
export const taxRegistrations = pgTable(
  "tax_registrations",
  {
    id: text("id").primaryKey(),
    jurisdiction: text("jurisdiction").notNull(),
    scheme: text("scheme").notNull(),
    number: text("number").notNull(),
    effectiveFrom: date("effective_from").notNull(),
    effectiveTo: date("effective_to"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("tax_registrations_scheme").on(t.jurisdiction, t.scheme, t.effectiveFrom),
    check("tax_registrations_period", period(t)),
  ],
);

/** US economic-nexus thresholds per state (sales in whole dollars, transactions per year). */
export const salesTaxNexus = pgTable(
  "sales_tax_nexus",
  {
    country: text("country").notNull(),
    region: text("region").notNull(),
    sales: bigint("sales", { mode: "number" }).notNull(),
    transactions: integer("transactions"),
    requiresBoth: boolean("requires_both").notNull().default(false),
    source: text("source").notNull(),
  },
  (t) => [primaryKey({ columns: [t.country, t.region] })],
);

/**
 * The taxes and duties of each order as computed at checkout, one row per rule, regime and
 * collector: what the OSS/IOSS, UK VAT, US sales tax and duty reports add up. A refund adds
 * negative rows (`refund_id`, `corrects_id`) recorded at the time of the refund.
 */
export const orderTaxLines = pgTable(
  "order_tax_lines",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["tax", "duty"] }).notNull(),
    regime: text("regime").notNull(),
    scheme: text("scheme"),
    jurisdiction: text("jurisdiction").notNull(),
    name: text("name").notNull(),
    rate: numeric("rate").notNull(),
    currency: text("currency").notNull(),
    taxable: bigint("taxable", { mode: "number" }).notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    collectedBy: text("collected_by", { enum: ["seller", "border", "buyer"] }).notNull(),
    shipFrom: text("ship_from").notNull(),
    /** When the row was recorded: the order's placement, or the refund it corrects for. */
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull(),
    refundId: text("refund_id"),
    correctsId: text("corrects_id"),
  },
  (t) => [index("order_tax_lines_order").on(t.orderId), index("order_tax_lines_placed").on(t.placedAt)],
);
