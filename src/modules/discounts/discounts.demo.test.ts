import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ctxOf, makeProduct, setupShop } from "../../../test/support/fixtures.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { transaction } from "../../kernel/context.ts";
import { getMarket } from "../markets/index.ts";
import { applyDiscounts } from "./discounts.apply.ts";
import { loadCandidates } from "./discounts.checkout.ts";
import { seedDemoDiscounts } from "./discounts.demo.ts";
import { line, NOW } from "./discounts.fixtures.ts";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await setupShop(ctxOf(database));
});
afterAll(() => database.close());

describe("demo discounts", () => {
  it("seeds codes and the socks offer, which combine as configured", async () => {
    const ctx = ctxOf(database);
    const socks = await makeProduct(ctx, { handle: "merino-hiking-socks" });
    const seeded = await transaction(ctx, (tx) => seedDemoDiscounts(tx));
    expect(seeded.map((d) => d.code)).toEqual(["WELCOME10", "FREESHIP", "TRAIL15", null]);
    const us = await getMarket(ctx, "us");
    const codes = ["welcome10", "freeship"];
    const candidates = await loadCandidates(ctx, { marketId: us.id, codes, now: NOW, customerKey: "cus_1" });
    const result = applyDiscounts(
      {
        currency: "USD",
        marketId: us.id,
        now: NOW,
        customerKey: "cus_1",
        codes,
        shippingAmount: 500,
        lines: [line("socks", socks.id, 2200, 4)],
      },
      candidates,
    );
    // 4 pairs: one free (2200); 10 % of the remaining 6600 (660); free shipping over $75 (500).
    expect(result.applied.map((a) => [a.code, a.amount])).toEqual([
      [null, 2200],
      ["WELCOME10", 660],
      ["FREESHIP", 500],
    ]);
    expect(result.totalDiscount).toBe(3360);
  });
});
