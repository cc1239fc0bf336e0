import type { FastifyInstance } from "fastify";
import { LRUCache } from "lru-cache";
import type { Database } from "../db/client.ts";
import { type ChangeListener, listenForChanges } from "../db/notify.ts";

interface Entry {
  /** UTF-8 bytes: a hit is written as they are, with no string encoding per request. */
  body: Buffer;
  contentType: string;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The cache epoch when the request started; its response is stored only if nothing changed since. */
    cacheEpoch?: number;
  }
}

/**
 * An in-process cache of Store API GET responses, emptied whenever the database reports a
 * committed change to store data (NOTIFY from triggers, see migration 0004). Each instance keeps
 * its own copy, so nothing is shared and no instance serves data older than the last commit it
 * was told about. While the notification connection is down nothing is cached.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, Entry>;
  private epoch = 0;
  private listener: ChangeListener | undefined;
  hits = 0;
  misses = 0;

  constructor(maxBytes = 64 * 1024 * 1024) {
    // The TTL only bounds memory held by cold entries; freshness comes from the notifications.
    this.entries = new LRUCache({
      maxSize: maxBytes,
      sizeCalculation: (e) => e.body.length + 64,
      ttl: 10 * 60_000,
    });
  }

  /** Listens for changes; `onChange` is told too (other per-process caches of store data). */
  async start(
    database: Database,
    onChange: () => void = () => {},
    channel = "chuhai_catalog",
  ): Promise<void> {
    this.listener = await listenForChanges(database, channel, () => {
      this.invalidate();
      onChange();
    });
  }

  /** True while change notifications are known to arrive. */
  get healthy(): boolean {
    return this.listener?.healthy ?? false;
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
  }

  invalidate(): void {
    this.epoch += 1;
    this.entries.clear();
  }

  /** Adds the cache to the Store API routes of `app` (register after authentication hooks). */
  register(app: FastifyInstance): void {
    app.addHook("onRequest", async (request, reply) => {
      // A signed-in customer's answers are theirs alone.
      if (request.method !== "GET" || request.ctx.actor.kind !== "anonymous" || !this.listener?.healthy)
        return;
      if (/no-cache|no-store/.test(request.headers["cache-control"] ?? "")) return;
      const hit = this.entries.get(keyOf(request.url, request.headers["accept-language"]));
      if (hit) {
        this.hits += 1;
        return reply.header("x-cache", "hit").type(hit.contentType).send(hit.body);
      }
      this.misses += 1;
      request.cacheEpoch = this.epoch;
    });
    app.addHook("onSend", async (request, reply, payload) => {
      if (request.cacheEpoch === undefined) return payload;
      reply.header("x-cache", "miss");
      const fresh = request.cacheEpoch === this.epoch && this.listener?.healthy;
      if (fresh && reply.statusCode === 200 && typeof payload === "string") {
        const contentType = String(reply.getHeader("content-type") ?? "application/json; charset=utf-8");
        this.entries.set(keyOf(request.url, request.headers["accept-language"]), {
          body: Buffer.from(payload),
          contentType,
        });
      }
      return payload;
    });
  }
}

function keyOf(url: string, acceptLanguage: string | undefined): string {
  return `${url}\n${acceptLanguage ?? ""}`;
}
