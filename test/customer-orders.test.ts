import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminApi,
  adminOrder,
  CARD,
  cart,
  completeCart,
  placeOrder,
  product,
  registerCustomer,
  shipAndDeliver,
  startWorld,
  stopWorld,
  storeApi,
  type World,
} from "./support/lifecycle.ts";
import { json } from "./support/selling.ts";

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => stopWorld(world));

describe("a signed-in customer's orders", () => {
  it("lists the customer's own orders and hides them from everyone else", async () => {
    const ann = await registerCustomer(world.app, "ann-orders@example.com");
    const ben = await registerCustomer(world.app, "ben-orders@example.com");
    const item = await product(world, 2500, { "us-ontario": 10 }, "CUS");

    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 2 }],
      email: "ann-orders@example.com",
      token: ann.token,
    });
    const order = await adminOrder(world.app, placed.order.id);
    expect(order.customerId).toBe(ann.id);
    // 2 × $25.00 + $5.95 shipping (1 kg), no sales tax.
    expect(order.total).toBe(5595);

    const mine = await storeApi(world.app).get("/customers/me/orders", ann.token);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(json(mine)).toEqual({
      nextCursor: null,
      items: [
        {
          id: placed.order.id,
          number: order.number,
          status: "paid",
          paymentStatus: "paid",
          fulfillmentStatus: "unfulfilled",
          market: "us",
          email: "ann-orders@example.com",
          currency: "USD",
          total: 5595,
          itemCount: 2,
          placedAt: new Date(order.placedAt).toISOString(),
        },
      ],
    });

    const own = await storeApi(world.app).get(`/orders/${placed.order.id}`, ann.token);
    expect(own.statusCode).toBe(200);
    expect(json(own)).toMatchObject({ id: placed.order.id, total: 5595, customerId: ann.id });

    const theirs = await storeApi(world.app).get("/customers/me/orders", ben.token);
    expect(json(theirs)).toEqual({ nextCursor: null, items: [] });
    const peek = await storeApi(world.app).get(`/orders/${placed.order.id}`, ben.token);
    expect(peek.statusCode).toBe(404);
    expect(json(peek).error.code).toBe("order.not_found");

    const anonymous = await storeApi(world.app).get("/customers/me/orders");
    expect(anonymous.statusCode).toBe(401);
    const badToken = await storeApi(world.app).get("/customers/me/orders", "cst_not-a-session");
    expect(badToken.statusCode).toBe(401);
    expect(json(badToken).error.code).toBe("auth.invalid_session");
  });

  it("keeps a customer's cart away from other customers", async () => {
    const cleo = await registerCustomer(world.app, "cleo-cart@example.com");
    const dan = await registerCustomer(world.app, "dan-cart@example.com");
    const item = await product(world, 2500, { "us-ontario": 10 }, "CUS-CART");
    const c = await cart(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
      token: cleo.token,
    });
    expect(c.customerId).toBe(cleo.id);
    const seen = await storeApi(world.app).get(`/carts/${c.id}`, dan.token);
    expect(seen.statusCode).toBe(404);
    const stolen = await completeCart(world.app, c.id, CARD, dan.token);
    expect(stolen.statusCode).toBe(404);
    expect(json(stolen).error.code).toBe("cart.not_found");
    expect(json(await storeApi(world.app).get(`/carts/${c.id}`, cleo.token)).status).toBe("open");

    const done = await completeCart(world.app, c.id, CARD, cleo.token);
    expect(done.statusCode, done.body).toBe(201);
    const list = json(await storeApi(world.app).get("/customers/me/orders", cleo.token));
    expect(list.items.map((o: { id: string }) => o.id)).toEqual([json(done).order.id]);
  });

  it("shows the customer the timeline without staff notes or who did what", async () => {
    const eve = await registerCustomer(world.app, "eve-timeline@example.com");
    const item = await product(world, 2500, { "us-ontario": 10 }, "CUS-NOTE");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 1 }],
      token: eve.token,
    });
    const note = await adminApi(world.app).post(`/orders/${placed.order.id}/notes`, {
      note: "Customer called about gift wrapping",
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(json(note).timeline.map((t: { type: string }) => t.type)).toEqual(["placed", "paid", "note"]);
    const seen = json(await storeApi(world.app).get(`/orders/${placed.order.id}`, eve.token));
    expect(seen.timeline.map((t: { type: string }) => t.type)).toEqual(["placed", "paid"]);
    expect(seen.timeline.every((t: object) => !("actor" in t))).toBe(true);
  });
});

describe("a signed-in customer's returns and cart", () => {
  it("lists the customer's own returns only", async () => {
    const cleo = await registerCustomer(world.app, "cleo-returns@example.com");
    const dan = await registerCustomer(world.app, "dan-returns@example.com");
    const item = await product(world, 2500, { "us-ontario": 10 }, "CUSRET");
    const placed = await placeOrder(world.app, {
      market: "us",
      country: "US",
      items: [{ variant: item.sku, quantity: 2 }],
      token: cleo.token,
      email: "cleo-returns@example.com",
    });
    await shipAndDeliver(world.app, placed.order.id);
    const lineId = (await adminOrder(world.app, placed.order.id)).lines[0].id;
    const requested = await storeApi(world.app).post(
      `/orders/${placed.order.id}/returns`,
      { items: [{ lineId, quantity: 1, reason: "size_too_large" }] },
      cleo.token,
    );
    expect(requested.statusCode, requested.body).toBe(201);
    const mine = json(await storeApi(world.app).get("/customers/me/returns", cleo.token));
    expect(mine.items.map((r: { id: string; amount: number }) => [r.id, r.amount])).toEqual([
      [json(requested).id, 2500],
    ]);
    expect(json(await storeApi(world.app).get("/customers/me/returns", dan.token)).items).toEqual([]);
    expect((await storeApi(world.app).get("/customers/me/returns")).statusCode).toBe(401);
  });

  it("merges a guest cart into the customer's open cart after sign-in", async () => {
    const eve = await registerCustomer(world.app, "eve-cart@example.com");
    const shirt = await product(world, 3000, { "us-ontario": 10 }, "CUSMERGE-A");
    const cap = await product(world, 1500, { "us-ontario": 10 }, "CUSMERGE-B");
    const saved = json(
      await storeApi(world.app).post(
        "/carts",
        { market: "us", items: [{ variant: shirt.sku, quantity: 1 }] },
        eve.token,
      ),
    );
    const guest = json(
      await storeApi(world.app).post("/carts", {
        market: "us",
        items: [
          { variant: shirt.sku, quantity: 1 },
          { variant: cap.sku, quantity: 2 },
        ],
      }),
    );
    const claimed = await storeApi(world.app).post(`/carts/${guest.id}/claim`, {}, eve.token);
    expect(claimed.statusCode, claimed.body).toBe(200);
    const merged = json(claimed);
    expect(merged.customerId).toBe(eve.id);
    expect(merged.email).toBe("eve-cart@example.com");
    expect(merged.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]).sort()).toEqual(
      [
        [cap.sku, 2],
        [shirt.sku, 2],
      ].sort(),
    );
    expect(json(await storeApi(world.app).get(`/carts/${saved.id}`, eve.token)).status).toBe("merged");
    expect(json(await storeApi(world.app).get("/customers/me/cart?market=us", eve.token)).id).toBe(guest.id);
    // Someone else's cart cannot be claimed.
    const other = await registerCustomer(world.app, "eve-other@example.com");
    expect((await storeApi(world.app).post(`/carts/${guest.id}/claim`, {}, other.token)).statusCode).toBe(
      404,
    );
  });
});
