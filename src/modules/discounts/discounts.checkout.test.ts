import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ctxOf, setupShop } from "../../../test/support/fixtures.ts";
import { type Database, type Db, queryRows } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { type Ctx, systemCtx, transaction } from "../../kernel/context.ts";
import { getMarket } from "../markets/index.ts";
import { applyDiscounts } from "./discounts.apply.ts";
import { loadCandidates, redeem, releaseRedemption } from "./discounts.checkout.ts";
import { CART, NOW } from "./discounts.fixtures.ts";
import { createDiscount, getDiscount } from "./discounts.service.ts";
import type { DiscountDefinition } from "./discounts.validation.ts";

let database: Database;
let us: string;
let statements = 0;
/** A context whose statements are counted in `statements`. */
let counted: Ctx;
const ctx = () => ctxOf(database);

const make = (definition: Partial<DiscountDefinition>) =>
  transaction(ctx(), (tx) =>
    createDiscount(tx, { title: "T", kind: "percentage", percentage: 1000, ...definition }),
  );

async function usage(id: string) {
  const [row] = await queryRows<{ times_used: number; redemptions: number }>(
    database.db,
    sql`select times_used, (select count(*)::int from discount_redemptions where discount_id = ${id}) as redemptions
        from discounts where id = ${id}`,
  );
  return row!;
}

const order = (orderId: string, customerKey: string, discountId: string, amount = 100) =>
  transaction(ctx(), (tx) =>
    redeem(tx, { orderId, customerKey, currency: "USD", applied: [{ discountId, amount }] }),
  );

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 21 });
  await setupShop(ctx());
  us = (await getMarket(ctx(), "us")).id;
  const logger = { logQuery: () => void statements++ };
  const db = (database.pool
    ? drizzleNodePg(database.pool, { logger })
    : drizzlePglite(database.pglite!, { logger })) as unknown as Db;
  counted = systemCtx(db, "counted");
});
afterAll(() => database.close());

describe("loadCandidates", () => {
  it("loads entered codes whatever their state and the live automatic discounts, in one statement", async () => {
    const eu = (await getMarket(ctx(), "eu")).id;
    const expiredCode = await make({ code: "OLD", endsAt: "2026-01-01T00:00:00Z" });
    const euCode = await make({ code: "EUONLY", marketIds: [eu] });
    await make({ code: "OFF", active: false });
    await make({ code: "NOTENTERED" });
    const live = await make({
      startsAt: "2026-05-01T00:00:00Z",
      endsAt: "2026-07-01T00:00:00Z",
      marketIds: [us],
    });
    await make({ title: "ended", endsAt: "2026-05-01T00:00:00Z" });
    await make({ title: "later", startsAt: "2026-07-01T00:00:00Z" });
    await make({ title: "elsewhere", marketIds: [eu] });
    await make({ title: "paused", active: false });
    const exhausted = await make({ title: "exhausted", usageLimit: 1 });
    await order("ord_ex", "cus_x", exhausted.id);

    statements = 0;
    const found = await loadCandidates(counted, {
      marketId: us,
      codes: ["old", " euonly ", "OFF", "MISSING"],
      now: NOW,
      customerKey: "Ann@Example.com",
    });
    expect(statements).toBe(1);
    expect(found.map((d) => d.id).sort()).toEqual([expiredCode.id, euCode.id, live.id].sort());
    expect(found[0]!.customerUsage).toEqual({ customerKey: "ann@example.com", uses: 0 });
    const result = applyDiscounts({ ...CART, marketId: us, codes: ["old", "euonly"] }, found);
    expect(result.rejectedCodes).toEqual([
      { code: "OLD", reason: "expired" },
      { code: "EUONLY", reason: "market" },
    ]);
    expect(result.applied.map((a) => a.discountId)).toEqual([live.id]);
  });
});

