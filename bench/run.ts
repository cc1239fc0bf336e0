import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { openDatabase } from "../src/db/client.ts";
import { migrateDatabase } from "../src/db/migrate.ts";
import { systemCtx } from "../src/kernel/context.ts";
import { seedDemo } from "../src/seed/demo.ts";
import { benchCheckout } from "./checkout.ts";
import { benchLandedCost } from "./landed-cost.ts";
import { insertBigCatalog } from "./lib/big-catalog.ts";
import { type LoadResult, load } from "./lib/load.ts";
import { rssMb, startServer } from "./lib/processes.ts";
import { statementsPerRequest } from "./lib/sql-count.ts";

// Short runs by default so a full bench stays within a few minutes; BENCH_SECONDS=30 for longer.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const STORE_HEADERS = { "x-publishable-key": "pk_demo" };
// Bypasses the response cache: every request runs its SQL.
const UNCACHED = { ...STORE_HEADERS, "cache-control": "no-cache" };
const rows: string[] = [];
const log = (line: string) => {
  console.log(line);
  rows.push(line);
};

function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function recreate(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  return dbUrl(name);
}

function appEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, LOG_LEVEL: "warn", NODE_ENV: "development", ...extra };
}

const fmt = (r: LoadResult) =>
  `${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.errors || r.non2xx ? `, ${r.errors} errors, ${r.non2xx} non-2xx` : ""}`;

async function measureLoad(url: string, headers?: Record<string, string>) {
  const many = await load(url, { connections: 64, seconds: SECONDS, headers });
  const single = await load(url, { connections: 1, seconds: Math.max(3, SECONDS / 2), headers });
  return { many, single };
}

async function coldStart(env: NodeJS.ProcessEnv, port: number) {
  // First run migrates and seeds; the second is the cold start an operator sees on restart.
  const first = await startServer("npm", ["start", "--silent"], { env, port, timeoutMs: 300_000 });
  await first.stop();
  const second = await startServer("npm", ["start", "--silent"], { env, port });
  return { first: first.startMs, second: second.startMs, server: second };
}

