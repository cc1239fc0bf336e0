import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "./client.ts";
import { migrateDatabase, migrationsFolder } from "./migrate.ts";

/** Name of the migrated template database: it changes whenever a migration file changes. */
function templateName(): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(migrationsFolder)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    hash.update(file).update(readFileSync(join(migrationsFolder, file)));
  }
  return `chuhai_tpl_${hash.digest("hex").slice(0, 12)}`;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function ensureTemplate(admin: pg.Client, url: string, name: string): Promise<void> {
  await admin.query("select pg_advisory_lock(7171718)");
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1 and datistemplate", [name]);
    if (found.rowCount) return;
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
    const database = await openDatabase({ url: withDatabase(url, name), dataDir: "", poolSize: 1 });
    try {
      await migrateDatabase(database);
    } finally {
      await database.close();
    }
    await admin.query(`alter database "${name}" is_template true`);
  } finally {
    await admin.query("select pg_advisory_unlock(7171718)");
  }
}

/**
 * An isolated, migrated database for one test file: a fresh PostgreSQL database cloned from a
 * migrated template when DATABASE_URL is set, otherwise an in-memory PGlite. `close()` drops it.
 */
export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ dataDir: "memory://" });
    await migrateDatabase(database);
    return database;
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const template = templateName();
  const name = `chuhai_t_${randomBytes(6).toString("hex")}`;
  try {
    await ensureTemplate(admin, url, template);
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({
    url: withDatabase(url, name),
    dataDir: "",
    poolSize: opts.poolSize ?? 5,
  });
  const close = database.close;
  database.close = async () => {
    await close();
    const drop = new pg.Client({ connectionString: url });
    await drop.connect();
    await drop.query(`drop database if exists "${name}" with (force)`).finally(() => drop.end());
  };
  return database;
}
