import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ctxOf, makeProduct, setupShop } from "../../../test/support/fixtures.ts";
import { countStatements } from "../../../test/support/statements.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { transaction } from "../../kernel/context.ts";
import { DEMO_MARKETS, DEMO_WAREHOUSES } from "../../seed/demo-markets.ts";
import { seedDemoShipping } from "../../seed/demo-shipping.ts";
import type { AdminProduct } from "../catalog/catalog.types.ts";
import { getWarehouse, setStock } from "../inventory/index.ts";
import { createMarket } from "../markets/index.ts";
import { listLanes, setLane } from "./lanes.service.ts";
import { listMethods, updateMethod } from "./methods.service.ts";
import { type ShippingQuery, shippingOptions } from "./options.service.ts";
import { loadRoutingInput } from "./routing.service.ts";
import { planFulfilment } from "./routing.ts";
import { listZones } from "./zones.service.ts";

let database: Database;
const ctx = () => ctxOf(database);

beforeAll(async () => {
  database = await createTestDatabase();
  await setupShop(ctx());
  await transaction(ctx(), (tx) => seedDemoShipping(tx));
});
afterAll(() => database.close());

const quote = (q: Partial<ShippingQuery> & Pick<ShippingQuery, "marketId" | "country">) =>
  shippingOptions(ctx(), { weightGrams: 0, subtotal: 0, ...q });
const brief = (options: Awaited<ReturnType<typeof quote>>) =>
  options.map((o) => ({ code: o.code, amount: o.amount, estimate: o.estimate }));

describe("shipping options", () => {
  it("prices a country's own zone, free from the threshold on", async () => {
    const below = await quote({ marketId: "eu", country: "DE", weightGrams: 800, subtotal: 4999 });
    expect(below).toEqual([
      {
        methodId: expect.stringMatching(/^shm_/),
        code: "standard",
        name: "Standardversand",
        carrier: "DHL Paket",
        amount: 495,
        currency: "EUR",
        freeOver: 5000,
        estimate: { minDays: 3, maxDays: 4 }, // Duisburg → DE 1-2 days + 2 handling days
      },
      {
        methodId: expect.stringMatching(/^shm_/),
        code: "express",
        name: "Expressversand",
        carrier: "DHL Express",
        amount: 1490,
        currency: "EUR",
        freeOver: null,
        estimate: { minDays: 1, maxDays: 2 },
      },
    ]);
    const at = await quote({ marketId: "eu", country: "DE", weightGrams: 800, subtotal: 5000 });
    expect(at.map((o) => o.amount)).toEqual([0, 1490]);
  });

  it("falls back to the market's catch-all zone and applies value and weight tiers at their limits", async () => {
    const amounts = async (subtotal: number, weightGrams: number) =>
      (await quote({ marketId: "eu", country: "FR", subtotal, weightGrams })).map((o) => [
        o.carrier,
        o.amount,
      ]);
    expect(await amounts(4999, 2000)).toEqual([
      ["DPD Classic", 795],
      ["UPS Express Saver", 1990],
    ]);
    expect(await amounts(5000, 2001)).toEqual([
      ["DPD Classic", 495],
      ["UPS Express Saver", 2990],
    ]);
    expect(await amounts(10000, 0)).toEqual([
      ["DPD Classic", 0],
      ["UPS Express Saver", 1990],
    ]);
  });

  it("finds the zone by country within a market", async () => {
    const sa = await quote({ marketId: "gcc", country: "SA" });
    const ae = await quote({ marketId: "gcc", country: "AE" });
    expect(sa.map((o) => [o.carrier, o.amount, o.currency])).toEqual([
      ["SMSA Express", 2500, "SAR"],
      ["Aramex", 5500, "SAR"],
    ]);
    expect(ae.map((o) => [o.carrier, o.amount, o.currency])).toEqual([
      ["Aramex", 3000, "SAR"],
      ["DHL Express", 6000, "SAR"],
    ]);
  });

  it("returns nothing for a country outside the market or without a zone", async () => {
    expect(await quote({ marketId: "eu", country: "US" })).toEqual([]);
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
    expect(await quote({ marketId: "kw", country: "KW" })).toEqual([]);
  });

  it("estimates from the slowest lane of the shipping warehouses, or the span of all lanes", async () => {
    const tilbury = await getWarehouse(ctx(), "uk-tilbury");
    const gb = (warehouseIds?: string[]) => quote({ marketId: "gb", country: "GB", warehouseIds });
    // GB lanes: Tilbury 1-2 days, Duisburg 3-6 days; standard adds 1 handling day.
    expect(brief(await gb())).toEqual([
      { code: "standard", amount: 395, estimate: { minDays: 2, maxDays: 7 } },
      { code: "express", amount: 795, estimate: { minDays: 1, maxDays: 6 } },
    ]);
    expect((await gb([tilbury.id])).map((o) => o.estimate)).toEqual([
      { minDays: 2, maxDays: 3 },
      { minDays: 1, maxDays: 2 },
    ]);
    expect((await gb([tilbury.id, "eu-duisburg"])).map((o) => o.estimate)).toEqual([
      { minDays: 4, maxDays: 7 },
      { minDays: 3, maxDays: 6 },
    ]);
    // Ontario has no lane to GB, and an unknown warehouse has none either: the estimate is unknown.
    expect((await gb([tilbury.id, "us-ontario"])).map((o) => o.estimate)).toEqual([null, null]);
    expect((await gb(["wh_nope"])).map((o) => o.estimate)).toEqual([null, null]);
  });

  it("names methods in the best locale of the chain and prices JPY without decimals", async () => {
    const jp = await quote({ marketId: "jp", country: "JP", weightGrams: 2000, subtotal: 9999 });
    expect(jp.map((o) => [o.name, o.amount])).toEqual([
      ["通常配送", 800],
      ["お急ぎ便", 2500],
    ]);
    const en = await quote({ marketId: "jp", country: "JP", weightGrams: 10001, locales: ["en-GB", "en"] });
    expect(en.map((o) => [o.name, o.amount, o.estimate])).toEqual([
      ["Standard shipping", 2400, { minDays: 6, maxDays: 8 }],
      ["Express shipping", 2500, { minDays: 3, maxDays: 5 }],
    ]);
  });

  it("leaves out inactive methods", async () => {
    const [zone] = await listZones(ctx(), "gb");
    const express = (await listMethods(ctx(), zone!.id)).find((m) => m.code === "express")!;
    await updateMethod(ctx(), express.id, { active: false });
    expect((await quote({ marketId: "gb", country: "GB" })).map((o) => o.code)).toEqual(["standard"]);
    await updateMethod(ctx(), express.id, { active: true });
  });

  it("rejects a cart in another currency, an unknown market and a bad basket", async () => {
    await expect(quote({ marketId: "eu", country: "FR", currency: "USD" })).rejects.toMatchObject({
      status: 400,
      code: "shipping.currency_mismatch",
    });
    expect(await quote({ marketId: "eu", country: "FR", currency: "EUR" })).toHaveLength(2);
    await expect(quote({ marketId: "mars", country: "FR" })).rejects.toMatchObject({
      status: 404,
      code: "market.not_found",
    });
    await expect(quote({ marketId: "eu", country: "FR", weightGrams: -1 })).rejects.toMatchObject({
      code: "shipping.invalid_basket",
    });
  });

  it("runs one statement", async () => {
    const statements = await countStatements(database, () =>
      quote({ marketId: "gb", country: "GB", warehouseIds: ["uk-tilbury", "eu-duisburg"] }),
    );
    expect(statements).toBe(1);
  });
});

