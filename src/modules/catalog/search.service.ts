import { type SQL, sql } from "drizzle-orm";
import { queryRows, sqlList, sqlTextArray } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { ValidationError } from "../../kernel/errors.ts";
import { pickLocalized } from "../../kernel/locale.ts";
import { decodeCursor, encodeCursor } from "../../kernel/paging.ts";
import { minPricePerProduct } from "../pricing/index.ts";
import type { LocalizedText } from "./catalog.schema.ts";
import {
  productDocument,
  type RawProduct,
  type StoreProduct,
  type StoreScope,
  sellableIn,
  toStoreProduct,
} from "./store.product.ts";
import { categorySubtree, collectionMembership, getCollection } from "./taxonomy.service.ts";

export type SearchSort = "relevance" | "newest" | "price_asc" | "price_desc" | "title";

export interface SearchParams {
  q?: string;
  collection?: string;
  category?: string;
  /** Minor units of the market currency, applied to the lowest variant price. */
  priceMin?: number;
  priceMax?: number;
  /** Option filters: { Color: ["Black", "Blue"] }; one variant must match all options. */
  options?: Record<string, string[]>;
  tags?: string[];
  inStock?: boolean;
  sort?: SearchSort;
  limit?: number;
  cursor?: string;
  facets?: boolean;
}

export interface Facets {
  categories: Array<{ id: string; handle: string; label: string; count: number }>;
  options: Array<{ name: string; values: Array<{ value: string; count: number }> }>;
  vendors: Array<{ value: string; count: number }>;
  price: { min: number; max: number } | null;
  inStock: number;
}

export interface SearchResult {
  items: StoreProduct[];
  nextCursor: string | null;
  facets?: Facets;
}

/** tsquery for a locale, with the dictionary and n-gram treatment of that locale. */
function tsQuery(locale: string, q: string): SQL {
  return sql`plainto_tsquery(chuhai_ts_config(${locale}), chuhai_search_text(${locale}, ${q}, true))`;
}

function textMatches(scope: StoreScope, q: string): SQL {
  const perLocale = scope.chain.map((l) => sql`(t.locale = ${l} and t.search_vector @@ ${tsQuery(l, q)})`);
  const rank = sql.join(
    scope.chain.map((l) => sql`when ${l} then ts_rank(t.search_vector, ${tsQuery(l, q)})`),
    sql` `,
  );
  return sql`select t.product_id, round(max(case t.locale ${rank} end)::numeric, 6) as rank
    from product_translations t where ${sql.join(perLocale, sql` or `)} group by t.product_id`;
}

function titleOf(scope: StoreScope): SQL {
  const chain = sqlTextArray(scope.chain);
  return sql`(select lower(t.title) from product_translations t where t.product_id = p.id and t.locale = any(${chain})
    order by array_position(${chain}, t.locale) limit 1)`;
}

async function filters(ctx: Ctx, scope: StoreScope, params: SearchParams): Promise<SQL[]> {
  const where = [sellableIn(scope)];
  if (params.collection) where.push(collectionMembership(await getCollection(ctx, params.collection)));
  if (params.category) {
    const ids = await categorySubtree(ctx, params.category);
    if (ids.length === 0) throw new ValidationError("category.unknown", `No category "${params.category}"`);
    where.push(sql`p.category_id in (${sqlList(ids)})`);
  }
  for (const tag of params.tags ?? []) where.push(sql`${tag} = any(p.tags)`);
  const optionEntries = Object.entries(params.options ?? {}).filter(([, values]) => values.length);
  if (optionEntries.length) {
    const conds = optionEntries.map(([name, values]) => sql`(v.options->>${name}) in (${sqlList(values)})`);
    where.push(
      sql`exists (select 1 from variants v where v.product_id = p.id and ${sql.join(conds, sql` and `)})`,
    );
  }
  return where;
}

const SORT_KEYS: Record<SearchSort, { column: string; dir: "asc" | "desc" }> = {
  relevance: { column: "rank", dir: "desc" },
  newest: { column: "id", dir: "desc" },
  price_asc: { column: "min_price", dir: "asc" },
  price_desc: { column: "min_price", dir: "desc" },
  title: { column: "title", dir: "asc" },
};

/**
 * Product listing and search for a market and locale: full-text search with each locale's
 * dictionary (n-grams for CJK and Thai), filters, facets with counts, sorting and cursor paging.
 * Issues one statement for the page and one for the facets.
 */