describe("redeem and release", () => {
  it("counts a use, records the redemption and the customer's use, in one statement", async () => {
    const d = await make({ code: "ONCE", perCustomerLimit: 1, usageLimit: 10 });
    await transaction(counted, async (tx) => {
      statements = 0;
      await redeem(tx, {
        orderId: "ord_a",
        customerKey: "Ann@Example.com",
        currency: "USD",
        applied: [{ discountId: d.id, amount: 2530 }],
      });
      expect(statements).toBe(1);
    });
    expect(await usage(d.id)).toEqual({ times_used: 1, redemptions: 1 });
    const [row] = await queryRows(
      database.db,
      sql`select order_id, customer_key, amount, currency from discount_redemptions where discount_id = ${d.id}`,
    );
    expect(row).toEqual({
      order_id: "ord_a",
      customer_key: "ann@example.com",
      amount: 2530,
      currency: "USD",
    });

    // A retry of the same order counts nothing twice.
    await order("ord_a", "ann@example.com", d.id);
    expect(await usage(d.id)).toEqual({ times_used: 1, redemptions: 1 });

    // The same customer again (any case): refused; the transaction rolls back.
    const again = order("ord_b", "ANN@example.com", d.id);
    await expect(again).rejects.toMatchObject({
      code: "discount.usage_limit_reached",
      details: { discountIds: [d.id] },
    });
    expect(await usage(d.id)).toEqual({ times_used: 1, redemptions: 1 });
    const loaded = await loadCandidates(ctx(), {
      marketId: us,
      codes: ["once"],
      now: NOW,
      customerKey: "ann@example.com",
    });
    const candidate = loaded.find((c) => c.id === d.id);
    expect(candidate!.customerUsage).toEqual({ customerKey: "ann@example.com", uses: 1 });
    expect(
      applyDiscounts({ ...CART, codes: ["ONCE"], customerKey: "ann@example.com" }, [candidate!])
        .rejectedCodes,
    ).toEqual([{ code: "ONCE", reason: "usage_limit" }]);

    await order("ord_c", "bob@example.com", d.id);
    expect(await usage(d.id)).toEqual({ times_used: 2, redemptions: 2 });
  });

  it("refuses all of an order's discounts when one is at its limit, even outside a transaction", async () => {
    const open = await make({ title: "open" });
    const full = await make({ title: "full", usageLimit: 1 });
    await order("ord_f1", "cus_1", full.id);
    const attempt = redeem(ctx(), {
      orderId: "ord_f2",
      customerKey: "cus_2",
      currency: "USD",
      applied: [
        { discountId: open.id, amount: 100 },
        { discountId: full.id, amount: 100 },
      ],
    });
    await expect(attempt).rejects.toMatchObject({ status: 409, details: { discountIds: [full.id] } });
    expect(await usage(open.id)).toEqual({ times_used: 0, redemptions: 0 });
    expect(await usage(full.id)).toEqual({ times_used: 1, redemptions: 1 });
    await expect(order("ord_x", "cus_1", "disc_missing")).rejects.toMatchObject({
      code: "discount.unavailable",
    });
  });

  it("gives the uses of a cancelled order back, once", async () => {
    const d = await make({ code: "BACK", usageLimit: 1, perCustomerLimit: 1 });
    await order("ord_r", "cus_r", d.id);
    statements = 0;
    expect(await releaseRedemption(counted, "ord_r")).toBe(1);
    expect(statements).toBe(1);
    expect(await releaseRedemption(ctx(), "ord_r")).toBe(0);
    expect(await usage(d.id)).toEqual({ times_used: 0, redemptions: 0 });
    // Usable again, by the same customer.
    await order("ord_r2", "cus_r", d.id);
    expect((await getDiscount(ctx(), "back")).timesUsed).toBe(1);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("usage limits under concurrency (PostgreSQL)", () => {
  it("lets exactly 5 of 20 simultaneous orders use a code limited to 5", async () => {
    const d = await make({ code: "FIVE", usageLimit: 5 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => order(`ord_c${i}`, `cus_c${i}`, d.id)),
    );
    const rejected = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const r of rejected) expect(r.reason).toMatchObject({ code: "discount.usage_limit_reached" });
    expect(await usage(d.id)).toEqual({ times_used: 5, redemptions: 5 });
  });

  it("lets one customer use a once-per-customer code once, however many orders race", async () => {
    const d = await make({ code: "MINE", perCustomerLimit: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => order(`ord_p${i}`, "racer@example.com", d.id)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await usage(d.id)).toEqual({ times_used: 1, redemptions: 1 });
  });
});
