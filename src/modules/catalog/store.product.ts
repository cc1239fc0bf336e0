import { type SQL, sql } from "drizzle-orm";
import { queryRows, sqlTextArray } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError } from "../../kernel/errors.ts";
import { fallbackChain } from "../../kernel/locale.ts";
import { formatMoney } from "../../kernel/money.ts";
import {
  ANONYMOUS,
  describePrice,
  type PricingContext,
  type PricingCustomer,
  priceColumns,
  priceListJoin,
  type ResolvedPrice,
} from "../pricing/index.ts";
import type { OptionTranslations, ProductOption } from "./catalog.schema.ts";

/** What a storefront request is about: market pricing, the locale chain and the customer. */
export interface StoreScope {
  pricing: PricingContext;
  /** Locales to try for content, most preferred first. */
  chain: string[];
  customer: PricingCustomer;
}

/**
 * The scope for a market and a requested locale: the locale is negotiated against the market's
 * locales and falls back through the market's default to the shop's default.
 */
export function storeScope(
  pricing: PricingContext,
  locale: string,
  customer: PricingCustomer = ANONYMOUS,
): StoreScope {
  const marketDefault = pricing.market.locales[0]!;
  const chain = fallbackChain(locale, marketDefault);
  for (const l of fallbackChain(pricing.defaultLocale)) if (!chain.includes(l)) chain.push(l);
  return { pricing, chain, customer };
}

/** A variant's price for display; how converted prices were made is given once per response (`pricingOf`). */
export interface StorePrice extends Omit<ResolvedPrice, "fx" | "rounding"> {
  formatted: string;
  compareAtFormatted: string | null;
}

/** The market's currency, exchange rate and rounding rule behind every converted price in a response. */
export function pricingOf(scope: StoreScope) {
  const { market, fx, rounding, baseCurrency } = scope.pricing;
  return {
    market: market.code,
    currency: market.currency,
    baseCurrency,
    taxInclusive: market.taxInclusive,
    fx,
    rounding,
  };
}

export interface StoreVariant {
  id: string;
  sku: string | null;
  title: string;
  options: Record<string, string>;
  price: StorePrice | null;
  available: number;
  inStock: boolean;
  weightGrams: number | null;
}

export interface StoreProduct {
  id: string;
  handle: string;
  locale: string;
  title: string;
  description: string;
  slug: string;
  seo: { title: string; description: string };
  vendor: string | null;
  productType: string | null;
  tags: string[];
  hsCode: string | null;
  originCountry: string | null;
  attributes: Record<string, string | number | boolean>;
  options: Array<{ name: string; label: string; values: Array<{ value: string; label: string }> }>;
  priceRange: { min: StorePrice; max: StorePrice } | null;
  inStock: boolean;
  variants: StoreVariant[];
  media: Array<{
    id: string;
    kind: string;
    url: string;
    width: number | null;
    height: number | null;
    alt: string;
    variantId: string | null;
  }>;
}

/** Stock that can ship to the market: warehouses serving any of its countries. */
function availableStock(scope: StoreScope): SQL {
  const list = sqlTextArray(scope.pricing.market.countries);
  return sql`coalesce((select sum(il.on_hand - il.reserved) from inventory_levels il join warehouses w on w.id = il.warehouse_id
    where il.variant_id = v.id and w.serves_countries && ${list}), 0)::int`;
}

/** SQL for one JSON document per product `p`: content in the best locale, priced variants, media. */
export function productDocument(scope: StoreScope): SQL {
  const chain = sqlTextArray(scope.chain);
  const alt = sql.join(
    scope.chain.map((l) => sql`m.alt->>${l}`),
    sql`, `,
  );
  return sql`json_build_object(
    'id', p.id, 'handle', p.handle, 'vendor', p.vendor, 'productType', p.product_type, 'tags', p.tags,
    'hsCode', p.hs_code, 'originCountry', p.origin_country, 'options', p.options, 'attributes', p.attributes,
    'content', (select json_build_object('locale', t.locale, 'title', t.title, 'description', t.description,
        'seoTitle', t.seo_title, 'seoDescription', t.seo_description, 'slug', t.slug, 'options', t.options)
      from product_translations t where t.product_id = p.id and t.locale = any(${chain})
      order by array_position(${chain}, t.locale) limit 1),
    'variants', (select coalesce(json_agg(json_build_object('id', v.id, 'sku', v.sku, 'options', v.options,
        'weightGrams', v.weight_grams, 'allowBackorder', v.allow_backorder, 'price_amount', v.price_amount,
        'price_compare_at', v.price_compare_at, 'price_list_id', v.price_list_id, 'available', ${availableStock(scope)})
        order by v.position), '[]'::json)
      from (select v.*, ${priceColumns(scope.pricing)} from variants v ${priceListJoin(scope.pricing, scope.customer)}
            where v.product_id = p.id) v),
    'media', (select coalesce(json_agg(json_build_object('id', m.id, 'kind', m.kind, 'url', m.url, 'width', m.width,
        'height', m.height, 'variantId', m.variant_id, 'alt', coalesce(${alt}, '')) order by m.position), '[]'::json)
      from media m where m.product_id = p.id)
  )`;
}

