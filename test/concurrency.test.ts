import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../src/db/client.ts";
import { createTestDatabase } from "../src/db/testing.ts";
import type { App } from "../src/http/app.ts";
import { TEST_CARDS } from "../src/modules/payments/index.ts";
import { ctxOf, storeHeaders, testApp } from "./support/fixtures.ts";
import { complete, json, readyCart, setupSelling, stockedVariant } from "./support/selling.ts";
import { type ServerProcess, startServerProcess } from "./support/server-process.ts";

const BUYERS = 100;
const UNITS = 10;
const card = { method: "card", data: { cardNumber: TEST_CARDS.success } };

let database: Database;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 12 });
  await setupSelling(ctxOf(database));
  app = await testApp(database);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function lastUnits(sku: string) {
  const variantId = await stockedVariant(ctxOf(database), sku, 4900, { "us-ontario": UNITS });
  const carts: string[] = [];
  for (let i = 0; i < BUYERS; i++) {
    const cart = await readyCart(app, {
      market: "us",
      country: "US",
      email: `buyer${i}@example.com`,
      items: [{ variant: sku, quantity: 1 }],
    });
    carts.push(cart.id);
  }
  return { variantId, carts };
}

async function outcome(variantId: string) {
  const [row] = await queryRows<{ paid: number; on_hand: number; reserved: number; negative: number }>(
    database.db,
    sql`select (select count(*)::int from orders o join order_lines l on l.order_id = o.id
          where l.variant_id = ${variantId} and o.payment_status = 'paid') as paid,
        (select sum(on_hand)::int from inventory_levels where variant_id = ${variantId}) as on_hand,
        (select sum(reserved)::int from inventory_levels where variant_id = ${variantId}) as reserved,
        (select count(*)::int from inventory_levels where on_hand - reserved < 0 or reserved < 0) as negative`,
  );
  return row!;
}

function expectOnlyStockRefusals(statuses: { status: number; code?: string }[]) {
  const ok = statuses.filter((s) => s.status === 201);
  const refused = statuses.filter((s) => s.status !== 201);
  expect(ok).toHaveLength(UNITS);
  expect(refused).toHaveLength(BUYERS - UNITS);
  for (const r of refused) {
    expect(r.status).toBe(409);
    expect(["checkout.cart_not_ready", "inventory.insufficient_stock"]).toContain(r.code);
  }
}

describe("100 buyers for the last 10 units", () => {
  it("sells exactly 10 through one app instance", async () => {
    const { variantId, carts } = await lastUnits("LAST-ONE-APP");
    const results = await Promise.all(carts.map((id) => complete(app, id, card)));
    expectOnlyStockRefusals(
      results.map((r) => ({
        status: r.statusCode,
        code: r.statusCode === 201 ? undefined : json(r).error.code,
      })),
    );
    expect(await outcome(variantId)).toEqual({ paid: UNITS, on_hand: 0, reserved: 0, negative: 0 });
  });

  describe.skipIf(!process.env.DATABASE_URL)("with two server processes on one PostgreSQL", () => {
    const servers: ServerProcess[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
    });

    it("sells exactly 10", async () => {
      const env = { DATABASE_URL: database.url!, RUN_JOBS: "false" };
      servers.push(await startServerProcess(env), await startServerProcess(env));
      const { variantId, carts } = await lastUnits("LAST-TWO-PROCS");
      const results = await Promise.all(
        carts.map(async (id, i) => {
          const res = await fetch(`${servers[i % 2]!.url}/store/v1/carts/${id}/complete`, {
            method: "POST",
            headers: {
              ...storeHeaders,
              "content-type": "application/json",
              "idempotency-key": `two-procs-${i}`,
            },
            body: JSON.stringify({ payment: card }),
          });
          const body = (await res.json()) as { error?: { code: string } };
          return { status: res.status, code: body.error?.code };
        }),
      );
      expectOnlyStockRefusals(results);
      expect(await outcome(variantId)).toEqual({ paid: UNITS, on_hand: 0, reserved: 0, negative: 0 });
    }, 120_000);
  });
});
