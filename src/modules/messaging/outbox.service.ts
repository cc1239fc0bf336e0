import { and, desc, eq, ilike, lt, type SQL } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { decodeCursor, type Page, toPage } from "../../kernel/paging.ts";
import { type EmailStatus, emailMessages } from "./messaging.schema.ts";

export interface EmailInput {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Which template produced the message, e.g. "customer.verify_email". */
  template: string;
}

export interface EmailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  template: string;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export type EmailSummary = Omit<EmailMessage, "text" | "html">;

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/**
 * Puts an email in the outbox in the caller's transaction: it is sent only if that transaction
 * commits. An `email.queued` event prompts an immediate delivery attempt.
 */
export async function queueEmail(ctx: Ctx, input: EmailInput): Promise<{ id: string }> {
  if (!ADDRESS.test(input.to) || input.to.length > 254)
    throw new ValidationError("email.invalid_recipient", `"${input.to}" is not an email address`);
  const id = newId("eml");
  await ctx.db.insert(emailMessages).values({
    id,
    to: input.to,
    subject: input.subject,
    text: input.text,
    html: input.html ?? null,
    template: input.template,
  });
  await emit(ctx, "email.queued", { emailId: id }, { key: id });
  return { id };
}

type Row = typeof emailMessages.$inferSelect;

function toMessage(row: Row): EmailMessage {
  return {
    id: row.id,
    to: row.to,
    subject: row.subject,
    text: row.text,
    html: row.html,
    template: row.template,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

export async function getEmail(ctx: Ctx, id: string): Promise<EmailMessage> {
  const [row] = await ctx.db.select().from(emailMessages).where(eq(emailMessages.id, id));
  if (!row) throw new NotFoundError("email", id);
  return toMessage(row);
}

/** The outbox, newest first; `to` matches part of the recipient, case-insensitively. */
export async function listEmails(
  ctx: Ctx,
  filter: { status?: EmailStatus; to?: string; limit?: number; cursor?: string },
): Promise<Page<EmailSummary>> {
  const limit = Math.min(filter.limit ?? 50, 250);
  const where: (SQL | undefined)[] = [];
  if (filter.status) where.push(eq(emailMessages.status, filter.status));
  if (filter.to) where.push(ilike(emailMessages.to, `%${filter.to.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filter.cursor) where.push(lt(emailMessages.id, String(decodeCursor(filter.cursor, 1)[0])));
  const rows = await ctx.db
    .select()
    .from(emailMessages)
    .where(and(...where))
    .orderBy(desc(emailMessages.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.id]);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((row) => {
      const { text: _text, html: _html, ...summary } = toMessage(row);
      return summary;
    }),
  };
}
