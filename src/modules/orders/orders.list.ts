import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { decodeCursor, type Page, toPage } from "../../kernel/paging.ts";
import type { OrderStatus } from "./orders.lifecycle.ts";

export interface OrderFilter {
  status?: OrderStatus;
  market?: string;
  customerId?: string;
  /** Matches the email or the order number. */
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface OrderSummary {
  id: string;
  number: number;
  status: OrderStatus;
  paymentStatus: string;
  fulfillmentStatus: string;
  market: string;
  email: string;
  currency: string;
  total: number;
  itemCount: number;
  placedAt: string;
}

/** Orders newest first with filters and cursor paging. */
export async function listOrders(ctx: Ctx, filter: OrderFilter): Promise<Page<OrderSummary>> {
  const limit = Math.min(filter.limit ?? 50, 250);
  const where: SQL[] = [sql`true`];
  if (filter.status) where.push(sql`o.status = ${filter.status}`);
  if (filter.market) where.push(sql`(m.id = ${filter.market} or m.code = ${filter.market})`);
  if (filter.customerId) where.push(sql`o.customer_id = ${filter.customerId}`);
  if (filter.q) {
    const q = filter.q.trim().replace(/^#/, "");
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      /^\d{1,15}$/.test(q)
        ? sql`(o.number = ${Number(q)} or o.email ilike ${like})`
        : sql`o.email ilike ${like}`,
    );
  }
  if (filter.cursor) where.push(sql`o.number < ${Number(decodeCursor(filter.cursor, 1)[0])}`);
  const rows = await queryRows<{
    id: string;
    number: number;
    status: OrderStatus;
    payment_status: string;
    fulfillment_status: string;
    market: string;
    email: string;
    currency: string;
    total: number;
    item_count: number;
    placed_at: string | Date;
  }>(
    ctx.db,
    sql`select o.id, o.number, o.status, o.payment_status, o.fulfillment_status, m.code as market, o.email, o.currency,
        o.total, o.placed_at, (select coalesce(sum(l.quantity), 0)::int from order_lines l where l.order_id = o.id) as item_count
      from orders o join markets m on m.id = o.market_id
      where ${sql.join(where, sql` and `)} order by o.number desc limit ${limit + 1}`,
  );
  const page = toPage(rows, limit, (r) => [r.number]);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      paymentStatus: r.payment_status,
      fulfillmentStatus: r.fulfillment_status,
      market: r.market,
      email: r.email,
      currency: r.currency,
      total: Number(r.total),
      itemCount: r.item_count,
      placedAt: new Date(r.placed_at).toISOString(),
    })),
  };
}
