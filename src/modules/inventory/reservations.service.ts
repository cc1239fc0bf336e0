import { type SQL, sql } from "drizzle-orm";
import { queryRows, sqlList, sqlTextArray } from "../../db/client.ts";
import { actorLabel, type Ctx } from "../../kernel/context.ts";
import { ConflictError, ValidationError } from "../../kernel/errors.ts";
import { newId } from "../../kernel/ids.ts";

/** Stock of one variant in one warehouse as seen under a row lock: on hand − reserved. */
export interface LockedStock {
  variantId: string;
  warehouseId: string;
  available: number;
}

export interface ReservationItem {
  variantId: string;
  warehouseId: string;
  quantity: number;
}

/**
 * The part of a read statement that locks the stock levels of `variantIds` in every warehouse,
 * in one fixed order so concurrent checkouts cannot deadlock; `value` is a JSON array of
 * LockedStock. Use inside the checkout transaction: the locks hold until it ends, so what is
 * read here is what `reservePart` will find. Rows locked after a wait are read as committed by
 * the other transaction, not as of the statement's start.
 */
export function lockStockPart(variantIds: readonly string[]): { ctes: SQL; value: SQL } {
  if (variantIds.length === 0) return { ctes: sql`locked_stock as (select 1)`, value: sql`'[]'::json` };
  return {
    ctes: sql`locked_stock as (select l.variant_id, l.warehouse_id, l.on_hand - l.reserved as available
      from inventory_levels l where l.variant_id in (${sqlList(variantIds)})
      order by l.variant_id, l.warehouse_id for update)`,
    value: sql`(select coalesce(json_agg(json_build_object('variantId', variant_id,
      'warehouseId', warehouse_id, 'available', available)), '[]') from locked_stock)`,
  };
}

