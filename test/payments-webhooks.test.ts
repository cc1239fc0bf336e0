import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../src/kernel/ids.ts";
import type { TestPaymentProvider } from "../src/modules/payments/index.ts";
import {
  adminOrder,
  count,
  deliverWebhook,
  events,
  level,
  paymentFootprint,
  paymentRecords,
  placeOrder,
  product,
  startWorld,
  stopWorld,
  type World,
} from "./support/lifecycle.ts";
import { json } from "./support/selling.ts";

let world: World;
let gateway: TestPaymentProvider;

beforeAll(async () => {
  world = await startWorld();
  gateway = world.app.payments.testGateway()!;
});
afterAll(() => stopWorld(world));

describe("payment webhooks", () => {
  /** A Pix order waiting for payment, with the gateway's reference. */
  async function pixOrder() {
    const item = await product(world, 3000, { "us-ontario": 5 }, "WH");
    const placed = await placeOrder(world.app, {
      market: "br",
      country: "BR",
      items: [{ variant: item.sku, quantity: 1 }],
      payment: { method: "pix" },
    });
    expect(placed.payment.status).toBe("pending");
    const { ours } = await paymentRecords(world.database, placed.payment.id);
    return { ...placed, ref: ours.provider_ref!, item };
  }

  /** What the gateway would report once the Pix is paid. */
  const succeeded = (ref: string, amount: number) => ({
    id: newId("tge"),
    type: "payment.succeeded",
    payment: { ref, status: "captured" as const, amount, currency: "BRL", capturedAmount: amount },
  });

  it("rejects a badly signed, tampered or unsigned webhook with payment.webhook_signature and changes nothing", async () => {
    const pix = await pixOrder();
    const before = await paymentFootprint(world.database, pix.order.id, pix.payment.id);
    const event = succeeded(pix.ref, pix.order.total);
    const signed = gateway.sign(event);
    const header = signed.headers["test-gateway-signature"]!;
    const flipped = header.replace(/v1=(.)/, (_m, c: string) => `v1=${c === "0" ? "1" : "0"}`);
    const tampered = signed.body.replace(`"capturedAmount":${pix.order.total}`, '"capturedAmount":1');
    expect(tampered).not.toBe(signed.body);
    const attempts = [
      { body: signed.body, headers: { ...signed.headers, "test-gateway-signature": flipped } },
      { body: tampered, headers: signed.headers },
      { body: signed.body, headers: { "content-type": "application/json" } },
      { body: signed.body, headers: { ...signed.headers, "test-gateway-signature": "t=1,v1=abc" } },
    ];
    for (const attempt of attempts) {
      const res = await deliverWebhook(world.app, attempt);
      expect(res.statusCode, res.body).toBe(400);
      expect(json(res).error.code).toBe("payment.webhook_signature");
    }
    expect(await paymentFootprint(world.database, pix.order.id, pix.payment.id)).toEqual(before);
    expect(
      await count(world.database, sql`select 1 from payment_webhook_events where event_id = ${event.id}`),
    ).toBe(0);
  });

  it("rejects a webhook signed too long ago or in the future", async () => {
    const pix = await pixOrder();
    const before = await paymentFootprint(world.database, pix.order.id, pix.payment.id);
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 301, now - 3600, now + 3600]) {
      const res = await deliverWebhook(
        world.app,
        gateway.sign(succeeded(pix.ref, pix.order.total), timestamp),
      );
      expect(res.statusCode).toBe(400);
      expect(json(res).error.code).toBe("payment.webhook_signature");
    }
    expect(await paymentFootprint(world.database, pix.order.id, pix.payment.id)).toEqual(before);
    // Within the tolerance the same event is accepted.
    const ok = await deliverWebhook(world.app, gateway.sign(succeeded(pix.ref, pix.order.total), now - 120));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toEqual({ status: "applied" });
  });

  it("applies a paid Pix once and ignores the replayed event", async () => {
    const pix = await pixOrder();
    expect(await level(world.database, pix.item.variantId, "us-ontario")).toEqual({
      on_hand: 5,
      reserved: 1,
    });
    // The buyer pays on the gateway; its webhook is delivered by hand, twice.
    const { webhook } = await gateway.complete(pix.ref, "succeed");
    const first = await deliverWebhook(world.app, webhook);
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toEqual({ status: "applied" });
    const order = await adminOrder(world.app, pix.order.id);
    expect(order).toMatchObject({ status: "paid", paymentStatus: "paid" });
    expect(await level(world.database, pix.item.variantId, "us-ontario")).toEqual({
      on_hand: 4,
      reserved: 0,
    });
    const settled = await paymentFootprint(world.database, pix.order.id, pix.payment.id);
    expect(settled.payment).toMatchObject({ status: "captured", captured_amount: pix.order.total });

    const replay = await deliverWebhook(world.app, webhook);
    expect(replay.statusCode, replay.body).toBe(200);
    expect(json(replay)).toEqual({ status: "duplicate" });
    expect(await paymentFootprint(world.database, pix.order.id, pix.payment.id)).toEqual(settled);
    expect(await level(world.database, pix.item.variantId, "us-ontario")).toEqual({
      on_hand: 4,
      reserved: 0,
    });
    expect(await events(world.database, "order.paid", pix.order.id)).toHaveLength(1);
    const eventId = JSON.parse(webhook.body).id as string;
    expect(
      await count(
        world.database,
        sql`select 1 from payment_webhook_events where provider = 'test' and event_id = ${eventId}`,
      ),
    ).toBe(1);
  });

  it("ignores events about payments it does not know, and 404s an unknown provider", async () => {
    const unknownRef = await deliverWebhook(
      world.app,
      gateway.sign(succeeded("tgp_00000000000000000000000000", 100)),
    );
    expect(unknownRef.statusCode).toBe(200);
    expect(json(unknownRef)).toEqual({ status: "ignored" });
    const noPayment = await deliverWebhook(
      world.app,
      gateway.sign({ id: newId("tge"), type: "account.updated" }),
    );
    expect(json(noPayment)).toEqual({ status: "ignored" });
    const provider = await deliverWebhook(world.app, gateway.sign(succeeded("tgp_x", 100)), "acme");
    expect(provider.statusCode).toBe(404);
    expect(json(provider).error.code).toBe("payment_provider.not_found");
  });
});
