import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { queryRows } from "../db/client.ts";
import { AppError, ValidationError } from "../kernel/errors.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** false: the request or response holds secrets (passwords, session tokens) that must not be stored. */
    idempotency?: boolean;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;
const LOCK_SECONDS = 60;

interface Remembered {
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  content_type: string | null;
  locked: boolean;
}

function scopeOf(request: FastifyRequest): string {
  const actor = request.ctx.actor;
  return actor.kind === "anonymous" ? `anon:${request.routeOptions.url}` : `${actor.kind}:${actor.id}`;
}

function hashOf(request: FastifyRequest): string {
  return createHash("sha256")
    .update(`${request.method} ${request.url}\n`)
    .update(typeof request.body === "string" ? request.body : JSON.stringify(request.body ?? null))
    .digest("hex");
}

/**
 * `Idempotency-Key` for state-changing requests: the first response (below 500) is stored and
 * replayed for retries with the same key and body; a different body under the same key is a 422;
 * a retry while the first is still running is a 409. Server errors free the key for a new try.
 * Money-moving flows additionally record their key inside their own transaction.
 */
export function registerIdempotency(app: FastifyInstance): void {
  app.addHook("preHandler", async (request, reply) => {
    const key = request.headers["idempotency-key"];
    if (key === undefined || request.method === "GET" || request.method === "HEAD") return;
    if (request.routeOptions.config.idempotency === false) return;
    if (typeof key !== "string" || !KEY.test(key)) {
      throw new ValidationError(
        "idempotency.invalid_key",
        "Idempotency-Key must be 1-255 visible ASCII characters",
      );
    }
    const scope = scopeOf(request);
    const hash = hashOf(request);
    const db = request.ctx.db;
    const [claimed] = await queryRows(
      db,
      sql`insert into idempotency_keys (scope, key, request_hash, locked_until)
          values (${scope}, ${key}, ${hash}, now() + make_interval(secs => ${LOCK_SECONDS}))
          on conflict do nothing returning key`,
      { prepared: true },
    );
    if (!claimed) {
      const [seen] = await queryRows<Remembered>(
        db,
        sql`select request_hash, status_code, response_body, content_type, locked_until > now() as locked
            from idempotency_keys where scope = ${scope} and key = ${key}`,
        { prepared: true },
      );
      if (seen && seen.request_hash !== hash) {
        throw new AppError(
          422,
          "idempotency.key_reused",
          "This Idempotency-Key was used with a different request",
        );
      }
      if (seen?.status_code != null) {
        reply.header("idempotent-replayed", "true");
        if (seen.content_type) reply.type(seen.content_type);
        return reply.status(seen.status_code).send(seen.response_body ?? undefined);
      }
      // Still running, or abandoned by a process that died: take it over only once the lock lapsed.
      const [taken] = await queryRows(
        db,
        sql`update idempotency_keys set locked_until = now() + make_interval(secs => ${LOCK_SECONDS})
            where scope = ${scope} and key = ${key} and status_code is null and locked_until <= now() returning key`,
        { prepared: true },
      );
      if (!taken)
        throw new AppError(
          409,
          "idempotency.in_progress",
          "A request with this Idempotency-Key is in progress",
        );
    }
    request.idempotency = { scope, key };
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim || reply.getHeader("idempotent-replayed")) return payload;
    const db = request.ctx.db;
    if (reply.statusCode >= 500) {
      await db.execute(sql`delete from idempotency_keys where scope = ${claim.scope} and key = ${claim.key}`);
    } else {
      const body = typeof payload === "string" ? payload : payload == null ? null : String(payload);
      const type = reply.getHeader("content-type");
      await db.execute(sql`update idempotency_keys set status_code = ${reply.statusCode}, response_body = ${body},
          content_type = ${typeof type === "string" ? type : null} where scope = ${claim.scope} and key = ${claim.key}`);
    }
    return payload;
  });
}

/** Route preHandler for money-moving calls: an Idempotency-Key is mandatory there. */
export async function requireIdempotencyKey(request: FastifyRequest): Promise<void> {
  if (!request.idempotency)
    throw new ValidationError("idempotency.key_required", "This request needs an Idempotency-Key header");
}
