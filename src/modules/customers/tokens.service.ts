import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { AppError } from "../../kernel/errors.ts";
import { newId } from "../../kernel/ids.ts";
import { type CustomerTokenPurpose, customerTokens } from "./customers.schema.ts";
import { newSecret, secretHash } from "./secrets.ts";

/** A verification link stays valid for three days; a reset link for one hour. */
const LIFETIME_MINUTES: Record<CustomerTokenPurpose, number> = {
  verify_email: 3 * 24 * 60,
  reset_password: 60,
};

/** Creates a single-use token for an email link; returns the token (only its hash is stored). */
export async function issueToken(
  ctx: Ctx,
  customerId: string,
  purpose: CustomerTokenPurpose,
): Promise<string> {
  const token = newSecret(purpose === "verify_email" ? "cve" : "crp");
  await ctx.db.insert(customerTokens).values({
    id: newId("ctok"),
    customerId,
    purpose,
    tokenHash: secretHash(token),
    expiresAt: sql`now() + make_interval(mins => ${LIFETIME_MINUTES[purpose]})`,
  });
  return token;
}

/**
 * Uses a token up and returns its customer. Unknown, expired, already used and wrong-purpose
 * tokens all get the same answer, so a link says nothing about why it failed to a third party.
 */
export async function consumeToken(ctx: Ctx, token: string, purpose: CustomerTokenPurpose): Promise<string> {
  const [row] = await ctx.db
    .update(customerTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(customerTokens.tokenHash, secretHash(token)),
        eq(customerTokens.purpose, purpose),
        isNull(customerTokens.usedAt),
        gt(customerTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ customerId: customerTokens.customerId });
  if (!row) throw new AppError(400, "customer.invalid_token", "This link is invalid or has expired");
  return row.customerId;
}

/** Invalidates every open token of a purpose (e.g. older reset links once one was used). */
export async function revokeTokens(
  ctx: Ctx,
  customerId: string,
  purpose: CustomerTokenPurpose,
): Promise<void> {
  await ctx.db
    .update(customerTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(customerTokens.customerId, customerId),
        eq(customerTokens.purpose, purpose),
        isNull(customerTokens.usedAt),
      ),
    );
}
