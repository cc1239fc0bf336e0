import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHeaders, ctxOf, storeHeaders, TEST_CONFIG } from "../../../test/support/fixtures.ts";
import { ConfigError, loadConfig } from "../../config.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import type { App } from "../../http/app.ts";
import { buildApp } from "../../http/app.ts";
import { JobRunner } from "../../kernel/jobs.ts";
import { deliverDueEmails, deliverEmail, MAX_ATTEMPTS, mailDelivery, smtpMailer } from "./delivery.ts";
import { queueEmail } from "./outbox.service.ts";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a random local port that accepts, defers (451) or rejects (550) mail. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { mode: "accept" as "accept" | "defer" | "reject" };
  const server = new SMTPServer({
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (state.mode === "accept") return callback();
      const err = Object.assign(new Error(state.mode === "defer" ? "Try again later" : "No such user"), {
        responseCode: state.mode === "defer" ? 451 : 550,
      });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded text of a quoted-printable message (soft line breaks joined, =XX decoded). */
const decodeQp = (raw: string) =>
  raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

let database: Database;
let app: App;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const ctx = () => ctxOf(database);

async function register(email: string) {
  const res = await app.inject({
    method: "POST",
    url: "/store/v1/customers",
    headers: storeHeaders,
    payload: { email, password: "correct horse battery", firstName: "Mia" },
  });
  expect(res.statusCode).toBe(201);
}

async function emailRow(to: string) {
  const [row] = await queryRows<{
    id: string;
    status: string;
    attempts: number;
    last_error: string | null;
    sent_at: string | null;
    text: string;
    due: boolean;
  }>(
    database.db,
    sql`select id, status, attempts, last_error, sent_at, text, next_attempt_at <= now() as due
        from email_messages where to_address = ${to} order by id desc limit 1`,
  );
  return row!;
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp({
    config: { ...TEST_CONFIG, storeUrl: "https://shop.example" },
    database,
    logger: false,
  });
  smtp = await startSmtp();
});
afterAll(async () => {
  await app.close();
  await smtp.close();
  await database.close();
});

describe("mail over SMTP", () => {
  it("sends a queued verification email with its link", async () => {
    await register("mia@example.com");
    const queued = await emailRow("mia@example.com");
    expect(queued).toMatchObject({ status: "queued", attempts: 0 });
    const token = /token=([A-Za-z0-9_-]+)/.exec(queued.text)![1]!;

    const mailer = smtpMailer(smtp.url, "Yunshan <shop@example.com>");
    expect(await deliverDueEmails(ctx(), mailer)).toBe(1);
    mailer.close();

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.from).toBe("shop@example.com");
    expect(mail!.to).toEqual(["mia@example.com"]);
    expect(mail!.raw).toMatch(/^To: mia@example\.com\r?$/m);
    expect(mail!.raw).toMatch(/^From: Yunshan <shop@example\.com>\r?$/m);
    expect(mail!.raw).toMatch(/^Subject: Confirm your email address\r?$/m);
    expect(mail!.raw).toMatch(/^Content-Type: multipart\/alternative/m);
    const body = decodeQp(mail!.raw);
    expect(body).toContain(`https://shop.example/account/verify?token=${token}`);
    expect(body).toContain(`href="https://shop.example/account/verify?token=${token}"`);
    expect(await emailRow("mia@example.com")).toMatchObject({
      status: "sent",
      attempts: 1,
      last_error: null,
    });
    expect((await emailRow("mia@example.com")).sent_at).not.toBeNull();
    // Nothing is due any more.
    expect(await deliverDueEmails(ctx(), smtpMailer(smtp.url, "shop@example.com"))).toBe(0);
  });

  it("keeps a deferred message queued with its error and sends it on a later attempt", async () => {
    smtp.received.length = 0;
    const { id } = await queueEmail(ctx(), {
      to: "later@example.com",
      subject: "Hi",
      text: "Hello",
      template: "test",
    });
    const mailer = smtpMailer(smtp.url, "shop@example.com");
    smtp.state.mode = "defer";
    expect(await deliverEmail(ctx(), mailer, id)).toBe("queued");
    const deferred = await emailRow("later@example.com");
    expect(deferred).toMatchObject({ status: "queued", attempts: 1, due: false });
    expect(deferred.last_error).toContain("Try again later");
    expect(await deliverDueEmails(ctx(), mailer)).toBe(0); // next attempt is a minute away

    smtp.state.mode = "accept";
    await database.db.execute(sql`update email_messages set next_attempt_at = now() where id = ${id}`);
    expect(await deliverDueEmails(ctx(), mailer)).toBe(1);
    expect(await emailRow("later@example.com")).toMatchObject({ status: "sent", attempts: 2 });
    expect(smtp.received.map((m) => m.to)).toEqual([["later@example.com"]]);
    mailer.close();
  });

  it("retries when the server cannot be reached and gives up after the last attempt", async () => {
    const closed = await startSmtp();
    await closed.close();
    const mailer = smtpMailer(closed.url, "shop@example.com");
    const { id } = await queueEmail(ctx(), {
      to: "down@example.com",
      subject: "Hi",
      text: "Hello",
      template: "test",
    });
    expect(await deliverEmail(ctx(), mailer, id)).toBe("queued");
    expect((await emailRow("down@example.com")).last_error).toMatch(/ECONNREFUSED|connect/i);
    await database.db.execute(sql`update email_messages set attempts = ${MAX_ATTEMPTS - 1} where id = ${id}`);
    expect(await deliverEmail(ctx(), mailer, id)).toBe("failed");
    expect(await emailRow("down@example.com")).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(await deliverEmail(ctx(), mailer, id)).toBeNull(); // no longer queued
  });

  it("marks a permanent rejection failed at once", async () => {
    const { id } = await queueEmail(ctx(), {
      to: "gone@example.com",
      subject: "Hi",
      text: "Hello",
      template: "test",
    });
    smtp.state.mode = "reject";
    const mailer = smtpMailer(smtp.url, "shop@example.com");
    expect(await deliverEmail(ctx(), mailer, id)).toBe("failed");
    smtp.state.mode = "accept";
    mailer.close();
    const row = await emailRow("gone@example.com");
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row.last_error).toContain("No such user");
  });

  it("sends as soon as mail is queued when the job runner runs", async () => {
    smtp.received.length = 0;
    const mail = mailDelivery({ smtpUrl: smtp.url, mailFrom: "shop@example.com" });
    const runner = new JobRunner(database, {
      handlers: mail.handlers,
      relayIntervalMs: 50,
      pollSeconds: 0.5,
    });
    await runner.start();
    try {
      await register("fast@example.com");
      const deadline = Date.now() + 20_000;
      while (smtp.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(smtp.received.map((m) => m.to)).toEqual([["fast@example.com"]]);
      // The SMTP server has the message before the sender records it as sent.
      let row = await emailRow("fast@example.com");
      while (row?.status !== "sent" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        row = await emailRow("fast@example.com");
      }
      expect(row).toMatchObject({ status: "sent", attempts: 1 });
    } finally {
      await runner.stop();
    }
  }, 30_000);

  it("wires nothing without an SMTP URL, so mail stays in the outbox", () => {
    expect(mailDelivery({ mailFrom: "shop@example.com" })).toEqual({ handlers: [], schedules: [] });
  });
});

