import { and, eq, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { queryRows } from "../../db/client.ts";
import { type Ctx, transaction } from "../../kernel/context.ts";
import type { EventHandler } from "../../kernel/events.ts";
import type { ScheduledTask } from "../../kernel/jobs.ts";
import { type EmailStatus, emailMessages } from "./messaging.schema.ts";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends one message or throws; `permanent` on the error means retrying cannot help. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export const MAX_ATTEMPTS = 8;

/** An SMTP mailer (`smtp://user:pass@host:587`, `smtps://…`) sending from `from`. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    },
    close: () => transport.close(),
  };
}

/** An SMTP 5xx reply (unknown mailbox, rejected content) will not change on a retry. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * Sends one queued email, recording the outcome in the caller's transaction. The row is locked
 * for the attempt, so concurrent workers never send it twice. A failure leaves the message
 * queued with its error and the time of the next attempt (1, 2, 4 … minutes later) until
 * MAX_ATTEMPTS, or marks it failed at once for a permanent SMTP rejection.
 */
export async function deliverEmail(ctx: Ctx, mailer: Mailer, id: string): Promise<EmailStatus | null> {
  const [row] = await ctx.db
    .select()
    .from(emailMessages)
    .where(and(eq(emailMessages.id, id), eq(emailMessages.status, "queued")))
    .for("update", { skipLocked: true });
  if (!row) return null;
  const attempts = row.attempts + 1;
  try {
    await mailer.send({ to: row.to, subject: row.subject, text: row.text, html: row.html ?? undefined });
  } catch (err) {
    const status = isPermanent(err) || attempts >= MAX_ATTEMPTS ? "failed" : "queued";
    await ctx.db
      .update(emailMessages)
      .set({
        status,
        attempts,
        lastError: String((err as Error).message ?? err).slice(0, 1000),
        nextAttemptAt: sql`now() + make_interval(mins => ${2 ** (attempts - 1)})`,
      })
      .where(eq(emailMessages.id, id));
    return status;
  }
  await ctx.db
    .update(emailMessages)
    .set({ status: "sent", attempts, sentAt: sql`now()` })
    .where(eq(emailMessages.id, id));
  return "sent";
}

/** Sends queued emails whose next attempt is due, each in its own transaction. Returns how many were tried. */
export async function deliverDueEmails(ctx: Ctx, mailer: Mailer, limit = 100): Promise<number> {
  const due = await queryRows<{ id: string }>(
    ctx.db,
    sql`select id from email_messages where status = 'queued' and next_attempt_at <= now()
        order by next_attempt_at limit ${limit}`,
  );
  for (const { id } of due) await transaction(ctx, (tx) => deliverEmail(tx, mailer, id));
  return due.length;
}

/**
 * The job-runner wiring for outgoing mail: an event handler that sends each message as soon as
 * it is queued, and a schedule that retries failed attempts. Without an SMTP URL there is none
 * of either, and mail stays queued for the Admin API's outbox viewer.
 */
export function mailDelivery(config: { smtpUrl?: string; mailFrom: string }): {
  handlers: EventHandler[];
  schedules: ScheduledTask[];
} {
  if (!config.smtpUrl) return { handlers: [], schedules: [] };
  const mailer = smtpMailer(config.smtpUrl, config.mailFrom);
  return {
    handlers: [
      {
        name: "messaging.send-email",
        events: ["email.queued"],
        handle: async (ctx, event) => {
          await deliverEmail(ctx, mailer, (event.payload as { emailId: string }).emailId);
        },
      },
    ],
    schedules: [
      {
        name: "messaging.retry-email",
        cron: "* * * * *",
        run: async (ctx) => {
          await deliverDueEmails(ctx, mailer);
        },
      },
    ],
  };
}
