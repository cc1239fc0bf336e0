import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ctxOf, makeProduct, setupShop, storeHeaders, testApp } from "../../../test/support/fixtures.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";
import { transaction } from "../../kernel/context.ts";
import { setStock } from "../inventory/inventory.service.ts";
import { createCategory, createCollection } from "./taxonomy.service.ts";

let database: Database;
let app: App;

async function store(path: string) {
  const res = await app.inject({ method: "GET", url: `/store/v1${path}`, headers: storeHeaders });
  return { status: res.statusCode, body: res.json() };
}
const handles = (body: { items: Array<{ handle: string }> }) => body.items.map((p) => p.handle);

beforeAll(async () => {
  database = await createTestDatabase();
  const ctx = ctxOf(database);
  await setupShop(ctx);
  await transaction(ctx, async (tx) => {
    await createCategory(tx, { handle: "apparel", name: { en: "Apparel", de: "Bekleidung" } });
    await createCategory(tx, {
      handle: "outerwear",
      parent: "apparel",
      name: { en: "Outerwear", de: "Oberbekleidung" },
    });
    await createCategory(tx, { handle: "tea", name: { en: "Tea", ja: "お茶" } });
    await createCollection(tx, {
      handle: "waterproof",
      kind: "rule",
      rules: { match: "all", conditions: [{ field: "tag", op: "equals", value: "waterproof" }] },
      title: { en: "Waterproof" },
    });
  });
  await makeProduct(ctx, {
    handle: "storm-jacket",
    category: "outerwear",
    tags: ["waterproof"],
    options: [{ name: "Color", values: ["Black", "Green"] }],
    translations: {
      en: { title: "Storm Rain Jacket", description: "Waterproof hiking jackets for heavy rain." },
      de: {
        title: "Sturm Regenjacke",
        description: "Wasserdichte Jacken zum Wandern bei starkem Regen.",
        slug: "sturm-regenjacke",
        options: { Color: { name: "Farbe", values: { Black: "Schwarz" } } },
      },
      ja: { title: "ストーム防水ジャケット", description: "大雨の登山に向けた防水ジャケット。" },
    },
    variants: [
      { sku: "storm-black", options: { Color: "Black" }, price: 12900 },
      { sku: "storm-green", options: { Color: "Green" }, price: 13900 },
    ],
  });
  await makeProduct(ctx, {
    handle: "trail-vest",
    category: "outerwear",
    options: [{ name: "Color", values: ["Green"] }],
    translations: {
      en: { title: "Trail Vest", description: "A light vest for cool mornings on the trail." },
    },
    variants: [{ sku: "vest-green", options: { Color: "Green" }, price: 4900 }],
  });
  await makeProduct(ctx, {
    handle: "sencha-tin",
    category: "tea",
    options: [],
    translations: {
      en: { title: "Sencha Green Tea", description: "Steamed green tea leaves from Shizuoka." },
      ja: { title: "静岡煎茶", description: "静岡県産の深蒸し煎茶です。" },
    },
    variants: [{ sku: "sencha", price: 1800 }],
    notSoldIn: ["au"],
  });
  await makeProduct(ctx, {
    handle: "draft-thing",
    status: "draft",
    translations: { en: { title: "Secret Jacket" } },
  });
  await setStock(ctx, "storm-black", "eu-duisburg", 5);
  await setStock(ctx, "vest-green", "us-ontario", 3);
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("store product detail", () => {
  it("shows content in the best locale, localized options and market prices", async () => {
    const { status, body } = await store("/products/storm-jacket?market=eu&locale=de-AT");
    expect(status).toBe(200);
    expect(body).toMatchObject({ locale: "de", title: "Sturm Regenjacke", slug: "sturm-regenjacke" });
    expect(body.options[0]).toMatchObject({
      name: "Color",
      label: "Farbe",
      values: [
        { value: "Black", label: "Schwarz" },
        { value: "Green", label: "Green" },
      ],
    });
    expect(body.variants[0].price).toMatchObject({ amount: 11199, currency: "EUR", source: "converted" });
    expect(body.pricing).toMatchObject({
      market: "eu",
      currency: "EUR",
      fx: { base: "USD", quote: "EUR", source: "ecb" },
    });
    expect(body.variants[0].price.formatted).toMatch(/111,99/);
    expect(body.variants[0]).toMatchObject({ available: 5, inStock: true });
    expect(body.variants[1]).toMatchObject({ available: 0, inStock: false });
    expect(body.priceRange.min.amount).toBeLessThan(body.priceRange.max.amount);
  });

  it("falls back to the market default and then the shop default locale", async () => {
    const fr = await store("/products/trail-vest?market=eu&locale=fr");
    expect(fr.body).toMatchObject({ locale: "en", title: "Trail Vest" });
    const accept = await app.inject({
      method: "GET",
      url: "/store/v1/products/storm-jacket?market=jp",
      headers: { ...storeHeaders, "accept-language": "ja-JP,ja;q=0.9,en;q=0.5" },
    });
    expect(accept.json()).toMatchObject({ locale: "ja", title: "ストーム防水ジャケット" });
  });

  it("finds products by localized slug and hides drafts and excluded markets", async () => {
    expect((await store("/products/sturm-regenjacke?market=eu&locale=de")).body.handle).toBe("storm-jacket");
    expect((await store("/products/draft-thing?market=us")).status).toBe(404);
    expect((await store("/products/sencha-tin?market=au")).status).toBe(404);
    expect((await store("/products/sencha-tin?market=jp")).status).toBe(200);
    const unknownMarket = await store("/products/sencha-tin?market=mars");
    expect(unknownMarket.status).toBe(404);
    expect(unknownMarket.body.error.code).toBe("market.not_found");
  });
});

describe("store search", () => {
  it("stems English and German and n-grams Japanese", async () => {
    const en = (await store("/products?market=us&locale=en&q=jacket")).body;
    expect(handles(en)).toEqual(["storm-jacket"]);
    expect(en).toMatchObject({
      locale: "en",
      pricing: { market: "us", currency: "USD", fx: { source: "identity" } },
    });
    expect(handles((await store("/products?market=eu&locale=de&q=Jacke")).body)).toEqual(["storm-jacket"]);
    expect(handles((await store("/products?market=eu&locale=de&q=wasserdicht")).body)).toEqual([
      "storm-jacket",
    ]);
    expect(
      handles((await store(`/products?market=jp&locale=ja&q=${encodeURIComponent("防水")}`)).body),
    ).toEqual(["storm-jacket"]);
    expect(
      handles((await store(`/products?market=jp&locale=ja&q=${encodeURIComponent("煎茶")}`)).body),
    ).toEqual(["sencha-tin"]);
    expect(
      handles((await store(`/products?market=jp&locale=ja&q=${encodeURIComponent("茶")}`)).body),
    ).toEqual(["sencha-tin"]);
    // Products without Japanese content are found through the English fallback.
    expect(handles((await store("/products?market=jp&locale=ja&q=vest")).body)).toEqual(["trail-vest"]);
    expect(handles((await store("/products?market=us&q=secret")).body)).toEqual([]);
  });

  it("filters by category subtree, rule collection, option, price and stock", async () => {
    expect(handles((await store("/products?market=us&category=apparel&sort=price_asc")).body)).toEqual([
      "trail-vest",
      "storm-jacket",
    ]);
    expect(handles((await store("/products?market=us&collection=waterproof")).body)).toEqual([
      "storm-jacket",
    ]);
    expect(handles((await store("/products?market=us&option=Color:Black")).body)).toEqual(["storm-jacket"]);
    expect(
      handles((await store("/products?market=us&priceMin=1000&priceMax=5000&sort=price_asc")).body),
    ).toEqual(["sencha-tin", "trail-vest"]);
    expect(handles((await store("/products?market=eu&inStock=true")).body)).toEqual(["storm-jacket"]);
    expect(handles((await store("/products?market=us&inStock=true")).body)).toEqual(["trail-vest"]);
  });

  it("returns facets with counts in the shopper's locale", async () => {
    const { body } = await store("/products?market=eu&locale=de&facets=true");
    expect(body.facets.categories).toEqual([
      { id: expect.any(String), handle: "outerwear", label: "Oberbekleidung", count: 2 },
      { id: expect.any(String), handle: "tea", label: "Tea", count: 1 },
    ]);
    expect(body.facets.options).toEqual([
      {
        name: "Color",
        values: [
          { value: "Green", count: 2 },
          { value: "Black", count: 1 },
        ],
      },
    ]);
    expect(body.facets.inStock).toBe(1);
    expect(body.facets.price.min).toBeLessThan(body.facets.price.max);
  });

  it("pages with a cursor in every sort order without gaps or repeats", async () => {
    for (const sort of ["newest", "price_asc", "price_desc", "title"]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ handle: string }>; nextCursor: string | null } } = await store(
          `/products?market=us&limit=1&sort=${sort}${cursor ? `&cursor=${cursor}` : ""}`,
        );
        seen.push(...handles(page.body));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(["sencha-tin", "storm-jacket", "trail-vest"]);
    }
  });

  it("rejects bad search input with a 400 in the error shape", async () => {
    for (const path of [
      "/products?market=us&sort=cheapest",
      "/products?market=us&priceMin=-5",
      "/products?market=us&priceMin=500&priceMax=100",
      "/products?market=us&option=nocolon",
      "/products?market=us&sort=relevance",
      "/products?market=us&locale=not_a_locale!",
      "/products?market=us&cursor=abc",
      `/products?market=us&sort=price_asc&cursor=${Buffer.from(JSON.stringify(["cheap", "prod_x"])).toString("base64url")}`,
      "/products?market=us&priceMax=99999999999999999999",
    ]) {
      const { status, body } = await store(path);
      expect(status, path).toBe(400);
      expect(body.error.code, path).toMatch(/^[a-z_]+\.[a-z_]+$/);
    }
  });
});
