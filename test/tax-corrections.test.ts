import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.ts";
import { createTestDatabase } from "../src/db/testing.ts";
import type { App } from "../src/http/app.ts";
import { TEST_CARDS } from "../src/modules/payments/index.ts";
import { createRegistration } from "../src/modules/tax/index.ts";
import { adminHeaders, ctxOf, storeHeaders, testApp } from "./support/fixtures.ts";
import { ADDRESSES, complete, json, setupSelling, stockedVariant } from "./support/selling.ts";

let database: Database;
let app: App;

const now = new Date();
const QUARTER = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
const FR = { ...ADDRESSES.DE, line1: "10 rue de Rivoli", city: "Paris", postalCode: "75001", country: "FR" };

const admin = (method: "GET" | "POST", url: string, payload?: object, key?: string) =>
  app.inject({
    method,
    url: `/admin/v1${url}`,
    headers: { ...adminHeaders, ...(key ? { "idempotency-key": key } : {}) },
    payload,
  });

const oss = async () => json(await admin("GET", `/tax/reports/oss?period=${QUARTER}`));

beforeAll(async () => {
  database = await createTestDatabase();
  const ctx = ctxOf(database);
  await setupSelling(ctx);
  await createRegistration(ctx, {
    jurisdiction: "EU",
    scheme: "OSS",
    number: "EU372000041",
    effectiveFrom: "2021-07-01",
  });
  await stockedVariant(ctx, "TC-JACKET", 12900, { "eu-duisburg": 20 });
  app = await testApp(database);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe("refunds in the tax reports", () => {
  it("take back tax in proportion to the part refunded, and all of it once fully refunded", async () => {
    const cart = json(
      await app.inject({
        method: "POST",
        url: "/store/v1/carts",
        headers: storeHeaders,
        payload: {
          market: "eu",
          items: [{ variant: "TC-JACKET", quantity: 1 }],
          email: "b@example.com",
          shippingAddress: FR,
        },
      }),
    );
    const chosen = json(
      await app.inject({
        method: "PATCH",
        url: `/store/v1/carts/${cart.id}`,
        headers: storeHeaders,
        payload: { shippingMethodId: cart.shippingOptions[0].methodId },
      }),
    );
    const placed = await complete(app, chosen.id, {
      method: "card",
      data: { cardNumber: TEST_CARDS.success },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = json(await admin("GET", `/orders/${json(placed).order.id}`));
    const sold = await oss();
    expect(sold.totals).toEqual([
      { currency: "EUR", taxable: expect.any(Number), tax: order.taxTotal, orders: 1 },
    ]);
    const { taxable, tax } = sold.totals[0];

    // A third refunded: a third of the tax and of the taxable amount come off, rounded half-up.
    const third = Math.round(order.total / 3);
    const first = await admin("POST", `/orders/${order.id}/refunds`, { amount: third }, "refund-1");
    expect(first.statusCode, first.body).toBe(201);
    const part = (value: number) => Math.floor((2 * value * third + order.total) / (2 * order.total));
    const after = await oss();
    expect(after.totals[0]).toMatchObject({ taxable: taxable - part(taxable), tax: tax - part(tax) });
    // The retry with the same key refunds and corrects nothing twice.
    expect(
      (await admin("POST", `/orders/${order.id}/refunds`, { amount: third }, "refund-1")).statusCode,
    ).toBe(201);
    expect((await oss()).totals[0]).toEqual(after.totals[0]);

    const rest = await admin(
      "POST",
      `/orders/${order.id}/refunds`,
      { amount: order.total - third },
      "refund-2",
    );
    expect(rest.statusCode, rest.body).toBe(201);
    expect((await oss()).totals[0]).toMatchObject({ taxable: 0, tax: 0 });
  });
});
