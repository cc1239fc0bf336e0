import { type SQL, sql } from "drizzle-orm";
import { expect } from "vitest";
import { type Database, queryRows } from "../../src/db/client.ts";
import { createTestDatabase } from "../../src/db/testing.ts";
import type { App } from "../../src/http/app.ts";
import type { Ctx } from "../../src/kernel/context.ts";
import { TEST_CARDS } from "../../src/modules/payments/index.ts";
import { adminHeaders, ctxOf, storeHeaders, testApp } from "./fixtures.ts";
import { bearer, json, readyCart, setupSelling, stockedVariant } from "./selling.ts";

/** A database with the demo markets, warehouses, shipping and payment methods, and an app on it. */
export interface World {
  database: Database;
  app: App;
  ctx: Ctx;
}

export async function startWorld(): Promise<World> {
  const database = await createTestDatabase();
  const ctx = ctxOf(database);
  await setupSelling(ctx);
  const app = await testApp(database);
  return { database, app, ctx };
}

export async function stopWorld(world: World | undefined): Promise<void> {
  await world?.app.close();
  await world?.database.close();
}

export const CARD = { method: "card", data: { cardNumber: TEST_CARDS.success } } as const;

let skus = 0;

/** A fresh single-variant product (price in USD cents, 500 g) with stock per warehouse code. */
export async function product(
  world: World,
  price: number,
  stock: Record<string, number>,
  prefix = "LC",
): Promise<{ sku: string; variantId: string }> {
  skus += 1;
  const sku = `${prefix}-${skus}-${Date.now().toString(36)}`.toUpperCase();
  return { sku, variantId: await stockedVariant(world.ctx, sku, price, stock) };
}

let keys = 0;
export const freshKey = (label = "k") => `${label}-${++keys}-${Date.now()}`;

/** A cart ready to complete (see readyCart). */
export const cart = readyCart;

/** POST /store/v1/carts/:id/complete with a fresh Idempotency-Key. */
export function completeCart(app: App, cartId: string, payment: object, token?: string) {
  return app.inject({
    method: "POST",
    url: `/store/v1/carts/${cartId}/complete`,
    headers: { ...storeHeaders, ...bearer(token), "idempotency-key": freshKey("complete") },
    payload: { payment },
  });
}

export interface PlacedOrder {
  order: { id: string; number: number; total: number; status: string; currency: string };
  payment: { id: string; status: string; amount: number; nextAction: { type: string } | null };
}

