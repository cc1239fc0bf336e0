import { asc, eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { newId } from "../../kernel/ids.ts";
import { type ConsentChannel, type ConsentSource, marketingConsents } from "./customers.schema.ts";

export const CONSENT_CHANNELS: readonly ConsentChannel[] = ["email", "sms", "whatsapp"];

/** The current consent on a channel: the latest recorded change, or not granted when none exists. */
export interface ConsentState {
  channel: ConsentChannel;
  granted: boolean;
  source: ConsentSource | null;
  recordedAt: string | null;
}

export interface ConsentRecord {
  channel: ConsentChannel;
  granted: boolean;
  source: ConsentSource;
  recordedAt: string;
}

/** The current state of every channel for a customer. */
export async function currentConsents(ctx: Ctx, customerId: string): Promise<ConsentState[]> {
  const rows = await queryRows<{
    channel: ConsentChannel;
    granted: boolean;
    source: ConsentSource;
    recorded_at: string;
  }>(
    ctx.db,
    sql`select distinct on (channel) channel, granted, source, recorded_at from marketing_consents
        where customer_id = ${customerId} order by channel, recorded_at desc, id desc`,
  );
  return CONSENT_CHANNELS.map((channel) => {
    const row = rows.find((r) => r.channel === channel);
    return row
      ? {
          channel,
          granted: row.granted,
          source: row.source,
          recordedAt: new Date(row.recorded_at).toISOString(),
        }
      : { channel, granted: false, source: null, recordedAt: null };
  });
}

/**
 * Records consent given or withdrawn, one history row per channel whose state changes (a first
 * answer on a channel is always recorded, refusals included). Returns the current state.
 * @example await recordConsents(tx, customerId, { email: true, sms: false }, "checkout")
 */
export async function recordConsents(
  ctx: Ctx,
  customerId: string,
  changes: Partial<Record<ConsentChannel, boolean>>,
  source: ConsentSource,
): Promise<ConsentState[]> {
  const current = await currentConsents(ctx, customerId);
  const rows = current
    .filter((c) => typeof changes[c.channel] === "boolean")
    .filter((c) => c.recordedAt === null || c.granted !== changes[c.channel])
    .map((c) => ({
      id: newId("mcon"),
      customerId,
      channel: c.channel,
      granted: changes[c.channel]!,
      source,
    }));
  if (rows.length === 0) return current;
  await ctx.db.insert(marketingConsents).values(rows);
  return currentConsents(ctx, customerId);
}

/** Every recorded change, oldest first. */
export async function consentHistory(ctx: Ctx, customerId: string): Promise<ConsentRecord[]> {
  const rows = await ctx.db
    .select()
    .from(marketingConsents)
    .where(eq(marketingConsents.customerId, customerId))
    .orderBy(asc(marketingConsents.recordedAt), asc(marketingConsents.id));
  return rows.map((r) => ({
    channel: r.channel,
    granted: r.granted,
    source: r.source,
    recordedAt: r.recordedAt.toISOString(),
  }));
}
