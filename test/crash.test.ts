import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../src/db/client.ts";
import { createTestDatabase } from "../src/db/testing.ts";
import { expireReservations } from "../src/flows/orders.ts";
import { reconcilePayments } from "../src/flows/payments.ts";
import type { App } from "../src/http/app.ts";
import { createPaymentProviders, TEST_CARDS } from "../src/modules/payments/index.ts";
import { ctxOf, storeHeaders, TEST_CONFIG, testApp } from "./support/fixtures.ts";
import { readyCart, setupSelling, stockedVariant } from "./support/selling.ts";
import { type ServerProcess, startServerProcess } from "./support/server-process.ts";

const CARTS = 80;
const STOCK = 500;

describe.skipIf(!process.env.DATABASE_URL)("a server killed during a checkout load", () => {
  let database: Database;
  let app: App;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 6 });
    await setupSelling(ctxOf(database));
    app = await testApp(database);
  });

  afterAll(async () => {
    await server?.stop("SIGKILL");
    await app?.close();
    await database?.close();
  });

  it("leaves every captured payment with exactly one paid order and releases what was held", async () => {
    const variantId = await stockedVariant(ctxOf(database), "CRASH-TEE", 2500, { "us-ontario": STOCK });
    const carts: string[] = [];
    for (let i = 0; i < CARTS; i++) {
      const cart = await readyCart(app, {
        market: "us",
        country: "US",
        email: `crash${i}@example.com`,
        items: [{ variant: "CRASH-TEE", quantity: 1 }],
      });
      carts.push(cart.id);
    }
    const env = { DATABASE_URL: database.url!, RUN_JOBS: "false", APP_SECRET: TEST_CONFIG.appSecret };
    server = await startServerProcess(env);
    const target = server;
    let answered = 0;
    let killed = false;
    const attempts = carts.map(async (id, i) => {
      try {
        const res = await fetch(`${target.url}/store/v1/carts/${id}/complete`, {
          method: "POST",
          headers: { ...storeHeaders, "content-type": "application/json", "idempotency-key": `crash-${i}` },
          body: JSON.stringify({ payment: { method: "card", data: { cardNumber: TEST_CARDS.success } } }),
        });
                await res.text();
        answered += 1;
        if (answered === 10 && !killed) {
          killed = true;
          target.child.kill("SIGKILL");
        }
        return "answered";
      } catch {
        return id;
      }
    });
    const outcomes = await Promise.all(attempts);
    await server.stop("SIGKILL");
    const cutOff = outcomes.filter((o) => o !== "answered");
    expect(cutOff.length).toBeGreaterThan(0);

    // Half of the buyers who lost their answer try again on the restarted server (a new key: the
    // old one stays locked for a minute); each gets its one order, paid.
    server = await startServerProcess(env);
    const again = cutOff.filter((_, i) => i % 2 === 0);
    for (const id of again) {
      const res = await fetch(`${server.url}/store/v1/carts/${id}/complete`, {
        method: "POST",
        headers: { ...storeHeaders, "content-type": "application/json", "idempotency-key": `crash-retry-${id}` },
        body: JSON.stringify({ payment: { method: "card", data: { cardNumber: TEST_CARDS.success } } }),
      });
      const body = (await res.json()) as { order: { status: string } };
      expect(res.status).toBe(201);
      expect(body.order.status).toBe("paid");
    }

    // For the others, the restarted instance's scheduled tasks: settle payments left without an
    // answer, then expire holds whose payment never came (expiry moved to now instead of waiting).
    const ctx = ctxOf(database);
    const providers = createPaymentProviders(database.db, {
      appSecret: TEST_CONFIG.appSecret,
      publicUrl: TEST_CONFIG.publicUrl,
      testProvider: true,
    });
    await reconcilePayments(ctx, providers, 0);
    await database.db.execute(sql`update inventory_reservations set expires_at = now() where status = 'active'`);
    await expireReservations(ctx, providers);

    const captured = await queryRows<{ ref: string; orders: number; paid: number }>(
      database.db,
      sql`select g.ref, count(distinct o.id)::int as orders, count(distinct o.id) filter (where o.payment_status = 'paid')::int as paid
          from test_gateway_payments g join payments p on p.id = g.merchant_reference join orders o on o.id = p.order_id
          where g.status = 'captured' group by g.ref`,
    );
    const [gateway] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from test_gateway_payments where status = 'captured'`,
    );
    expect(captured).toHaveLength(gateway!.n);
    for (const c of captured) expect(c).toMatchObject({ orders: 1, paid: 1 });

    const [state] = await queryRows<{
      paid_orders: number;
      double_paid: number;
      active_holds: number;
      on_hand: number;
      reserved: number;
      unpaid_open: number;
    }>(
      database.db,
      sql`select
          (select count(*)::int from orders where payment_status = 'paid') as paid_orders,
          (select count(*)::int from (select order_id from payments where status = 'captured' group by order_id having count(*) > 1) d) as double_paid,
          (select count(*)::int from inventory_reservations where status = 'active') as active_holds,
          (select on_hand from inventory_levels where variant_id = ${variantId}) as on_hand,
          (select reserved from inventory_levels where variant_id = ${variantId}) as reserved,
          (select count(*)::int from orders where payment_status = 'unpaid' and not cancelled) as unpaid_open`,
    );
    expect(state).toMatchObject({ double_paid: 0, active_holds: 0, reserved: 0, unpaid_open: 0 });
    expect(state!.paid_orders).toBe(gateway!.n);
    expect(state!.on_hand).toBe(STOCK - state!.paid_orders);
  }, 180_000);
});
