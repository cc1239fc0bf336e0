import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeHeaders, testApp } from "../../test/support/fixtures.ts";
import { type Database, queryRows } from "../db/client.ts";
import { createTestDatabase } from "../db/testing.ts";
import { systemCtx } from "../kernel/context.ts";
import { translationCoverage } from "../modules/catalog/translations.service.ts";
import { type SeedResult, seedDemo } from "./demo.ts";

let database: Database;
let mediaDir: string;
let result: SeedResult;

beforeAll(async () => {
  database = await createTestDatabase();
  mediaDir = mkdtempSync(join(tmpdir(), "chuhai-seed-"));
  result = await seedDemo(systemCtx(database.db, "test"), { mediaDir });
}, 180_000);
afterAll(async () => {
  await database.close();
  rmSync(mediaDir, { recursive: true, force: true });
});

describe("demo seed", () => {
  it("creates a realistic catalog: ≥ 60 products, ≥ 150 variants, 8 markets, ≥ 3 warehouses", async () => {
    expect(result.seeded).toBe(true);
    expect(result.products).toBeGreaterThanOrEqual(60);
    expect(result.variants).toBeGreaterThanOrEqual(150);
    const [counts] = await queryRows<{
      products: number;
      variants: number;
      markets: number;
      warehouses: string[];
    }>(
      database.db,
      sql`select (select count(*)::int from products where status = 'active') as products,
        (select count(*)::int from variants) as variants, (select count(*)::int from markets) as markets,
        (select array_agg(address->>'country' order by code) from warehouses) as warehouses`,
    );
    expect(counts).toMatchObject({ products: result.products, variants: result.variants, markets: 8 });
    expect(counts!.warehouses).toEqual(expect.arrayContaining(["US", "DE", "SG"]));
  });

  it("translates every product into at least 10 locales", async () => {
    const coverage = await translationCoverage(systemCtx(database.db, "test"));
    const full = coverage.locales.filter((l) => l.percent === 100).map((l) => l.locale);
    expect(full.length).toBeGreaterThanOrEqual(10);
    expect(full).toEqual(
      expect.arrayContaining(["en", "de", "fr", "es", "it", "nl", "ja", "pt-BR", "ar", "id"]),
    );
  });

  it("generates valid glTF models for 3D previews", async () => {
    const models = await queryRows<{ url: string; mime_type: string }>(
      database.db,
      sql`select url, mime_type from media where kind = 'model3d'`,
    );
    expect(models.length).toBeGreaterThan(0);
    const gltf = JSON.parse(
      readFileSync(join(mediaDir, "media", models[0]!.url.replace("/media/", "")), "utf8"),
    );
    expect(models[0]!.mime_type).toBe("model/gltf+json");
    expect(gltf.asset.version).toBe("2.0");
    const buffer = Buffer.from(gltf.buffers[0].uri.split(",")[1], "base64");
    expect(buffer.length).toBe(gltf.buffers[0].byteLength);
    expect(gltf.accessors[1].count).toBe(36);
  });

  it("renders real images locally", async () => {
    const [media] = await queryRows<{ url: string }>(
      database.db,
      sql`select url from media order by url limit 1`,
    );
    const file = join(mediaDir, "media", media!.url.replace("/media/", ""));
    expect(existsSync(file)).toBe(true);
    const meta = await sharp(readFileSync(file)).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 800, height: 800 });
  });

  it("prices every sellable product in every market", async () => {
    const app = await testApp(database);
    for (const market of ["us", "eu", "gb", "jp", "br", "gcc", "id", "au"]) {
      const res = await app.inject({
        method: "GET",
        url: `/store/v1/products?market=${market}&limit=100`,
        headers: storeHeaders,
      });
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Array<{ priceRange: unknown; handle: string }>;
      expect(items.length, market).toBeGreaterThan(50);
      expect(
        items.filter((p) => p.priceRange === null).map((p) => p.handle),
        market,
      ).toEqual([]);
    }
    await app.close();
  });

  it("does nothing on a second run", async () => {
    const again = await seedDemo(systemCtx(database.db, "test"), { mediaDir });
    expect(again).toEqual({ seeded: false, products: 0, variants: 0 });
    const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from products`);
    expect(row!.n).toBe(result.products);
  });
});