describe("order routing from the database", () => {
  let product: AdminProduct;
  const sku = (size: "S" | "M") => product.variants.find((v) => v.options?.Size === size)!.id;

  beforeAll(async () => {
    product = await makeProduct(ctx());
    const [s, m] = [sku("S"), sku("M")];
    for (const [variant, warehouse, onHand] of [
      [s, "eu-duisburg", 10],
      [s, "uk-tilbury", 2],
      [s, "us-ontario", 50],
      [m, "eu-duisburg", 0],
      [m, "uk-tilbury", 4],
    ] as const)
      await setStock(ctx(), variant, warehouse, onHand);
    await database.db.execute(
      sql`update inventory_levels set reserved = 1 where variant_id = ${m} and on_hand = 4`,
    );
  });

  it("reads laned stock and lanes with costs in the base currency, in one statement", async () => {
    let input: Awaited<ReturnType<typeof loadRoutingInput>> | undefined;
    const statements = await countStatements(database, async () => {
      input = await loadRoutingInput(ctx(), { country: "GB", variantIds: [sku("S"), sku("M")] });
    });
    expect(statements).toBe(1);
    if (!input) throw new Error("no routing input");
    const [duisburg, tilbury] = [
      await getWarehouse(ctx(), "eu-duisburg"),
      await getWarehouse(ctx(), "uk-tilbury"),
    ];
    expect(input.lanes).toEqual([
      // €12.90 × 1.158 USD/EUR = $14.9382 → 1494; £3.90 × (1.158 / 0.8794 = 1.3168069138) = $5.1355… → 514
      {
        warehouseId: duisburg.id,
        warehouseCode: "eu-duisburg",
        warehouseCountry: "DE",
        cost: 1494,
        currency: "USD",
        carrierCost: { amount: 1290, currency: "EUR" },
        minDays: 3,
        maxDays: 6,
      },
      {
        warehouseId: tilbury.id,
        warehouseCode: "uk-tilbury",
        warehouseCountry: "GB",
        cost: 514,
        currency: "USD",
        carrierCost: { amount: 390, currency: "GBP" },
        minDays: 1,
        maxDays: 2,
      },
    ]);
    // Ontario does not serve GB; an empty level is left out; M at Tilbury is 4 on hand − 1 reserved.
    const byKey = (a: { warehouseId: string; variantId: string }, b: typeof a) =>
      `${a.warehouseId}|${a.variantId}` < `${b.warehouseId}|${b.variantId}` ? -1 : 1;
    expect([...input.stock].sort(byKey)).toEqual(
      [
        { warehouseId: duisburg.id, variantId: sku("S"), available: 10 },
        { warehouseId: tilbury.id, variantId: sku("S"), available: 2 },
        { warehouseId: tilbury.id, variantId: sku("M"), available: 3 },
      ].sort(byKey),
    );
  });

  it("plans from what it reads: cheapest single warehouse, else the one that has it all, else a split", async () => {
    const plan = async (lines: Array<[string, number]>) => {
      const input = await loadRoutingInput(ctx(), { country: "GB", variantIds: lines.map(([v]) => v) });
      return planFulfilment({
        lines: lines.map(([variantId, quantity]) => ({ variantId, quantity })),
        ...input,
      });
    };
    const [duisburg, tilbury] = [
      await getWarehouse(ctx(), "eu-duisburg"),
      await getWarehouse(ctx(), "uk-tilbury"),
    ];
    expect((await plan([[sku("S"), 2]])).shipments).toEqual([
      { warehouseId: tilbury.id, items: [{ variantId: sku("S"), quantity: 2 }] },
    ]);
    expect((await plan([[sku("S"), 3]])).shipments).toEqual([
      { warehouseId: duisburg.id, items: [{ variantId: sku("S"), quantity: 3 }] },
    ]);
    expect(
      await plan([
        [sku("S"), 3],
        [sku("M"), 4],
      ]),
    ).toEqual({
      shipments: [
        {
          warehouseId: tilbury.id,
          items: [
            { variantId: sku("S"), quantity: 2 },
            { variantId: sku("M"), quantity: 3 },
          ],
        },
        { warehouseId: duisburg.id, items: [{ variantId: sku("S"), quantity: 1 }] },
      ],
      shortfall: [{ variantId: sku("M"), missing: 1 }],
    });
  });

  it("ranks a lane whose cost cannot be converted after the others", async () => {
    // The test shop has no SAR rate (no ECB rate, no override).
    await setLane(ctx(), "uk-tilbury", "GB", { cost: 1500, costCurrency: "SAR", minDays: 1, maxDays: 2 });
    const input = await loadRoutingInput(ctx(), { country: "GB", variantIds: [sku("S")] });
    expect(input.lanes.map((l) => [l.warehouseCode, l.cost])).toEqual([
      ["eu-duisburg", 1494],
      ["uk-tilbury", null],
    ]);
    const plan = planFulfilment({ lines: [{ variantId: sku("S"), quantity: 2 }], ...input });
    expect(plan.shipments.map((s) => s.warehouseId)).toEqual([(await getWarehouse(ctx(), "eu-duisburg")).id]);
    await setLane(ctx(), "uk-tilbury", "GB", { cost: 390, costCurrency: "GBP", minDays: 1, maxDays: 2 });
  });
});