describe("outbox viewer (Admin API)", () => {
  const admin = (url: string) => app.inject({ method: "GET", url: `/admin/v1${url}`, headers: adminHeaders });

  it("lists messages newest first without bodies and shows one in full", async () => {
    const list = await admin("/emails?limit=2");
    expect(list.statusCode).toBe(200);
    const [newest] = list.json().items;
    expect(newest).toMatchObject({
      to: "fast@example.com",
      status: "sent",
      template: "customer.verify_email",
    });
    expect(newest.text).toBeUndefined();
    expect(list.json().nextCursor).toEqual(expect.any(String));

    const failed = await admin("/emails?status=failed");
    expect(
      failed
        .json()
        .items.map((m: { to: string }) => m.to)
        .sort(),
    ).toEqual(["down@example.com", "gone@example.com"]);
    expect((await admin("/emails?to=MIA@")).json().items).toHaveLength(1);

    const one = await admin(`/emails/${newest.id}`);
    expect(one.json()).toMatchObject({ id: newest.id, subject: "Confirm your email address" });
    expect(one.json().text).toContain("https://shop.example/account/verify?token=");
    expect((await admin("/emails/eml_missing")).json().error.code).toBe("email.not_found");
  });

  it("refuses a recipient that is not an address", async () => {
    await expect(
      queueEmail(ctx(), { to: "a@b\r\nBcc: x@y", subject: "s", text: "t", template: "test" }),
    ).rejects.toMatchObject({ code: "email.invalid_recipient" });
  });
});

describe("mail settings", () => {
  it("reads and validates STORE_URL, SMTP_URL and MAIL_FROM", () => {
    expect(loadConfig({})).toMatchObject({ storeUrl: "http://localhost:3000", smtpUrl: undefined });
    const config = loadConfig({
      STORE_URL: "https://shop.example/",
      SMTP_URL: "smtps://user:pw@mail.example:465",
      MAIL_FROM: "Yunshan <shop@example.com>",
    });
    expect(config).toMatchObject({
      storeUrl: "https://shop.example",
      mailFrom: "Yunshan <shop@example.com>",
    });
    for (const env of [{ SMTP_URL: "http://mail" }, { MAIL_FROM: "nobody" }, { STORE_URL: "shop.example" }]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
  });
});
