import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../src/db/client.ts";
import { migrateDatabase } from "../src/db/migrate.ts";
import { systemCtx } from "../src/kernel/context.ts";
import { seedDemo } from "../src/seed/demo.ts";
import { checkoutLoad } from "./lib/checkout-load.ts";
import { startServer } from "./lib/processes.ts";
import { statementsPerCheckout } from "./lib/sql-count.ts";

/** pgbench's TPC-B-like transactions per second on the same server: the database's ceiling here. */
function pgbenchTps(url: string, seconds: number, clients: number): number {
  const env = { ...process.env, PGOPTIONS: "" };
  execFileSync("pgbench", ["-i", "-q", "-s", "10", url], { env, stdio: "ignore" });
  const out = execFileSync(
    "pgbench",
    ["-c", String(clients), "-j", "2", "-T", String(seconds), "-b", "tpcb-like", url],
    {
      env,
      encoding: "utf8",
    },
  );
  const match = /tps = ([\d.]+)/.exec(out);
  if (!match) throw new Error(`no tps in pgbench output:\n${out}`);
  return Math.round(Number(match[1]));
}

/**
 * End-to-end checkout on PostgreSQL: orders per second and p99 at 32 concurrent shoppers against
 * `npm start`, the statements one order costs, and pgbench in the same run as the ceiling.
 */
export async function benchCheckout(opts: {
  recreate: (name: string) => Promise<string>;
  appEnv: (extra: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  seconds: number;
}) {
  const url = await opts.recreate("chuhai_bench_checkout");
  const database = await openDatabase({ url, dataDir: "" });
  await migrateDatabase(database);
  const media = mkdtempSync(join(tmpdir(), "chuhai-bench-checkout-"));
  await seedDemo(systemCtx(database.db, "bench"), { mediaDir: media });
  // Plenty of stock in the US warehouse, so every shopper can buy.
  await database.db.execute(
    sql`update inventory_levels set on_hand = 10000000 where warehouse_id = (select id from warehouses where code = 'us-ontario')`,
  );
  const skus = (
    await queryRows<{ sku: string }>(
      database.db,
      sql`select v.sku from variants v join products p on p.id = v.product_id where p.status = 'active' order by v.sku`,
    )
  ).map((r) => r.sku);
  const statements = await statementsPerCheckout(database, skus[0]!);
  await database.close();
  rmSync(media, { recursive: true, force: true });

  const server = await startServer("npm", ["start", "--silent"], {
    env: opts.appEnv({ DATABASE_URL: url, PORT: "3905", SEED_DEMO: "false" }),
    port: 3905,
  });
  const result = await checkoutLoad(server.url, skus, { connections: 32, seconds: opts.seconds });
  await server.stop();

  const pgbenchUrl = await opts.recreate("chuhai_bench_pgbench");
  const tps = pgbenchTps(pgbenchUrl, opts.seconds, 32);
  return { result, statements, tps };
}
