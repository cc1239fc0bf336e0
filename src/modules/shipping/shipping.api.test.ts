import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHeaders, ctxOf, setupShop, storeHeaders, testApp } from "../../../test/support/fixtures.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";
import { updateMethod } from "./methods.service.ts";

let database: Database;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  await setupShop(ctxOf(database));
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const admin = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, payload?: object) =>
  app.inject({ method, url: `/admin/v1${url}`, headers: adminHeaders, payload });
const store = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: "GET", url: `/store/v1${url}`, headers: { ...storeHeaders, ...headers } });

async function expectError(res: Awaited<ReturnType<typeof admin>>, status: number, code: string) {
  expect({ status: res.statusCode, code: res.json().error?.code }).toEqual({ status, code });
}

const standard = {
  code: "standard",
  name: { fr: "Livraison standard", en: "Standard" },
  carrier: "Colissimo",
  rateType: "weight_tiers",
  rates: [
    { upToGrams: 1000, amount: 490 },
    { upToGrams: null, amount: 890 },
  ],
  freeOver: 6000,
  extraDays: 2,
};

describe("shipping admin API", () => {
  let zoneId: string;

  it("rejects bad zones with stable codes and writes nothing", async () => {
    await expectError(
      await admin("POST", "/shipping/zones", { market: "eu", name: "X", countries: ["FR", "XX"] }),
      400,
      "country.invalid",
    );
    await expectError(
      await admin("POST", "/shipping/zones", { market: "eu", name: "X", countries: ["US"] }),
      400,
      "shipping.country_not_in_market",
    );
    await expectError(
      await admin("POST", "/shipping/zones", { market: "eu", name: "X", countries: ["FR", "FR"] }),
      400,
      "shipping.duplicate_country",
    );
    await expectError(
      await admin("POST", "/shipping/zones", { market: "eu", name: "X", countries: ["fr"] }),
      400,
      "validation.failed",
    );
    await expectError(
      await admin("POST", "/shipping/zones", { market: "mars", name: "X", countries: [] }),
      404,
      "market.not_found",
    );
    expect((await admin("GET", "/shipping/zones")).json()).toEqual({ items: [] });
  });

  it("creates zones and refuses overlapping ones", async () => {
    const created = await admin("POST", "/shipping/zones", {
      market: "eu",
      name: "France",
      countries: ["FR"],
    });
    expect(created.statusCode).toBe(201);
    zoneId = created.json().id;
    expect(created.json()).toMatchObject({ name: "France", countries: ["FR"] });
    expect(
      (await admin("POST", "/shipping/zones", { market: "eu", name: "Rest", countries: [] })).statusCode,
    ).toBe(201);
    await expectError(
      await admin("POST", "/shipping/zones", { market: "eu", name: "Again", countries: ["DE", "FR"] }),
      409,
      "shipping.zone_overlap",
    );
    await expectError(
      await admin("POST", "/shipping/zones", { market: "eu", name: "All", countries: [] }),
      409,
      "shipping.zone_overlap",
    );
    // A zone does not overlap itself when its countries change.
    const patched = await admin("PATCH", `/shipping/zones/${zoneId}`, { countries: ["FR", "BE"] });
    expect(patched.json()).toMatchObject({ name: "France", countries: ["FR", "BE"] });
    const zones = await admin("GET", "/shipping/zones?market=eu");
    expect(zones.json().items.map((z: { name: string }) => z.name)).toEqual(["France", "Rest"]);
    await expectError(
      await admin("PATCH", "/shipping/zones/shz_nope", { name: "X" }),
      404,
      "shipping_zone.not_found",
    );
  });

  it("rejects bad methods with stable codes and writes nothing", async () => {
    const bad = async (patch: object, status: number, code: string) =>
      expectError(
        await admin("POST", "/shipping/methods", { zone: zoneId, ...standard, ...patch }),
        status,
        code,
      );
    await bad(
      {
        rates: [
          { upToGrams: 1000, amount: 1 },
          { upToGrams: 500, amount: 2 },
          { upToGrams: null, amount: 3 },
        ],
      },
      400,
      "shipping.tiers_not_ascending",
    );
    await bad({ rates: [{ upToGrams: 1000, amount: 1 }] }, 400, "shipping.tiers_open_end");
    await bad({ rates: [{ upToSubtotal: null, amount: 1 }] }, 400, "shipping.rates_mismatch");
    await bad({ rateType: "flat" }, 400, "shipping.rates_mismatch");
    await bad({ rates: [{ upToGrams: null, amount: -5 }] }, 400, "validation.failed");
    await bad({ rates: [{ upToGrams: null, amount: 4.5 }] }, 400, "validation.failed");
    await bad({ freeOver: -1 }, 400, "validation.failed");
    await bad({ name: {} }, 400, "shipping.name_required");
    await bad({ name: { "not a locale!": "x" } }, 400, "locale.invalid");
    await bad({ code: "Standard Shipping" }, 400, "validation.failed");
    await bad({ zone: "shz_nope" }, 404, "shipping_zone.not_found");
    expect((await admin("GET", `/shipping/methods?zone=${zoneId}`)).json()).toEqual({ items: [] });
  });

  it("creates, reads, changes and deletes methods", async () => {
    const created = await admin("POST", "/shipping/methods", { zone: zoneId, ...standard });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ ...standard, zoneId, active: true, position: 0 });
    await expectError(
      await admin("POST", "/shipping/methods", { zone: zoneId, ...standard }),
      409,
      "conflict.duplicate",
    );
    // A new rate type needs rates of its shape.
    await expectError(
      await admin("PATCH", `/shipping/methods/${id}`, { rateType: "flat" }),
      400,
      "shipping.rates_mismatch",
    );
    const patched = await admin("PATCH", `/shipping/methods/${id}`, {
      rateType: "flat",
      rates: { amount: 590 },
      freeOver: null,
    });
    expect(patched.json()).toMatchObject({
      rateType: "flat",
      rates: { amount: 590 },
      freeOver: null,
      carrier: "Colissimo",
    });
    const zone = await admin("GET", `/shipping/zones/${zoneId}`);
    expect(zone.json().methods.map((m: { id: string }) => m.id)).toEqual([id]);
    expect((await admin("DELETE", `/shipping/methods/${id}`)).statusCode).toBe(204);
    await expectError(await admin("GET", `/shipping/methods/${id}`), 404, "shipping_method.not_found");
  });

  it("validates and stores lanes", async () => {
    const lane = { cost: 690, costCurrency: "EUR", minDays: 1, maxDays: 3 };
    await expectError(await admin("PUT", "/shipping/lanes/nowhere/FR", lane), 404, "warehouse.not_found");
    await expectError(
      await admin("PUT", "/shipping/lanes/us-ontario/FR", lane),
      400,
      "shipping.country_not_served",
    );
    await expectError(
      await admin("PUT", "/shipping/lanes/eu-duisburg/FR", { ...lane, minDays: 4 }),
      400,
      "shipping.invalid_days",
    );
    await expectError(
      await admin("PUT", "/shipping/lanes/eu-duisburg/FR", { ...lane, costCurrency: "XYZ" }),
      400,
      "currency.invalid",
    );
    await expectError(await admin("PUT", "/shipping/lanes/eu-duisburg/XX", lane), 400, "country.invalid");
    await expectError(
      await admin("PUT", "/shipping/lanes/eu-duisburg/FR", { ...lane, cost: -1 }),
      400,
      "validation.failed",
    );
    expect((await admin("GET", "/shipping/lanes")).json()).toEqual({ items: [] });

    const put = await admin("PUT", "/shipping/lanes/eu-duisburg/FR", lane);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ country: "FR", ...lane });
    const again = await admin("PUT", "/shipping/lanes/eu-duisburg/FR", { ...lane, maxDays: 4 });
    expect(again.json().maxDays).toBe(4);
    expect((await admin("GET", "/shipping/lanes?warehouse=eu-duisburg")).json().items).toHaveLength(1);
    expect((await admin("GET", "/shipping/lanes?country=DE")).json().items).toHaveLength(0);
    expect((await admin("GET", "/shipping/lanes/eu-duisburg/FR")).json()).toMatchObject({ maxDays: 4 });
  });

  it("quotes a basket the way checkout sees it", async () => {
    await admin("POST", "/shipping/methods", { zone: zoneId, ...standard });
    const res = await admin(
      "GET",
      "/shipping/quote?market=eu&country=FR&weightGrams=1000&subtotal=5999&warehouse=eu-duisburg&locale=fr",
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        name: "Livraison standard",
        amount: 490,
        currency: "EUR",
        estimate: { minDays: 3, maxDays: 6 },
      }),
    ]);
    const free = await admin("GET", "/shipping/quote?market=eu&country=FR&weightGrams=1001&subtotal=6000");
    expect(free.json().items.map((o: { amount: number }) => o.amount)).toEqual([0]);
    await expectError(
      await admin("GET", "/shipping/quote?market=eu&country=FR&currency=JPY"),
      400,
      "shipping.currency_mismatch",
    );
    await expectError(
      await admin("GET", "/shipping/quote?market=eu&country=FR&weightGrams=-1"),
      400,
      "validation.failed",
    );
  });
});

