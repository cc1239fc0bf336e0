import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export type EmailStatus = "queued" | "sent" | "failed";

/**
 * The mail outbox: every message is written here in the transaction that caused it, then sent
 * over SMTP by the job runner. Without SMTP configured messages stay queued and can be read in
 * the Admin API (the development outbox viewer).
 */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: text("id").primaryKey(),
    to: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    /** Which template produced it, e.g. "customer.verify_email". */
    template: text("template").notNull(),
    status: text("status", { enum: ["queued", "sent", "failed"] })
      .notNull()
      .default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("email_messages_due").on(t.nextAttemptAt).where(sql`status = 'queued'`),
    check("email_messages_attempts", sql`${t.attempts} >= 0`),
  ],
);
