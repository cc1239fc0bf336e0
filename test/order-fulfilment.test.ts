import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminApi,
  adminOrder,
  count,
  deliver,
  events,
  fulfil,
  placeOrder,
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

/** A paid US order of 3 × A ($20) and 1 × B ($10). */
async function paidOrder() {
  const a = await product(world, 2000, { "us-ontario": 10 }, "FUL-A");
  const b = await product(world, 1000, { "us-ontario": 10 }, "FUL-B");
  const placed = await placeOrder(world.app, {
    market: "us",
    country: "US",
    items: [
      { variant: a.sku, quantity: 3 },
      { variant: b.sku, quantity: 1 },
    ],
  });
  expect(placed.order.status).toBe("paid");
  const order = await adminOrder(world.app, placed.order.id);
  const [lineA, lineB] = order.lines as { id: string; sku: string }[];
  expect([lineA!.sku, lineB!.sku]).toEqual([a.sku, b.sku]);
  return { id: placed.order.id, lineA: lineA!.id, lineB: lineB!.id };
}

/** Everything a fulfilment call may write, to show that a refused call wrote nothing. */
async function footprint(orderId: string) {
  const [order] = await rows(
    world.database,
    sql`select status, fulfillment_status, updated_at from orders where id = ${orderId}`,
  );
  return {
    order,
    shipments: await count(world.database, sql`select 1 from fulfillments where order_id = ${orderId}`),
    shipped: await rows(
      world.database,
      sql`select id, fulfilled_quantity from order_lines where order_id = ${orderId} order by position`,
    ),
    timeline: await count(world.database, sql`select 1 from order_events where order_id = ${orderId}`),
    events: await count(
      world.database,
      sql`select 1 from outbox_events where payload->>'orderId' = ${orderId}`,
    ),
  };
}

