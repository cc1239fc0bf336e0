import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminApi,
  adminOrder,
  CARD,
  cart,
  completeCart,
  level,
  product,
  rows,
  startWorld,
  stopWorld,
  type World,
} from "./support/lifecycle.ts";
import { json } from "./support/selling.ts";

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => stopWorld(world));

async function discount(body: object) {
  const res = await adminApi(world.app).post("/discounts", body);
  expect(res.statusCode, res.body).toBe(201);
  return json(res) as { id: string; code: string };
}

const byCode = <T extends { code: string }>(list: T[]) =>
  [...list].sort((a, b) => a.code.localeCompare(b.code));

describe("discount codes at checkout", () => {
  it("applies a percentage code and free shipping to the cart and keeps them on the order", async () => {
    const pct = await discount({
      code: "SPRING15",
      title: "Spring 15 %",
      kind: "percentage",
      percentage: 1500,
      combinesWith: { shipping: true },
    });
    const ship = await discount({
      code: "SHIPFREE",
      title: "Free shipping",
      kind: "free_shipping",
      combinesWith: { order: true },
    });
    const jacket = await product(world, 3000, { "us-ontario": 10 }, "DSC-J");
    const socks = await product(world, 1500, { "us-ontario": 10 }, "DSC-S");

    const c = await cart(world.app, {
      market: "us",
      country: "US",
      items: [
        { variant: jacket.sku, quantity: 1 },
        { variant: socks.sku, quantity: 2 },
      ],
      discountCodes: ["spring15", "ShipFree"],
    });
    // Subtotal 3000 + 2 × 1500 = 6000; 15 % = 900, split 450/450 over the two lines (3000 each).
    // 1.5 kg ships standard for 995 (the $75 free-shipping threshold looks at 6000 − 900 = 5100);
    // the free-shipping code takes all 995. No US sales tax.
    expect(c.discounts.rejectedCodes).toEqual([]);
    expect(
      byCode<{ code: string; amount: number }>(c.discounts.applied).map((d) => [d.code, d.amount]),
    ).toEqual([
      ["SHIPFREE", 995],
      ["SPRING15", 900],
    ]);
    expect(c.lines.map((l: { discount: number; total: number }) => [l.discount, l.total])).toEqual([
      [450, 2550],
      [450, 2550],
    ]);
    expect(c.shippingMethod).toMatchObject({ code: "standard", amount: 995, discount: 995 });
    expect(c.totals).toMatchObject({ subtotal: 6000, discount: 900, shipping: 0, tax: 0, total: 5100 });

    const res = await completeCart(world.app, c.id, CARD);
    expect(res.statusCode, res.body).toBe(201);
    const { order: placed, payment } = json(res);
    expect(payment.amount).toBe(5100);
    const order = await adminOrder(world.app, placed.id);
    expect(order).toMatchObject({
      subtotal: 6000,
      discountTotal: 900 + 995,
      shippingTotal: 0,
      taxTotal: 0,
      total: 5100,
      status: "paid",
    });
    expect(order.shippingMethod).toMatchObject({ code: "standard", amount: 995, discount: 995 });
    expect(byCode(order.snapshot.discounts)).toEqual([
      { discountId: ship.id, code: "SHIPFREE", title: "Free shipping", amount: 995 },
      { discountId: pct.id, code: "SPRING15", title: "Spring 15 %", amount: 900 },
    ]);
    expect(order.lines.map((l: { discount: number; total: number }) => [l.discount, l.total])).toEqual([
      [450, 2550],
      [450, 2550],
    ]);

    const redemptions = await rows(
      world.database,
      sql`select r.discount_id, r.amount::int, r.currency, d.times_used from discount_redemptions r
          join discounts d on d.id = r.discount_id where r.order_id = ${placed.id} order by r.amount`,
    );
    expect(redemptions).toEqual([
      { discount_id: pct.id, amount: 900, currency: "USD", times_used: 1 },
      { discount_id: ship.id, amount: 995, currency: "USD", times_used: 1 },
    ]);

    // Later changes to the discount do not touch the order.
    await adminApi(world.app).patch(`/discounts/${pct.id}`, { percentage: 5000 });
    expect((await adminOrder(world.app, placed.id)).snapshot.discounts).toEqual(order.snapshot.discounts);
  });

  it("never redeems a one-use code twice, even for simultaneous checkouts", async () => {
    const once = await discount({
      code: "ONEUSE",
      title: "10 % once",
      kind: "percentage",
      percentage: 1000,
      usageLimit: 1,
    });
    const item = await product(world, 2000, { "us-ontario": 10 }, "DSC-RACE");
    const carts = [];
    for (const email of ["race1@example.com", "race2@example.com", "race3@example.com"])
      carts.push(
        await cart(world.app, {
          market: "us",
          country: "US",
          items: [{ variant: item.sku, quantity: 1 }],
          email,
          discountCodes: ["ONEUSE"],
        }),
      );
    // Every buyer saw 2000 − 200 + 595 shipping = 2395.
    expect(carts.map((c) => c.totals.total)).toEqual([2395, 2395, 2395]);
    const results = await Promise.all(carts.map((c) => completeCart(world.app, c.id, CARD)));
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const discounted = await rows(
      world.database,
      sql`select o.total::int from orders o join discount_redemptions r on r.order_id = o.id where r.discount_id = ${once.id}`,
    );
    expect(discounted).toEqual([{ total: 2395 }]);
    const [usage] = await rows(world.database, sql`select times_used from discounts where id = ${once.id}`);
    expect(usage).toEqual({ times_used: 1 });
    // No order was charged a discount it did not record, and refused checkouts hold no stock.
    const orders = await rows<{ total: number; discount_total: number }>(
      world.database,
      sql`select o.total::int, o.discount_total::int from orders o join order_lines l on l.order_id = o.id
          where l.variant_id = ${item.variantId} order by o.total`,
    );
    expect(orders.filter((o) => o.discount_total > 0)).toEqual([{ total: 2395, discount_total: 200 }]);
    const placed = results.filter((r) => r.statusCode === 201).length;
    expect(orders).toHaveLength(placed);
    expect(await level(world.database, item.variantId, "us-ontario")).toEqual({
      on_hand: 10 - placed,
      reserved: 0,
    });
  });
});