/** One item per (variant, warehouse): a statement may update each level row only once. */
function mergeItems(items: readonly ReservationItem[]): ReservationItem[] {
  const merged = new Map<string, ReservationItem>();
  for (const i of items) {
    const key = `${i.variantId}|${i.warehouseId}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, quantity: seen.quantity + i.quantity } : { ...i });
  }
  return [...merged.values()];
}

function itemArrays(items: readonly ReservationItem[]) {
  return {
    variants: sqlTextArray(items.map((i) => i.variantId)),
    warehouses: sqlTextArray(items.map((i) => i.warehouseId)),
    quantities: sql`array[${sqlList(items.map((i) => i.quantity))}]::int[]`,
    ids: sqlTextArray(items.map(() => newId("res"))),
  };
}

/**
 * The CTEs that hold units for an order until `expiresAt`, for a statement composed by a flow:
 * `reserved` counts the levels that could cover their item; the caller passes it to
 * assertReserved, whose error rolls its transaction back. A level never goes below zero
 * available unless the variant allows backorders.
 */
export function reservePart(
  orderId: string,
  items: readonly ReservationItem[],
  expiresAt: Date,
): { ctes: SQL; reserved: SQL; expected: number } {
  const merged = mergeItems(items);
  if (merged.length === 0) throw new ValidationError("inventory.nothing_to_reserve", "No items to reserve");
  const a = itemArrays(merged);
  const ctes = sql`res_wanted as (
      select * from unnest(${a.ids}, ${a.variants}, ${a.warehouses}, ${a.quantities}) as w(id, variant_id, warehouse_id, quantity)
    ), res_held as (
      update inventory_levels l set reserved = l.reserved + w.quantity from res_wanted w join variants v on v.id = w.variant_id
      where l.variant_id = w.variant_id and l.warehouse_id = w.warehouse_id
        and (v.allow_backorder or l.on_hand - l.reserved >= w.quantity)
      returning l.variant_id, l.warehouse_id
    ), res_recorded as (
      insert into inventory_reservations (id, order_id, variant_id, warehouse_id, quantity, expires_at)
      select w.id, ${orderId}, w.variant_id, w.warehouse_id, w.quantity, ${expiresAt.toISOString()}::timestamptz
      from res_wanted w join res_held h using (variant_id, warehouse_id)
    )`;
  return { ctes, reserved: sql`(select count(*)::int from res_held)`, expected: merged.length };
}

/** Throws `inventory.insufficient_stock` unless every item of a reservePart was held. */
export function assertReserved(reserved: number, expected: number): void {
  if (reserved < expected)
    throw new ConflictError("inventory.insufficient_stock", "Not enough stock to reserve the order's items");
}

/**
 * The CTEs that turn an order's active reservations into sold stock (on hand and reserved both
 * drop), with a `sold` adjustment per item, only where `when` holds (SQL over the composed
 * statement's other CTEs; `true` always). `committed` counts the reservations committed.
 */
export function commitReservationsPart(
  ctx: Ctx,
  orderId: string | SQL,
  when: SQL = sql`true`,
): { ctes: SQL; committed: SQL } {
  const ctes = sql`res_committed as (
      update inventory_reservations set status = 'committed'
      where order_id = ${orderId} and status = 'active' and ${when}
      returning id, variant_id, warehouse_id, quantity
    ), res_sold as (
      update inventory_levels l set on_hand = l.on_hand - r.quantity, reserved = l.reserved - r.quantity
      from res_committed r where l.variant_id = r.variant_id and l.warehouse_id = r.warehouse_id
    ), res_adjusted as (
      insert into inventory_adjustments (id, variant_id, warehouse_id, delta, reason, reference, actor)
      select 'adj_' || substr(r.id, 5), r.variant_id, r.warehouse_id, -r.quantity, 'sold', ${orderId}, ${actorLabel(ctx.actor)}
      from res_committed r
    )`;
  return { ctes, committed: sql`(select count(*)::int from res_committed)` };
}

/**
 * Turns an order's active reservations into sold stock, in one statement (see
 * commitReservationsPart). Returns how many were committed; 0 when already done.
 */
export async function commitReservations(ctx: Ctx, orderId: string): Promise<number> {
  const part = commitReservationsPart(ctx, orderId);
  const [row] = await queryRows<{ n: number }>(ctx.db, sql`with ${part.ctes} select ${part.committed} as n`, {
    prepared: true,
  });
  return row?.n ?? 0;
}

/** Gives an order's active reservations back to available stock. Idempotent. */
export async function releaseReservations(ctx: Ctx, orderId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    ctx.db,
    sql`with r as (
          update inventory_reservations set status = 'released'
          where order_id = ${orderId} and status = 'active'
          returning variant_id, warehouse_id, quantity
        ), l as (
          update inventory_levels l set reserved = l.reserved - r.quantity
          from r where l.variant_id = r.variant_id and l.warehouse_id = r.warehouse_id
        )
        select count(*)::int as n from r`,
    { prepared: true },
  );
  return row?.n ?? 0;
}

/** Orders holding reservations that expired, oldest first. */
export async function ordersWithExpiredReservations(ctx: Ctx, limit = 100): Promise<string[]> {
  const rows = await queryRows<{ order_id: string }>(
    ctx.db,
    sql`select order_id from inventory_reservations where status = 'active' and expires_at <= now()
        group by order_id order by min(expires_at) limit ${limit}`,
  );
  return rows.map((r) => r.order_id);
}

/** Moves the expiry of an order's active reservations (an async payment that settles later). */
export async function extendReservations(ctx: Ctx, orderId: string, expiresAt: Date): Promise<void> {
  await ctx.db.execute(
    sql`update inventory_reservations set expires_at = ${expiresAt.toISOString()}::timestamptz
        where order_id = ${orderId} and status = 'active'`,
  );
}

/**
 * Puts returned units back on hand (restock) in one statement, with a `returned` adjustment each.
 * @example await restock(tx, returnId, [{ variantId, warehouseId, quantity: 1 }])
 */
export async function restock(
  ctx: Ctx,
  reference: string,
  items: readonly ReservationItem[],
  reason: "returned" | "order_cancelled" = "returned",
): Promise<void> {
  if (items.length === 0) return;
  const a = itemArrays(mergeItems(items));
  await ctx.db.execute(
    sql`with w as (
          select * from unnest(${a.ids}, ${a.variants}, ${a.warehouses}, ${a.quantities}) as w(id, variant_id, warehouse_id, quantity)
        ), l as (
          insert into inventory_levels (variant_id, warehouse_id, on_hand)
          select variant_id, warehouse_id, quantity from w
          on conflict (variant_id, warehouse_id) do update set on_hand = inventory_levels.on_hand + excluded.on_hand
        )
        insert into inventory_adjustments (id, variant_id, warehouse_id, delta, reason, reference, actor)
        select 'adj_' || substr(w.id, 5), w.variant_id, w.warehouse_id, w.quantity, ${reason}, ${reference}, ${actorLabel(ctx.actor)}
        from w`,
  );
}