describe("fulfilment", () => {
  it("ships part of a line, then the rest, and delivers the order only when every shipment arrived", async () => {
    const order = await paidOrder();

    const first = await fulfil(world.app, order.id, {
      carrier: "UPS",
      items: [{ lineId: order.lineA, quantity: 2 }],
    });
    expect(first.statusCode, first.body).toBe(201);
    const shipment1 = json(first);
    expect(shipment1).toMatchObject({
      orderId: order.id,
      status: "shipped",
      carrier: "UPS",
      trackingNumber: "1Z999AA10123456784",
      items: [{ lineId: order.lineA, quantity: 2 }],
      deliveredAt: null,
    });
    let o = await adminOrder(world.app, order.id);
    expect(o.status).toBe("partially_fulfilled");
    expect(o.fulfillmentStatus).toBe("partially_fulfilled");
    expect(o.lines.map((l: { fulfilledQuantity: number }) => l.fulfilledQuantity)).toEqual([2, 0]);

    // The first parcel arrives while the rest has not shipped: the order is not delivered.
    const arrived1 = await deliver(world.app, order.id, shipment1.id);
    expect(arrived1.statusCode, arrived1.body).toBe(200);
    expect(json(arrived1)).toMatchObject({ id: shipment1.id, status: "delivered" });
    expect(json(arrived1).deliveredAt).not.toBeNull();
    expect((await adminOrder(world.app, order.id)).status).toBe("partially_fulfilled");

    // Without items: everything not yet shipped (1 × A, 1 × B).
    const second = await fulfil(world.app, order.id, { carrier: "USPS" });
    expect(second.statusCode, second.body).toBe(201);
    const shipment2 = json(second);
    expect(shipment2.items).toEqual([
      { lineId: order.lineA, quantity: 1 },
      { lineId: order.lineB, quantity: 1 },
    ]);
    o = await adminOrder(world.app, order.id);
    expect(o.status).toBe("fulfilled");
    expect(o.lines.map((l: { fulfilledQuantity: number }) => l.fulfilledQuantity)).toEqual([3, 1]);
    expect(await events(world.database, "order.delivered", order.id)).toHaveLength(0);

    const arrived2 = await deliver(world.app, order.id, shipment2.id);
    expect(arrived2.statusCode, arrived2.body).toBe(200);
    o = await adminOrder(world.app, order.id);
    expect(o.status).toBe("delivered");
    expect(o.fulfillmentStatus).toBe("delivered");
    expect(o.paymentStatus).toBe("paid");
    expect(o.fulfillments.map((f: { id: string; status: string }) => [f.id, f.status])).toEqual([
      [shipment1.id, "delivered"],
      [shipment2.id, "delivered"],
    ]);

    const created = await events(world.database, "fulfillment.created", order.id);
    expect(created.map((e) => e.payload)).toEqual([
      {
        orderId: order.id,
        fulfillmentId: shipment1.id,
        items: [{ lineId: order.lineA, quantity: 2 }],
        carrier: "UPS",
        trackingNumber: "1Z999AA10123456784",
      },
      {
        orderId: order.id,
        fulfillmentId: shipment2.id,
        items: [
          { lineId: order.lineA, quantity: 1 },
          { lineId: order.lineB, quantity: 1 },
        ],
        carrier: "USPS",
        trackingNumber: "1Z999AA10123456784",
      },
    ]);
    expect((await events(world.database, "order.delivered", order.id)).map((e) => e.payload)).toEqual([
      { orderId: order.id },
    ]);
    expect(
      o.timeline.map((t: { type: string; data: { fulfillmentId?: string } }) => [
        t.type,
        t.data.fulfillmentId ?? null,
      ]),
    ).toEqual([
      ["placed", null],
      ["paid", null],
      ["fulfillment_created", shipment1.id],
      ["fulfillment_delivered", shipment1.id],
      ["fulfillment_created", shipment2.id],
      ["fulfillment_delivered", shipment2.id],
    ]);
    expect(o.timeline[2].data).toMatchObject({ carrier: "UPS", trackingNumber: "1Z999AA10123456784" });
    expect(o.timeline[2].actor).toBe("admin:bootstrap");
  });

  it("ships one whole line at a time and waits for both parcels before delivering", async () => {
    const order = await paidOrder();
    const one = json(await fulfil(world.app, order.id, { items: [{ lineId: order.lineB, quantity: 1 }] }));
    expect((await adminOrder(world.app, order.id)).status).toBe("partially_fulfilled");
    const two = json(await fulfil(world.app, order.id, { items: [{ lineId: order.lineA, quantity: 3 }] }));
    expect((await adminOrder(world.app, order.id)).status).toBe("fulfilled");
    await deliver(world.app, order.id, two.id);
    expect((await adminOrder(world.app, order.id)).status).toBe("fulfilled");
    expect(await events(world.database, "order.delivered", order.id)).toHaveLength(0);
    await deliver(world.app, order.id, one.id);
    expect((await adminOrder(world.app, order.id)).status).toBe("delivered");
    expect(await events(world.database, "order.delivered", order.id)).toHaveLength(1);
    expect(await events(world.database, "fulfillment.created", order.id)).toHaveLength(2);
  });

  it("refuses bad quantities, unknown lines and warehouses with stable codes and writes nothing", async () => {
    const order = await paidOrder();
    const other = await paidOrder();
    expect(
      (await fulfil(world.app, order.id, { items: [{ lineId: order.lineA, quantity: 1 }] })).statusCode,
    ).toBe(201);
    const before = await footprint(order.id);

    const cases: [object, number, string][] = [
      // 3 ordered, 1 shipped: 2 left.
      [{ items: [{ lineId: order.lineA, quantity: 3 }] }, 400, "fulfillment.invalid_quantity"],
      [{ items: [{ lineId: order.lineA, quantity: 0 }] }, 400, "validation.failed"],
      [{ items: [{ lineId: order.lineA, quantity: -1 }] }, 400, "validation.failed"],
      [{ items: [{ lineId: order.lineA, quantity: 1.5 }] }, 400, "validation.failed"],
      [{ items: [] }, 400, "validation.failed"],
      [{ items: [{ lineId: other.lineA, quantity: 1 }] }, 400, "fulfillment.unknown_line"],
      [{ items: [{ lineId: "line_nope", quantity: 1 }] }, 400, "fulfillment.unknown_line"],
      [
        {
          items: [
            { lineId: order.lineA, quantity: 1 },
            { lineId: order.lineA, quantity: 1 },
          ],
        },
        400,
        "fulfillment.duplicate_line",
      ],
      // A valid line first, then a bad one: the valid one must not be written either.
      [
        {
          items: [
            { lineId: order.lineB, quantity: 1 },
            { lineId: order.lineA, quantity: 5 },
          ],
        },
        400,
        "fulfillment.invalid_quantity",
      ],
      [{ warehouse: "nowhere" }, 404, "warehouse.not_found"],
    ];
    for (const [input, status, code] of cases) {
      const res = await fulfil(world.app, order.id, input);
      expect(res.statusCode, `${JSON.stringify(input)}: ${res.body}`).toBe(status);
      expect(json(res).error.code).toBe(code);
    }
    const missingCarrier = await adminApi(world.app).post(`/orders/${order.id}/fulfillments`, {
      warehouse: "us-ontario",
    });
    expect(missingCarrier.statusCode).toBe(400);
    expect(json(missingCarrier).error.code).toBe("validation.failed");

    expect(await footprint(order.id)).toEqual(before);
  });

  it("refuses to ship an unknown order, an unpaid order, a cancelled order or an order with nothing left", async () => {
    const unknown = await fulfil(world.app, "ord_00000000000000000000000000");
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe("order.not_found");

    const boletoProduct = await product(world, 3000, { "us-ontario": 5 }, "FUL-BOLETO");
    const boleto = await placeOrder(world.app, {
      market: "br",
      country: "BR",
      items: [{ variant: boletoProduct.sku, quantity: 1 }],
      payment: { method: "boleto" },
    });
    expect(boleto.payment.status).toBe("pending");
    const unpaidBefore = await footprint(boleto.order.id);
    const unpaid = await fulfil(world.app, boleto.order.id);
    expect(unpaid.statusCode).toBe(409);
    expect(json(unpaid).error.code).toBe("order.not_paid");
    expect(await footprint(boleto.order.id)).toEqual(unpaidBefore);

    const cancelledOrder = await paidOrder();
    const cancelled = await adminApi(world.app).post(`/orders/${cancelledOrder.id}/cancel`, {
      reason: "customer_request",
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const cancelledBefore = await footprint(cancelledOrder.id);
    const refused = await fulfil(world.app, cancelledOrder.id);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.code).toBe("order.cancelled");
    expect(await footprint(cancelledOrder.id)).toEqual(cancelledBefore);

    const shipped = await paidOrder();
    expect((await fulfil(world.app, shipped.id)).statusCode).toBe(201);
    const shippedBefore = await footprint(shipped.id);
    const again = await fulfil(world.app, shipped.id);
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe("fulfillment.nothing_to_ship");
    const more = await fulfil(world.app, shipped.id, { items: [{ lineId: shipped.lineB, quantity: 1 }] });
    expect(more.statusCode).toBe(400);
    expect(json(more).error.code).toBe("fulfillment.invalid_quantity");
    expect(await footprint(shipped.id)).toEqual(shippedBefore);
  });

  it("answers 404 for delivering a shipment that is not the order's", async () => {
    const order = await paidOrder();
    const other = await paidOrder();
    const shipment = json(await fulfil(world.app, other.id));
    const before = await footprint(order.id);
    for (const id of [shipment.id, "ful_unknown"]) {
      const res = await deliver(world.app, order.id, id);
      expect(res.statusCode).toBe(404);
      expect(json(res).error.code).toBe("fulfillment.not_found");
    }
    expect(await footprint(order.id)).toEqual(before);
    const [otherShipment] = await rows(
      world.database,
      sql`select status from fulfillments where id = ${shipment.id}`,
    );
    expect(otherShipment).toEqual({ status: "shipped" });
  });
});
