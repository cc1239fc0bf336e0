import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../src/db/client.ts";
import { createTestDatabase } from "../src/db/testing.ts";
import type { App } from "../src/http/app.ts";
import { TEST_CARDS } from "../src/modules/payments/index.ts";
import { ctxOf, storeHeaders, testApp } from "./support/fixtures.ts";
import { complete, json, readyCart, setupSelling, stockedVariant } from "./support/selling.ts";

let database: Database;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase();
  await setupSelling(ctxOf(database));
  await stockedVariant(ctxOf(database), "GUEST-MUG", 1800, { "us-ontario": 20 });
  // Separate variants, so that concurrent checkouts do not queue on one stock level's lock.
  for (let n = 1; n <= 4; n++)
    await stockedVariant(ctxOf(database), `GUEST-CUP-${n}`, 900, { "us-ontario": 5 });
  app = await testApp(database);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function customerOf(orderId: string): Promise<string | null> {
  const [row] = await queryRows<{ customer_id: string | null }>(
    database.db,
    sql`select customer_id from orders where id = ${orderId}`,
  );
  return row?.customer_id ?? null;
}

async function buy(email: string, cart?: { id: string }): Promise<string> {
  const ready =
    cart ??
    (await readyCart(app, {
      market: "us",
      country: "US",
      email,
      items: [{ variant: "GUEST-MUG", quantity: 1 }],
    }));
  const res = await complete(app, ready.id, { method: "card", data: { cardNumber: TEST_CARDS.success } });
  expect(res.statusCode, res.body).toBe(201);
  return json(res).order.id as string;
}

describe("guest orders", () => {
  it("get the guest customer for their email when placed, and follow it into the account", async () => {
    const first = await buy("Guest.Buyer@Example.com");
    const second = await buy("Guest.Buyer@Example.com");
    const guest = await customerOf(first);
    expect(guest).toMatch(/^cus_/);
    expect(await customerOf(second)).toBe(guest);
    const [customer] = await queryRows<{ email: string; password_hash: string | null }>(
      database.db,
      sql`select email, password_hash from customers where id = ${guest}`,
    );
    expect(customer).toEqual({ email: "guest.buyer@example.com", password_hash: null });
    const [placed] = await queryRows<{ customer_id: string }>(
      database.db,
      sql`select payload->>'customerId' as customer_id from outbox_events where type = 'order.placed' and key = ${first}`,
    );
    expect(placed).toEqual({ customer_id: guest });

    // Signing up with that email does not take the guest over: it sends a claim link.
    const signUp = await app.inject({
      method: "POST",
      url: "/store/v1/customers",
      headers: storeHeaders,
      payload: { email: "guest.buyer@example.com", password: "correct horse battery staple" },
    });
    expect(signUp.statusCode).toBe(409);
    expect(json(signUp).error.code).toBe("customer.email_taken");
  });

  it("share one customer record when first orders for a new email are placed at once", async () => {
    const carts = await Promise.all(
      Array.from({ length: 4 }, (_, n) =>
        readyCart(app, {
          market: "us",
          country: "US",
          email: "twins@example.com",
          items: [{ variant: `GUEST-CUP-${n + 1}`, quantity: 1 }],
        }),
      ),
    );
    const orders = await Promise.all(carts.map((cart) => buy("twins@example.com", cart)));
    const owners = await Promise.all(orders.map(customerOf));
    expect(owners[0]).toMatch(/^cus_/);
    expect(new Set(owners)).toEqual(new Set([owners[0]]));
    const [records] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from customers where email = 'twins@example.com'`,
    );
    expect(records).toEqual({ n: 1 });
  });
});
