import { eq, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { AppError, ConflictError, isUniqueViolation, NotFoundError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { recordConsents } from "./consents.service.ts";
import { type AccountEmail, queueAccountEmail } from "./customer-emails.ts";
import type { CustomerEvents } from "./customers.events.ts";
import { type ConsentChannel, customers } from "./customers.schema.ts";
import { cleanLocale, cleanPhone, cleanText, normalizeEmail } from "./profile.ts";
import { checkPassword, hashPassword, verifyPassword } from "./secrets.ts";
import { createSession, type SessionGrant } from "./sessions.service.ts";
import { issueToken } from "./tokens.service.ts";

/** A customer as the APIs show it. */
export interface Customer {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  locale: string | null;
  /** A guest has no password: a record made by checkout, or not yet claimed. */
  isGuest: boolean;
  emailVerifiedAt: string | null;
  createdAt: string;
}

export interface ProfileInput {
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  locale?: string | null;
}

export interface RegisterInput extends ProfileInput {
  email: string;
  password: string;
  /** Marketing consent given on the sign-up form, recorded with source "account". */
  marketing?: Partial<Record<ConsentChannel, boolean>>;
}

/** A signed-in customer and the bearer token of the new session. */
export interface SignedIn {
  customer: Customer;
  session: SessionGrant;
}

/** What a sign-up achieved: an account, or (for a guest's email) a claim link sent to the address. */
export type Registration = ({ outcome: "registered" } & SignedIn) | { outcome: "claim_link_sent" };

type Row = typeof customers.$inferSelect;

export function toCustomer(row: Row): Customer {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    locale: row.locale,
    isGuest: row.passwordHash === null,
    emailVerifiedAt: row.emailVerifiedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function cleanProfile(input: ProfileInput): Partial<Row> {
  const out: Partial<Row> = {};
  if (input.firstName !== undefined) out.firstName = cleanText(input.firstName, "firstName");
  if (input.lastName !== undefined) out.lastName = cleanText(input.lastName, "lastName");
  if (input.phone !== undefined) out.phone = cleanPhone(input.phone);
  if (input.locale !== undefined) out.locale = cleanLocale(input.locale);
  return out;
}

/** The one event every way of becoming an account emits. */
export async function emitRegistered(ctx: Ctx, row: Row, fromGuest: boolean): Promise<void> {
  const payload: CustomerEvents["customer.registered"] = {
    customerId: row.id,
    locale: row.locale,
    fromGuest,
  };
  await emit(ctx, "customer.registered", payload, { key: row.id });
}

/**
 * Creates an account, signs it in and queues the verification email.
 *
 * A guest record with the same email (from an earlier checkout) is not taken over by whoever
 * signs up first: its owner gets a link to choose a password, which proves they read the
 * mailbox, and the caller gets the same answer as for an existing account.
 */
export async function register(ctx: Ctx, input: RegisterInput, storeUrl: string): Promise<Registration> {
  const email = normalizeEmail(input.email);
  checkPassword(input.password);
  const profile = cleanProfile(input);
  const passwordHash = await hashPassword(input.password);

  const [existing] = await ctx.db.select().from(customers).where(eq(customers.email, email)).for("update");
  if (existing?.passwordHash) throw emailTaken();
  if (existing) {
    await sendAccountLink(ctx, existing, "claim_account", storeUrl);
    return { outcome: "claim_link_sent" };
  }
  let row: Row;
  try {
    [row] = (await ctx.db
      .insert(customers)
      .values({ id: newId("cus"), email, passwordHash, ...profile })
      .returning()) as [Row];
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
  if (input.marketing) await recordConsents(ctx, row.id, input.marketing, "account");
  await emitRegistered(ctx, row, false);
  await sendAccountLink(ctx, row, "verify_email", storeUrl);
  return { outcome: "registered", customer: toCustomer(row), session: await createSession(ctx, row.id) };
}

/** The answer for a sign-up with an email already in use, whether by an account or a guest. */
export const emailTaken = () =>
  new ConflictError(
    "customer.email_taken",
    "This email address is already in use; sign in, or follow the link we sent if you ordered as a guest",
  );

/**
 * Issues a single-use token and queues the email carrying its link: email verification, a
 * password reset, or a guest's invitation to claim their record (a reset token as well).
 */
export async function sendAccountLink(
  ctx: Ctx,
  row: Row,
  kind: AccountEmail,
  storeUrl: string,
): Promise<void> {
  const token = await issueToken(ctx, row.id, kind === "verify_email" ? "verify_email" : "reset_password");
  await queueAccountEmail(ctx, {
    kind,
    to: row.email,
    name: row.firstName,
    locale: row.locale,
    token,
    storeUrl,
  });
}

/**
 * Signs in with email and password. The error is the same whether the email is unknown, a guest,
 * or the password is wrong, and takes as long.
 */
export async function login(ctx: Ctx, input: { email: string; password: string }): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  const [row] = await ctx.db.select().from(customers).where(eq(customers.email, email));
  const ok = await verifyPassword(row?.passwordHash ?? null, input.password);
  if (!row || !ok)
    throw new AppError(401, "customer.invalid_credentials", "The email or password is not correct");
  return { customer: toCustomer(row), session: await createSession(ctx, row.id) };
}

export async function getCustomerRow(ctx: Ctx, id: string): Promise<Row> {
  const [row] = await ctx.db.select().from(customers).where(eq(customers.id, id));
  if (!row) throw new NotFoundError("customer", id);
  return row;
}

export async function getCustomer(ctx: Ctx, id: string): Promise<Customer> {
  return toCustomer(await getCustomerRow(ctx, id));
}

/** Changes names, phone or language. The email address is changed by a separate, verified flow. */
export async function updateProfile(ctx: Ctx, id: string, patch: ProfileInput): Promise<Customer> {
  const values = cleanProfile(patch);
  if (Object.keys(values).length === 0) return getCustomer(ctx, id);
  const [row] = await ctx.db
    .update(customers)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(customers.id, id))
    .returning();
  if (!row) throw new NotFoundError("customer", id);
  return toCustomer(row);
}

/**
 * The CTEs that find or create the customer record for a guest's email inside a statement
 * composed by a flow (the checkout's). `id` is null only when a concurrent statement was
 * creating the same record; findOrCreateGuest, run after it, then finds that record.
 */
export function guestCustomerPart(email: string): { ctes: SQL; id: SQL } {
  const normalized = normalizeEmail(email);
  return {
    ctes: sql`guest_created as (
        insert into customers (id, email) values (${newId("cus")}, ${normalized})
        on conflict (email) do nothing returning id
      ), guest as (
        select id from guest_created union all select id from customers where email = ${normalized}
      )`,
    id: sql`(select id from guest limit 1)`,
  };
}

/**
 * The customer for an email given at checkout: the existing account or guest, or a new guest
 * record (no password). Safe under concurrent checkouts with the same email.
 * @example const { id } = await findOrCreateGuest(tx, "ana@example.com")
 */
export async function findOrCreateGuest(ctx: Ctx, email: string): Promise<Customer> {
  const normalized = normalizeEmail(email);
  await ctx.db
    .insert(customers)
    .values({ id: newId("cus"), email: normalized })
    .onConflictDoNothing({ target: customers.email });
  const [row] = await ctx.db.select().from(customers).where(eq(customers.email, normalized));
  return toCustomer(row!);
}