async function main() {
  log(`# Chuhai benchmarks — ${new Date().toISOString()}`);
  log(`node ${process.version}, ${SECONDS} s per load run, autocannon on 127.0.0.1\n`);

  // Ceiling: a bare Fastify route in its own process.
  const bare = await startServer(process.execPath, ["--import", "tsx", "bench/bare-server.ts"], {
    env: appEnv({ PORT: "3901" }),
    port: 3901,
  });
  const ceiling = await measureLoad(`${bare.url}/bare`);
  await bare.stop();

  const lc = benchLandedCost(Math.max(3, SECONDS / 2));
  const landedRows: Array<[string, string, string, string]> = [
    ["JSON round trip of the same cart, in process (reference)", `${lc.referencePerSecond}/s`, "100%", ""],
    [
      "landed cost, 10-line cart in 2 consignments, 6 destinations, rules cached",
      `${lc.perSecond}/s, p50 ${lc.p50} ms, p99 ${lc.p99} ms`,
      `${((lc.perSecond / lc.referencePerSecond) * 100).toFixed(1)}% of the reference`,
      "p99 ≤ 2 ms",
    ],
  ];
  if (process.argv[2] === "landed-cost") {
    log("| measurement | result | ratio to ceiling | target |");
    log("|---|---|---|---|");
    for (const r of landedRows) log(`| ${r.join(" | ")} |`);
    return;
  }

  const checkout = await benchCheckout({ recreate, appEnv, seconds: SECONDS });
  const c = checkout.result;
  const checkoutRows: Array<[string, string, string, string]> = [
    ["bare Fastify route (ceiling), 64 conns", fmt(ceiling.many), "", ""],
    ["pgbench tpcb-like, 32 clients (database ceiling)", `${checkout.tps} tps`, "100%", ""],
    [
      "checkout cart → paid order, 32 shoppers, `npm start` on PostgreSQL",
      `${c.ordersPerSecond} orders/s, p50 ${c.p50} ms, p99 ${c.p99} ms (${c.orders} orders${c.failures ? `, ${c.failures} failed: ${c.firstFailure}` : ""})`,
      `${((c.ordersPerSecond / checkout.tps) * 100).toFixed(1)}% of pgbench tps`,
      "≥ 300 orders/s, p99 ≤ 200 ms",
    ],
    ["SQL statements per order (3 requests, incl. BEGIN/COMMIT)", `${checkout.statements}`, "", "≤ 30"],
  ];
  if (process.argv[2] === "checkout") {
    log("| measurement | result | ratio to ceiling | target |");
    log("|---|---|---|---|");
    for (const r of checkoutRows) log(`| ${r.join(" | ")} |`);
    return;
  }

  // Demo store on PostgreSQL: cold start, RSS, product detail and list.
  const demoUrl = await recreate("chuhai_bench_demo");
  const pgRun = await coldStart(appEnv({ DATABASE_URL: demoUrl, PORT: "3902" }), 3902);
  const server = pgRun.server;
  await sleep(2000);
  const idleRss = rssMb(server.child.pid!);
  const listUrl = `${server.url}/store/v1/products?market=eu&locale=de&limit=20`;
  const first = (await (await fetch(listUrl, { headers: STORE_HEADERS })).json()) as {
    items: Array<{ handle: string }>;
  };
  const detailPath = `${server.url}/store/v1/products/${first.items[0]!.handle}?market=eu&locale=de`;
  let peakRss = idleRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(server.child.pid!));
  }, 200);
  const detail = await measureLoad(detailPath, UNCACHED);
  const list = await measureLoad(listUrl, UNCACHED);
  const detailCached = await measureLoad(detailPath, STORE_HEADERS);
  const listCached = await measureLoad(listUrl, STORE_HEADERS);
  clearInterval(sampler);
  await server.stop();

  const database = await openDatabase({ url: demoUrl, dataDir: "" });
  const statements = await statementsPerRequest(
    database,
    {
      detail: detailPath.replace(server.url, ""),
      list: listUrl.replace(server.url, ""),
      search: "/store/v1/products?market=eu&locale=de&q=jacke&facets=true",
    },
    UNCACHED,
  );
  await database.close();

  // Search at 10,000 products.
  const bigUrl = await recreate("chuhai_bench_10k");
  const big = await openDatabase({ url: bigUrl, dataDir: "" });
  await migrateDatabase(big);
  const media = mkdtempSync(join(tmpdir(), "chuhai-bench-"));
  await seedDemo(systemCtx(big.db, "bench"), { mediaDir: media });
  await insertBigCatalog(big.db, 10_000);
  await big.close();
  const bigServer = await startServer(process.execPath, ["--import", "tsx", "src/main.ts", "start"], {
    env: appEnv({ DATABASE_URL: bigUrl, PORT: "3903", SEED_DEMO: "false", RUN_JOBS: "false" }),
    port: 3903,
  });
  // Text searches (with filters and sorts a shopper adds), and browsing with facets or a price
  // sort over large result sets, timed separately: the second computes prices for every match.
  const searches = [
    "market=us&locale=en&q=waterproof%20jacket",
    "market=us&locale=en&q=tent&sort=price_asc",
    "market=eu&locale=de&q=wasserdichte%20jacke",
    `market=jp&locale=ja&q=${encodeURIComponent("防水")}`,
    "market=us&locale=en&q=ceramic%20teapot&inStock=true",
    `market=jp&locale=ja&q=${encodeURIComponent("寝袋")}&option=Size:M`,
  ];
  const browses = [
    "market=eu&locale=de&q=rucksack&facets=true",
    `market=jp&locale=ja&q=${encodeURIComponent("寝袋")}&facets=true`,
    "market=eu&locale=de&option=Size:M&priceMax=5000&sort=price_asc",
  ];
  const timeQueries = async (queries: string[], rounds: number) => {
    const times: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      for (const q of queries) {
        const t = performance.now();
        const res = await fetch(`${bigServer.url}/store/v1/products?${q}&limit=20`, { headers: UNCACHED });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`search ${q} → ${res.status}`);
        if (round > 0) times.push(performance.now() - t);
      }
    }
    times.sort((x, y) => x - y);
    const pct = (p: number) =>
      times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1);
    return `p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${pct(100)} ms (${times.length} requests)`;
  };
  const searchTimes = await timeQueries(searches, 30);
  const browseTimes = await timeQueries(browses, 20);
  const bigList = await load(`${bigServer.url}/store/v1/products?market=eu&locale=de&limit=20`, {
    connections: 64,
    seconds: SECONDS,
    headers: UNCACHED,
  });
  await bigServer.stop();
  // Cold start on PGlite.
  const dataDir = mkdtempSync(join(tmpdir(), "chuhai-pglite-"));
  const liteRun = await coldStart(appEnv({ DATA_DIR: dataDir, PORT: "3904", DATABASE_URL: "" }), 3904);
  const liteRss = rssMb(liteRun.server.child.pid!);
  await liteRun.server.stop();
  rmSync(dataDir, { recursive: true, force: true });

  const ratio = (r: LoadResult) => `${((r.rps / ceiling.many.rps) * 100).toFixed(1)}%`;
  const rows: Array<[string, string, string, string]> = [
    ["bare Fastify route (ceiling), 64 conns", fmt(ceiling.many), "100%", ""],
    ["bare Fastify route, 1 conn", fmt(ceiling.single), "", ""],
    [
      "product detail, response cache, 64 conns",
      fmt(detailCached.many),
      ratio(detailCached.many),
      "≥ 30%, p99 ≤ 50 ms",
    ],
    ["product detail, response cache, 1 conn", fmt(detailCached.single), "", ""],
    ["product detail, uncached (SQL every time), 64 conns", fmt(detail.many), ratio(detail.many), ""],
    ["product detail, uncached, 1 conn", fmt(detail.single), "", ""],
    [
      "product list (20, priced), response cache, 64 conns",
      fmt(listCached.many),
      ratio(listCached.many),
      "≥ 10%, p99 ≤ 50 ms",
    ],
    ["product list (20, priced), response cache, 1 conn", fmt(listCached.single), "", ""],
    ["product list (20, priced), uncached, 64 conns", fmt(list.many), ratio(list.many), ""],
    ["product list (20, priced), uncached, 1 conn", fmt(list.single), "", ""],
    ["product list at 10,000 products, uncached, 64 conns", fmt(bigList), ratio(bigList), ""],
    [
      "SQL statements per uncached request (0 on a cache hit)",
      `detail ${statements.detail}, list ${statements.list}, search+facets ${statements.search}`,
      "",
      "≤ 3",
    ],
    ["text search at 10,000 products, uncached", searchTimes, "", "p95 ≤ 30 ms"],
    ["faceted or price-sorted browse at 10,000 products, uncached", browseTimes, "", ""],
    [
      "cold start `npm start`, PostgreSQL (first run incl. migrate+seed)",
      `${pgRun.second.toFixed(0)} ms (${pgRun.first.toFixed(0)} ms)`,
      "",
      "≤ 1 s",
    ],
    [
      "cold start `npm start`, PGlite (first run incl. migrate+seed)",
      `${liteRun.second.toFixed(0)} ms (${liteRun.first.toFixed(0)} ms)`,
      "",
      "≤ 2 s",
    ],
    [
      "server RSS with demo data, PostgreSQL: idle / peak under load",
      `${idleRss} MB / ${peakRss} MB`,
      "",
      "≤ 150 / ≤ 300 MB",
    ],
    ["server RSS idle with demo data, PGlite (database in-process)", `${liteRss} MB`, "", ""],
    ...checkoutRows.slice(1),
    ...landedRows,
  ];
  log("| measurement | result | ratio to ceiling | target |");
  log("|---|---|---|---|");
  for (const r of rows) log(`| ${r.join(" | ")} |`);
  mkdirSync("bench/out", { recursive: true });
  writeFileSync("bench/out/latest.md", `${rows.join("\n")}\n`);
  rmSync(media, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
