import type { Db } from "../db/client.ts";
import type { ConfigCache } from "./config-cache.ts";

/** Who is acting: the storefront visitor, a signed-in customer, an admin (token), or the system itself (jobs, seed). */
export type Actor =
  | { kind: "anonymous" }
  | { kind: "customer"; id: string }
  | { kind: "admin"; id: string }
  | { kind: "system"; id: string };

/** The request context every service takes first: the database handle (or transaction) and who acts. */
export interface Ctx {
  db: Db;
  actor: Actor;
  requestId: string;
  /** Store configuration cached per process (Store API requests only); see config-cache.ts. */
  cache?: ConfigCache;
}

/**
 * Runs `fn` in one database transaction, handing it a context bound to that transaction.
 * @example await transaction(ctx, async (tx) => { await products.create(tx, input) })
 */
export function transaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction((db) => fn({ ...ctx, db }));
}

/**
 * Whether an actor may see a record a customer owns (a cart, an order): every actor except
 * another signed-in customer. Guests reach their records through unguessable ids.
 * @example if (!visibleTo(ctx.actor, order.customerId)) throw new NotFoundError("order", order.id)
 */
export function visibleTo(actor: Actor, ownerCustomerId: string | null): boolean {
  return !ownerCustomerId || actor.kind !== "customer" || actor.id === ownerCustomerId;
}

/** How an actor is written into history rows: "admin:bootstrap", "system:seed", "anonymous". */
export function actorLabel(actor: Actor): string {
  return actor.kind === "anonymous" ? "anonymous" : `${actor.kind}:${actor.id}`;
}

/** A context for background work and scripts. */
export function systemCtx(db: Db, id = "system"): Ctx {
  return { db, actor: { kind: "system", id }, requestId: id };
}
