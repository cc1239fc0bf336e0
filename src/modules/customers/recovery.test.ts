import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ctxOf, testApp } from "../../../test/support/fixtures.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";
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

const expireTokens = (email: string) =>
  database.db.execute(sql`update customer_tokens set expires_at = now() - interval '1 second'
    where customer_id = (select id from customers where email = ${email})`);
const eventCount = (type: string) => count(database, "outbox_events", sql`type = ${type}`);
const login = (email: string, password: string) =>
  client.call("POST", "/customers/login", { payload: { email, password } });

describe("email verification", () => {
  it("verifies once with the emailed token; the token cannot be used again", async () => {
    const { customer, session } = await client.register("verify@example.com");
    const { token } = await lastEmail(database, "verify@example.com");
    expect(token).toMatch(/^cve_/);

    const res = await client.call("POST", "/customers/verify-email", { payload: { token } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ emailVerified: true });
    const me = (await client.call("GET", "/customers/me", { token: session.token })).json();
    expect(Date.parse(me.emailVerifiedAt)).toBeGreaterThan(Date.now() - 60_000);
    const [event] = await queryRows<{ payload: unknown }>(
      database.db,
      sql`select payload from outbox_events where type = 'customer.email_verified'`,
    );
    expect(event!.payload).toEqual({ customerId: customer.id });

    const again = await client.call("POST", "/customers/verify-email", { payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe("customer.invalid_token");
    const resend = await client.call("POST", "/customers/me/email-verification", { token: session.token });
    expect(resend.statusCode).toBe(409);
    expect(resend.json().error.code).toBe("customer.already_verified");
  });

  it("rejects expired, unknown and wrong-purpose tokens without verifying", async () => {
    const { session } = await client.register("late@example.com");
    await expireTokens("late@example.com");
    const expired = (await lastEmail(database, "late@example.com")).token;
    // A new link can be asked for while signed in.
    expect(
      (await client.call("POST", "/customers/me/email-verification", { token: session.token })).statusCode,
    ).toBe(202);
    const fresh = (await lastEmail(database, "late@example.com")).token;
    expect(fresh).not.toBe(expired);

    await client.call("POST", "/customers/password-reset", { payload: { email: "late@example.com" } });
    const resetToken = (await lastEmail(database, "late@example.com")).token;
    for (const token of [expired, "cve_unknown", resetToken]) {
      const res = await client.call("POST", "/customers/verify-email", { payload: { token } });
      expect(res.statusCode, token).toBe(400);
      expect(res.json().error.code).toBe("customer.invalid_token");
    }
    expect(
      (await client.call("GET", "/customers/me", { token: session.token })).json().emailVerifiedAt,
    ).toBeNull();
    expect(
      (await client.call("POST", "/customers/verify-email", { payload: { token: fresh } })).statusCode,
    ).toBe(200);
    expect(
      (await client.call("POST", "/customers/verify-email", { payload: { token: "a b" } })).statusCode,
    ).toBe(400);
  });
});

describe("password reset", () => {
  it("answers 202 for unknown emails and sends nothing", async () => {
    const before = await count(database, "email_messages");
    const res = await client.call("POST", "/customers/password-reset", {
      payload: { email: "ghost@example.com" },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true });
    expect(await count(database, "email_messages")).toBe(before);
  });

  it("sets a new password with a single-use link and ends every session", async () => {
    const { customer, session } = await client.register("reset@example.com", {
      locale: "de",
      firstName: "Jonas",
    });
    const second = (await login("reset@example.com", "correct horse battery")).json().session.token;
    const resetsBefore = await eventCount("customer.password_reset");

    expect(
      (await client.call("POST", "/customers/password-reset", { payload: { email: "RESET@example.com" } }))
        .statusCode,
    ).toBe(202);
    const mail = await lastEmail(database, "reset@example.com");
    expect(mail.template).toBe("customer.reset_password");
    expect(mail.subject).toBe("Passwort zurücksetzen");
    expect(mail.text).toContain("Hallo Jonas,");
    expect(mail.text).toContain(`http://localhost:3000/account/reset-password?token=${mail.token}`);

    // A too-short password is refused and leaves the link usable.
    const short = await client.call("POST", "/customers/password-reset/confirm", {
      payload: { token: mail.token, password: "short" },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe("customer.password_too_short");
    expect((await client.call("GET", "/customers/me", { token: session.token })).statusCode).toBe(200);

    const confirm = await client.call("POST", "/customers/password-reset/confirm", {
      payload: { token: mail.token, password: "a brand new secret" },
    });
    expect(confirm.statusCode).toBe(204);
    for (const token of [session.token, second]) {
      expect((await client.call("GET", "/customers/me", { token })).statusCode).toBe(401);
    }
    expect(await count(database, "customer_sessions", sql`customer_id = ${customer.id}`)).toBe(0);
    expect((await login("reset@example.com", "correct horse battery")).statusCode).toBe(401);
    const signedIn = await login("reset@example.com", "a brand new secret");
    expect(signedIn.statusCode).toBe(200);
    // The link came by email, so the address is verified now.
    expect(signedIn.json().customer.emailVerifiedAt).not.toBeNull();
    expect(await eventCount("customer.password_reset")).toBe(resetsBefore + 1);

    const reuse = await client.call("POST", "/customers/password-reset/confirm", {
      payload: { token: mail.token, password: "yet another secret" },
    });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().error.code).toBe("customer.invalid_token");
    expect((await login("reset@example.com", "a brand new secret")).statusCode).toBe(200);
  });

  it("refuses an expired link and earlier links once one was used", async () => {
    await client.register("twice@example.com");
    await client.call("POST", "/customers/password-reset", { payload: { email: "twice@example.com" } });
    const first = (await lastEmail(database, "twice@example.com")).token;
    await client.call("POST", "/customers/password-reset", { payload: { email: "twice@example.com" } });
    const second = (await lastEmail(database, "twice@example.com")).token;
    expect(
      (
        await client.call("POST", "/customers/password-reset/confirm", {
          payload: { token: second, password: "second secret" },
        })
      ).statusCode,
    ).toBe(204);
    const old = await client.call("POST", "/customers/password-reset/confirm", {
      payload: { token: first, password: "first secret!" },
    });
    expect(old.statusCode).toBe(400);

    await client.call("POST", "/customers/password-reset", { payload: { email: "twice@example.com" } });
    const late = (await lastEmail(database, "twice@example.com")).token;
    await expireTokens("twice@example.com");
    const expired = await client.call("POST", "/customers/password-reset/confirm", {
      payload: { token: late, password: "too late secret" },
    });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.code).toBe("customer.invalid_token");
    expect((await login("twice@example.com", "second secret")).statusCode).toBe(200);
  });

  it("lets a guest choose a password through the emailed link", async () => {
    const guest = await findOrCreateGuest(ctxOf(database), "checkout-guest@example.com");
    await client.call("POST", "/customers/password-reset", {
      payload: { email: "checkout-guest@example.com" },
    });
    const { token, template, subject } = await lastEmail(database, "checkout-guest@example.com");
    expect([template, subject]).toEqual(["customer.claim_account", "Create your account"]);
    await client.call("POST", "/customers/password-reset/confirm", {
      payload: { token, password: "guest no more" },
    });
    const res = await login("checkout-guest@example.com", "guest no more");
    expect(res.json().customer).toMatchObject({ id: guest.id, isGuest: false });
  });
});

describe("password change", () => {
  it("needs the current password and ends the other sessions only", async () => {
    const { session } = await client.register("change@example.com");
    const other = (await login("change@example.com", "correct horse battery")).json().session.token;
    const wrong = await client.call("POST", "/customers/me/password", {
      token: session.token,
      payload: { currentPassword: "not it at all", newPassword: "new and long" },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe("customer.wrong_password");
    expect((await client.call("GET", "/customers/me", { token: other })).statusCode).toBe(200);

    const ok = await client.call("POST", "/customers/me/password", {
      token: session.token,
      payload: { currentPassword: "correct horse battery", newPassword: "new and long" },
    });
    expect(ok.statusCode).toBe(204);
    expect((await client.call("GET", "/customers/me", { token: session.token })).statusCode).toBe(200);
    expect((await client.call("GET", "/customers/me", { token: other })).statusCode).toBe(401);
    expect((await login("change@example.com", "new and long")).statusCode).toBe(200);
  });
});
