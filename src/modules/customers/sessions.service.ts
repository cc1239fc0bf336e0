import { and, eq, gt, lt, or, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { newId } from "../../kernel/ids.ts";
import { customerSessions, customerTokens } from "./customers.schema.ts";
import { newSecret, secretHash } from "./secrets.ts";

const SESSION_DAYS = 30;
/** last_seen is written at most this often, so authenticated reads do not each cost a write. */
const TOUCH_MINUTES = 5;

export interface SessionGrant {
  token: string;
  expiresAt: string;
}

export interface ActiveSession {
  id: string;
  customerId: string;
}

/** Opens a session; the token is returned once and only its hash is kept. */
export async function createSession(ctx: Ctx, customerId: string): Promise<SessionGrant> {
  const token = newSecret("cst");
  const [row] = await ctx.db
    .insert(customerSessions)
    .values({
      id: newId("cses"),
      customerId,
      tokenHash: secretHash(token),
      expiresAt: sql`now() + make_interval(days => ${SESSION_DAYS})`,
    })
    .returning({ expiresAt: customerSessions.expiresAt });
  return { token, expiresAt: row!.expiresAt.toISOString() };
}

/**
 * The session of a bearer token, or null when it is unknown or expired. An active session's
 * expiry slides forward: it lasts 30 days after its last use.
 */
export async function resolveSession(ctx: Ctx, token: string): Promise<ActiveSession | null> {
  const hash = secretHash(token);
  const [row] = await ctx.db
    .select({
      id: customerSessions.id,
      customerId: customerSessions.customerId,
      stale: sql<boolean>`${customerSessions.lastSeenAt} < now() - make_interval(mins => ${TOUCH_MINUTES})`,
    })
    .from(customerSessions)
    .where(and(eq(customerSessions.tokenHash, hash), gt(customerSessions.expiresAt, sql`now()`)));
  if (!row) return null;
  if (row.stale) {
    await ctx.db
      .update(customerSessions)
      .set({ lastSeenAt: sql`now()`, expiresAt: sql`now() + make_interval(days => ${SESSION_DAYS})` })
      .where(eq(customerSessions.id, row.id));
  }
  return { id: row.id, customerId: row.customerId };
}

export async function revokeSession(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.db.delete(customerSessions).where(eq(customerSessions.id, sessionId));
}

/** Signs the customer out everywhere (after a password reset or change). */
export async function revokeAllSessions(ctx: Ctx, customerId: string, except?: string): Promise<void> {
  await ctx.db
    .delete(customerSessions)
    .where(
      and(
        eq(customerSessions.customerId, customerId),
        except ? sql`${customerSessions.id} <> ${except}` : undefined,
      ),
    );
}

/** Deletes expired sessions and tokens that expired or were used more than a day ago. */
export async function purgeExpiredCredentials(ctx: Ctx): Promise<void> {
  await ctx.db.delete(customerSessions).where(lt(customerSessions.expiresAt, sql`now()`));
  await ctx.db
    .delete(customerTokens)
    .where(
      or(
        lt(customerTokens.expiresAt, sql`now() - interval '1 day'`),
        lt(customerTokens.usedAt, sql`now() - interval '1 day'`),
      ),
    );
}
