import type { Database } from "../../src/db/client.ts";
import { buildApp } from "../../src/http/app.ts";

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
  const app = await buildApp({
    config: {
      adminToken: "bench-admin-token",
      publishableKey: "pk_demo",
      logLevel: "silent",
      dataDir: "memory://",
      appSecret: "bench-secret-0123456789",
      publicUrl: "http://localhost:3000",
      testPayments: true,
    },
    database,
    logger: false,
  });
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
