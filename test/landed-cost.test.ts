import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.ts";
import { createTestDatabase } from "../src/db/testing.ts";
import type { App } from "../src/http/app.ts";
import type { Ctx } from "../src/kernel/context.ts";
import { setStock } from "../src/modules/inventory/index.ts";
import { TEST_CARDS } from "../src/modules/payments/index.ts";
import { createRegistration } from "../src/modules/tax/index.ts";
import { adminHeaders, ctxOf, makeProduct, storeHeaders, testApp } from "./support/fixtures.ts";
import { ADDRESSES, complete, json, readyCart, setupSelling } from "./support/selling.ts";

let database: Database;
let app: App;
let ctx: Ctx;

/** A product with a real HS code, stocked only in the given warehouse. */
async function product(sku: string, price: number, hsCode: string, warehouse: string, taxCategory?: "food") {
  await makeProduct(ctx, {
    handle: sku.toLowerCase(),
    hsCode,
    originCountry: "CN",
    taxCategory,
    options: [{ name: "Size", values: ["One"] }],
    variants: [{ sku, options: { Size: "One" }, price, weightGrams: 400 }],
  });
  await setStock(ctx, sku, warehouse, 50);
}

const admin = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, payload?: object) =>
  app.inject({ method, url: `/admin/v1${url}`, headers: adminHeaders, payload });

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = ctxOf(database);
  await setupSelling(ctx);
  for (const [jurisdiction, scheme] of [
    ["EU", "OSS"],
    ["DE", "VAT"],
    ["GB", "UK_VAT"],
  ])
    await createRegistration(ctx, {
      jurisdiction: jurisdiction!,
      scheme: scheme!,
      number: "TEST-1",
      effectiveFrom: "2021-01-01",
    });
  // Stocked only in Duisburg: a British order is an import into the UK.
  await product("LC-SHELL", 30000, "620140", "eu-duisburg");
  await product("LC-TEA", 1500, "090230", "eu-duisburg", "food");
  await product("LC-LAMP", 9000, "940521", "us-ontario");
  app = await testApp(database);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe("rules in the Admin API", () => {
  it("lists the rate in force on a day and versions a new rate without overlaps", async () => {
    const covid = json(await admin("GET", "/tax/tax-rates?country=DE&on=2020-08-01"));
    expect(covid.items.find((r: { category: string }) => r.category === "standard").rate).toBe("0.16");
    const created = await admin("POST", "/tax/tax-rates", {
      country: "DE",
      category: "standard",
      name: "VAT",
      rate: "0.2",
      effectiveFrom: "2031-01-01",
      source: "Test: a future rate change",
    });
    expect(created.statusCode, created.body).toBe(201);
    const before = json(await admin("GET", "/tax/tax-rates?country=DE&on=2030-12-31"));
    const after = json(await admin("GET", "/tax/tax-rates?country=DE&on=2031-01-01"));
    const standard = (rows: { items: { category: string; rate: string }[] }) =>
      rows.items.filter((r) => r.category === "standard").map((r) => r.rate);
    expect(standard(before)).toEqual(["0.19"]);
    expect(standard(after)).toEqual(["0.2"]);

    const overlap = await admin("POST", "/tax/tax-rates", {
      country: "DE",
      category: "standard",
      name: "VAT",
      rate: "0.21",
      effectiveFrom: "2030-06-01",
      effectiveTo: "2031-06-01",
      source: "Test",
    });
    expect(overlap.statusCode).toBe(409);
    expect(json(overlap).error.code).toBe("tax.rule_overlap");
    const noSuchDay = await admin("POST", "/tax/tax-rates", {
      country: "DE",
      category: "standard",
      name: "VAT",
      rate: "0.2",
      effectiveFrom: "2032-13-45",
      source: "Test",
    });
    expect(json(noSuchDay).error.code).toBe("tax.invalid_date");
    const bad = await admin("POST", "/tax/tax-rates", {
      country: "DE",
      category: "standard",
      name: "VAT",
      rate: "1.5",
      effectiveFrom: "2032-01-01",
      source: "Test",
    });
    expect(bad.statusCode).toBe(400);
    expect(standard(json(await admin("GET", "/tax/tax-rates?country=DE&on=2032-01-01")))).toEqual(["0.2"]);
    expect((await admin("DELETE", `/tax/tax-rates/${json(created).id}`)).statusCode).toBe(204);
  });

  it("validates VAT numbers and quotes a landed cost, refusing what it cannot compute", async () => {
    expect(json(await admin("POST", "/tax/vat-ids/validate", { vatId: "FR 40 303 265 045" }))).toMatchObject({
      valid: true,
      country: "FR",
    });
    expect(json(await admin("POST", "/tax/vat-ids/validate", { vatId: "FR40303265046" })).problem).toBe(
      "checksum",
    );

    const quote = (body: object) =>
      admin("POST", "/tax/landed-cost", {
        currency: "GBP",
        pricesIncludeTax: true,
        dutyMode: "DDP",
        destination: { country: "GB" },
        shipping: 0,
        date: "2026-11-25",
        lines: [{ amount: 24000, quantity: 1, hsCode: "620140", originCountry: "CN", shipFrom: "DE" }],
        ...body,
      });
    const ok = json(await quote({}));
    // £240 incl. VAT → £200 customs value; UK Global Tariff 6201 12 % → £24; import VAT 20 % of £224 = £44.80.
    expect(ok.totals).toMatchObject({ duties: 2400, importTax: 4480 });
    expect(ok.charged.total).toBe(24000 + 2400 + 480);
    const unsupported = await quote({ destination: { country: "XK" } });
    expect(unsupported.statusCode).toBe(400);
    expect(json(unsupported).error.code).toBe("tax.unsupported_destination");
    expect(json(await quote({ buyerVatId: "GB123" })).error.code).toBe("tax.invalid_vat_id");
    expect((await quote({ shipping: -1 })).statusCode).toBe(400);
    expect(json(await quote({ date: "2026-02-30" })).error.code).toBe("tax.invalid_date");
    const noHs = json(await quote({ lines: [{ amount: 24000, quantity: 1, shipFrom: "DE" }] }));
    expect(noHs.error.code).toBe("duty.hs_code_required");
  });
});

