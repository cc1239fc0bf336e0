import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminHeaders,
  ctxOf,
  makeProduct,
  setupShop,
  storeHeaders,
  testApp,
} from "../../test/support/fixtures.ts";
import type { Database } from "../db/client.ts";
import { openDatabase } from "../db/client.ts";
import { createTestDatabase } from "../db/testing.ts";
import { transaction } from "../kernel/context.ts";
import { updateProduct } from "../modules/catalog/index.ts";
import type { App } from "./app.ts";

let database: Database;
let app: App;

const get = (path: string, headers: Record<string, string> = {}, on: App = app) =>
  on.inject({ method: "GET", url: `/store/v1${path}`, headers: { ...storeHeaders, ...headers } });

async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  await setupShop(ctxOf(database));
  await makeProduct(ctxOf(database), { handle: "lamp", translations: { en: { title: "Paper Lamp" } } });
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("store response cache", () => {
  it("serves repeated reads from memory and keeps locales and auth apart", async () => {
    const first = await get("/products/lamp?market=us");
    expect(first.headers["x-cache"]).toBe("miss");
    const second = await get("/products/lamp?market=us");
    expect(second.headers["x-cache"]).toBe("hit");
    expect(second.body).toBe(first.body);
    expect(second.headers["content-type"]).toBe(first.headers["content-type"]);
    expect(second.headers["content-length"]).toBe(first.headers["content-length"]);
    expect((await get("/products/lamp?market=us", { "accept-language": "de" })).headers["x-cache"]).toBe(
      "miss",
    );
    expect(
      (await get("/products/lamp?market=us", { "cache-control": "no-cache" })).headers["x-cache"],
    ).toBeUndefined();
    const noKey = await app.inject({ method: "GET", url: "/store/v1/products/lamp?market=us" });
    expect(noKey.statusCode).toBe(401);
  });

  it("drops cached responses after an Admin API write on the same instance", async () => {
    await get("/products/lamp?market=us");
    const patch = await app.inject({
      method: "PATCH",
      url: "/admin/v1/products/lamp",
      headers: adminHeaders,
      payload: { translations: { en: { title: "Rice Paper Lamp" } } },
    });
    expect(patch.statusCode).toBe(200);
    const after = await get("/products/lamp?market=us");
    expect(after.headers["x-cache"]).toBe("miss");
    expect(after.json().title).toBe("Rice Paper Lamp");
  });

  it("drops cached responses when any connection commits a change", async () => {
    await get("/products/lamp?market=us");
    expect((await get("/products/lamp?market=us")).headers["x-cache"]).toBe("hit");
    await transaction(ctxOf(database), (tx) =>
      updateProduct(tx, "lamp", { translations: { en: { title: "Moon Lamp" } } }),
    );
    await eventually(async () => (await get("/products/lamp?market=us")).json().title === "Moon Lamp");
  });

  it.skipIf(!process.env.DATABASE_URL)("keeps a second app instance on the same database fresh", async () => {
    const other = await openDatabase({ url: database.url, dataDir: "" });
    const second = await testApp(other);
    try {
      await get("/products/lamp?market=us", {}, second);
      expect((await get("/products/lamp?market=us", {}, second)).headers["x-cache"]).toBe("hit");
      await app.inject({
        method: "PATCH",
        url: "/admin/v1/products/lamp",
        headers: adminHeaders,
        payload: { translations: { en: { title: "Star Lamp" } } },
      });
      await eventually(
        async () => (await get("/products/lamp?market=us", {}, second)).json().title === "Star Lamp",
      );
    } finally {
      await second.close();
      await other.close();
    }
  });
});
