import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminHeaders,
  ctxOf,
  productInput,
  setupShop,
  storeHeaders,
  testApp,
} from "../../../test/support/fixtures.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";

let database: Database;
let app: App;

async function count(table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from ${sql.identifier(table)}`,
  );
  return row!.n;
}

async function snapshot() {
  return {
    products: await count("products"),
    variants: await count("variants"),
    translations: await count("product_translations"),
    media: await count("media"),
    events: await count("outbox_events"),
  };
}

const post = (url: string, payload: unknown) =>
  app.inject({ method: "POST", url, headers: adminHeaders, payload: payload as object });

beforeAll(async () => {
  database = await createTestDatabase();
  await setupShop(ctxOf(database));
  app = await testApp(database);
  await post("/admin/v1/categories", {
    handle: "outerwear",
    name: { en: "Outerwear", de: "Oberbekleidung" },
  });
  await post("/admin/v1/collections", { handle: "new", kind: "manual", title: { en: "New" } });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("admin products", () => {
  it("creates, reads, updates and deletes a product with variants, content, media and availability", async () => {
    const input = productInput({
      handle: "ridge-jacket",
      category: "outerwear",
      collections: ["new"],
      tags: ["waterproof", "hiking"],
      translations: {
        en: { title: "Ridge Jacket", description: "<p>Light shell</p>" },
        "de-de": { title: "Ridge Jacke", description: "Leichte Regenjacke" },
      },
      media: [
        {
          kind: "image",
          url: "/media/ridge.webp",
          alt: { en: "Ridge Jacket", de: "Ridge Jacke" },
          variantSku: "ridge-jacket-m",
        },
      ],
      notSoldIn: ["gb"],
    });
    const created = await post("/admin/v1/products", input);
    expect(created.statusCode).toBe(201);
    const product = created.json();
    expect(product.id).toMatch(/^prod_/);
    expect(Object.keys(product.translations).sort()).toEqual(["de-DE", "en"]);
    expect(product.translations.en.slug).toBe("ridge-jacket");
    expect(product.variants.map((v: { sku: string }) => v.sku)).toEqual(["ridge-jacket-s", "ridge-jacket-m"]);
    expect(product.media[0].variantId).toBe(product.variants[1].id);
    expect(product.notSoldIn).toEqual(["gb"]);
    expect(product.collections).toEqual(["new"]);

    const variantM = product.variants[1].id;
    const patched = await app.inject({
      method: "PATCH",
      url: "/admin/v1/products/ridge-jacket",
      headers: adminHeaders,
      payload: {
        status: "draft",
        variants: [
          { id: variantM, sku: "ridge-jacket-m", options: { Size: "M" }, price: 2900 },
          { sku: "ridge-jacket-l", options: { Size: "L" }, price: 3100 },
        ],
        options: [{ name: "Size", values: ["M", "L"] }],
      },
    });
    expect(patched.statusCode).toBe(200);
    expect(
      patched.json().variants.map((v: { id: string; price: number }) => [v.id === variantM, v.price]),
    ).toEqual([
      [true, 2900],
      [false, 3100],
    ]);

    const list = await app.inject({
      method: "GET",
      url: "/admin/v1/products?status=draft&q=ridge",
      headers: adminHeaders,
    });
    expect(list.json().items.map((p: { handle: string }) => p.handle)).toEqual(["ridge-jacket"]);

    const removed = await app.inject({
      method: "DELETE",
      url: `/admin/v1/products/${product.id}`,
      headers: adminHeaders,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await app.inject({
      method: "GET",
      url: `/admin/v1/products/${product.id}`,
      headers: adminHeaders,
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe("product.not_found");
  });

  it.each([
    ["schema: missing variants", { ...productInput(), variants: [] }, "validation.failed"],
    ["schema: unknown field", { ...productInput(), colour: "red" }, "validation.failed"],
    [
      "schema: negative price",
      productInput({ variants: [{ sku: "x", options: { Size: "S" }, price: -1 }] }),
      "validation.failed",
    ],
    ["schema: bad handle", productInput({ handle: "Bad Handle!" }), "validation.failed"],
    [
      "default locale missing",
      productInput({ translations: { de: { title: "Nur Deutsch" } } }),
      "product.default_locale_missing",
    ],
    [
      "unknown option value",
      productInput({ variants: [{ sku: "y", options: { Size: "XXL" }, price: 1 }] }),
      "variant.invalid_option",
    ],
    [
      "duplicate combination",
      productInput({
        variants: [
          { sku: "a", options: { Size: "S" }, price: 1 },
          { sku: "b", options: { Size: "S" }, price: 1 },
        ],
      }),
      "variant.duplicate_options",
    ],
    [
      "compare-at not higher",
      productInput({ variants: [{ sku: "c", options: { Size: "S" }, price: 500, compareAtPrice: 400 }] }),
      "variant.compare_at_not_higher",
    ],
    ["unknown market", productInput({ notSoldIn: ["mars"] }), "market.unknown"],
    ["unknown category", productInput({ category: "nope" }), "category.unknown"],
    ["unknown attribute", productInput({ attributes: { colourCode: "x" } }), "attribute.unknown"],
    ["invalid origin", productInput({ originCountry: "XX" }), "product.invalid_origin"],
  ])("rejects %s with 400 and writes nothing", async (_name, payload, code) => {
    const before = await snapshot();
    const res = await post("/admin/v1/products", payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects a duplicate handle or SKU with 409 and writes nothing", async () => {
    expect((await post("/admin/v1/products", productInput({ handle: "unique-one" }))).statusCode).toBe(201);
    const before = await snapshot();
    const dupHandle = await post("/admin/v1/products", productInput({ handle: "unique-one" }));
    expect(dupHandle.statusCode).toBe(409);
    const dupSku = await post(
      "/admin/v1/products",
      productInput({ variants: [{ sku: "unique-one-s", options: { Size: "S" }, price: 1 }] }),
    );
    expect(dupSku.statusCode).toBe(409);
    expect(dupSku.json().error.code).toBe("conflict.duplicate");
    expect(await snapshot()).toEqual(before);
  });

  it("answers malformed JSON and wrong content types in the error shape", async () => {
    const bad = await app.inject({
      method: "POST",
      url: "/admin/v1/products",
      headers: { ...adminHeaders, "content-type": "application/json" },
      payload: "{not json",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toMatch(/^http\./);
    const cursor = await app.inject({
      method: "GET",
      url: "/admin/v1/products?cursor=garbage",
      headers: adminHeaders,
    });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.code).toBe("paging.invalid_cursor");
  });

  it("reports translation coverage per market locale", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/admin/v1/translations/coverage",
      headers: adminHeaders,
    });
    const de = res.json().locales.find((l: { locale: string }) => l.locale === "de");
    expect(de.markets).toEqual(["eu"]);
    expect(de.translated).toBeLessThan(de.total);
    expect(de.missing.length).toBeGreaterThan(0);
  });

  it("protects the store API with the publishable key", async () => {
    expect((await app.inject({ method: "GET", url: "/store/v1/products" })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: "GET", url: "/store/v1/products", headers: storeHeaders })).statusCode,
    ).toBe(200);
  });
});
