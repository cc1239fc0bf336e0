import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { decodeCursor, type Page, toPage } from "../../kernel/paging.ts";
import { discounts } from "./discounts.schema.ts";
import { toDiscount } from "./discounts.service.ts";
import type { Discount, DiscountKind } from "./discounts.types.ts";

export interface DiscountFilter {
  /** Part of the code, any case. */
  code?: string;
  active?: boolean;
  kind?: DiscountKind;
  /** true: automatic discounts only; false: codes only. */
  automatic?: boolean;
  limit?: number;
  cursor?: string;
}

/** Admin discount list, newest first, with filters and cursor paging. */
export async function listDiscounts(ctx: Ctx, filter: DiscountFilter): Promise<Page<Discount>> {
  const limit = Math.min(filter.limit ?? 50, 250);
  const where: SQL[] = [];
  if (filter.code) {
    const like = `%${filter.code
      .trim()
      .toUpperCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`${discounts.code} like ${like}`);
  }
  if (filter.active !== undefined) where.push(eq(discounts.active, filter.active));
  if (filter.kind) where.push(eq(discounts.kind, filter.kind));
  if (filter.automatic !== undefined)
    where.push(filter.automatic ? sql`${discounts.code} is null` : sql`${discounts.code} is not null`);
  if (filter.cursor) where.push(sql`${discounts.id} < ${decodeCursor(filter.cursor, 1)[0]}`);
  const rows = await ctx.db
    .select()
    .from(discounts)
    .where(and(...where))
    .orderBy(desc(discounts.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.id]);
  return { items: page.items.map(toDiscount), nextCursor: page.nextCursor };
}
