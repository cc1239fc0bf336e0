import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHeaders, ctxOf, makeProduct, setupShop, testApp } from "../../../test/support/fixtures.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";
import { transaction } from "../../kernel/context.ts";
import type { AdminProduct } from "../catalog/catalog.types.ts";
import { createCollection } from "../catalog/index.ts";
import { getMarket } from "../markets/index.ts";
import { redeem } from "./discounts.checkout.ts";

let database: Database;
let app: App;
let socks: AdminProduct;
let tee: AdminProduct;
let footwear: string;

const url = "/admin/v1/discounts";
const inject = (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, payload?: unknown) =>
  app.inject({
    method,
    url: path,
    headers: adminHeaders,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function stored(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from discounts`);
  return row!.n;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const ctx = ctxOf(database);
  await setupShop(ctx);
  socks = await makeProduct(ctx, { handle: "wool-socks" });
  tee = await makeProduct(ctx, { handle: "plain-tee" });
  const collection = await transaction(ctx, (tx) =>
    createCollection(tx, {
      handle: "footwear",
      kind: "manual",
      title: { en: "Footwear" },
      products: [socks.id],
    }),
  );
  footwear = collection.id;
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("admin discounts", () => {
  it("creates a code, stores it upper-case, and reads it by id or by code in any case", async () => {
    const res = await inject("POST", url, {
      code: "spring15",
      title: "Spring sale",
      kind: "percentage",
      percentage: 1500,
      usageLimit: 100,
      perCustomerLimit: 1,
      startsAt: "2026-03-01T00:00:00Z",
      endsAt: "2026-04-01T00:00:00Z",
      combinesWith: { shipping: true },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      code: "SPRING15",
      kind: "percentage",
      class: "order",
      percentage: 1500,
      appliesTo: { type: "all" },
      marketIds: [],
      startsAt: "2026-03-01T00:00:00.000Z",
      combinesWith: { product: false, order: false, shipping: true },
      active: true,
      timesUsed: 0,
    });
    expect(created.id).toMatch(/^disc_/);
    expect((await inject("GET", `${url}/${created.id}`)).json().code).toBe("SPRING15");
    expect((await inject("GET", `${url}/Spring15`)).json().id).toBe(created.id);
    expect((await inject("GET", `${url}/NOPE`)).statusCode).toBe(404);
  });

  it("resolves product, collection and market references to ids", async () => {
    const bxgy = await inject("POST", url, {
      title: "Socks 3 for 2",
      kind: "buy_x_get_y",
      percentage: 10_000,
      buy: { quantity: 2, target: { type: "products", productIds: ["wool-socks"] } },
      get: { quantity: 1, target: { type: "collections", collectionIds: ["footwear"] } },
      maxUsesPerOrder: 2,
      marketIds: ["eu", "gb"],
    });
    expect(bxgy.statusCode).toBe(201);
    const [eu, gb] = [await getMarket(ctxOf(database), "eu"), await getMarket(ctxOf(database), "gb")];
    expect(bxgy.json()).toMatchObject({
      code: null,
      class: "product",
      buy: { quantity: 2, target: { type: "products", productIds: [socks.id] } },
      get: { quantity: 1, target: { type: "collections", collectionIds: [footwear] } },
      marketIds: [eu.id, gb.id],
    });
    const fixed = await inject("POST", url, {
      code: "TEE5",
      title: "5 off each tee",
      kind: "fixed_amount",
      amounts: { USD: 500, EUR: 500, GBP: 400 },
      appliesTo: { type: "products", productIds: [tee.id] },
    });
    expect(fixed.json()).toMatchObject({ class: "product", amounts: { USD: 500, EUR: 500, GBP: 400 } });
  });

  it("lists with filters and cursor paging, newest first", async () => {
    const all = (await inject("GET", url)).json();
    expect(all.items.map((d: { title: string }) => d.title)).toEqual([
      "5 off each tee",
      "Socks 3 for 2",
      "Spring sale",
    ]);
    expect((await inject("GET", `${url}?code=ring`)).json().items).toHaveLength(1);
    expect((await inject("GET", `${url}?code=%25`)).json().items).toHaveLength(0);
    expect((await inject("GET", `${url}?automatic=true`)).json().items[0].title).toBe("Socks 3 for 2");
    expect((await inject("GET", `${url}?kind=fixed_amount&active=true`)).json().items).toHaveLength(1);
    expect((await inject("GET", `${url}?active=false`)).json().items).toHaveLength(0);
    const first = (await inject("GET", `${url}?limit=2`)).json();
    expect(first.items).toHaveLength(2);
    const second = (await inject("GET", `${url}?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ title: "Spring sale" }], nextCursor: null });
    expect((await inject("GET", `${url}?cursor=garbage`)).statusCode).toBe(400);
  });

  it("patches fields, keeps the rest, and checks the result as a whole", async () => {
    const patched = await inject("PATCH", `${url}/spring15`, {
      title: "Spring",
      combinesWith: { product: true },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      title: "Spring",
      percentage: 1500,
      combinesWith: { product: true, order: false, shipping: true },
    });
    const wrong = await inject("PATCH", `${url}/spring15`, { kind: "fixed_amount", amounts: { USD: 100 } });
    expect(wrong.json().error.code).toBe("discount.field_not_allowed");
    const kindChange = await inject("PATCH", `${url}/spring15`, {
      kind: "fixed_amount",
      percentage: null,
      amounts: { USD: 100 },
    });
    expect(kindChange.json()).toMatchObject({ kind: "fixed_amount", class: "order", percentage: null });
    const taken = await inject("PATCH", `${url}/spring15`, { code: "tee5" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("discount.code_taken");
  });

  const BASE = { title: "Bad", kind: "percentage", percentage: 1000 };
  it.each([
    ["percentage 0", { percentage: 0 }, "validation.failed"],
    ["percentage above 100 %", { percentage: 10_001 }, "validation.failed"],
    ["no percentage", { percentage: null }, "discount.percentage_required"],
    [
      "an unknown currency",
      { kind: "fixed_amount", percentage: null, amounts: { XYZ: 100 } },
      "currency.invalid",
    ],
    [
      "a negative amount",
      { kind: "fixed_amount", percentage: null, amounts: { USD: -1 } },
      "validation.failed",
    ],
    ["no amounts", { kind: "fixed_amount", percentage: null, amounts: {} }, "validation.failed"],
    [
      "a fractional amount",
      { kind: "fixed_amount", percentage: null, amounts: { USD: 1.5 } },
      "validation.failed",
    ],
    ["a minimum in an unknown currency", { minSubtotal: { ABC: 100 } }, "currency.invalid"],
    [
      "an end before the start",
      { startsAt: "2026-05-01T00:00:00Z", endsAt: "2026-04-01T00:00:00Z" },
      "discount.invalid_window",
    ],
    [
      "a BXGY without buy",
      { kind: "buy_x_get_y", get: { quantity: 1, target: { type: "all" } } },
      "discount.bxgy_required",
    ],
    ["buy on a percentage", { buy: { quantity: 1, target: { type: "all" } } }, "discount.field_not_allowed"],
    ["maxUsesPerOrder on a percentage", { maxUsesPerOrder: 1 }, "discount.field_not_allowed"],
    ["a shipping class on a percentage", { class: "shipping" }, "discount.invalid_class"],
    [
      "an order class on free shipping",
      { kind: "free_shipping", percentage: null, class: "order" },
      "discount.invalid_class",
    ],
    [
      "an unknown product",
      { appliesTo: { type: "products", productIds: ["prod_nope"] } },
      "discount.unknown_products",
    ],
    [
      "an unknown collection",
      { appliesTo: { type: "collections", collectionIds: ["nope"] } },
      "discount.unknown_collections",
    ],
    ["an unknown market", { marketIds: ["mars"] }, "discount.unknown_markets"],
    ["a code with spaces", { code: "TWO WORDS" }, "validation.failed"],
    ["a taken code in another case", { code: "Tee5" }, "discount.code_taken"],
    ["an unknown field", { extra: 1 }, "validation.failed"],
  ])("rejects %s and writes nothing", async (_name, change, code) => {
    const before = await stored();
    const res = await inject("POST", url, { ...BASE, ...change });
    expect(res.statusCode).toBe(code === "discount.code_taken" ? 409 : 400);
    expect(res.json().error.code).toBe(code);
    expect(await stored()).toBe(before);
  });

  it("previews a cart against the live discounts", async () => {
    const res = await inject("POST", `${url}/preview`, {
      market: "gb",
      codes: ["tee5", "nope"],
      at: "2026-06-01T00:00:00Z",
      shippingAmount: 450,
      lines: [
        { lineId: "a", productId: socks.id, collectionIds: [footwear], quantity: 3, unitPrice: 1200 },
        { lineId: "b", productId: tee.id, quantity: 2, unitPrice: 1900 },
      ],
    });
    expect(res.statusCode).toBe(200);
    // Socks: buy 2 get 1 free → 1200; tees: £4 off each → 800. Neither combines with the other.
    expect(res.json()).toMatchObject({
      currency: "GBP",
      totalDiscount: 1200,
      lines: [
        { lineId: "a", discount: 1200 },
        { lineId: "b", discount: 0 },
      ],
      rejectedCodes: [
        { code: "TEE5", reason: "not_combinable" },
        { code: "NOPE", reason: "unknown" },
      ],
    });
    expect((await inject("POST", `${url}/preview`, { market: "mars", lines: [] })).statusCode).toBe(404);
  });

  it("deletes an unused discount and refuses to delete a used one", async () => {
    const before = await stored();
    const used = (await inject("GET", `${url}/tee5`)).json();
    await transaction(ctxOf(database), (tx) =>
      redeem(tx, {
        orderId: "ord_1",
        customerKey: "cus_1",
        currency: "USD",
        applied: [{ discountId: used.id, amount: 500 }],
      }),
    );
    const refused = await inject("DELETE", `${url}/tee5`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe("discount.in_use");
    expect(await stored()).toBe(before);
    expect((await inject("DELETE", `${url}/spring15`)).statusCode).toBe(204);
    expect((await inject("GET", `${url}/spring15`)).statusCode).toBe(404);
    expect((await inject("DELETE", `${url}/spring15`)).statusCode).toBe(404);
    expect(await stored()).toBe(before - 1);
  });
});
