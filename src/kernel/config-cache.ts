import type { Ctx } from "./context.ts";

/**
 * Small values derived from store configuration (a market's pricing context, its payment
 * methods), kept per process and dropped whenever the database reports a committed catalog or
 * configuration change. Nothing is kept while change notifications are not known to arrive, and
 * a value loaded while a change came in is not kept. Cached values are shared: never mutate them.
 */
export class ConfigCache {
  private epoch = 0;
  private readonly values = new Map<string, unknown>();

  constructor(private readonly notificationsHealthy: () => boolean) {}

  invalidate(): void {
    this.epoch += 1;
    this.values.clear();
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.notificationsHealthy()) return load();
    if (this.values.has(key)) return this.values.get(key) as T;
    const epoch = this.epoch;
    const value = await load();
    if (epoch === this.epoch && this.notificationsHealthy()) this.values.set(key, value);
    return value;
  }
}

/**
 * Loads through the request's config cache when it has one (Store API requests), else directly.
 * @example const pc = await cached(ctx, `pricing:${market}`, () => loadFromDb(ctx, market))
 */
export function cached<T>(ctx: Ctx, key: string, load: () => Promise<T>): Promise<T> {
  return ctx.cache ? ctx.cache.get(key, load) : load();
}
