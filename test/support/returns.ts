import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { App } from "../../src/http/app.ts";
import {
  adminApi,
  adminOrder,
  count,
  placeOrder,
  product,
  rows,
  shipAndDeliver,
  storeApi,
  type World,
} from "./lifecycle.ts";

export type ReturnItem = { lineId: string; quantity: number; reason: string; note?: string };

/** POST /store/v1/orders/:id/returns, as the signed-in customer when a token is given. */
export function requestReturn(
  app: App,
  orderId: string,
  body: { items: ReturnItem[]; refundMethod?: string },
  token?: string,
) {
  return storeApi(app).post(`/orders/${orderId}/returns`, body, token);
}

/** A delivered US card order of `quantity` × a $30 item (stock 10 at us-ontario). */
export async function deliveredOrder(
  world: World,
  quantity = 2,
  opts: { token?: string; email?: string } = {},
) {
  const item = await product(world, 3000, { "us-ontario": 10 }, "RET");
  const placed = await placeOrder(world.app, {
    market: "us",
    country: "US",
    items: [{ variant: item.sku, quantity }],
    ...opts,
  });
  const shipmentId = await shipAndDeliver(world.app, placed.order.id);
  const order = await adminOrder(world.app, placed.order.id);
  expect(order.status).toBe("delivered");
  return { ...placed, item, lineId: order.lines[0].id as string, shipmentId };
}

/** Everything a return request may write. */
export async function returnsFootprint(world: World, orderId: string) {
  return {
    returns: await rows(
      world.database,
      sql`select id, status from returns where order_id = ${orderId} order by id`,
    ),
    lines: await count(
      world.database,
      sql`select 1 from return_lines l join returns r on r.id = l.return_id where r.order_id = ${orderId}`,
    ),
    events: await count(
      world.database,
      sql`select 1 from outbox_events where type like 'return.%' and payload->>'orderId' = ${orderId}`,
    ),
  };
}

/** The Admin API's actions on a return. */
export function returnActions(app: App) {
  const admin = adminApi(app);
  return {
    approve: (id: string) => admin.post(`/returns/${id}/approve`),
    reject: (id: string, reason: string) => admin.post(`/returns/${id}/reject`, { reason }),
    receive: (id: string, items: { lineId: string; restock: number; writeOff: number }[]) =>
      admin.post(`/returns/${id}/receive`, { items }),
    refund: (id: string, payload: object = {}) => admin.post(`/returns/${id}/refund`, payload),
  };
}