/** Products that may be shown in the scope's market. */
export function sellableIn(scope: StoreScope): SQL {
  return sql`p.status = 'active' and not exists (select 1 from product_market_exclusions x
    where x.product_id = p.id and x.market_id = ${scope.pricing.market.id})`;
}

interface RawVariant {
  id: string;
  sku: string | null;
  options: Record<string, string>;
  weightGrams: number | null;
  allowBackorder: boolean;
  price_amount: number | null;
  price_compare_at: number | null;
  price_list_id: string | null;
  available: number;
}

export interface RawProduct {
  id: string;
  handle: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  hsCode: string | null;
  originCountry: string | null;
  options: ProductOption[];
  attributes: Record<string, string | number | boolean>;
  content: {
    locale: string;
    title: string;
    description: string;
    seoTitle: string | null;
    seoDescription: string | null;
    slug: string;
    options: OptionTranslations;
  } | null;
  variants: RawVariant[];
  media: StoreProduct["media"];
}

function storePrice(scope: StoreScope, v: RawVariant, locale: string): StorePrice | null {
  const resolved = describePrice(scope.pricing, v);
  if (!resolved) return null;
  const { fx: _fx, rounding: _rounding, ...price } = resolved;
  const compareAt = price.compareAtAmount;
  return {
    ...price,
    formatted: formatMoney(price, locale),
    compareAtFormatted:
      compareAt === null ? null : formatMoney({ amount: compareAt, currency: price.currency }, locale),
  };
}

/** Shapes the JSON document from productDocument for the Store API. */
export function toStoreProduct(scope: StoreScope, raw: RawProduct): StoreProduct {
  const content = raw.content;
  const locale = content?.locale ?? scope.chain[0]!;
  const labels = content?.options ?? {};
  const optionLabel = (name: string) => labels[name]?.name ?? name;
  const valueLabel = (name: string, value: string) => labels[name]?.values?.[value] ?? value;
  const variants = raw.variants.map((v) => ({
    id: v.id,
    sku: v.sku,
    title: raw.options.map((o) => valueLabel(o.name, v.options[o.name] ?? "")).join(" / "),
    options: v.options,
    price: storePrice(scope, v, locale),
    available: Math.max(0, v.available),
    inStock: v.available > 0 || v.allowBackorder,
    weightGrams: v.weightGrams,
  }));
  const priced = variants.map((v) => v.price).filter((p): p is StorePrice => p !== null);
  const sorted = [...priced].sort((a, b) => a.amount - b.amount);
  const title = content?.title ?? raw.handle;
  const description = content?.description ?? "";
  return {
    id: raw.id,
    handle: raw.handle,
    locale,
    title,
    description,
    slug: content?.slug ?? raw.handle,
    seo: {
      title: content?.seoTitle || title,
      description:
        content?.seoDescription ||
        description
          .replace(/<[^>]*>/g, " ")
          .replace(/\s+/g, " ")
          .trim()
          .slice(0, 160),
    },
    vendor: raw.vendor,
    productType: raw.productType,
    tags: raw.tags,
    hsCode: raw.hsCode,
    originCountry: raw.originCountry,
    attributes: raw.attributes,
    options: raw.options.map((o) => ({
      name: o.name,
      label: optionLabel(o.name),
      values: o.values.map((value) => ({ value, label: valueLabel(o.name, value) })),
    })),
    priceRange: sorted.length ? { min: sorted[0]!, max: sorted[sorted.length - 1]! } : null,
    inStock: variants.some((v) => v.inStock && v.price !== null),
    variants,
    media: raw.media,
  };
}

/**
 * One product for the storefront by id, handle or a localized slug, in one statement.
 * Draft, archived and market-excluded products are not found.
 */
export async function getStoreProduct(ctx: Ctx, scope: StoreScope, ref: string): Promise<StoreProduct> {
  const chain = sqlTextArray(scope.chain);
  const [row] = await queryRows<{ doc: RawProduct }>(
    ctx.db,
    sql`select ${productDocument(scope)} as doc from products p
        where (p.id = ${ref} or p.handle = ${ref} or p.id = (select t.product_id from product_translations t
          where t.slug = ${ref} and t.locale = any(${chain}) order by array_position(${chain}, t.locale) limit 1))
          and ${sellableIn(scope)}
        limit 1`,
    { prepared: true },
  );
  if (!row) throw new NotFoundError("product", ref);
  return toStoreProduct(scope, row.doc);
}