describe("demo shipping seed", () => {
  it("has a lane from every demo warehouse to every country it serves", async () => {
    const lanes = await listLanes(ctx());
    const served = [];
    for (const wh of DEMO_WAREHOUSES) {
      const id = (await getWarehouse(ctx(), wh.code)).id;
      served.push(...wh.servesCountries.map((c) => `${id}→${c}`));
    }
    expect(lanes.map((l) => `${l.warehouseId}→${l.country}`).sort()).toEqual(served.sort());
    for (const l of lanes) expect(l.minDays).toBeLessThanOrEqual(l.maxDays);
  });

  it("offers standard and express with an estimate in every country of every demo market", async () => {
    for (const market of DEMO_MARKETS) {
      for (const country of market.countries) {
        const options = await quote({ marketId: market.code, country, weightGrams: 1500, subtotal: 1 });
        expect(
          options.map((o) => o.code),
          `${market.code} ${country}`,
        ).toEqual(["standard", "express"]);
        for (const o of options) {
          expect(o.currency).toBe(market.currency);
          expect(o.amount).toBeGreaterThan(0);
          expect(o.estimate!.maxDays).toBeLessThanOrEqual(16);
        }
        // Standard is the cheaper, slower choice for a light parcel everywhere.
        expect(options[0]!.amount).toBeLessThan(options[1]!.amount);
        expect(options[0]!.estimate!.maxDays).toBeGreaterThan(options[1]!.estimate!.maxDays);
      }
    }
  });
});
