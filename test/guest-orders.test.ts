import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../src/db/client.ts";
import { createTestDatabase } from "../src/db/testing.ts";
import type { App } from "../src/http/app.ts";
import { JobRunner } from "../src/kernel/jobs.ts";
import { eventHandlers } from "../src/modules/handlers.ts";
import { TEST_CARDS } from "../src/modules/payments/index.ts";
import { ctxOf, storeHeaders, testApp } from "./support/fixtures.ts";
import { complete, json, readyCart, setupSelling, stockedVariant } from "./support/selling.ts";

let database: Database;
let app: App;
let runner: JobRunner;

beforeAll(async () => {
  database = await createTestDatabase();
  await setupSelling(ctxOf(database));
  await stockedVariant(ctxOf(database), "GUEST-MUG", 1800, { "us-ontario": 10 });
  app = await testApp(database);
  runner = new JobRunner(database, { handlers: eventHandlers, pollSeconds: 0.5, relayIntervalMs: 50 });
  await runner.start();
});

afterAll(async () => {
  await runner?.stop();
  await app?.close();
  await database?.close();
});

async function customerOf(orderId: string): Promise<string | null> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await queryRows<{ customer_id: string | null }>(
      database.db,
      sql`select customer_id from orders where id = ${orderId}`,
    );
    if (row?.customer_id || Date.now() > deadline) return row?.customer_id ?? null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("guest orders", () => {
  it("get a guest customer for their email after checkout, and follow it into the account", async () => {
    const buy = async () => {
      const cart = await readyCart(app, {
        market: "us",
        country: "US",
        email: "Guest.Buyer@Example.com",
        items: [{ variant: "GUEST-MUG", quantity: 1 }],
      });
      const res = await complete(app, cart.id, { method: "card", data: { cardNumber: TEST_CARDS.success } });
      expect(res.statusCode, res.body).toBe(201);
      return json(res).order.id as string;
    };
    const first = await buy();
    const second = await buy();
    const guest = await customerOf(first);
    expect(guest).toMatch(/^cus_/);
    expect(await customerOf(second)).toBe(guest);
    const [customer] = await queryRows<{ email: string; password_hash: string | null }>(
      database.db,
      sql`select email, password_hash from customers where id = ${guest}`,
    );
    expect(customer).toEqual({ email: "guest.buyer@example.com", password_hash: null });

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
});
