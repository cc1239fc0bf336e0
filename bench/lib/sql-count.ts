import pg from "pg";
import type { Database } from "../../src/db/client.ts";
import { buildApp } from "../../src/http/app.ts";
import { runCheckout } from "./checkout-flow.ts";

const BENCH_CONFIG = {
  adminToken: "bench-admin-token",
  publishableKey: "pk_demo",
  logLevel: "silent",
  dataDir: "memory://",
  appSecret: "bench-secret-0123456789",
  publicUrl: "http://localhost:3000",
  testPayments: true,
};

/**
 * Counts the SQL statements one request issues, in-process: the pool's query method is wrapped
 * (node-postgres sends every non-transactional statement through it).
 */
export async function statementsPerRequest(
  database: Database,
  urls: Record<string, string>,
  headers: Record<string, string>,
) {
  const pool = database.pool!;
  let count = 0;
  const query = pool.query.bind(pool);
  pool.query = ((...args: Parameters<typeof pool.query>) => {
    count += 1;
    return query(...args);
  }) as typeof pool.query;
  const app = await buildApp({ config: BENCH_CONFIG, database, logger: false });
  const out: Record<string, number> = {};
  for (const [name, url] of Object.entries(urls)) {
    await app.inject({ method: "GET", url, headers });
    count = 0;
    const res = await app.inject({ method: "GET", url, headers });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    out[name] = count;
  }
  await app.close();
  pool.query = query;
  return out;
}

/**
 * Statements one whole checkout costs (create cart, choose shipping, pay), counted at the
 * node-postgres client so transactions' BEGIN/COMMIT and everything inside them count too.
 * Averaged over 10 orders after 3 warm-up orders (warm per-instance caches, as in production).
 */
export async function statementsPerCheckout(database: Database, sku: string): Promise<number> {
  const app = await buildApp({ config: BENCH_CONFIG, database, logger: false });
  for (let n = 0; n < 3; n++) await runCheckout(app, sku, n);
  let count = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    for (let n = 3; n < 13; n++) await runCheckout(app, sku, n);
  } finally {
    pg.Client.prototype.query = query;
    await app.close();
  }
  return count / 10;
}
