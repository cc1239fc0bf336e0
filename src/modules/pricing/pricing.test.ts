import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHeaders, ctxOf, makeProduct, setupShop, testApp } from "../../../test/support/fixtures.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { transaction } from "../../kernel/context.ts";
import type { AdminProduct } from "../catalog/catalog.types.ts";
import { deleteFxOverride, setFxOverride } from "../markets/fx.service.ts";
import { createMarket } from "../markets/markets.service.ts";
import { createPriceList, deleteRoundingRule, setPrices, setRoundingRule } from "./price-lists.service.ts";
import { loadPricingContext, resolvePrices } from "./pricing.service.ts";

let database: Database;
let product: AdminProduct;
const ctx = () => ctxOf(database);

async function priceIn(market: string, variantId = product.variants[0]!.id, groups: string[] = []) {
  const pc = await loadPricingContext(ctx(), market);
  return (await resolvePrices(ctx(), pc, [variantId], { groups })).get(variantId);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await setupShop(ctx());
  product = await makeProduct(ctx(), {
    variants: [
      { sku: "p-s", options: { Size: "S" }, price: 2500, compareAtPrice: 3200 },
      { sku: "p-m", options: { Size: "M" }, price: 0 },
    ],
  });
});
afterAll(() => database.close());

describe("price resolution", () => {
  it("uses the base price unchanged in the base-currency market", async () => {
    expect(await priceIn("us")).toMatchObject({
      amount: 2500,
      currency: "USD",
      compareAtAmount: 3200,
      source: "base",
    });
  });

  // Sample ECB rates: USD 1.1580, JPY 179.45, GBP 0.87940, BRL 6.1832, IDR 19378.52, AUD 1.7812 per EUR.
  it.each([
    ["eu", "EUR", 2199, "0.8635578584"], // $25 → €21.59 → next x.99
    ["jp", "JPY", 3880, "154.9654576857"], // → ¥3,874.14 → next 10
    ["gb", "GBP", 1899, "0.7594127807"], // → £18.99 (18.985… → next x.99)
    ["br", "BRL", 13390, "5.3395509499"], // → R$133.49 → next x.90
    ["id", "IDR", 41_900_000, "16734.4732297064"], // → Rp 418,361.83 → next 1,000
    ["au", "AUD", 3895, "1.5381692573"], // → A$38.45 → next x.95
  ])("converts and rounds in %s (%s)", async (market, currency, amount, rate) => {
    const price = await priceIn(market);
    expect(price).toMatchObject({ amount, currency, source: "converted" });
    expect(price?.fx).toMatchObject({
      base: "USD",
      quote: currency,
      rate,
      rateDate: "2026-11-20",
      source: "ecb",
    });
  });

  it("keeps a zero price at zero and converts compare-at prices with the same rule", async () => {
    expect((await priceIn("eu", product.variants[1]!.id))?.amount).toBe(0);
    expect((await priceIn("eu"))?.compareAtAmount).toBe(2799); // $32 → €27.63 → €27.99
  });

  it("cannot price a market without a rate until an override exists", async () => {
    expect(await priceIn("gcc")).toBeNull();
    await setFxOverride(ctx(), "USD", "SAR", "3.75");
    expect(await priceIn("gcc")).toMatchObject({
      amount: 9400,
      currency: "SAR",
      fx: { rate: "3.75", source: "manual" },
    });
    await deleteFxOverride(ctx(), "USD", "SAR");
    expect(await priceIn("gcc")).toBeNull();
  });

  it("honours three-decimal currencies and plain rounding without a rule", async () => {
    await transaction(ctx(), (tx) =>
      createMarket(tx, {
        code: "kw",
        name: "Kuwait",
        currency: "KWD",
        locales: ["ar", "en"],
        countries: ["KW"],
        taxInclusive: true,
        dutyMode: "DDP",
        urlPrefix: "/kw",
      }),
    );
    await setFxOverride(ctx(), "USD", "KWD", "0.3071");
    expect(await priceIn("kw")).toMatchObject({ amount: 7678, currency: "KWD", rounding: null }); // 7.6775 → 7.678
    await setRoundingRule(ctx(), "KWD", { step: "0.5", ending: "0", mode: "nearest" });
    expect((await priceIn("kw"))?.amount).toBe(7500);
    await deleteRoundingRule(ctx(), "KWD");
  });

  it("prefers a customer-group list, then the market list, and ignores lists outside their window", async () => {
    const variant = product.variants[0]!.id;
    const market = await createPriceList(ctx(), { name: "JP fixed", market: "jp" });
    await setPrices(ctx(), market.id, [{ variant: "p-s", amount: 3980, compareAtAmount: 4980 }]);
    const vip = await createPriceList(ctx(), { name: "JP VIP", market: "jp", customerGroup: "vip" });
    await setPrices(ctx(), vip.id, [{ variant, amount: 3500 }]);
    const expired = await createPriceList(ctx(), {
      name: "JP old sale",
      market: "jp",
      startsAt: "2020-01-01T00:00:00Z",
      endsAt: "2020-02-01T00:00:00Z",
    });
    await setPrices(ctx(), expired.id, [{ variant, amount: 100 }]);

    expect(await priceIn("jp")).toMatchObject({
      amount: 3980,
      compareAtAmount: 4980,
      source: "price_list",
      priceListId: market.id,
      fx: null,
    });
    expect(await priceIn("jp", variant, ["vip"])).toMatchObject({
      amount: 3500,
      source: "price_list",
      priceListId: vip.id,
    });
    expect(await priceIn("jp", variant, ["wholesale"])).toMatchObject({ amount: 3980 });
    // Other markets are unaffected by the Japanese lists.
    expect(await priceIn("eu")).toMatchObject({ amount: 2199, source: "converted" });
  });
});

describe("pricing admin API", () => {
  it("explains a price and rejects bad rules without writing them", async () => {
    const app = await testApp(database);
    const res = await app.inject({
      method: "GET",
      url: `/admin/v1/prices/resolve?market=eu&variant=${product.variants[0]!.id}`,
      headers: adminHeaders,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().prices[product.variants[0]!.id]).toMatchObject({ amount: 2199, source: "converted" });

    const bad = await app.inject({
      method: "PUT",
      url: "/admin/v1/rounding-rules/EUR",
      headers: adminHeaders,
      payload: { step: "1", ending: "1.5", mode: "up" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("rounding.ending");
    const rules = await app.inject({ method: "GET", url: "/admin/v1/rounding-rules", headers: adminHeaders });
    expect(rules.json().items.find((r: { currency: string }) => r.currency === "EUR")).toMatchObject({
      step: "1",
      ending: "0.99",
    });

    const unauth = await app.inject({ method: "GET", url: "/admin/v1/rounding-rules" });
    expect(unauth.statusCode).toBe(401);
    expect(unauth.json().error.code).toBe("auth.unauthorized");
    await app.close();
  });
});
