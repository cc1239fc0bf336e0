import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "./client.ts";
import { migrateDatabase } from "./migrate.ts";
import { createTestDatabase } from "./testing.ts";

describe(`migrations on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it("creates every table and is a no-op when applied again", async () => {
    await migrateDatabase(database);
    const tables = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = tables.map((r) => r.table_name);
    for (const t of [
      "products",
      "variants",
      "product_translations",
      "markets",
      "fx_rates",
      "outbox_events",
    ]) {
      expect(names).toContain(t);
    }
  });

  it("indexes Japanese text as n-grams and German with the German stemmer", async () => {
    const ja = await queryRows<{ v: string }>(
      database.db,
      sql`select chuhai_search_text('ja', '防水ジャケット', true) as v`,
    );
    expect(ja[0]!.v.trim().split(/\s+/)).toEqual(["防水", "水ジ", "ジャ", "ャケ", "ケッ", "ット"]);
    const de = await queryRows<{ v: string }>(
      database.db,
      sql`select to_tsvector(chuhai_ts_config('de-AT'), 'Wasserdichte Jacken')::text as v`,
    );
    expect(de[0]!.v).toContain("'jack'");
  });
});
