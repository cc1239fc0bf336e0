import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { decodeCursor, type Page, toPage } from "../../kernel/paging.ts";
import type { ProductStatus } from "./catalog.types.ts";

export interface AdminProductFilter {
  status?: ProductStatus;
  /** Matches handle, SKU or title (any locale), case-insensitively. */
  q?: string;
  category?: string;
  collection?: string;
  tag?: string;
  vendor?: string;
  limit?: number;
  cursor?: string;
}

export interface AdminProductSummary {
  id: string;
  handle: string;
  status: ProductStatus;
  title: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  variantCount: number;
  locales: string[];
  updatedAt: string;
}

/** Admin product list, newest first, with filters and cursor paging. */
export async function listProducts(ctx: Ctx, filter: AdminProductFilter): Promise<Page<AdminProductSummary>> {
  const limit = Math.min(filter.limit ?? 50, 250);
  const where: SQL[] = [sql`true`];
  if (filter.status) where.push(sql`p.status = ${filter.status}`);
  if (filter.vendor) where.push(sql`p.vendor = ${filter.vendor}`);
  if (filter.tag) where.push(sql`${filter.tag} = any(p.tags)`);
  if (filter.category) {
    where.push(
      sql`p.category_id in (select id from categories where id = ${filter.category} or handle = ${filter.category})`,
    );
  }
  if (filter.collection) {
    where.push(sql`p.id in (select cp.product_id from collection_products cp join collections c on c.id = cp.collection_id
      where c.id = ${filter.collection} or c.handle = ${filter.collection})`);
  }
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(p.handle ilike ${like}
      or exists (select 1 from product_translations t where t.product_id = p.id and t.title ilike ${like})
      or exists (select 1 from variants v where v.product_id = p.id and v.sku ilike ${like}))`);
  }
  if (filter.cursor) where.push(sql`p.id < ${decodeCursor(filter.cursor, 1)[0]}`);
  const rows = await queryRows<{
    id: string;
    handle: string;
    status: ProductStatus;
    title: string | null;
    vendor: string | null;
    product_type: string | null;
    tags: string[];
    variant_count: number;
    locales: string[];
    updated_at: string | Date;
  }>(
    ctx.db,
    sql`select p.id, p.handle, p.status, p.vendor, p.product_type, p.tags, p.updated_at,
      (select t.title from product_translations t join shop s on s.default_locale = t.locale where t.product_id = p.id) as title,
      (select array_agg(t.locale order by t.locale) from product_translations t where t.product_id = p.id) as locales,
      (select count(*)::int from variants v where v.product_id = p.id) as variant_count
    from products p where ${sql.join(where, sql` and `)}
    order by p.id desc limit ${limit + 1}`,
  );
  const page = toPage(rows, limit, (r) => [r.id]);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      handle: r.handle,
      status: r.status,
      title: r.title ?? r.handle,
      vendor: r.vendor,
      productType: r.product_type,
      tags: r.tags,
      variantCount: r.variant_count,
      locales: r.locales ?? [],
      updatedAt: new Date(r.updated_at).toISOString(),
    })),
  };
}
