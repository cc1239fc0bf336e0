import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ctxOf, testApp } from "../../../test/support/fixtures.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";
import { transaction } from "../../kernel/context.ts";
import { addAddress, MAX_ADDRESSES } from "./address-book.service.ts";
import { count, storeClient } from "./testing.ts";

let database: Database;
let app: App;
let client: ReturnType<typeof storeClient>;
let token: string;

const tokyo = {
  firstName: "Yui",
  lastName: "Sato",
  line1: "1-1 Marunouchi",
  city: "Chiyoda-ku",
  province: "13",
  postalCode: "1000005",
  country: "JP",
  phone: "03-3210-0000",
};
const berlin = {
  lastName: "Sato",
  line1: "Unter den Linden 1",
  city: "Berlin",
  postalCode: "10117",
  country: "de",
};

beforeAll(async () => {
  database = await createTestDatabase();
  app = await testApp(database);
  client = storeClient(app);
  const signedIn = await client.register("book@example.com");
  token = signedIn.session.token;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const list = async (t = token) =>
  (await client.call("GET", "/customers/me/addresses", { token: t })).json().items;
const flags = async () =>
  (await list()).map((a: { city: string; isDefaultShipping: boolean; isDefaultBilling: boolean }) => [
    a.city,
    a.isDefaultShipping,
    a.isDefaultBilling,
  ]);

describe("address book", () => {
  it("adds a normalised address; the first one becomes both defaults", async () => {
    const res = await client.call("POST", "/customers/me/addresses", { token, payload: tokyo });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.stringMatching(/^addr_/),
      firstName: "Yui",
      lastName: "Sato",
      company: null,
      line1: "1-1 Marunouchi",
      line2: null,
      city: "Chiyoda-ku",
      province: "13",
      postalCode: "100-0005",
      country: "JP",
      phone: "+81332100000",
      isDefaultShipping: true,
      isDefaultBilling: true,
    });
  });

  it("lists every problem of an invalid address and writes nothing", async () => {
    const res = await client.call("POST", "/customers/me/addresses", {
      token,
      payload: { ...tokyo, postalCode: "12345", province: "99", line1: "", phone: "12" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("address.invalid");
    expect(
      res.json().error.details.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`),
    ).toEqual(["line1:required", "postalCode:format", "province:unknown_province", "phone:invalid"]);
    expect(await count(database, "customer_addresses")).toBe(1);
  });

  it("moves a default to a new address only when asked", async () => {
    const added = await client.call("POST", "/customers/me/addresses", {
      token,
      payload: { ...berlin, isDefaultShipping: true },
    });
    expect(added.json()).toMatchObject({ country: "DE", isDefaultShipping: true, isDefaultBilling: false });
    expect(await flags()).toEqual([
      ["Berlin", true, false],
      ["Chiyoda-ku", false, true],
    ]);
  });

  it("patches fields, validating the result as a whole", async () => {
    const berlinId = (await list()).find((a: { city: string }) => a.city === "Berlin").id;
    const res = await client.call("PATCH", `/customers/me/addresses/${berlinId}`, {
      token,
      payload: { line2: "3. OG", phone: "030 901820", isDefaultBilling: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ line2: "3. OG", phone: "+4930901820", isDefaultBilling: true });
    expect(await flags()).toEqual([
      ["Berlin", true, true],
      ["Chiyoda-ku", false, false],
    ]);

    // Moving to another country re-checks the postal code against the new country's format.
    const moved = await client.call("PATCH", `/customers/me/addresses/${berlinId}`, {
      token,
      payload: { country: "NL" },
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.details.fields).toEqual([
      expect.objectContaining({ field: "postalCode", code: "format" }),
    ]);
    const cleared = await client.call("PATCH", `/customers/me/addresses/${berlinId}`, {
      token,
      payload: { line2: null },
    });
    expect(cleared.json()).toMatchObject({ country: "DE", postalCode: "10117", line2: null });
  });

  it("hands the defaults of a deleted address to the newest remaining one", async () => {
    await client.call("POST", "/customers/me/addresses", {
      token,
      payload: { ...berlin, city: "Hamburg", postalCode: "20095" },
    });
    const berlinId = (await list()).find((a: { city: string }) => a.city === "Berlin").id;
    expect((await client.call("DELETE", `/customers/me/addresses/${berlinId}`, { token })).statusCode).toBe(
      204,
    );
    expect(await flags()).toEqual([
      ["Hamburg", true, true],
      ["Chiyoda-ku", false, false],
    ]);
    expect((await client.call("DELETE", `/customers/me/addresses/${berlinId}`, { token })).statusCode).toBe(
      404,
    );
  });

  it("keeps address books private to their customer", async () => {
    const other = await client.register("other-book@example.com");
    const mine = (await list())[0].id;
    expect(await list(other.session.token)).toEqual([]);
    for (const [method, payload] of [
      ["PATCH", { city: "Elsewhere" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await client.call(method, `/customers/me/addresses/${mine}`, {
        token: other.session.token,
        payload,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe("address.not_found");
    }
    expect((await client.call("GET", "/customers/me/addresses")).statusCode).toBe(401);
    expect(await count(database, "customer_addresses", sql`city = 'Elsewhere'`)).toBe(0);
  });

  it(`holds at most ${MAX_ADDRESSES} addresses`, async () => {
    const { customer, session } = await client.register("many@example.com");
    await transaction(ctxOf(database), async (tx) => {
      for (let i = 0; i < MAX_ADDRESSES; i++)
        await addAddress(tx, customer.id, { ...berlin, line1: `Street ${i}` });
    });
    const res = await client.call("POST", "/customers/me/addresses", {
      token: session.token,
      payload: berlin,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe("address.limit_reached");
    expect(await count(database, "customer_addresses", sql`customer_id = ${customer.id}`)).toBe(
      MAX_ADDRESSES,
    );
  });
});
