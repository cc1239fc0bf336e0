import { and, eq, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { AppError, ConflictError, isUniqueViolation, NotFoundError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { recordConsents } from "./consents.service.ts";
import { queueAccountEmail } from "./customer-emails.ts";
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

const emailTaken = () =>
  new ConflictError("customer.email_taken", "An account with this email address exists");

async function emitEvent<T extends keyof CustomerEvents>(
  ctx: Ctx,
  type: T,
  payload: CustomerEvents[T],
  key: string,
) {
  await emit(ctx, type, payload, { key });
}

/**
 * Creates an account and signs it in. A guest record with the same email (made by an earlier
 * checkout) becomes the account, keeping its id and history. Queues the verification email.
 */
export async function register(ctx: Ctx, input: RegisterInput, storeUrl: string): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  checkPassword(input.password);
  const profile = cleanProfile(input);
  const passwordHash = await hashPassword(input.password);

  const [guest] = await ctx.db.select().from(customers).where(eq(customers.email, email)).for("update");
  if (guest && guest.passwordHash !== null) throw emailTaken();
  let row: Row;
  if (guest) {
    [row] = (await ctx.db
      .update(customers)
      .set({ ...profile, passwordHash, updatedAt: sql`now()` })
      .where(and(eq(customers.id, guest.id), isNull(customers.passwordHash)))
      .returning()) as [Row];
  } else {
    try {
      [row] = (await ctx.db
        .insert(customers)
        .values({ id: newId("cus"), email, passwordHash, ...profile })
        .returning()) as [Row];
    } catch (err) {
      if (isUniqueViolation(err)) throw emailTaken();
      throw err;
    }
  }
  if (input.marketing) await recordConsents(ctx, row.id, input.marketing, "account");
  await emitEvent(
    ctx,
    "customer.registered",
    { customerId: row.id, locale: row.locale, convertedFromGuest: !!guest },
    row.id,
  );
  await sendVerification(ctx, row, storeUrl);
  return { customer: toCustomer(row), session: await createSession(ctx, row.id) };
}

/** Queues a fresh verification link for a customer whose email is not verified yet. */
export async function sendVerification(ctx: Ctx, row: Row, storeUrl: string): Promise<void> {
  const token = await issueToken(ctx, row.id, "verify_email");
  await queueAccountEmail(ctx, {
    kind: "verify_email",
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
