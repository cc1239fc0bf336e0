import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminApi,
  adminOrder,
  count,
  events,
  level,
  paymentRecords,
  registerCustomer,
  rows,
  startWorld,
  stopWorld,
  storeApi,
  type World,
} from "./support/lifecycle.ts";
import { deliveredOrder, requestReturn, returnActions, returnsFootprint } from "./support/returns.ts";
import { json } from "./support/selling.ts";

let world: World;
let actions: ReturnType<typeof returnActions>;

beforeAll(async () => {
  world = await startWorld();
  actions = returnActions(world.app);
});
afterAll(() => stopWorld(world));

describe("handling a return", () => {
  it("approves or rejects a requested return, and only from the right states", async () => {
    const o = await deliveredOrder(world, 2);
    const a = json(
      await requestReturn(world.app, o.order.id, {
        items: [{ lineId: o.lineId, quantity: 1, reason: "defective" }],
      }),
    );
    const b = json(
      await requestReturn(world.app, o.order.id, {
        items: [{ lineId: o.lineId, quantity: 1, reason: "defective" }],
      }),
    );

    const approved = await actions.approve(a.id);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(json(approved)).toMatchObject({ id: a.id, status: "approved" });
    expect(json(approved).approvedAt).not.toBeNull();
    const approvedTwice = await actions.approve(a.id);
    expect(approvedTwice.statusCode).toBe(409);
    expect(json(approvedTwice).error).toMatchObject({
      code: "returns.invalid_transition",
      details: { status: "approved" },
    });

    const notApproved = await actions.receive(b.id, [{ lineId: b.lines[0].id, restock: 1, writeOff: 0 }]);
    expect(notApproved.statusCode).toBe(409);
    expect(json(notApproved).error.code).toBe("returns.invalid_transition");

    const rejected = await actions.reject(b.id, "Outside our quality guarantee");
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(json(rejected)).toMatchObject({
      status: "rejected",
      rejectionReason: "Outside our quality guarantee",
    });
    for (const res of [await actions.reject(b.id, "again"), await actions.approve(b.id)]) {
      expect(res.statusCode).toBe(409);
      expect(json(res).error.code).toBe("returns.invalid_transition");
    }
    const noReason = await adminApi(world.app).post(`/returns/${a.id}/reject`, {});
    expect(noReason.statusCode).toBe(400);

    // An approved return can still be rejected (the goods never came).
    expect(json(await actions.reject(a.id, "Never sent")).status).toBe("rejected");
    // Rejected returns free their units for a new request.
    const again = await requestReturn(world.app, o.order.id, {
      items: [{ lineId: o.lineId, quantity: 2, reason: "defective" }],
    });
    expect(again.statusCode, again.body).toBe(201);

    const unknown = await actions.approve("ret_00000000000000000000000000");
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe("return.not_found");
  });

  it("receives the goods, restocks the sellable units and refunds to the original payment", async () => {
    const o = await deliveredOrder(world, 2);
    expect(o.order.total).toBe(6000 + 595);
    expect(await level(world.database, o.item.variantId, "us-ontario")).toEqual({ on_hand: 8, reserved: 0 });
    const ret = json(
      await requestReturn(world.app, o.order.id, {
        items: [{ lineId: o.lineId, quantity: 2, reason: "not_as_described" }],
      }),
    );
    expect(ret.amount).toBe(6000);
    expect(json(await actions.approve(ret.id)).status).toBe("approved");
    const returnLine = ret.lines[0].id;

    const refusals: [object[], number, string][] = [
      [[{ lineId: returnLine, restock: 1, writeOff: 0 }], 400, "returns.inspection_mismatch"],
      [[{ lineId: returnLine, restock: 2, writeOff: 1 }], 400, "returns.inspection_mismatch"],
      [[{ lineId: "rli_other", restock: 1, writeOff: 1 }], 400, "returns.line_missing"],
      [
        [
          { lineId: returnLine, restock: 1, writeOff: 1 },
          { lineId: "rli_other", restock: 0, writeOff: 0 },
        ],
        400,
        "returns.unknown_line",
      ],
      [[{ lineId: returnLine, restock: -1, writeOff: 3 }], 400, "validation.failed"],
    ];
    for (const [items, status, code] of refusals) {
      const res = await actions.receive(
        ret.id,
        items as { lineId: string; restock: number; writeOff: number }[],
      );
      expect(res.statusCode, res.body).toBe(status);
      expect(json(res).error.code).toBe(code);
    }
    expect(json(await adminApi(world.app).get(`/returns/${ret.id}`)).status).toBe("approved");
    expect(await level(world.database, o.item.variantId, "us-ontario")).toEqual({ on_hand: 8, reserved: 0 });

    const received = await actions.receive(ret.id, [{ lineId: returnLine, restock: 1, writeOff: 1 }]);
    expect(received.statusCode, received.body).toBe(200);
    expect(json(received)).toMatchObject({ status: "received" });
    expect(json(received).receivedAt).not.toBeNull();
    expect(json(received).lines).toEqual([
      expect.objectContaining({ id: returnLine, quantity: 2, restockedQuantity: 1, writtenOffQuantity: 1 }),
    ]);
    expect(await level(world.database, o.item.variantId, "us-ontario")).toEqual({ on_hand: 9, reserved: 0 });
    expect(
      await rows(
        world.database,
        sql`select delta, reason, reference from inventory_adjustments where variant_id = ${o.item.variantId} and reason = 'returned'`,
      ),
    ).toEqual([{ delta: 1, reason: "returned", reference: `return:${ret.id}` }]);
    expect((await adminOrder(world.app, o.order.id)).lines[0]).toMatchObject({
      quantity: 2,
      fulfilledQuantity: 2,
      returnedQuantity: 2,
    });
    expect((await events(world.database, "return.received", o.order.id)).map((e) => e.payload)).toEqual([
      { returnId: ret.id, orderId: o.order.id },
    ]);
    const twice = await actions.receive(ret.id, [{ lineId: returnLine, restock: 2, writeOff: 0 }]);
    expect(twice.statusCode).toBe(409);
    expect(await level(world.database, o.item.variantId, "us-ontario")).toEqual({ on_hand: 9, reserved: 0 });

    // The request was two days ago.
    await world.database.db.execute(
      sql`update returns set requested_at = now() - interval '2 days' where id = ${ret.id}`,
    );
    const tooMuch = await actions.refund(ret.id, { amount: 6001 });
    expect(tooMuch.statusCode).toBe(400);
    expect(json(tooMuch).error.code).toBe("returns.invalid_refund_amount");
    const refunded = await actions.refund(ret.id);
    expect(refunded.statusCode, refunded.body).toBe(200);
    const done = json(refunded);
    expect(done).toMatchObject({ status: "refunded", refundedAmount: 6000 });
    expect(done.requestToRefundSeconds).toBeGreaterThanOrEqual(2 * 86_400);
    expect(done.requestToRefundSeconds).toBeLessThan(2 * 86_400 + 60);

    const refunds = await rows(
      world.database,
      sql`select id, amount::int, idempotency_key, reason from refunds where order_id = ${o.order.id}`,
    );
    expect(refunds).toEqual([
      { id: done.refundReference, amount: 6000, idempotency_key: `return:${ret.id}`, reason: "return" },
    ]);
    expect(await adminOrder(world.app, o.order.id)).toMatchObject({
      status: "partially_refunded",
      paymentStatus: "partially_refunded",
      refundedTotal: 6000,
    });
    const { gateway } = await paymentRecords(world.database, o.payment.id);
    expect(gateway).toMatchObject({ status: "partially_refunded", refunded_amount: 6000 });
    expect((await events(world.database, "refund.issued", o.order.id)).map((e) => e.payload.amount)).toEqual([
      6000,
    ]);

    const again = await actions.refund(ret.id);
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe("returns.invalid_transition");
    expect(await count(world.database, sql`select 1 from refunds where order_id = ${o.order.id}`)).toBe(1);
  });

  it("refunds a signed-in customer's return as store credit", async () => {
    const customer = await registerCustomer(world.app, "credit-returns@example.com");
    const o = await deliveredOrder(world, 1, { token: customer.token, email: "credit-returns@example.com" });
    expect((await adminOrder(world.app, o.order.id)).customerId).toBe(customer.id);

    const res = await requestReturn(
      world.app,
      o.order.id,
      { items: [{ lineId: o.lineId, quantity: 1, reason: "changed_mind" }], refundMethod: "store_credit" },
      customer.token,
    );
    expect(res.statusCode, res.body).toBe(201);
    const ret = json(res);
    expect(ret).toMatchObject({ customerId: customer.id, refundMethod: "store_credit", amount: 3000 });
    await actions.approve(ret.id);
    await actions.receive(ret.id, [{ lineId: ret.lines[0].id, restock: 1, writeOff: 0 }]);
    const refunded = await actions.refund(ret.id);
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(json(refunded)).toMatchObject({ status: "refunded", refundedAmount: 3000 });

    const credit = await rows(
      world.database,
      sql`select id, amount::int, currency, reason, reference from store_credit_entries where customer_id = ${customer.id}`,
    );
    expect(credit).toEqual([
      {
        id: json(refunded).refundReference,
        amount: 3000,
        currency: "USD",
        reason: "return",
        reference: `return:${ret.id}`,
      },
    ]);
    expect((await events(world.database, "refund.issued", o.order.id)).map((e) => e.payload)).toEqual([
      { refundId: credit[0]!.id, orderId: o.order.id, amount: 3000, currency: "USD", method: "store_credit" },
    ]);
    expect(await adminOrder(world.app, o.order.id)).toMatchObject({
      paymentStatus: "partially_refunded",
      refundedTotal: 3000,
    });
    // No money went back through the card.
    expect(await count(world.database, sql`select 1 from refunds where order_id = ${o.order.id}`)).toBe(0);
    expect(await paymentRecords(world.database, o.payment.id)).toMatchObject({
      gateway: { refunded_amount: 0 },
    });
  });

  it("refuses store credit to a guest, and another customer's return request", async () => {
    const guest = await deliveredOrder(world, 1);
    const before = await returnsFootprint(world, guest.order.id);
    const res = await requestReturn(world.app, guest.order.id, {
      items: [{ lineId: guest.lineId, quantity: 1, reason: "changed_mind" }],
      refundMethod: "store_credit",
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe("returns.store_credit_needs_account");
    expect(await returnsFootprint(world, guest.order.id)).toEqual(before);

    const owner = await registerCustomer(world.app, "owner-returns@example.com");
    const stranger = await registerCustomer(world.app, "stranger-returns@example.com");
    const theirs = await deliveredOrder(world, 1, { token: owner.token, email: "owner-returns@example.com" });
    const denied = await requestReturn(
      world.app,
      theirs.order.id,
      { items: [{ lineId: theirs.lineId, quantity: 1, reason: "changed_mind" }] },
      stranger.token,
    );
    expect(denied.statusCode).toBe(404);
    expect(json(denied).error.code).toBe("order.not_found");
    const list = await storeApi(world.app).get(`/orders/${theirs.order.id}/returns`, stranger.token);
    expect(list.statusCode).toBe(404);
    expect(await returnsFootprint(world, theirs.order.id)).toEqual({ returns: [], lines: 0, events: 0 });
  });
});
