import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../src/db/client.ts";
import { createTestDatabase } from "../src/db/testing.ts";
import type { App } from "../src/http/app.ts";
import { updateWarehouse } from "../src/modules/inventory/index.ts";
import { TEST_CARDS } from "../src/modules/payments/index.ts";
import { setLane } from "../src/modules/shipping/index.ts";
import type { TaxSummaryLine } from "../src/modules/tax/index.ts";
import type { UsSalesTaxReport } from "../src/modules/tax/tax.reports.ts";
import { taxRegistrations } from "../src/modules/tax/tax.schema.ts";
import { adminHeaders, ctxOf, storeHeaders, testApp } from "./support/fixtures.ts";
import { ADDRESSES, complete, json, setupSelling, stockedVariant } from "./support/selling.ts";

let database: Database;
let app: App;

const CARD = { method: "card", data: { cardNumber: TEST_CARDS.success } };
const FR = { ...ADDRESSES.DE, line1: "10 rue de Rivoli", city: "Paris", postalCode: "75001", country: "FR" };
const NY = {
  ...ADDRESSES.US,
  line1: "350 Fifth Avenue",
  city: "New York",
  province: "NY",
  postalCode: "10118",
};

const now = new Date();
const YEAR = now.getUTCFullYear();
const MONTH = `${YEAR}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
const QUARTER = `${YEAR}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
const EARLIER = `${YEAR - 1}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;

interface Order {
  id: string;
  currency: string;
  total: number;
  taxTotal: number;
  dutyTotal: number;
  shippingMethod: { amount: number; discount: number };
  snapshot: { tax: { landedCost: { summary: TaxSummaryLine[] } } };
}

/** A cart to any address, completed with the given payment; the placed order as the Admin API shows it. */
async function place(
  market: string,
  address: object,
  sku: string,
  opts: { quantity?: number; payment?: object; codes?: string[] } = {},
): Promise<Order> {
  const created = await app.inject({
    method: "POST",
    url: "/store/v1/carts",
    headers: storeHeaders,
    payload: {
      market,
      items: [{ variant: sku, quantity: opts.quantity ?? 1 }],
      email: "buyer@example.com",
      shippingAddress: address,
      discountCodes: opts.codes,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const cart = json(created);
  const option = cart.shippingOptions.find((o: { code: string }) => o.code === "standard");
  const chosen = await app.inject({
    method: "PATCH",
    url: `/store/v1/carts/${cart.id}`,
    headers: storeHeaders,
    payload: { shippingMethodId: option.methodId },
  });
  expect(chosen.statusCode, chosen.body).toBe(200);
  const res = await complete(app, cart.id, opts.payment ?? CARD);
  expect(res.statusCode, res.body).toBe(201);
  return adminGet(`/orders/${json(res).order.id}`).then(json);
}

const adminGet = (url: string) =>
  app.inject({ method: "GET", url: `/admin/v1${url}`, headers: adminHeaders });
const adminPost = (url: string, payload: object) =>
  app.inject({ method: "POST", url: `/admin/v1${url}`, headers: adminHeaders, payload });

async function report(url: string) {
  const res = await adminGet(url);
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

const summary = (orders: Order[], pick: (l: TaxSummaryLine) => boolean) =>
  orders.flatMap((o) => o.snapshot.tax.landedCost.summary.filter(pick).map((l) => ({ ...l, order: o })));

/** The expected report row for summary lines that fall in one row. */
function expectedRow(lines: ReturnType<typeof summary>) {
  expect(lines.length).toBeGreaterThan(0);
  return {
    rate: lines[0]!.rate,
    currency: lines[0]!.order.currency,
    taxable: lines.reduce((s, l) => s + l.taxable, 0),
    tax: lines.reduce((s, l) => s + l.amount, 0),
    orders: new Set(lines.map((l) => l.order.id)).size,
  };
}

type Kind = "oss" | "de" | "ioss" | "import" | "gbDomestic" | "gbImport" | "ca" | "ny";
const placed = {} as Record<Kind, Order[]>;
const stateRow = <T extends { state: string }>(body: { rows: T[] }, state: string) =>
  body.rows.find((r) => r.state === state);

beforeAll(async () => {
  database = await createTestDatabase();
  const ctx = ctxOf(database);
  await setupSelling(ctx);
  const reg = (jurisdiction: string, scheme: string, number: string, effectiveFrom: string) => ({
    id: `treg_${scheme}_${jurisdiction}`,
    ...{ jurisdiction, scheme, number, effectiveFrom },
  });
  await ctx.db
    .insert(taxRegistrations)
    .values([
      reg("EU", "OSS", "EU372000041", "2021-07-01"),
      reg("EU", "IOSS", "IM3720000411", "2021-07-01"),
      reg("GB", "UK_VAT", "GB123456789", "2021-01-01"),
      reg("US-CA", "SALES_TAX", "CA-1234", "2020-01-01"),
    ]);
  // The UK warehouse also ships to France: imports into the EU, under IOSS up to €150.
  await updateWarehouse(ctx, "uk-tilbury", { servesCountries: ["GB", "FR"] });
  await setLane(ctx, "uk-tilbury", "FR", { cost: 900, costCurrency: "GBP", minDays: 2, maxDays: 4 });
  await stockedVariant(ctx, "TR-EU", 4000, { "eu-duisburg": 50 });
  await stockedVariant(ctx, "TR-UK", 4000, { "uk-tilbury": 50 });
  await stockedVariant(ctx, "TR-BIG", 30000, { "uk-tilbury": 50 });
  await stockedVariant(ctx, "TR-US", 12900, { "us-ontario": 50 });
  await stockedVariant(ctx, "TR-US-LOW", 3000, { "us-ontario": 50 });
  // Men's trousers of synthetic fibres: 12 % MFN duty into the EU.
  await queryRows(ctx.db, sql`update products set hs_code = '620343'`);
  app = await testApp(database);
  const freeShipping = await adminPost("/discounts", {
    code: "TRSHIP",
    title: "Free",
    kind: "free_shipping",
  });
  expect(freeShipping.statusCode, freeShipping.body).toBe(201);

  placed.oss = [await place("eu", FR, "TR-EU"), await place("eu", FR, "TR-EU", { quantity: 2 })];
  placed.de = [await place("eu", ADDRESSES.DE, "TR-EU")];
  placed.ioss = [await place("eu", FR, "TR-UK")];
  placed.import = [await place("eu", FR, "TR-BIG")];
  placed.gbDomestic = [await place("gb", ADDRESSES.GB, "TR-UK")];
  placed.gbImport = [await place("gb", ADDRESSES.GB, "TR-EU")];
  placed.ca = [await place("us", ADDRESSES.US, "TR-US"), await place("us", ADDRESSES.US, "TR-US-LOW")];
  placed.ny = [await place("us", NY, "TR-US-LOW", { codes: ["TRSHIP"] })];
  // Neither counts: one order cancelled after payment, one never paid.
  const cancelled = [
    await place("eu", FR, "TR-EU", { quantity: 3 }),
    await place("us", ADDRESSES.US, "TR-US"),
  ];
  for (const o of cancelled) {
    const res = await adminPost(`/orders/${o.id}/cancel`, { reason: "customer_request" });
    expect(res.statusCode, res.body).toBe(200);
  }
  const unpaid = await place("us", ADDRESSES.US, "TR-US", { payment: { method: "paypal" } });
  expect(unpaid).toMatchObject({ paymentStatus: "unpaid", paidAt: null });
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe("EU One-Stop-Shop", () => {
  it("adds up the distance sales to France, without domestic, imported or cancelled orders", async () => {
    const lines = summary(placed.oss, (l) => l.kind === "tax");
    expect(lines.map((l) => [l.regime, l.scheme, l.jurisdiction])).toEqual(
      lines.map(() => ["distance_sale", "OSS", "FR"]),
    );
    // Both shipped from the German warehouse: one row per member state of dispatch and consumption.
    const fr = { country: "FR", shipFrom: "DE", ...expectedRow(lines) };
    expect(fr.orders).toBe(2);
    expect(fr.tax).toBe(placed.oss.reduce((s, o) => s + o.taxTotal, 0));
    const body = await report(`/tax/reports/oss?period=${QUARTER}`);
    expect(body).toMatchObject({ period: QUARTER, scheme: "OSS" });
    expect(body.rows).toEqual([fr]);
    expect(body.totals).toEqual([{ currency: "EUR", taxable: fr.taxable, tax: fr.tax, orders: 2 }]);
    // A month holds the same orders; a year earlier holds none.
    expect((await report(`/tax/reports/oss?period=${MONTH}`)).rows).toEqual([fr]);
    expect(await report(`/tax/reports/oss?period=${EARLIER}`)).toMatchObject({ rows: [], totals: [] });
  });

  it("writes the rows as CSV with a header row", async () => {
    const res = await adminGet(`/tax/reports/oss?period=${QUARTER}&format=csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="oss-${QUARTER}.csv"`);
    const [row] = (await report(`/tax/reports/oss?period=${QUARTER}`)).rows;
    expect(res.body.trim().split("\n")).toEqual([
      "country,ship_from,rate,currency,taxable,tax,orders",
      `FR,DE,${row.rate},EUR,${row.taxable},${row.tax},2`,
    ]);
  });
});

describe("EU Import One-Stop-Shop", () => {
  it("adds up the imports up to €150 on which the store collected French VAT", async () => {
    const lines = summary(placed.ioss, (l) => l.kind === "tax");
    expect(lines.map((l) => [l.regime, l.scheme, l.collectedBy])).toEqual([
      ["seller_collected", "IOSS", "seller"],
    ]);
    const body = await report(`/tax/reports/ioss?period=${MONTH}`);
    const fr = { country: "FR", shipFrom: "GB", ...expectedRow(lines) };
    expect(body).toMatchObject({ period: MONTH, scheme: "IOSS", rows: [fr] });
    // The consignment over €150 paid import VAT at the border instead.
    expect(summary(placed.import, (l) => l.kind === "tax").map((l) => l.collectedBy)).toEqual(["border"]);
  });
});

describe("UK VAT", () => {
  it("splits domestic sales from imports up to £135 and fills boxes 1 and 6", async () => {
    const regimes = summary([...placed.gbDomestic, ...placed.gbImport], (l) => l.kind === "tax");
    expect(regimes.map((l) => [l.regime, l.scheme])).toEqual([
      ["domestic", null],
      ["seller_collected", "UK_VAT"],
    ]);
    const row = (regime: string, shipFrom: string) => ({
      country: "GB",
      shipFrom,
      regime,
      ...expectedRow(regimes.filter((l) => l.regime === regime)),
    });
    const body = await report(`/tax/reports/uk-vat?period=${QUARTER}`);
    expect(body.rows).toEqual([row("domestic", "GB"), row("seller_collected", "DE")]);
    const vat = [...placed.gbDomestic, ...placed.gbImport].reduce((s, o) => s + o.taxTotal, 0);
    const net = regimes.reduce((s, l) => s + l.taxable, 0);
    expect(body.totals).toEqual([
      { currency: "GBP", taxable: net, tax: vat, orders: 2, box1: vat, box6: net },
    ]);

    const csv = await adminGet(`/tax/reports/uk-vat?period=${QUARTER}&format=csv`);
    expect(csv.body.split("\n")[0]).toBe("country,ship_from,regime,rate,currency,taxable,tax,orders");
    expect(csv.headers["content-disposition"]).toBe(`attachment; filename="uk-vat-${QUARTER}.csv"`);
  });
});

describe("US sales tax and economic nexus", () => {
  const grossOf = (o: Order) => o.total - o.taxTotal - o.dutyTotal;

  it("lists sales, tax collected, thresholds and registrations per state", async () => {
    const ca = placed.ca;
    const [ny] = placed.ny;
    const caSales = ca.reduce((s, o) => s + grossOf(o), 0);
    const caTax = ca.reduce((s, o) => s + o.taxTotal, 0);
    expect(caTax).toBeGreaterThan(0);
    expect(summary(ca, () => true).map((l) => l.jurisdiction)).toEqual(["US-CA", "US-CA"]);
    expect(ny!.taxTotal).toBe(0);
    expect(ny!.shippingMethod.discount).toBeGreaterThan(0);
    const body = await report(`/tax/reports/us-sales-tax?year=${YEAR}`);
    const state = (code: string) => stateRow(body, code);
    expect(state("CA")).toEqual({
      state: "CA",
      sales: caSales,
      transactions: 2,
      priorSales: 0,
      priorTransactions: 0,
      taxCollected: caTax,
      threshold: { sales: 500_000, transactions: null, requiresBoth: false },
      nexusReached: false,
      registered: true,
      status: "registered",
    });
    // Free shipping: the sales are what the buyer paid, the shipping discount taken once.
    expect(state("NY")).toMatchObject({
      sales: ny!.total,
      transactions: 1,
      taxCollected: 0,
      threshold: { sales: 500_000, transactions: 100, requiresBoth: true },
      registered: false,
      status: "below_threshold",
    });
    expect(state("TX")).toMatchObject({ sales: 0, transactions: 0, status: "below_threshold" });
    expect(body.rows.length).toBeGreaterThanOrEqual(46);
    expect(body.totals).toEqual({
      sales: caSales + ny!.total,
      transactions: 3,
      taxCollected: caTax,
    });
  });

  it("counts last year's sales towards nexus, and needs both measures where the state says so", async () => {
    const [ny] = placed.ny;
    const next = await report(`/tax/reports/us-sales-tax?year=${YEAR + 1}`);
    expect(stateRow(next, "NY")).toMatchObject({ sales: 0, priorSales: ny!.total, priorTransactions: 1 });

    const setNy = (sales: number, transactions: number) =>
      queryRows(
        database.db,
        sql`update sales_tax_nexus set sales = ${sales}, transactions = ${transactions}
            where country = 'US' and region = 'NY'`,
      );
    const nyStatus = async (year: number) =>
      stateRow(await report(`/tax/reports/us-sales-tax?year=${year}`), "NY");
    const reached = { nexusReached: true, status: "nexus_reached_unregistered" };
    try {
      await setNy(1, 2); // $1 reached, but 1 transaction of 2
      expect(await nyStatus(YEAR)).toMatchObject({ nexusReached: false, status: "below_threshold" });
      await setNy(1, 1);
      expect(await nyStatus(YEAR)).toMatchObject(reached);
      expect(await nyStatus(YEAR + 1)).toMatchObject(reached);
    } finally {
      await setNy(500_000, 100);
    }
  });

  it("writes one CSV row per state", async () => {
    const res = await adminGet(`/tax/reports/us-sales-tax?year=${YEAR}&format=csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="us-sales-tax-${YEAR}.csv"`);
    const lines = res.body.trim().split("\n");
    const body: UsSalesTaxReport = await report(`/tax/reports/us-sales-tax?year=${YEAR}`);
    expect(lines).toHaveLength(body.rows.length + 1);
    expect(lines[0]).toBe(
      "state,sales,transactions,prior_year_sales,prior_year_transactions,tax_collected,threshold_sales_usd," +
        "threshold_transactions,threshold_requires_both,nexus_reached,registered,status",
    );
    const ca = stateRow(body, "CA")!;
    expect(lines).toContain(`CA,${ca.sales},2,0,0,${ca.taxCollected},500000,,false,false,true,registered`);
  });
});

describe("customs duties", () => {
  it("adds up duties per customs union, basis and rate", async () => {
    const lines = summary([...placed.ioss, ...placed.import], (l) => l.kind === "duty");
    expect(lines.map((l) => [l.jurisdiction, l.scheme, l.order.id])).toEqual([
      ["EU", "flat", placed.ioss[0]!.id],
      ["EU", "mfn", placed.import[0]!.id],
    ]);
    const row = (l: (typeof lines)[number]) => {
      const { taxable: dutiableValue, tax: duty, ...rest } = expectedRow([l]);
      return { jurisdiction: "EU", basis: l.scheme, dutyMode: "DDP", ...rest, dutiableValue, duty };
    };
    const body = await report(`/tax/reports/duties?period=${QUARTER}`);
    expect(body.rows).toEqual(expect.arrayContaining(lines.map(row)));
    expect(body.rows).toHaveLength(2);
    const duty = placed.ioss[0]!.dutyTotal + placed.import[0]!.dutyTotal;
    expect(body.totals).toEqual([
      { currency: "EUR", dutiableValue: lines[0]!.taxable + lines[1]!.taxable, duty, orders: 2 },
    ]);
    const csv = await adminGet(`/tax/reports/duties?period=${QUARTER}&format=csv`);
    expect(csv.body.trim().split("\n")).toHaveLength(3);
  });
});

describe("report parameters", () => {
  it.each([
    "oss?period=2026-Q5",
    "ioss?period=2026-13",
    "uk-vat?period=26-Q1",
    "duties?period=2026-q1",
    "oss?period=Q1-2026",
    "us-sales-tax?year=20x6",
    "us-sales-tax?year=999",
  ])("refuses %s with tax.invalid_period", async (query) => {
    const res = await adminGet(`/tax/reports/${query}`);
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe("tax.invalid_period");
  });

  it("needs a period, a known format and the admin token", async () => {
    expect((await adminGet("/tax/reports/oss")).statusCode).toBe(400);
    expect((await adminGet(`/tax/reports/oss?period=${QUARTER}&format=xlsx`)).statusCode).toBe(400);
    const anonymous = await app.inject({ method: "GET", url: `/admin/v1/tax/reports/oss?period=${QUARTER}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
