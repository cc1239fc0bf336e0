import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { markets } from "../markets/markets.schema.ts";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export type LocalizedText = Record<string, string>;

/** Translations of a product's options, per locale: { Color: { name: "Farbe", values: { Black: "Schwarz" } } }. */
export type OptionTranslations = Record<string, { name?: string; values?: Record<string, string> }>;

export interface ProductOption {
  name: string;
  values: string[];
}

export const categories = pgTable(
  "categories",
  {
    id: text("id").primaryKey(),
    handle: text("handle").notNull().unique(),
    parentId: text("parent_id").references((): never => categories.id as never, { onDelete: "restrict" }),
    position: integer("position").notNull().default(0),
    name: jsonb("name").$type<LocalizedText>().notNull(),
  },
  (t) => [index("categories_parent").on(t.parentId)],
);

export const products = pgTable(
  "products",
  {
    id: text("id").primaryKey(),
    handle: text("handle").notNull().unique(),
    status: text("status", { enum: ["draft", "active", "archived"] })
      .notNull()
      .default("draft"),
    vendor: text("vendor"),
    productType: text("product_type"),
    categoryId: text("category_id").references(() => categories.id, { onDelete: "set null" }),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    hsCode: text("hs_code"),
    originCountry: text("origin_country"),
    /** Rates may differ by category (food, books …); see the tax module. */
    taxCategory: text("tax_category").notNull().default("standard"),
    options: jsonb("options").$type<ProductOption[]>().notNull().default([]),
    attributes: jsonb("attributes").$type<Record<string, string | number | boolean>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("products_status").on(t.status, t.id),
    index("products_category").on(t.categoryId),
    index("products_tags").using("gin", t.tags),
    check("products_hs_code", sql`${t.hsCode} ~ '^[0-9]{4,10}$'`),
    check("products_origin", sql`${t.originCountry} ~ '^[A-Z]{2}$'`),
    check(
      "products_tax_category",
      sql`${t.taxCategory} in ('standard', 'food', 'books', 'children_clothing', 'medical')`,
    ),
  ],
);

/** Per-locale content. `search_vector` is derived in the database with the locale's dictionary. */
export const productTranslations = pgTable(
  "product_translations",
  {
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    locale: text("locale").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    seoTitle: text("seo_title"),
    seoDescription: text("seo_description"),
    slug: text("slug").notNull(),
    options: jsonb("options").$type<OptionTranslations>().notNull().default({}),
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql`setweight(to_tsvector(chuhai_ts_config(locale), chuhai_search_text(locale, title)), 'A') || setweight(to_tsvector(chuhai_ts_config(locale), chuhai_search_text(locale, regexp_replace(description, '<[^>]*>', ' ', 'g'))), 'B')`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.locale] }),
    uniqueIndex("product_translations_slug").on(t.locale, t.slug),
    index("product_translations_search").using("gin", t.searchVector),
  ],
);

export const variants = pgTable(
  "variants",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
    sku: text("sku").unique(),
    barcode: text("barcode"),
    /** Option values keyed by option name: { Color: "Black", Size: "M" }. */
    options: jsonb("options").$type<Record<string, string>>().notNull().default({}),
    /** Base price in minor units of the shop's base currency. */
    price: bigint("price", { mode: "number" }).notNull(),
    compareAtPrice: bigint("compare_at_price", { mode: "number" }),
    costPrice: bigint("cost_price", { mode: "number" }),
    weightGrams: integer("weight_grams"),
    lengthMm: integer("length_mm"),
    widthMm: integer("width_mm"),
    heightMm: integer("height_mm"),
    hsCode: text("hs_code"),
    originCountry: text("origin_country"),
    allowBackorder: boolean("allow_backorder").notNull().default(false),
  },
  (t) => [
    index("variants_product").on(t.productId, t.position),
    check("variants_price", sql`${t.price} >= 0 and coalesce(${t.costPrice}, 0) >= 0`),
    check("variants_hs_code", sql`${t.hsCode} ~ '^[0-9]{4,10}$'`),
    check("variants_origin", sql`${t.originCountry} ~ '^[A-Z]{2}$'`),
  ],
);

export const media = pgTable(
  "media",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    variantId: text("variant_id").references(() => variants.id, { onDelete: "set null" }),
    kind: text("kind", { enum: ["image", "model3d", "video"] }).notNull(),
    url: text("url").notNull(),
    mimeType: text("mime_type"),
    width: integer("width"),
    height: integer("height"),
    position: integer("position").notNull().default(0),
    alt: jsonb("alt").$type<LocalizedText>().notNull().default({}),
  },
  (t) => [index("media_product").on(t.productId, t.position)],
);

/** Products are sold in every market except those listed here. */
export const productMarketExclusions = pgTable(
  "product_market_exclusions",
  {
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    marketId: text("market_id")
      .notNull()
      .references(() => markets.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.productId, t.marketId] })],
);

/** Typed custom attributes that products may carry. */
export const attributeDefinitions = pgTable("attribute_definitions", {
  key: text("key").primaryKey(),
  type: text("type", { enum: ["text", "number", "boolean", "date"] }).notNull(),
  label: jsonb("label").$type<LocalizedText>().notNull().default({}),
  filterable: boolean("filterable").notNull().default(false),
});

/** Rule conditions of an automatic collection; a product matches when all (or any) hold. */
export interface CollectionRules {
  match: "all" | "any";
  conditions: Array<{
    field: "tag" | "vendor" | "product_type" | "category";
    op: "equals" | "not_equals";
    value: string;
  }>;
}

export const collections = pgTable("collections", {
  id: text("id").primaryKey(),
  handle: text("handle").notNull().unique(),
  kind: text("kind", { enum: ["manual", "rule"] }).notNull(),
  rules: jsonb("rules").$type<CollectionRules>(),
  title: jsonb("title").$type<LocalizedText>().notNull(),
  description: jsonb("description").$type<LocalizedText>().notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const collectionProducts = pgTable(
  "collection_products",
  {
    collectionId: text("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.collectionId, t.productId] }),
    index("collection_products_product").on(t.productId),
  ],
);
