import pg from "pg";
import type { Database } from "../../src/db/client.ts";

/**
 * How many SQL statements `run` sends, counted at the driver (node-postgres clients, or the
 * PGlite instance), so prepared statements, transactions' BEGIN/COMMIT and raw queries all count.
 * @example expect(await countStatements(database, () => shippingOptions(ctx, q))).toBe(1)
 */
export async function countStatements(database: Database, run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  if (database.pglite) {
    const lite = database.pglite;
    const { query, exec } = lite;
    lite.query = ((...args: Parameters<typeof query>) => {
      count += 1;
      return query.apply(lite, args);
    }) as typeof query;
    lite.exec = ((...args: Parameters<typeof exec>) => {
      count += 1;
      return exec.apply(lite, args);
    }) as typeof exec;
    try {
      await run();
    } finally {
      lite.query = query;
      lite.exec = exec;
    }
    return count;
  }
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await run();
  } finally {
    pg.Client.prototype.query = query;
  }
  return count;
}