describe("destinations added in the Admin API", () => {
  it("serves a destination once it has a jurisdiction and a rate, and refuses bad agreements", async () => {
    const body = {
      currency: "EUR",
      pricesIncludeTax: true,
      dutyMode: "DDP",
      destination: { country: "IS" },
      shipping: 0,
      lines: [{ amount: 12400, quantity: 1, hsCode: "620140", shipFrom: "IS" }],
    };
    expect(json(await admin("POST", "/tax/landed-cost", body)).error.code).toBe(
      "tax.unsupported_destination",
    );
    const put = await admin("PUT", "/tax/jurisdictions/IS", {
      customsUnion: null,
      rounding: "line",
      dutyOnShipping: true,
      source: "Skatturinn (Iceland Revenue and Customs)",
    });
    expect(put.statusCode, put.body).toBe(200);
    const rate = await admin("POST", "/tax/tax-rates", {
      country: "IS",
      category: "standard",
      name: "VSK",
      rate: "0.24",
      effectiveFrom: "2015-01-01",
      source: "Skatturinn: standard VAT 24 %",
    });
    expect(rate.statusCode, rate.body).toBe(201);
    // A domestic sale: 12400 incl. 24 % holds 12400 × 24/124 = 2400.
    expect(json(await admin("POST", "/tax/landed-cost", body)).totals.salesTax).toBe(2400);

    const agreement = await admin("PUT", "/tax/agreements/EEA", {
      name: "European Economic Area",
      members: [
        { country: "IS", from: "1994-01-01" },
        { country: "NO", from: "1994-02-30" },
      ],
      source: "EEA Agreement",
    });
    expect(agreement.statusCode).toBe(400);
    expect(json(await admin("GET", "/tax/agreements")).items.map((a: { code: string }) => a.code)).toEqual([
      "RCEP",
    ]);
  });
});

describe("US local sales tax", () => {
  it("stacks a ZIP-prefix local rate on the state rate where the store is registered", async () => {
    const quote = () =>
      admin("POST", "/tax/landed-cost", {
        currency: "USD",
        pricesIncludeTax: false,
        dutyMode: "DDP",
        date: "2026-11-25",
        destination: { country: "US", region: "NY", postalCode: "10001" },
        shipping: 1000,
        lines: [{ amount: 10000, quantity: 1, hsCode: "620140", shipFrom: "US" }],
      });
    expect(json(await quote()).totals.salesTax).toBe(0);
    const registered = await admin("POST", "/tax/registrations", {
      jurisdiction: "US-NY",
      scheme: "SALES_TAX",
      number: "NY-000001",
      effectiveFrom: "2026-01-01",
    });
    expect(registered.statusCode, registered.body).toBe(201);
    // New York State 4 % on goods and delivery: (10000 + 1000) × 0.04 = 440.
    expect(json(await quote()).totals.salesTax).toBe(440);
    const local = await admin("POST", "/tax/tax-rates", {
      country: "US",
      region: "NY",
      postalPrefix: "100",
      category: "standard",
      name: "New York City and MCTD",
      rate: "0.04875",
      effectiveFrom: "2026-01-01",
      source: "NYS Department of Taxation and Finance, Publication 718: New York City 8.875 % combined",
    });
    expect(local.statusCode, local.body).toBe(201);
    // 8.875 % combined: 11000 × 0.08875 = 976.25 → 976, one rounding per invoice per rate row
    // (440 state + 536.25 → 536 local).
    const body = json(await quote());
    expect(body.totals.salesTax).toBe(976);
    expect(body.lines[0].taxRate).toBe("0.08875");
  });
});

