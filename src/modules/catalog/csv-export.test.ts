import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAN_CSV, fixture, resetCatalog, snapshot } from "../../../test/support/shopify-csv.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { buildApp } from "../../http/app.ts";
import { type Ctx, systemCtx, transaction } from "../../kernel/context.ts";
import { upsertShop } from "../markets/index.ts";
import type { AdminProduct } from "./catalog.types.ts";
import { exportProductsCsv } from "./csv-export.ts";
import { createProduct, getProduct } from "./products.service.ts";
import { EXPORT_HEADER } from "./shopify-csv.columns.ts";
import { importShopifyCsv } from "./shopify-import.ts";
import { createCategory } from "./taxonomy.service.ts";

let database: Database;
let ctx: Ctx;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = systemCtx(database.db, "test");
  await upsertShop(ctx, { name: "Test shop", baseCurrency: "USD", defaultLocale: "en" });
  await createCategory(ctx, { handle: "outerwear", name: { en: "Outerwear" } });
});
afterAll(async () => {
  await database.close();
});

/** What a CSV round trip must keep: all but ids, timestamps, dimensions and non-default locales. */
function essentials(p: AdminProduct) {
  const sku = (id: string | null) => p.variants.find((v) => v.id === id)?.sku ?? null;
  const { title, description, seoTitle, seoDescription } = p.translations.en!;
  return {
    handle: p.handle,
    status: p.status,
    vendor: p.vendor,
    productType: p.productType,
    categoryId: p.categoryId,
    tags: p.tags,
    options: p.options,
    content: { title, description, seoTitle, seoDescription },
    // A product-level HS code or origin is written on every variant row; compare what applies.
    variants: p.variants.map(({ id: _id, dimensionsMm: _d, ...v }) => ({
      ...v,
      hsCode: v.hsCode ?? p.hsCode,
      originCountry: v.originCountry ?? p.originCountry,
    })),
    media: p.media.map((m) => ({ url: m.url, alt: m.alt?.en ?? null, variant: sku(m.variantId) })),
  };
}

async function catalog() {
  const rows = await queryRows<{ handle: string }>(ctx.db, sql`select handle from products order by handle`);
  return Promise.all(rows.map(async (r) => essentials(await getProduct(ctx, r.handle))));
}

describe("exportProductsCsv", () => {
  it("writes the 2023 layout and re-imports to the same catalog", async () => {
    await resetCatalog(ctx);
    expect((await importShopifyCsv(ctx, CLEAN_CSV)).ok).toBe(true);
    expect((await importShopifyCsv(ctx, fixture("product_template_2019.csv"))).ok).toBe(true);
    await transaction(ctx, (tx) =>
      createProduct(tx, {
        handle: "ridge-parka",
        status: "archived",
        category: "outerwear",
        hsCode: "620193",
        originCountry: "VN",
        tags: ["winter", "down-filled"],
        options: [{ name: "Size", values: ["M", "L"] }],
        translations: {
          en: { title: 'Ridge Parka "Pro"', description: "<p>Warm,\nlong</p>", seoTitle: "Parka" },
          de: { title: "Ridge Parka Pro" },
        },
        variants: [
          { sku: "RP-M", options: { Size: "M" }, price: 24900, allowBackorder: true, originCountry: "CN" },
          { sku: "RP-L", options: { Size: "L" }, price: 25900, compareAtPrice: 29900, costPrice: 9000 },
        ],
        media: [
          { kind: "image", url: "/media/parka.webp", alt: { en: "Parka", de: "Parka" }, variantSku: "RP-L" },
        ],
      }),
    );
    const before = await catalog();
    const text = await exportProductsCsv(ctx);
    const [header, ...rows] = parse(text) as string[][];
    expect(header).toEqual([...EXPORT_HEADER]);
    expect(rows).toHaveLength(4 + 1 + 3 + 2);

    await resetCatalog(ctx);
    const report = await importShopifyCsv(ctx, text);
    expect(report).toMatchObject({
      ok: true,
      created: 4,
      products: 4,
      variants: 10,
      errors: [],
      warnings: [],
    });
    expect(await catalog()).toEqual(before);

    const ids = (await getProduct(ctx, "trail-jacket")).variants.map((v) => v.id);
    const upsert = await importShopifyCsv(ctx, await exportProductsCsv(ctx), { mode: "upsert" });
    expect(upsert).toMatchObject({ ok: true, created: 0, updated: 4 });
    expect(await catalog()).toEqual(before);
    expect((await getProduct(ctx, "trail-jacket")).variants.map((v) => v.id)).toEqual(ids);
  });

  it("writes content in the requested locale, falling back to the default", async () => {
    await resetCatalog(ctx);
    await importShopifyCsv(ctx, CLEAN_CSV);
    await transaction(ctx, (tx) =>
      createProduct(tx, {
        handle: "ridge-parka",
        translations: { en: { title: "Ridge Parka" }, de: { title: "Ridge Parka Pro" } },
        variants: [{ price: 100 }],
      }),
    );
    const text = await exportProductsCsv(ctx, { locale: "de-AT", bom: true });
    expect(text.startsWith("\uFEFFHandle,")).toBe(true);
    const titles = (parse(text, { bom: true, columns: true }) as Array<Record<string, string>>)
      .filter((r) => r.Title)
      .map((r) => r.Title);
    expect(titles).toContain("Ridge Parka Pro");
    expect(titles).toContain("Trail Jacket");
  });
});

