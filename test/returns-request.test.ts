import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/client.ts";
import {
  adminApi,
  adminOrder,
  events,
  fulfil,
  placeOrder,
  product,
  shipAndDeliver,
  startWorld,
  stopWorld,
  storeApi,
  type World,
  warehouseId,
} from "./support/lifecycle.ts";
import {
  deliveredOrder,
  type ReturnItem,
  requestReturn,
  returnActions,
  returnsFootprint,
} from "./support/returns.ts";
import { json } from "./support/selling.ts";

let world: World;
let _actions: ReturnType<typeof returnActions>;

beforeAll(async () => {
  world = await startWorld();
  _actions = returnActions(world.app);
});
afterAll(() => stopWorld(world));

describe("requesting a return", () => {
  it("opens a return within the window, routed to the nearest warehouse that accepts returns", async () => {
    const o = await deliveredOrder(world, 2);
    const res = await requestReturn(world.app, o.order.id, {
      items: [{ lineId: o.lineId, quantity: 1, reason: "size_too_small", note: "Runs small" }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const ret = json(res);
    // A guest's order and its return belong to the guest customer record for the order's email.
    const [owner] = await queryRows<{ customer_id: string }>(
      world.database.db,
      sql`select customer_id from orders where id = ${o.order.id}`,
    );
    expect(owner?.customer_id).toMatch(/^cus_/);
    expect(ret).toMatchObject({
      id: expect.stringMatching(/^ret_/),
      orderId: o.order.id,
      customerId: owner!.customer_id,
      status: "requested",
      refundMethod: "original",
      warehouseId: await warehouseId(world.database, "us-ontario"),
      autoApproved: false,
      currency: "USD",
      amount: 3000,
      approvedAt: null,
      requestToRefundSeconds: null,
    });
    expect(ret.lines).toEqual([
      expect.objectContaining({
        orderLineId: o.lineId,
        variantId: o.item.variantId,
        quantity: 1,
        reason: "size_too_small",
        note: "Runs small",
        amount: 3000,
        restockedQuantity: 0,
        writtenOffQuantity: 0,
      }),
    ]);
    expect((await events(world.database, "return.requested", o.order.id)).map((e) => e.payload)).toEqual([
      { returnId: ret.id, orderId: o.order.id, amount: 3000, currency: "USD", autoApproved: false },
    ]);
    const listed = await storeApi(world.app).get(`/orders/${o.order.id}/returns`);
    expect(json(listed).items.map((r: { id: string }) => r.id)).toEqual([ret.id]);
    const admin = await adminApi(world.app).get(`/returns/${ret.id}`);
    expect(json(admin)).toMatchObject({ id: ret.id, status: "requested", amount: 3000 });
  });

  it("sends a UK return to Tilbury, or to Duisburg when Tilbury takes no returns", async () => {
    const item = await product(world, 4000, { "eu-duisburg": 10 }, "RET-GB");
    const ukOrder = async () => {
      const placed = await placeOrder(world.app, {
        market: "gb",
        country: "GB",
        items: [{ variant: item.sku, quantity: 1 }],
      });
      await shipAndDeliver(world.app, placed.order.id, "eu-duisburg");
      return { id: placed.order.id, lineId: (await adminOrder(world.app, placed.order.id)).lines[0].id };
    };
    const first = await ukOrder();
    const near = await requestReturn(world.app, first.id, {
      items: [{ lineId: first.lineId, quantity: 1, reason: "damaged" }],
    });
    expect(near.statusCode, near.body).toBe(201);
    // Shipped from Duisburg, but Tilbury's lane to GB (£3.90) is cheaper than Duisburg's (€12.90).
    expect(json(near).warehouseId).toBe(await warehouseId(world.database, "uk-tilbury"));

    const patched = await adminApi(world.app).patch("/warehouses/uk-tilbury", { acceptsReturns: false });
    expect(patched.statusCode, patched.body).toBe(200);
    try {
      const second = await ukOrder();
      const far = await requestReturn(world.app, second.id, {
        items: [{ lineId: second.lineId, quantity: 1, reason: "damaged" }],
      });
      expect(far.statusCode, far.body).toBe(201);
      expect(json(far).warehouseId).toBe(await warehouseId(world.database, "eu-duisburg"));
    } finally {
      await adminApi(world.app).patch("/warehouses/uk-tilbury", { acceptsReturns: true });
    }
  });

  it("refuses more units than shipped and not yet in a return, with 409 and nothing written", async () => {
    const item = await product(world, 3000, { "us-ontario": 10 }, "RET-QTY");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 3 }],
    });
    const lineId = (await adminOrder(world.app, placed.order.id)).lines[0].id;
    const notShipped = await requestReturn(world.app, placed.order.id, {
      items: [{ lineId, quantity: 1, reason: "other" }],
    });
    expect(notShipped.statusCode).toBe(409);
    expect(json(notShipped).error.code).toBe("returns.not_shipped");

    // One of three units shipped.
    expect((await fulfil(world.app, placed.order.id, { items: [{ lineId, quantity: 1 }] })).statusCode).toBe(
      201,
    );
    const empty = await returnsFootprint(world, placed.order.id);
    const tooMany = await requestReturn(world.app, placed.order.id, {
      items: [{ lineId, quantity: 2, reason: "other" }],
    });
    expect(tooMany.statusCode).toBe(409);
    expect(json(tooMany).error).toMatchObject({
      code: "returns.quantity_not_returnable",
      details: { lineId, returnable: 1 },
    });
    expect(await returnsFootprint(world, placed.order.id)).toEqual(empty);

    const other = await deliveredOrder(world, 1);
    const cases: [object, number, string][] = [
      [{ items: [{ lineId: other.lineId, quantity: 1, reason: "other" }] }, 400, "returns.unknown_line"],
      [
        {
          items: [
            { lineId, quantity: 1, reason: "other" },
            { lineId, quantity: 1, reason: "other" },
          ],
        },
        400,
        "returns.duplicate_line",
      ],
      [{ items: [{ lineId, quantity: 0, reason: "other" }] }, 400, "validation.failed"],
      [{ items: [{ lineId, quantity: 1, reason: "bored" }] }, 400, "validation.failed"],
      [{ items: [] }, 400, "validation.failed"],
    ];
    for (const [body, status, code] of cases) {
      const res = await requestReturn(world.app, placed.order.id, body as { items: ReturnItem[] });
      expect(res.statusCode, res.body).toBe(status);
      expect(json(res).error.code).toBe(code);
    }
    expect(await returnsFootprint(world, placed.order.id)).toEqual(empty);

    expect(
      (await requestReturn(world.app, placed.order.id, { items: [{ lineId, quantity: 1, reason: "other" }] }))
        .statusCode,
    ).toBe(201);
    const one = await returnsFootprint(world, placed.order.id);
    // The shipped unit is already in an open return.
    const twice = await requestReturn(world.app, placed.order.id, {
      items: [{ lineId, quantity: 1, reason: "other" }],
    });
    expect(twice.statusCode).toBe(409);
    expect(json(twice).error).toMatchObject({
      code: "returns.quantity_not_returnable",
      details: { returnable: 0 },
    });

    expect(await returnsFootprint(world, placed.order.id)).toEqual(one);
  });

  it("closes the window 30 days after the last delivery", async () => {
    const o = await deliveredOrder(world, 1);
    await world.database.db.execute(
      sql`update fulfillments set delivered_at = now() - interval '31 days' where order_id = ${o.order.id}`,
    );
    const before = await returnsFootprint(world, o.order.id);
    const late = await requestReturn(world.app, o.order.id, {
      items: [{ lineId: o.lineId, quantity: 1, reason: "changed_mind" }],
    });
    expect(late.statusCode).toBe(409);
    expect(json(late).error.code).toBe("returns.window_closed");
    expect(await returnsFootprint(world, o.order.id)).toEqual(before);

    await world.database.db.execute(
      sql`update fulfillments set delivered_at = now() - interval '29 days' where order_id = ${o.order.id}`,
    );
    const inTime = await requestReturn(world.app, o.order.id, {
      items: [{ lineId: o.lineId, quantity: 1, reason: "changed_mind" }],
    });
    expect(inTime.statusCode, inTime.body).toBe(201);
  });

  it("approves automatically what the market's policy allows", async () => {
    const put = await adminApi(world.app).put("/markets/eu/return-policy", {
      windowDays: 14,
      autoApproveReasons: ["size_too_small", "size_too_large"],
      autoApproveMaxAmount: 10000,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(json(put)).toEqual({
      windowDays: 14,
      autoApproveReasons: ["size_too_small", "size_too_large"],
      autoApproveMaxAmount: 10000,
    });
    const bad = await adminApi(world.app).put("/markets/eu/return-policy", {
      windowDays: -1,
      autoApproveReasons: [],
      autoApproveMaxAmount: null,
    });
    expect(bad.statusCode).toBe(400);
    expect(json(await adminApi(world.app).get("/markets/eu/return-policy")).windowDays).toBe(14);

    const item = await product(world, 3000, { "eu-duisburg": 20 }, "RET-EU");
    const euOrder = async (quantity: number) => {
      const placed = await placeOrder(world.app, {
        market: "eu",
        country: "DE",
        items: [{ variant: item.sku, quantity }],
      });
      await shipAndDeliver(world.app, placed.order.id, "eu-duisburg");
      const order = await adminOrder(world.app, placed.order.id);
      return {
        id: order.id as string,
        line: order.lines[0] as { id: string; total: number; quantity: number },
      };
    };

    const small = await euOrder(1);
    const auto = json(
      await requestReturn(world.app, small.id, {
        items: [{ lineId: small.line.id, quantity: 1, reason: "size_too_small" }],
      }),
    );
    expect(auto).toMatchObject({
      status: "approved",
      autoApproved: true,
      amount: small.line.total,
      currency: "EUR",
    });
    expect(auto.approvedAt).not.toBeNull();
    expect(auto.warehouseId).toBe(await warehouseId(world.database, "eu-duisburg"));
    expect((await events(world.database, "return.requested", small.id))[0]!.payload.autoApproved).toBe(true);

    // A reason the policy does not list waits for a person.
    const damaged = await euOrder(1);
    const manual = json(
      await requestReturn(world.app, damaged.id, {
        items: [{ lineId: damaged.line.id, quantity: 1, reason: "damaged" }],
      }),
    );
    expect(manual).toMatchObject({ status: "requested", autoApproved: false });

    // Above the amount limit (4 units of €30-odd each > €100), too.
    const big = await euOrder(4);
    expect(big.line.total).toBeGreaterThan(10000);
    const large = json(
      await requestReturn(world.app, big.id, {
        items: [{ lineId: big.line.id, quantity: 4, reason: "size_too_large" }],
      }),
    );
    expect(large).toMatchObject({ status: "requested", autoApproved: false, amount: big.line.total });

    // The market's 14-day window applies.
    await world.database.db.execute(
      sql`update fulfillments set delivered_at = now() - interval '15 days' where order_id = ${damaged.id}`,
    );
    const closed = await requestReturn(world.app, damaged.id, {
      items: [{ lineId: damaged.line.id, quantity: 1, reason: "size_too_small" }],
    });
    expect(closed.statusCode).toBe(409);
    expect(json(closed).error.code).toBe("returns.window_closed");
  });

  it("values returned units at what was paid, split per unit without losing a cent", async () => {
    const code = await adminApi(world.app).post("/discounts", {
      code: "RET333",
      title: "3.33 % off",
      kind: "percentage",
      percentage: 333,
    });
    expect(code.statusCode, code.body).toBe(201);
    const item = await product(world, 1000, { "us-ontario": 10 }, "RET-SPLIT");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 3 }],
      discountCodes: ["RET333"],
    });
    await shipAndDeliver(world.app, placed.order.id);
    const line = (await adminOrder(world.app, placed.order.id)).lines[0];
    // 3 × $10.00 = 3000, 3.33 % = 99.9 → 100 off: the line cost 2900, i.e. 967 + 967 + 966.
    expect(line).toMatchObject({ quantity: 3, discount: 100, total: 2900 });
    const one = json(
      await requestReturn(world.app, placed.order.id, {
        items: [{ lineId: line.id, quantity: 1, reason: "other" }],
      }),
    );
    expect(one.amount).toBe(967);
    const two = json(
      await requestReturn(world.app, placed.order.id, {
        items: [{ lineId: line.id, quantity: 2, reason: "other" }],
      }),
    );
    expect(two.amount).toBe(967 + 966);
  });
});
