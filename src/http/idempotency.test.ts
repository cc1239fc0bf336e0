import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHeaders, ctxOf, setupShop, testApp } from "../../test/support/fixtures.ts";
import { type Database, queryRows } from "../db/client.ts";
import { createTestDatabase } from "../db/testing.ts";
import { purgeIdempotencyKeys } from "../kernel/idempotency.schema.ts";
import type { App } from "./app.ts";

let database: Database;
let app: App;

const createCategory = (key: string | undefined, handle: string) =>
  app.inject({
    method: "POST",
    url: "/admin/v1/categories",
    headers: key ? { ...adminHeaders, "idempotency-key": key } : adminHeaders,
    payload: { handle, name: { en: handle } },
  });

async function categories(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from categories`);
  return row!.n;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await setupShop(ctxOf(database));
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("Idempotency-Key", () => {
  it("purges keys older than a day and keeps recent ones", async () => {
    await database.db.execute(
      sql`insert into idempotency_keys (scope, key, request_hash, locked_until, created_at) values
          ('test', 'old', 'h', now(), now() - interval '25 hours'), ('test', 'new', 'h', now(), now() - interval '1 hour')`,
    );
    await purgeIdempotencyKeys(ctxOf(database));
    const rows = await queryRows<{ key: string }>(
      database.db,
      sql`select key from idempotency_keys where scope = 'test'`,
    );
    expect(rows.map((r) => r.key)).toEqual(["new"]);
  });

  it("replays the first response for a retry and creates nothing twice", async () => {
    const first = await createCategory("key-1", "bags");
    expect(first.statusCode).toBe(201);
    const retry = await createCategory("key-1", "bags");
    expect(retry.statusCode).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.json()).toEqual(first.json());
    expect(await categories()).toBe(1);
    // Without a key the same request is a new attempt and conflicts.
    expect((await createCategory(undefined, "bags")).statusCode).toBe(409);
  });

  it("rejects the same key with a different body and leaves state alone", async () => {
    const before = await categories();
    const res = await createCategory("key-1", "shoes");
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe("idempotency.key_reused");
    expect(await categories()).toBe(before);
  });

  it("remembers client errors too, and rejects malformed keys", async () => {
    const bad = await app.inject({
      method: "POST",
      url: "/admin/v1/categories",
      headers: { ...adminHeaders, "idempotency-key": "key-2" },
      payload: { handle: "child", parent: "missing", name: { en: "Child" } },
    });
    expect(bad.statusCode).toBe(404);
    const again = await app.inject({
      method: "POST",
      url: "/admin/v1/categories",
      headers: { ...adminHeaders, "idempotency-key": "key-2" },
      payload: { handle: "child", parent: "missing", name: { en: "Child" } },
    });
    expect(again.statusCode).toBe(404);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect((await createCategory("bad key with spaces", "x")).json().error.code).toBe(
      "idempotency.invalid_key",
    );
  });

  it("answers 409 while the first request is still running", async () => {
    await database.db.execute(
      sql`insert into idempotency_keys (scope, key, request_hash, locked_until)
          values ('admin:bootstrap', 'key-3', 'other-hash', now() + interval '1 minute')`,
    );
    const res = await createCategory("key-3", "tents");
    expect(res.statusCode).toBe(422);
    await database.db.execute(sql`delete from idempotency_keys where key = 'key-3'`);
    const first = await createCategory("key-4", "tents");
    await database.db.execute(sql`update idempotency_keys set status_code = null where key = 'key-4'`);
    const during = await createCategory("key-4", "tents");
    expect(first.statusCode).toBe(201);
    expect(during.statusCode).toBe(409);
    expect(during.json().error.code).toBe("idempotency.in_progress");
  });
});