describe("shipping store API", () => {
  it("lists options for a destination, localized from the query or Accept-Language", async () => {
    const res = await store("/shipping/options?market=eu&country=BE&weightGrams=1001&subtotal=100", {
      "accept-language": "en-US, de;q=0.5",
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        {
          methodId: expect.stringMatching(/^shm_/),
          code: "standard",
          name: "Standard",
          carrier: "Colissimo",
          amount: 890,
          currency: "EUR",
          freeOver: 6000,
          estimate: null, // no lane to Belgium yet
        },
      ],
    });
    const fr = await store("/shipping/options?market=eu&country=FR&locale=fr-BE", {
      "accept-language": "en",
    });
    expect(fr.json().items[0]).toMatchObject({
      name: "Livraison standard",
      amount: 490,
      estimate: { minDays: 3, maxDays: 6 },
    });
    // Without a preference the market's locales decide: de has no name, fr is next.
    expect((await store("/shipping/options?market=eu&country=FR")).json().items[0].name).toBe(
      "Livraison standard",
    );
    expect((await store("/shipping/options?market=eu&country=JP")).json()).toEqual({ items: [] });
  });

  it("rejects bad requests", async () => {
    await expectError(await store("/shipping/options?market=eu"), 400, "validation.failed");
    await expectError(await store("/shipping/options?market=mars&country=FR"), 404, "market.not_found");
    await expectError(
      await store("/shipping/options?market=eu&country=FR&locale=%25%25"),
      400,
      "locale.invalid",
    );
    const unauth = await app.inject({
      method: "GET",
      url: "/store/v1/shipping/options?market=eu&country=FR",
    });
    await expectError(unauth, 401, "auth.publishable_key");
  });

  it("serves a change made outside the API once it commits (the cache is told)", async () => {
    const url = "/shipping/options?market=eu&country=FR&weightGrams=10&subtotal=10";
    const amount = async () => (await store(url)).json().items[0].amount;
    expect(await amount()).toBe(490);
    expect((await store(url)).headers["x-cache"]).toBe("hit");
    const methods = (await admin("GET", "/shipping/methods")).json().items as Array<{ id: string }>;
    await updateMethod(ctxOf(database), methods[0]!.id, { rates: [{ upToGrams: null, amount: 555 }] });
    await expect.poll(amount, { timeout: 5000 }).toBe(555);
  });

  it("deleting a zone deletes its methods", async () => {
    const zones = (await admin("GET", "/shipping/zones?market=eu")).json().items as Array<{
      id: string;
      name: string;
    }>;
    const france = zones.find((z) => z.name === "France")!;
    expect((await admin("DELETE", `/shipping/zones/${france.id}`)).statusCode).toBe(204);
    expect((await admin("GET", `/shipping/methods?zone=${france.id}`)).statusCode).toBe(404);
    expect((await admin("GET", "/shipping/methods")).json()).toEqual({ items: [] });
  });
});
