import { type SQL, sql } from "drizzle-orm";
import { queryRows, sqlList, sqlTextArray } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { describePrice, priceColumns, priceListJoin, type ResolvedPrice } from "../pricing/index.ts";
import type { OptionTranslations, ProductOption } from "./catalog.schema.ts";
import { type StoreScope, sellableIn } from "./store.product.ts";

/** What a cart or checkout needs to know about a variant in a market. */
export interface SellableVariant {
  id: string;
  productId: string;
  sku: string;
  title: string;
  variantTitle: string;
  /** False when the product is not active, excluded from the market, or has no price there. */
  sellable: boolean;
  price: ResolvedPrice | null;
  /** Units available in warehouses that serve the market's countries. */
  available: number;
  /** The same, per warehouse that has some (for routing a cart before its checkout). */
  stock: { warehouseId: string; available: number }[];
  allowBackorder: boolean;
  weightGrams: number | null;
  hsCode: string | null;
  originCountry: string | null;
  taxCategory: string;
  collectionIds: string[];
  image: string | null;
}

interface Row {
  id: string;
  product_id: string;
  sku: string | null;
  options: Record<string, string>;
  product_options: ProductOption[];
  title: string | null;
  option_labels: OptionTranslations | null;
  sellable: boolean;
  available: number;
  stock: { warehouseId: string; available: number }[];
  allow_backorder: boolean;
  weight_grams: number | null;
  hs_code: string | null;
  origin_country: string | null;
  tax_category: string;
  collection_ids: string[] | null;
  image: string | null;
  price_amount: string | null;
  price_compare_at: string | null;
  price_list_id: string | null;
  also: unknown;
}

function variantTitle(row: Row): string {
  return row.product_options
    .map((o) => {
      const value = row.options[o.name];
      return value === undefined ? undefined : (row.option_labels?.[o.name]?.values?.[value] ?? value);
    })
    .filter(Boolean)
    .join(" / ");
}

/** Another module's part of the variants' statement: CTEs and one value computed once. */
export interface StatementPart {
  ctes: SQL;
  value: SQL;
}

/**
 * Variants with their market price, localized titles and stock that can ship to the market, in
 * one statement. `refs` are variant ids or SKUs; unknown ones are simply absent from the result.
 * @example const [v] = await sellableVariants(ctx, scope, [variantId])
 */
export async function sellableVariants(
  ctx: Ctx,
  scope: StoreScope,
  refs: readonly string[],
): Promise<SellableVariant[]> {
  return (await sellableVariantsWith(ctx, scope, refs)).variants;
}

/**
 * sellableVariants with `also` read in the same statement (the checkout locks the variants'
 * stock this way); `also` is null when no variant was found.
 */
export async function sellableVariantsWith<T>(
  ctx: Ctx,
  scope: StoreScope,
  refs: readonly string[],
  also?: StatementPart,
): Promise<{ variants: SellableVariant[]; also: T | null }> {
  if (refs.length === 0) return { variants: [], also: null };
  const chain = sqlTextArray(scope.chain);
  const countries = sqlTextArray(scope.pricing.market.countries);
  const rows = await queryRows<Row>(
    ctx.db,
    sql`${also ? sql`with ${also.ctes} ` : sql``}select v.id, v.product_id, v.sku, v.options, p.options as product_options, v.allow_backorder, v.weight_grams,
        coalesce(v.hs_code, p.hs_code) as hs_code, coalesce(v.origin_country, p.origin_country) as origin_country, p.tax_category,
        t.title, t.options as option_labels, ${sellableIn(scope)} as sellable,
        coalesce((select sum(il.on_hand - il.reserved) from inventory_levels il join warehouses w on w.id = il.warehouse_id
          where il.variant_id = v.id and w.serves_countries && ${countries}), 0)::int as available,
        coalesce((select json_agg(json_build_object('warehouseId', il.warehouse_id, 'available', il.on_hand - il.reserved))
          from inventory_levels il join warehouses w on w.id = il.warehouse_id
          where il.variant_id = v.id and w.serves_countries && ${countries} and il.on_hand > il.reserved), '[]') as stock,
        (select array_agg(cp.collection_id) from collection_products cp where cp.product_id = p.id) as collection_ids,
        (select m.url from media m where m.product_id = p.id and m.kind = 'image'
          order by (m.variant_id = v.id) desc nulls last, m.position limit 1) as image,
        ${priceColumns(scope.pricing)}, ${also ? also.value : sql`null`} as also
      from variants v join products p on p.id = v.product_id
      left join lateral (select t.title, t.options from product_translations t where t.product_id = p.id
        and t.locale = any(${chain}) order by array_position(${chain}, t.locale) limit 1) t on true
      ${priceListJoin(scope.pricing, scope.customer)}
      where v.id in (${sqlList(refs)}) or v.sku in (${sqlList(refs)})`,
    { prepared: true },
  );
  const variants = rows.map((r) => {
    const price = describePrice(scope.pricing, r);
    return {
      id: r.id,
      productId: r.product_id,
      sku: r.sku ?? r.id,
      title: r.title ?? "",
      variantTitle: variantTitle(r),
      sellable: r.sellable && price !== null,
      price,
      available: r.available,
      stock: r.stock,
      allowBackorder: r.allow_backorder,
      weightGrams: r.weight_grams,
      hsCode: r.hs_code,
      originCountry: r.origin_country,
      taxCategory: r.tax_category,
      collectionIds: r.collection_ids ?? [],
      image: r.image,
    };
  });
  return { variants, also: (rows[0]?.also as T | undefined) ?? null };
}
