import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHeaders, ctxOf, testApp } from "../../../test/support/fixtures.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";
import { findOrCreateGuest } from "./accounts.service.ts";
import { consentHistory, recordConsents } from "./consents.service.ts";
import { count, storeClient } from "./testing.ts";

let database: Database;
let app: App;
let client: ReturnType<typeof storeClient>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await testApp(database);
  client = storeClient(app);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const admin = (method: string, url: string, payload?: object) =>
  app.inject({ method: method as "GET", url: `/admin/v1${url}`, headers: adminHeaders, payload });
const states = (items: { channel: string; granted: boolean; source: string | null }[]) =>
  items.map((c) => `${c.channel}:${c.granted}:${c.source}`);

describe("marketing consent", () => {
  it("records sign-up consent, then only changes, keeping the history", async () => {
    const { customer, session } = await client.register("consent@example.com", {
      marketing: { email: true },
    });
    const token = session.token;
    const initial = await client.call("GET", "/customers/me/consents", { token });
    expect(states(initial.json().items)).toEqual([
      "email:true:account",
      "sms:false:null",
      "whatsapp:false:null",
    ]);

    const put = await client.call("PUT", "/customers/me/consents", {
      token,
      payload: { email: true, sms: true },
    });
    expect(put.statusCode).toBe(200);
    expect(states(put.json().items)).toEqual([
      "email:true:account",
      "sms:true:account",
      "whatsapp:false:null",
    ]);
    // email did not change, so only the SMS answer was added to the history.
    expect(await count(database, "marketing_consents")).toBe(2);

    await client.call("PUT", "/customers/me/consents", { token, payload: { email: false, whatsapp: false } });
    const history = await consentHistory(ctxOf(database), customer.id);
    expect(history.map((h) => `${h.channel}:${h.granted}:${h.source}`)).toEqual([
      "email:true:account",
      "sms:true:account",
      "email:false:account",
      "whatsapp:false:account",
    ]);
    expect(new Set(history.map((h) => typeof h.recordedAt))).toEqual(new Set(["string"]));

    for (const payload of [{}, { email: "yes" }, { fax: true }]) {
      const res = await client.call("PUT", "/customers/me/consents", { token, payload });
      expect(res.statusCode).toBe(400);
    }
    expect(await count(database, "marketing_consents")).toBe(4);
  });

  it("records checkout consent for a guest", async () => {
    const guest = await findOrCreateGuest(ctxOf(database), "shopper@example.com");
    const current = await recordConsents(ctxOf(database), guest.id, { whatsapp: true }, "checkout");
    expect(states(current)).toEqual(["email:false:null", "sms:false:null", "whatsapp:true:checkout"]);
  });
});

describe("Admin API", () => {
  it("lists customers newest first, filtered by part of the email, page by page", async () => {
    for (const email of ["list-1@shop.test", "list-2@shop.test", "list-3@shop.test"])
      await client.register(email);
    const first = await admin("GET", "/customers?email=SHOP.TEST&limit=2");
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((c: { email: string }) => c.email)).toEqual([
      "list-3@shop.test",
      "list-2@shop.test",
    ]);
    const second = await admin("GET", `/customers?email=shop.test&limit=2&cursor=${first.json().nextCursor}`);
    expect(second.json()).toEqual({
      items: [expect.objectContaining({ email: "list-1@shop.test" })],
      nextCursor: null,
    });
    expect((await admin("GET", "/customers?email=%25")).json().items).toEqual([]); // % is literal
    expect((await admin("GET", "/customers?cursor=nope")).json().error.code).toBe("paging.invalid_cursor");
    const anonymous = await app.inject({ method: "GET", url: "/admin/v1/customers" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("shows a customer with addresses and current consents, and records admin consent", async () => {
    const { customer, session } = await client.register("detail@example.com", { firstName: "Lea" });
    await client.call("POST", "/customers/me/addresses", {
      token: session.token,
      payload: { lastName: "Meyer", line1: "Ringstraße 1", city: "Wien", postalCode: "1010", country: "AT" },
    });
    const put = await admin("PUT", `/customers/${customer.id}/consents`, { sms: true });
    expect(states(put.json().items)).toEqual(["email:false:null", "sms:true:admin", "whatsapp:false:null"]);

    const detail = await admin("GET", `/customers/${customer.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      id: customer.id,
      email: "detail@example.com",
      firstName: "Lea",
      isGuest: false,
      addresses: [{ city: "Wien", postalCode: "1010", country: "AT", isDefaultShipping: true }],
      consents: [
        { channel: "email", granted: false },
        { channel: "sms", granted: true, source: "admin" },
        { channel: "whatsapp", granted: false },
      ],
    });
    const history = await admin("GET", `/customers/${customer.id}/consents`);
    expect(history.json().items).toEqual([
      { channel: "sms", granted: true, source: "admin", recordedAt: expect.any(String) },
    ]);

    for (const res of [
      await admin("GET", "/customers/cus_missing"),
      await admin("PUT", "/customers/cus_missing/consents", { email: true }),
      await admin("GET", "/customers/cus_missing/consents"),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe("customer.not_found");
    }
  });
});
