import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";

/** The Drizzle handle every service receives; a transaction handle has the same type. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** An open database: the Drizzle handle plus what is needed to close it or hand it to pg-boss. */
export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /** Present for PostgreSQL: the pool (pg-boss is given the connection string instead). */
  pool?: pg.Pool;
  /** Present for the embedded database. */
  pglite?: PGlite;
  url?: string;
  close(): Promise<void>;
}

// node-postgres parses numeric as string and bigint as string by default; int8 counts are small here.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/**
 * Opens PostgreSQL when `url` is given, otherwise an embedded PGlite persisted under `dataDir`
 * (or in memory when `dataDir` is "memory://").
 * @example const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: ".chuhai" })
 */
export async function openDatabase(opts: {
  url?: string;
  dataDir: string;
  poolSize?: number;
}): Promise<Database> {
  if (opts.url) {
    // JIT compilation costs more than it saves on short OLTP queries (it added a second to a facet
    // query); random_page_cost 1.1 is the usual setting for SSDs and lets text search use its index.
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      options: "-c jit=off -c random_page_cost=1.1",
    });
    pool.on("error", () => {}); // idle-client errors surface on the next query instead of crashing
    const db = drizzleNodePg(pool) as unknown as Db;
    return { db, kind: "postgres", pool, url: opts.url, close: () => pool.end() };
  }
  const pglite = await openPglite(opts.dataDir);
  const db = drizzlePglite(pglite) as unknown as Db;
  return { db, kind: "pglite", pglite, close: () => pglite.close() };
}

async function openPglite(dataDir: string): Promise<PGlite> {
  const memory = dataDir === "memory://";
  if (!memory) mkdirSync(dataDir, { recursive: true });
  // The embedded database holds a demo-sized catalog: 16 MB of shared buffers instead of 128 MB
  // starts it in about half the time and with ~130 MB less memory.
  return PGlite.create(memory ? undefined : join(dataDir, "pgdata"), {
    postgresqlconf: ["shared_buffers = 16MB"],
  });
}

/**
 * Bound parameters joined for `in (…)`: sql`id in (${sqlList(ids)})`.
 * @example sqlList(["a", "b"]) // $1, $2
 */
export function sqlList(values: readonly unknown[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/**
 * A text[] of bound parameters (an empty array when there are none).
 * @example sqlTextArray(["de", "en"]) // array[$1, $2]::text[]
 */
export function sqlTextArray(values: readonly string[]): SQL {
  return values.length ? sql`array[${sqlList(values)}]::text[]` : sql`'{}'::text[]`;
}

const dialect = new PgDialect();

/**
 * Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. With `prepared`, the
 * statement is named after a hash of its text, so each connection parses and plans it once:
 * for the store's hot read queries planning costs more than executing.
 * @example const rows = await queryRows<{ n: number }>(db, sql`select 1 as n`)
 */
export async function queryRows<T>(db: Db, query: SQL, opts: { prepared?: boolean } = {}): Promise<T[]> {
  if (!opts.prepared) return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
  const built = dialect.sqlToQuery(query);
  const name = statementName("q", built.sql);
  const result = await db._.session.prepareQuery(built, undefined, name, false).execute();
  return (result as { rows: T[] }).rows;
}

const names = new Map<string, string>();

/** A prepared statement's name: a hash of its text, remembered (the hot queries repeat). */
function statementName(prefix: string, text: string): string {
  const key = prefix + text;
  let name = names.get(key);
  if (!name) {
    name = `${prefix}_${createHash("sha1").update(text).digest("base64url")}`;
    // Texts vary only with list lengths; a bound keeps a pathological caller from growing it.
    if (names.size >= 5000) names.clear();
    names.set(key, name);
  }
  return name;
}

/** A Drizzle query builder that can run as a named prepared statement. */
interface Preparable<T> {
  toSQL(): { sql: string };
  prepare(name: string): { execute(): Promise<T> };
}

/**
 * Runs a Drizzle query builder as a named prepared statement (named after a hash of its SQL, so
 * different shapes never share a name): each connection parses and plans it once. For the
 * queries every checkout runs.
 * @example const [cart] = await runPrepared(ctx.db.select().from(carts).where(eq(carts.id, id)))
 */
export function runPrepared<T>(query: Preparable<T>): Promise<T> {
  const name = statementName("d", query.toSQL().sql);
  return query.prepare(name).execute();
}
