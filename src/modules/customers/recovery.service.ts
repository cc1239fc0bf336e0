import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { AppError, ConflictError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { emitRegistered, getCustomerRow, sendAccountLink } from "./accounts.service.ts";
import { customers } from "./customers.schema.ts";
import { checkPassword, hashPassword, verifyPassword } from "./secrets.ts";
import { revokeAllSessions } from "./sessions.service.ts";
import { consumeToken, revokeTokens } from "./tokens.service.ts";

/** Marks the email verified once; emits customer.email_verified the first time only. */
async function markVerified(ctx: Ctx, customerId: string): Promise<void> {
  const [changed] = await ctx.db
    .update(customers)
    .set({ emailVerifiedAt: sql`now()`, updatedAt: sql`now()` })
    .where(sql`${customers.id} = ${customerId} and ${customers.emailVerifiedAt} is null`)
    .returning({ id: customers.id });
  if (changed) await emit(ctx, "customer.email_verified", { customerId }, { key: customerId });
}

/** Confirms the email address with the token from the verification link. */
export async function verifyEmail(ctx: Ctx, token: string): Promise<{ customerId: string }> {
  const customerId = await consumeToken(ctx, token, "verify_email");
  await markVerified(ctx, customerId);
  return { customerId };
}

/** Sends a new verification link to a signed-in customer whose address is not verified. */
export async function resendVerification(ctx: Ctx, customerId: string, storeUrl: string): Promise<void> {
  const row = await getCustomerRow(ctx, customerId);
  if (row.emailVerifiedAt)
    throw new ConflictError("customer.already_verified", "The email address is verified");
  await sendAccountLink(ctx, row, "verify_email", storeUrl);
}

/**
 * Emails a reset link if the address belongs to a customer; a guest gets the claim link, which
 * sets a first password the same way. Says nothing either way to the caller.
 */
export async function requestPasswordReset(ctx: Ctx, email: string, storeUrl: string): Promise<void> {
  const [row] = await ctx.db.select().from(customers).where(eq(customers.email, email.trim().toLowerCase()));
  if (row) await sendAccountLink(ctx, row, row.passwordHash ? "reset_password" : "claim_account", storeUrl);
}

/**
 * Sets a new password with the token from a reset (or guest claim) link and ends every session
 * of the customer. The link arrived by email, so the address counts as verified from here on.
 */
export async function confirmPasswordReset(ctx: Ctx, token: string, password: string): Promise<void> {
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  const customerId = await consumeToken(ctx, token, "reset_password");
  const before = await getCustomerRow(ctx, customerId);
  const [row] = await ctx.db
    .update(customers)
    .set({ passwordHash, updatedAt: sql`now()` })
    .where(eq(customers.id, customerId))
    .returning();
  await revokeTokens(ctx, customerId, "reset_password");
  await revokeAllSessions(ctx, customerId);
  await markVerified(ctx, customerId);
  if (before.passwordHash === null) await emitRegistered(ctx, row!, true);
  else await emit(ctx, "customer.password_reset", { customerId });
}

/** Changes the password of a signed-in customer and ends their other sessions. */
export async function changePassword(
  ctx: Ctx,
  customerId: string,
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  checkPassword(input.newPassword, "newPassword");
  const row = await getCustomerRow(ctx, customerId);
  if (!(await verifyPassword(row.passwordHash, input.currentPassword)))
    throw new AppError(403, "customer.wrong_password", "The current password is not correct");
  await ctx.db
    .update(customers)
    .set({ passwordHash: await hashPassword(input.newPassword), updatedAt: sql`now()` })
    .where(eq(customers.id, customerId));
  await revokeAllSessions(ctx, customerId, currentSessionId);
}
