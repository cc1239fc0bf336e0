import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ctxOf, testApp } from "../../../test/support/fixtures.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";
import { transaction } from "../../kernel/context.ts";
import { findOrCreateGuest } from "./accounts.service.ts";
import { count, lastEmail, storeClient } from "./testing.ts";

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

const events = (type: string) =>
  queryRows<{ key: string; payload: Record<string, unknown> }>(
    database.db,
    sql`select key, payload from outbox_events where type = ${type} order by seq`,
  );

describe("register, sign in, sign out", () => {
  it("registers with a lower-cased email, a session and a verification email", async () => {
    const res = await client.call("POST", "/customers", {
      payload: {
        email: "  Ana.Silva@Example.COM ",
        password: "correct horse battery",
        firstName: "Ana",
        locale: "pt-br",
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.customer).toMatchObject({
      email: "ana.silva@example.com",
      firstName: "Ana",
      lastName: null,
      locale: "pt-BR",
      isGuest: false,
      emailVerifiedAt: null,
    });
    expect(body.customer.id).toMatch(/^cus_[0-9A-Z]{26}$/);
    expect(body.session.token).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);
    expect(res.headers["cache-control"]).toBe("private, no-store");

    const [stored] = await queryRows<{ password_hash: string }>(
      database.db,
      sql`select password_hash from customers where id = ${body.customer.id}`,
    );
    expect(stored!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // Only the hash of the session token is stored.
    expect(await count(database, "customer_sessions", sql`token_hash = ${body.session.token}`)).toBe(0);
    expect(await count(database, "customer_sessions", sql`customer_id = ${body.customer.id}`)).toBe(1);

    const mail = await lastEmail(database, "ana.silva@example.com");
    expect(mail.template).toBe("customer.verify_email");
    expect(mail.subject).toBe("Confirm your email address"); // pt-BR falls back to English
    expect(mail.text).toContain(`http://localhost:3000/account/verify?token=${mail.token}`);
    expect(mail.html).toContain(`href="http://localhost:3000/account/verify?token=${mail.token}"`);

    const [registered] = await events("customer.registered");
    expect(registered).toEqual({
      key: body.customer.id,
      payload: { customerId: body.customer.id, locale: "pt-BR", fromGuest: false },
    });
  });

  it("refuses a second account for the same email in any letter case, writing nothing", async () => {
    const before = await count(database, "email_messages");
    const res = await client.call("POST", "/customers", {
      payload: { email: "ANA.SILVA@example.com", password: "another password" },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("customer.email_taken");
    expect(await count(database, "customers")).toBe(1);
    expect(await count(database, "email_messages")).toBe(before);
  });

  it.each([
    [{ email: "short@example.com", password: "1234567" }, 400, "customer.password_too_short"],
    [{ email: "long@example.com", password: "x".repeat(257) }, 400, "customer.password_too_long"],
    [{ email: "not-an-email", password: "long enough pw" }, 400, "customer.invalid_email"],
    [{ email: "phone@example.com", password: "long enough pw", phone: "12" }, 400, "customer.invalid_phone"],
    [{ email: "loc@example.com", password: "long enough pw", locale: "en_US!" }, 400, "locale.invalid"],
    [{ email: "x@example.com", password: "long enough pw", role: "admin" }, 400, "validation.failed"],
  ])("rejects %j with %i %s and writes nothing", async (payload, status, code) => {
    const res = await client.call("POST", "/customers", { payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await count(database, "customers")).toBe(1);
  });

  it("counts password length in characters after normalisation", async () => {
    // Eight emoji are 16 UTF-16 code units but eight characters: long enough.
    const res = await client.call("POST", "/customers", {
      payload: { email: "emoji@example.com", password: "🔑".repeat(8) },
    });
    expect(res.statusCode).toBe(201);
    // Full-width letters sign in as their ASCII form (NFKC).
    await client.register("nfkc@example.com", { password: "ｐａｓｓｗｏｒｄ１" });
    const login = await client.call("POST", "/customers/login", {
      payload: { email: "nfkc@example.com", password: "password1" },
    });
    expect(login.statusCode).toBe(200);
  });

  it("answers the same for a wrong password, an unknown email and a guest", async () => {
    await findOrCreateGuest(ctxOf(database), "guest@example.com");
    const answers = await Promise.all(
      [
        { email: "ana.silva@example.com", password: "wrong password" },
        { email: "nobody@example.com", password: "correct horse battery" },
        { email: "guest@example.com", password: "correct horse battery" },
      ].map((payload) => client.call("POST", "/customers/login", { payload })),
    );
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: { code: "customer.invalid_credentials", message: "The email or password is not correct" },
      });
    }
  });

  it("signs in, reads and edits the profile, and signs out one session", async () => {
    const login = await client.call("POST", "/customers/login", {
      payload: { email: "Ana.Silva@example.com", password: "correct horse battery" },
    });
    expect(login.statusCode).toBe(200);
    const token = login.json().session.token as string;
    const other = (
      await client.call("POST", "/customers/login", {
        payload: { email: "ana.silva@example.com", password: "correct horse battery" },
      })
    ).json().session.token as string;

    const me = await client.call("GET", "/customers/me", { token });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: "ana.silva@example.com", firstName: "Ana" });

    const patched = await client.call("PATCH", "/customers/me", {
      token,
      payload: { lastName: " Silva ", phone: "+55 11 91234-5678", locale: "de-at" },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ lastName: "Silva", phone: "+5511912345678", locale: "de-AT" });

    const bad = await client.call("PATCH", "/customers/me", {
      token,
      payload: { lastName: "Souza", phone: "0800" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("customer.invalid_phone");
    expect((await client.call("GET", "/customers/me", { token })).json().lastName).toBe("Silva");

    expect((await client.call("POST", "/customers/logout", { token })).statusCode).toBe(204);
    const after = await client.call("GET", "/customers/me", { token });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe("auth.invalid_session");
    expect((await client.call("GET", "/customers/me", { token: other })).statusCode).toBe(200);
  });

  it("tells anonymous, malformed and expired sessions apart from signed-in ones", async () => {
    const anonymous = await client.call("GET", "/customers/me");
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe("auth.unauthorized");
    for (const authorization of ["Bearer nope", "Basic YWJjOmRlZg==", "Bearer ", "Bearer a b"]) {
      const res = await client.call("GET", "/customers/me", { headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().error.code).toBe("auth.invalid_session");
    }
    const { session } = await client.register("expiring@example.com");
    await database.db.execute(sql`update customer_sessions set expires_at = now() - interval '1 second'
      where customer_id = (select id from customers where email = 'expiring@example.com')`);
    expect((await client.call("GET", "/customers/me", { token: session.token })).statusCode).toBe(401);
    // Public store routes still answer anonymous requests.
    expect((await client.call("GET", "/markets")).statusCode).toBe(200);
  });

  it("answers 400, not 500, to control characters the database cannot store", async () => {
    for (const [url, payload] of [
      ["/customers/login", { email: "a\u0000@example.com", password: "correct horse battery" }],
      ["/customers/password-reset", { email: "a\u0000@example.com" }],
      ["/customers", { email: "nul@example.com", password: "correct horse battery", firstName: "A\u0000" }],
      ["/customers/verify-email", { token: "cve_\u0000" }],
    ] as const) {
      const res = await client.call("POST", url, { payload });
      expect(res.statusCode, url).toBe(400);
    }
  });

  it("keeps each customer's answers out of the shared store cache", async () => {
    const a = await client.register("cache-a@example.com");
    const b = await client.register("cache-b@example.com");
    for (let i = 0; i < 2; i++) {
      expect((await client.call("GET", "/customers/me", { token: a.session.token })).json().email).toBe(
        "cache-a@example.com",
      );
      const res = await client.call("GET", "/customers/me", { token: b.session.token });
      expect(res.json().email).toBe("cache-b@example.com");
      expect(res.headers["x-cache"]).toBeUndefined();
    }
  });
});

describe("guests", () => {
  it("finds or creates one guest per email, case-insensitively", async () => {
    const first = await findOrCreateGuest(ctxOf(database), "Walk.In@Example.com");
    const again = await findOrCreateGuest(ctxOf(database), "walk.in@example.com");
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ email: "walk.in@example.com", isGuest: true });
    const account = await findOrCreateGuest(ctxOf(database), "ana.silva@example.com");
    expect(account.isGuest).toBe(false);
    await expect(findOrCreateGuest(ctxOf(database), "nope")).rejects.toMatchObject({
      code: "customer.invalid_email",
    });
  });

  it("stays one record when checkouts and sign-ups race", async () => {
    const guests = await Promise.all(
      Array.from({ length: 5 }, () =>
        transaction(ctxOf(database), (tx) => findOrCreateGuest(tx, "race@example.com")),
      ),
    );
    expect(new Set(guests.map((g) => g.id)).size).toBe(1);
    const signUps = await Promise.all(
      [1, 2].map(() =>
        client.call("POST", "/customers", {
          payload: { email: "race-signup@example.com", password: "correct horse battery" },
        }),
      ),
    );
    expect(signUps.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(signUps.find((r) => r.statusCode === 409)!.json().error.code).toBe("customer.email_taken");
  });

  it("does not let a sign-up take over a guest record: its owner is emailed a claim link", async () => {
    const guest = await findOrCreateGuest(ctxOf(database), "claimed@example.com");
    const signUp = await client.call("POST", "/customers", {
      payload: { email: "CLAIMED@example.com", password: "correct horse battery", firstName: "Eve" },
    });
    const taken = await client.call("POST", "/customers", {
      payload: { email: "ana.silva@example.com", password: "correct horse battery" },
    });
    // The same answer as for an existing account.
    expect(signUp.statusCode).toBe(409);
    expect(signUp.json()).toEqual(taken.json());
    expect(await count(database, "customer_sessions", sql`customer_id = ${guest.id}`)).toBe(0);
    expect(
      (
        await client.call("POST", "/customers/login", {
          payload: { email: "claimed@example.com", password: "correct horse battery" },
        })
      ).statusCode,
    ).toBe(401);

    const mail = await lastEmail(database, "claimed@example.com");
    expect(mail.template).toBe("customer.claim_account");
    expect(mail.text).toContain(`/account/reset-password?token=${mail.token}`);
    const claim = await client.call("POST", "/customers/password-reset/confirm", {
      payload: { token: mail.token, password: "my own password" },
    });
    expect(claim.statusCode).toBe(204);
    const login = await client.call("POST", "/customers/login", {
      payload: { email: "claimed@example.com", password: "my own password" },
    });
    expect(login.json().customer).toMatchObject({ id: guest.id, isGuest: false, firstName: null });
    expect(login.json().customer.emailVerifiedAt).not.toBeNull();
    const registered = (await events("customer.registered")).find((e) => e.key === guest.id);
    expect(registered?.payload).toEqual({ customerId: guest.id, locale: null, fromGuest: true });
    expect(await count(database, "outbox_events", sql`type = 'customer.password_reset'`)).toBe(0);
  });
});

describe("idempotency keys for customers", () => {
  it("scopes keys by customer and never stores credentials", async () => {
    const a = await client.register("idem-a@example.com");
    const b = await client.register("idem-b@example.com");
    const address = {
      lastName: "Idem",
      line1: "Unter den Linden 1",
      city: "Berlin",
      postalCode: "10117",
      country: "DE",
    };
    const add = (token: string) =>
      client.call("POST", "/customers/me/addresses", {
        token,
        payload: address,
        headers: { "idempotency-key": "k1" },
      });
    const first = await add(a.session.token);
    const retry = await add(a.session.token);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.json()).toEqual(first.json());
    const otherCustomer = await add(b.session.token);
    expect(otherCustomer.headers["idempotent-replayed"]).toBeUndefined();
    expect(otherCustomer.json().id).not.toBe(first.json().id);
    const scopes = await queryRows<{ scope: string }>(
      database.db,
      sql`select scope from idempotency_keys order by scope`,
    );
    expect(scopes.map((s) => s.scope)).toEqual([`customer:${a.customer.id}`, `customer:${b.customer.id}`]);

    const signUp = await client.call("POST", "/customers", {
      payload: { email: "idem-c@example.com", password: "correct horse battery" },
      headers: { "idempotency-key": "signup-1" },
    });
    expect(signUp.statusCode).toBe(201);
    expect(await count(database, "idempotency_keys", sql`key = 'signup-1'`)).toBe(0);
  });
});
