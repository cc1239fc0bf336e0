import { inArray, type SQL, sql } from "drizzle-orm";
import { queryRows } from "../db/client.ts";
import type { Ctx } from "./context.ts";
import { newId } from "./ids.ts";
import { outboxEvents } from "./outbox.schema.ts";

/** A domain event as stored in the outbox and handed to handlers. */
export interface DomainEvent<P = unknown> {
  id: string;
  type: string;
  key: string;
  payload: P;
  occurredAt: string;
}

/** A reaction to domain events. Its effects run in one transaction with its receipt, so each
 *  event's effects are committed once per handler even though delivery is at-least-once. */
export interface EventHandler {
  /** Stable name; also the job queue name and the receipt key. Renaming it replays nothing. */
  name: string;
  events: readonly string[];
  handle(ctx: Ctx, event: DomainEvent): Promise<void>;
}

/**
 * Records a domain event in the caller's transaction. Nothing is delivered unless that
 * transaction commits. Emitting the same `type` + `key` again is a no-op.
 * @example await emit(tx, "product.created", { productId }, { key: productId })
 */
export async function emit(
  ctx: Ctx,
  type: string,
  payload: object,
  opts: { key?: string } = {},
): Promise<void> {
  const id = newId("evt");
  await ctx.db
    .insert(outboxEvents)
    .values({ id, type, key: opts.key ?? id, payload })
    .onConflictDoNothing({ target: [outboxEvents.type, outboxEvents.key] });
}

/**
 * The outbox insert of `emit` as one SQL statement, for a data-modifying CTE that records a
 * change and its event together: `with o as (update … returning …), e as (${emitSql(…)}) select …`.
 */
export function emitSql(type: string, payload: object, key: string): SQL {
  return sql`insert into outbox_events (id, type, key, payload)
    values (${newId("evt")}, ${type}, ${key}, ${JSON.stringify(payload)}::jsonb) on conflict (type, key) do nothing`;
}

/**
 * Like emitSql, but the event's key and payload are SQL over `from` (a CTE of the same
 * statement), and nothing is recorded when `from` has no row: for a change that may not happen.
 * @example emitFromSql("payment.failed", sql`p.id`, sql`jsonb_build_object('paymentId', p.id)`, sql`from upd p where p.status = 'failed'`)
 */
export function emitFromSql(type: string, key: SQL, payload: SQL, from: SQL): SQL {
  return sql`insert into outbox_events (id, type, key, payload)
    select ${newId("evt")}, ${type}, ${key}, ${payload} ${from} on conflict (type, key) do nothing`;
}

/** Undispatched events, oldest first, locked so that concurrent relays take disjoint batches. */
export async function lockPendingEvents(ctx: Ctx, limit: number): Promise<DomainEvent[]> {
  const rows = await queryRows<{
    id: string;
    type: string;
    key: string;
    payload: unknown;
    occurred_at: string;
  }>(
    ctx.db,
    sql`select id, type, key, payload, occurred_at from outbox_events
        where dispatched_at is null order by seq limit ${limit} for update skip locked`,
  );
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    key: r.key,
    payload: r.payload,
    occurredAt: new Date(r.occurred_at).toISOString(),
  }));
}

export async function markDispatched(ctx: Ctx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.db.update(outboxEvents).set({ dispatchedAt: sql`now()` }).where(inArray(outboxEvents.id, ids));
}

/** Inserts the receipt; false when this handler already committed its effects for the event. */
export async function claimReceipt(ctx: Ctx, handler: string, eventKey: string): Promise<boolean> {
  const rows = await queryRows(
    ctx.db,
    sql`insert into event_receipts (handler, event_id) values (${handler}, ${eventKey})
        on conflict do nothing returning handler`,
  );
  return rows.length === 1;
}