describe("landed cost in the store", () => {
  it("tells a product page what a British buyer pays for goods imported from the EU", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/store/v1/landed-cost?market=gb&country=GB&variant=LC-SHELL",
      headers: storeHeaders,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = json(res);
    expect(body.notice).toBe("duties_and_taxes_included");
    expect(body.landedCost.lines[0]).toMatchObject({ regime: "import", shipFrom: "DE", dutyRate: "0.12" });
    expect(body.landedPrice).toBe(
      body.price + body.landedCost.charged.duties + body.landedCost.charged.taxAdded,
    );

    const brazil = json(
      await app.inject({
        method: "GET",
        url: "/store/v1/landed-cost?market=br&country=BR&region=SP&variant=LC-LAMP",
        headers: storeHeaders,
      }),
    );
    expect(brazil.notice).toBe("duties_and_taxes_due_on_delivery");
    expect(brazil.landedCost.atDelivery).toBeGreaterThan(0);
    expect(brazil.landedPrice).toBe(brazil.price);
    const outside = await app.inject({
      method: "GET",
      url: "/store/v1/landed-cost?market=gb&country=FR&variant=LC-SHELL",
      headers: storeHeaders,
    });
    expect(outside.statusCode).toBe(400);
  });

  it("charges duty and import VAT at a DDP checkout and records them on the order", async () => {
    const cart = await readyCart(app, {
      market: "gb",
      country: "GB",
      items: [{ variant: "LC-SHELL", quantity: 1 }],
    });
    expect(cart.tax.lines[0]).toMatchObject({ regime: "import", dutyBasis: "mfn" });
    const { duties, tax, subtotal, shipping, total } = cart.totals;
    expect(duties).toBeGreaterThan(0);
    expect(total).toBe(subtotal + shipping + duties + cart.tax.charged.taxAdded);
    expect(tax).toBe(cart.tax.totals.importTax);

    const res = await complete(app, cart.id, { method: "card", data: { cardNumber: TEST_CARDS.success } });
    expect(res.statusCode, res.body).toBe(201);
    const order = json(await admin("GET", `/orders/${json(res).order.id}`));
    expect(order.dutyTotal).toBe(duties);
    expect(order.total).toBe(total);
    expect(order.lines[0].duty).toBe(duties);
    expect(order.snapshot.tax.landedCost.rules.map((r: { kind: string }) => r.kind)).toContain("duty_rate");
  });

  it("applies the reverse charge to a French business buyer and refuses a bad VAT number", async () => {
    const cart = await readyCart(app, {
      market: "eu",
      country: "DE",
      items: [{ variant: "LC-TEA", quantity: 2 }],
    });
    const toFrance = (payload: object) =>
      app.inject({ method: "PATCH", url: `/store/v1/carts/${cart.id}`, headers: storeHeaders, payload });
    const france = json(
      await toFrance({
        shippingAddress: {
          ...ADDRESSES.DE,
          city: "Paris",
          postalCode: "75001",
          country: "FR",
          phone: "+33 1 42 68 53 00",
        },
      }),
    );
    // Tea is food: 5.5 % in France (OSS distance sale from the German warehouse).
    expect(france.tax.lines[0]).toMatchObject({ regime: "distance_sale", taxRate: "0.055" });
    const vatBefore = france.totals.tax;
    expect(vatBefore).toBeGreaterThan(0);

    const refused = await toFrance({ vatId: "FR40303265046" });
    expect(refused.statusCode).toBe(400);
    expect(json(refused).error.code).toBe("cart.invalid_vat_id");
    const unchanged = json(
      await app.inject({ method: "GET", url: `/store/v1/carts/${cart.id}`, headers: storeHeaders }),
    );
    expect(unchanged.vatId).toBeNull();

    const b2b = json(await toFrance({ vatId: "FR 40 303 265 045" }));
    expect(b2b.vatId).toBe("FR40303265045");
    expect(b2b.tax.lines[0].regime).toBe("reverse_charge");
    expect(b2b.totals.tax).toBe(0);
    // Prices include VAT in the EU market: the reverse charge takes it off the price.
    expect(b2b.totals.total).toBe(france.totals.total - vatBefore);
  });
});
