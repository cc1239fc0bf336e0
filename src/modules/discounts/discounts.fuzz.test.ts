import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHeaders, ctxOf, makeProduct, setupShop, testApp } from "../../../test/support/fixtures.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";

// Bodies shaped like the schema, with values at and beyond the edges: the robustness suite's random
// bodies rarely get past the schema, these do.
let database: Database;
let app: App;
let productId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await setupShop(ctxOf(database));
  productId = (await makeProduct(ctxOf(database), { handle: "fuzz-product" })).id;
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const integer = fc.oneof(
  fc.integer({ min: -2, max: 10_002 }),
  fc.constantFrom(0, 1, 9_000_000_000_000, 2 ** 53),
);
const date = fc.oneof(
  fc.constantFrom(
    "1969-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-02-29T00:00:00Z",
  ),
  fc
    .date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString()),
);
const currency = fc.constantFrom("USD", "EUR", "JPY", "XYZ", "usd", "KWD");
const amounts = fc.dictionary(currency, integer, { maxKeys: 3 });
const ref = fc.constantFrom("fuzz-product", "prod_nope", "us", "eu", "mars", "");
const target = fc.oneof(
  fc.constant({ type: "all" }),
  fc.record({ type: fc.constant("products"), productIds: fc.array(ref, { maxLength: 3 }) }),
  fc.record({ type: fc.constant("collections"), collectionIds: fc.array(ref, { maxLength: 2 }) }),
);
const side = fc.record({ quantity: integer, target });
const body = fc.record(
  {
    code: fc.oneof(fc.constant(null), fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), fc.string({ maxLength: 4 })),
    title: fc.string({ maxLength: 10 }),
    kind: fc.constantFrom("percentage", "fixed_amount", "free_shipping", "buy_x_get_y"),
    class: fc.constantFrom("product", "order", "shipping"),
    percentage: fc.oneof(fc.constant(null), integer),
    amounts: fc.oneof(fc.constant(null), amounts),
    appliesTo: target,
    buy: fc.oneof(fc.constant(null), side),
    get: fc.oneof(fc.constant(null), side),
    maxUsesPerOrder: fc.oneof(fc.constant(null), integer),
    minSubtotal: fc.oneof(fc.constant(null), amounts),
    marketIds: fc.array(ref, { maxLength: 2 }),
    startsAt: fc.oneof(fc.constant(null), date),
    endsAt: fc.oneof(fc.constant(null), date),
    usageLimit: fc.oneof(fc.constant(null), integer),
    perCustomerLimit: fc.oneof(fc.constant(null), integer),
    combinesWith: fc.record(
      { product: fc.boolean(), order: fc.boolean(), shipping: fc.boolean() },
      { requiredKeys: [] },
    ),
    active: fc.boolean(),
  },
  { requiredKeys: ["title", "kind"] },
);

/** A consistent body of each kind, so that many requests get through to the database. */
const validBody = fc
  .record({
    kind: fc.constantFrom("percentage", "fixed_amount", "free_shipping", "buy_x_get_y"),
    percentage: fc.integer({ min: 1, max: 10_000 }),
    amount: fc.integer({ min: 0, max: 9_000_000_000_000 }),
    appliesTo: fc.constantFrom({ type: "all" }, { type: "products", productIds: ["fuzz-product"] }),
    quantity: fc.integer({ min: 1, max: 1000 }),
    window: fc.option(fc.tuple(date, fc.integer({ min: 1, max: 10 ** 11 }))),
    minSubtotal: fc.option(fc.constant({ USD: 0, JPY: 10 ** 12 })),
    code: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,6}$/)),
    marketIds: fc.constantFrom([], ["us"], ["eu", "jp"]),
  })
  .map((v) => {
    const start = v.window ? new Date(v.window[0]) : null;
    const valid = start && start.getUTCFullYear() >= 1970 && start.getUTCFullYear() < 9000;
    return {
      title: "fuzz",
      kind: v.kind,
      code: v.code,
      marketIds: v.marketIds,
      minSubtotal: v.minSubtotal,
      ...(valid
        ? { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + v.window![1]).toISOString() }
        : {}),
      ...(v.kind === "percentage" ? { percentage: v.percentage, appliesTo: v.appliesTo } : {}),
      ...(v.kind === "fixed_amount" ? { amounts: { USD: v.amount, EUR: 1 }, appliesTo: v.appliesTo } : {}),
      ...(v.kind === "buy_x_get_y"
        ? {
            percentage: v.percentage,
            buy: { quantity: v.quantity, target: v.appliesTo },
            get: { quantity: 1, target: { type: "all" } },
            maxUsesPerOrder: v.quantity,
          }
        : {}),
    };
  });

describe("discount routes under schema-shaped input", () => {
  it("answer 4xx or succeed, and what they store reads back the same", async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(validBody, body), body, async (input, patch) => {
        const res = await app.inject({
          method: "POST",
          url: "/admin/v1/discounts",
          headers: adminHeaders,
          payload: input,
        });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode !== 201) return;
        created += 1;
        const id = res.json().id;
        const read = await app.inject({
          method: "GET",
          url: `/admin/v1/discounts/${id}`,
          headers: adminHeaders,
        });
        expect(read.json()).toEqual(res.json());
        const patched = await app.inject({
          method: "PATCH",
          url: `/admin/v1/discounts/${id}`,
          headers: adminHeaders,
          payload: patch,
        });
        expect(patched.statusCode, patched.body).toBeLessThan(500);
      }),
      { numRuns: 300, seed: 11 },
    );
    expect(created).toBeGreaterThan(50);
  }, 120_000);

  it("previews any cart without a 5xx", async () => {
    const line = fc.record({
      lineId: fc.constantFrom("a", "b", "c"),
      productId: fc.constantFrom(productId, "prod_other"),
      quantity: integer,
      unitPrice: integer,
      collectionIds: fc.array(ref, { maxLength: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          market: fc.constantFrom("us", "eu", "jp", "mars"),
          codes: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
          at: date,
          shippingAmount: integer,
          lines: fc.array(line, { maxLength: 4 }),
        }),
        async (cart) => {
          const res = await app.inject({
            method: "POST",
            url: "/admin/v1/discounts/preview",
            headers: adminHeaders,
            payload: cart,
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  }, 120_000);
});