/** A cart completed with the given payment (default: a card that succeeds); the response body. */
export async function placeOrder(
  app: App,
  input: Parameters<typeof cart>[1] & { payment?: object },
): Promise<PlacedOrder> {
  const c = await cart(app, input);
  const res = await completeCart(app, c.id, input.payment ?? CARD, input.token);
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

/** Admin API calls; writes carry an Idempotency-Key only when one is given. */
export function adminApi(app: App) {
  return {
    get: (url: string) => app.inject({ method: "GET", url: `/admin/v1${url}`, headers: adminHeaders }),
    post: (url: string, payload?: object, key?: string) =>
      app.inject({
        method: "POST",
        url: `/admin/v1${url}`,
        headers: { ...adminHeaders, ...(key ? { "idempotency-key": key } : {}) },
        ...(payload === undefined ? {} : { payload }),
      }),
    put: (url: string, payload: object) =>
      app.inject({ method: "PUT", url: `/admin/v1${url}`, headers: adminHeaders, payload }),
    patch: (url: string, payload: object) =>
      app.inject({ method: "PATCH", url: `/admin/v1${url}`, headers: adminHeaders, payload }),
  };
}

/** Store API calls, as the signed-in customer when a token is given. */
export function storeApi(app: App) {
  return {
    get: (url: string, token?: string) =>
      app.inject({ method: "GET", url: `/store/v1${url}`, headers: { ...storeHeaders, ...bearer(token) } }),
    post: (url: string, payload: object, token?: string) =>
      app.inject({
        method: "POST",
        url: `/store/v1${url}`,
        headers: { ...storeHeaders, ...bearer(token) },
        payload,
      }),
  };
}

/** The admin view of an order (lines, fulfilments, timeline). */
export async function adminOrder(app: App, orderId: string) {
  const res = await adminApi(app).get(`/orders/${orderId}`);
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

export function rows<T = Record<string, unknown>>(database: Database, query: SQL): Promise<T[]> {
  return queryRows<T>(database.db, query);
}

export async function count(database: Database, query: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from (${query}) q`);
  return row!.n;
}

/** Outbox events of a type about an order, oldest first. */
export function events(database: Database, type: string, orderId: string) {
  return queryRows<{ key: string; payload: Record<string, unknown> }>(
    database.db,
    sql`select key, payload from outbox_events where type = ${type} and payload->>'orderId' = ${orderId} order by seq`,
  );
}

/** On hand and reserved of a variant in a warehouse (by code). */
export async function level(database: Database, variantId: string, warehouse: string) {
  const [row] = await queryRows<{ on_hand: number; reserved: number }>(
    database.db,
    sql`select l.on_hand, l.reserved from inventory_levels l join warehouses w on w.id = l.warehouse_id
        where l.variant_id = ${variantId} and w.code = ${warehouse}`,
  );
  return row ?? { on_hand: 0, reserved: 0 };
}

export async function warehouseId(database: Database, code: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`select id from warehouses where code = ${code}`,
  );
  return row!.id;
}

/** Our payment record and the test gateway's record of the same payment. */
export async function paymentRecords(database: Database, paymentId: string) {
  const [ours] = await queryRows<{
    status: string;
    provider_ref: string | null;
    captured_amount: number;
    refunded_amount: number;
    amount: number;
  }>(
    database.db,
    sql`select status, provider_ref, captured_amount::int, refunded_amount::int, amount::int from payments where id = ${paymentId}`,
  );
  const [gateway] = await queryRows<{
    ref: string;
    status: string;
    captured_amount: number;
    refunded_amount: number;
  }>(
    database.db,
    sql`select ref, status, captured_amount::int, refunded_amount::int from test_gateway_payments
        where merchant_reference = ${paymentId}`,
  );
  return { ours: ours!, gateway: gateway! };
}

/** Ships items (default: everything left) of an order from a warehouse. */
export function fulfil(
  app: App,
  orderId: string,
  input: { warehouse?: string; items?: { lineId: string; quantity: number }[]; carrier?: string } = {},
) {
  return adminApi(app).post(`/orders/${orderId}/fulfillments`, {
    warehouse: input.warehouse ?? "us-ontario",
    carrier: input.carrier ?? "UPS",
    trackingNumber: "1Z999AA10123456784",
    ...(input.items ? { items: input.items } : {}),
  });
}

export function deliver(app: App, orderId: string, fulfillmentId: string) {
  return adminApi(app).post(`/orders/${orderId}/fulfillments/${fulfillmentId}/delivered`);
}

/** Ships everything left of a paid order and marks the shipment delivered. */
export async function shipAndDeliver(app: App, orderId: string, warehouse = "us-ontario") {
  const shipped = await fulfil(app, orderId, { warehouse });
  expect(shipped.statusCode, shipped.body).toBe(201);
  const delivered = await deliver(app, orderId, json(shipped).id);
  expect(delivered.statusCode, delivered.body).toBe(200);
  return json(shipped).id as string;
}

/** Signs up a customer through the Store API; returns the id and a session token. */
export async function registerCustomer(app: App, email: string) {
  const res = await app.inject({
    method: "POST",
    url: "/store/v1/customers",
    headers: storeHeaders,
    payload: { email, password: "correct horse battery staple" },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = json(res);
  return { id: body.customer.id as string, token: body.session.token as string };
}

/** A paid US card order of one $40 item: 4000 + 595 standard shipping (≤ 1 kg), no sales tax = 4595. */
export async function paidCardOrder(world: World, prefix = "PAID") {
  const item = await product(world, 4000, { "us-ontario": 10 }, prefix);
  const placed = await placeOrder(world.app, {
    market: "us",
    country: "US",
    items: [{ variant: item.sku, quantity: 1 }],
  });
  expect(placed.order.total).toBe(4595);
  expect(placed.payment.status).toBe("captured");
  return { ...placed, item };
}

export const refundsOf = (database: Database, orderId: string) =>
  queryRows<{ id: string; amount: number; status: string; idempotency_key: string; reason: string | null }>(
    database.db,
    sql`select id, amount::int, status, idempotency_key, reason from refunds where order_id = ${orderId} order by created_at, id`,
  );

export const gatewayRefundsOf = (database: Database, ref: string) =>
  queryRows<{ amount: number; status: string }>(
    database.db,
    sql`select amount::int, status from test_gateway_refunds where payment_ref = ${ref} order by created_at`,
  );

/** Stock movements of a variant caused by orders and returns, oldest first. */
export const adjustmentsOf = (database: Database, variantId: string) =>
  queryRows<{ delta: number; reason: string; reference: string }>(
    database.db,
    sql`select delta, reason, reference from inventory_adjustments
        where variant_id = ${variantId} and reason in ('sold', 'order_cancelled', 'returned') order by created_at, id`,
  );

/** Posts a (signed) webhook as the provider would. */
export function deliverWebhook(
  app: App,
  webhook: { body: string; headers: Record<string, string> },
  provider = "test",
) {
  return app.inject({
    method: "POST",
    url: `/webhooks/payments/${provider}`,
    headers: webhook.headers,
    payload: webhook.body,
  });
}

/** Everything a payment report or capture may change about an order. */
export async function paymentFootprint(database: Database, orderId: string, paymentId: string) {
  const [order] = await queryRows(
    database.db,
    sql`select status, payment_status, refunded_total::int, updated_at from orders where id = ${orderId}`,
  );
  const [payment] = await queryRows(
    database.db,
    sql`select status, captured_amount::int, refunded_amount::int, updated_at from payments where id = ${paymentId}`,
  );
  return {
    order,
    payment,
    reservations: await queryRows(
      database.db,
      sql`select status, quantity from inventory_reservations where order_id = ${orderId} order by id`,
    ),
    timeline: await count(database, sql`select 1 from order_events where order_id = ${orderId}`),
    outbox: await count(database, sql`select 1 from outbox_events where payload->>'orderId' = ${orderId}`),
    refunds: await count(database, sql`select 1 from refunds where order_id = ${orderId}`),
  };
}