describe("import and export over HTTP", () => {
  let app: FastifyInstance | undefined;
  const headers = { authorization: "Bearer test-admin-token" };

  beforeAll(async () => {
    const config = {
      adminToken: "test-admin-token",
      publishableKey: "pk_test",
      logLevel: "silent",
      dataDir: "memory://",
      appSecret: "test-secret-0123456789",
      publicUrl: "http://localhost:3000",
      testPayments: true,
    };
    app = await buildApp({ config, database, logger: false });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers 422 import.invalid with every row error, and 200 with the report", async () => {
    await resetCatalog(ctx);
    const csvHeaders = { ...headers, "content-type": "text/csv" };
    const bad = await app!.inject({
      method: "POST",
      url: "/admin/v1/products/import",
      headers: csvHeaders,
      payload: "Handle,Title,Variant Price\nmug,Mug,9.50\ncup,Cup,abc\n",
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({
      error: {
        code: "import.invalid",
        message: expect.any(String),
        details: {
          errors: [expect.objectContaining({ line: 3, column: "Variant Price", code: "csv.invalid_price" })],
          warnings: [],
        },
      },
    });
    const before = await snapshot(ctx);
    const dry = await app!.inject({
      method: "POST",
      url: "/admin/v1/products/import?dryRun=true",
      headers: csvHeaders,
      payload: CLEAN_CSV,
    });
    expect(dry.json()).toMatchObject({ ok: true, dryRun: true, created: 2 });
    expect(await snapshot(ctx)).toEqual(before);
    const good = await app!.inject({
      method: "POST",
      url: "/admin/v1/products/import?mode=upsert",
      headers: { ...headers, "content-type": "text/csv; charset=utf-8" },
      payload: CLEAN_CSV,
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ ok: true, created: 2, products: 2, variants: 5 });

    const json = await app!.inject({
      method: "POST",
      url: "/admin/v1/products/import",
      headers,
      payload: { a: 1 },
    });
    expect(json.statusCode).toBe(415);
    const anonymous = await app!.inject({
      method: "POST",
      url: "/admin/v1/products/import",
      headers: { "content-type": "text/csv" },
      payload: CLEAN_CSV,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("serves the export as a CSV attachment", async () => {
    const res = await app!.inject({ method: "GET", url: "/admin/v1/products/export.csv", headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="products-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.body.split("\n")[0]).toBe(EXPORT_HEADER.join(","));
    expect(res.body).toContain("trail-jacket,Trail Jacket");
  });
});