export async function searchProducts(
  ctx: Ctx,
  scope: StoreScope,
  params: SearchParams,
): Promise<SearchResult> {
  const q = params.q?.trim() || undefined;
  const sort = params.sort ?? (q ? "relevance" : "newest");
  if (sort === "relevance" && !q)
    throw new ValidationError("search.relevance_needs_q", "Sorting by relevance needs a query");
  const limit = Math.min(Math.max(params.limit ?? 24, 1), 100);
  const where = await filters(ctx, scope, params);
  const needPrice =
    sort.startsWith("price") ||
    params.priceMin !== undefined ||
    params.priceMax !== undefined ||
    params.facets;
  const inStock = sql`exists (select 1 from variants v where v.product_id = p.id and (v.allow_backorder or exists (
    select 1 from inventory_levels il join warehouses w on w.id = il.warehouse_id
    where il.variant_id = v.id and il.on_hand > il.reserved and w.serves_countries && ${sqlTextArray(scope.pricing.market.countries)})))`;
  if (params.inStock) where.push(inStock);

  const base = sql`select p.id, p.category_id, p.vendor,
      ${q ? sql`m.rank` : sql`0::numeric`} as rank,
      ${sort === "title" ? titleOf(scope) : sql`null::text`} as title
    from products p ${q ? sql`join (${textMatches(scope, q)}) m on m.product_id = p.id` : sql``}
    where ${sql.join(where, sql` and `)}`;
  const matched = needPrice
    ? sql`select b.*, mp.min_price from base b
        left join (${minPricePerProduct(scope.pricing, scope.customer, sql`select id from base`)}) mp on mp.product_id = b.id`
    : sql`select b.*, null::bigint as min_price from base b`;
  const priceConds: SQL[] = [];
  if (params.priceMin !== undefined) priceConds.push(sql`min_price >= ${params.priceMin}`);
  if (params.priceMax !== undefined) priceConds.push(sql`min_price <= ${params.priceMax}`);
  if (needPrice) priceConds.push(sql`min_price is not null`);
  const filtered = sql`select * from matched ${priceConds.length ? sql`where ${sql.join(priceConds, sql` and `)}` : sql``}`;
  const ctes = sql`with base as (${base}), matched as (${matched}), filtered as (${filtered})`;

  const key = SORT_KEYS[sort];
  const col = sql.raw(key.column);
  const cmp = sql.raw(key.dir === "asc" ? ">" : "<");
  let cursorCond = sql`true`;
  if (params.cursor) {
    const [value, id] = decodeCursor(params.cursor, 2);
    const numeric = key.column === "rank" || key.column === "min_price";
    if (numeric && !/^-?\d{1,20}(\.\d{1,20})?$/.test(String(value))) {
      throw new ValidationError("paging.invalid_cursor", "The cursor is not valid for this sort order");
    }
    cursorCond =
      key.column === "id" ? sql`f.id ${cmp} ${id}` : sql`(f.${col}, f.id) ${cmp} (${value}, ${id})`;
  }
  const order =
    key.column === "id"
      ? sql`f.id ${sql.raw(key.dir)}`
      : sql`f.${col} ${sql.raw(key.dir)}, f.id ${sql.raw(key.dir)}`;
  // The page is cut before its products are joined: only those rows build a document.
  const page = sql`select f.id, f.${col}::text as sort_value, ${productDocument(scope)} as doc, f.n
    from (select f.*, row_number() over (order by ${order}) as n from filtered f
      where ${cursorCond} order by ${order} limit ${limit + 1}) f
    join products p on p.id = f.id`;
  // With facets, page and counts come from one statement so the matching runs once.
  const [row] = await queryRows<{ page: PageRow[] | null } & Partial<FacetRow>>(
    ctx.db,
    sql`${ctes} select (select json_agg(x order by x.n) from (${page}) x) as page
      ${params.facets ? sql`, ${facetColumns(scope)}` : sql``}`,
    // A reused (generic) plan cannot see the search words or filters and picks poor plans for
    // them; plain browsing of a category or the newest products keeps its prepared plan.
    { prepared: !q && !params.facets },
  );
  const rows = row?.page ?? [];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const result: SearchResult = {
    items: items.map((r) => toStoreProduct(scope, r.doc)),
    nextCursor: rows.length > limit && last ? encodeCursor([last.sort_value ?? "", last.id]) : null,
  };
  if (params.facets && row) result.facets = toFacets(scope, row as FacetRow);
  return result;
}

interface PageRow {
  id: string;
  sort_value: string | null;
  doc: RawProduct;
}

interface FacetRow {
  categories: Array<{ id: string; handle: string; name: LocalizedText; count: number }> | null;
  options: Array<{ name: string; value: string; count: number }> | null;
  vendors: Array<{ value: string; count: number }> | null;
  price_min: number | null;
  price_max: number | null;
  in_stock: number;
}

/** Facet counts over the `filtered` CTE, as select-list columns. */
function facetColumns(scope: StoreScope): SQL {
  const countries = sqlTextArray(scope.pricing.market.countries);
  return sql`(select json_agg(json_build_object('id', c.id, 'handle', c.handle, 'name', c.name, 'count', x.n) order by x.n desc, c.handle)
        from (select category_id, count(*)::int n from filtered where category_id is not null group by 1) x
        join categories c on c.id = x.category_id) as categories,
      (select json_agg(json_build_object('name', x.key, 'value', x.value, 'count', x.n) order by x.key, x.n desc, x.value)
        from (select o.key, o.value, count(distinct v.product_id)::int n from filtered f
          join variants v on v.product_id = f.id cross join jsonb_each_text(v.options) o group by 1, 2) x) as options,
      (select json_agg(json_build_object('value', x.vendor, 'count', x.n) order by x.n desc, x.vendor)
        from (select vendor, count(*)::int n from filtered where vendor is not null group by 1) x) as vendors,
      (select min(min_price) from filtered) as price_min,
      (select max(min_price) from filtered) as price_max,
      (select count(distinct v.product_id)::int from filtered f join variants v on v.product_id = f.id
        left join inventory_levels il on il.variant_id = v.id and il.on_hand > il.reserved
          and il.warehouse_id in (select w.id from warehouses w where w.serves_countries && ${countries})
        where v.allow_backorder or il.variant_id is not null) as in_stock`;
}

function toFacets(scope: StoreScope, row: FacetRow): Facets {
  const options = new Map<string, Array<{ value: string; count: number }>>();
  for (const o of row.options ?? []) {
    if (!options.has(o.name)) options.set(o.name, []);
    options.get(o.name)!.push({ value: o.value, count: o.count });
  }
  return {
    categories: (row.categories ?? []).map((c) => ({
      id: c.id,
      handle: c.handle,
      label: pickLocalized(c.name, scope.chain),
      count: c.count,
    })),
    options: [...options].map(([name, values]) => ({ name, values })),
    vendors: row.vendors ?? [],
    price: row.price_min == null ? null : { min: Number(row.price_min), max: Number(row.price_max) },
    inStock: row.in_stock ?? 0,
  };
}
