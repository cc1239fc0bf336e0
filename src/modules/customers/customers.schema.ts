import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * A shopper: an account (with a password hash) or a guest known only by the email given at
 * checkout (`password_hash` null). Emails are stored lower-cased, so uniqueness is case-insensitive.
 */
export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** E.164, for SMS and WhatsApp. */
    phone: text("phone"),
    locale: text("locale"),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("customers_email").on(t.email),
    check("customers_email_lower", sql`${t.email} = lower(${t.email})`),
    check("customers_phone_e164", sql`${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
  ],
);

/** A signed-in browser or app. Only the SHA-256 of the bearer token is stored. */
export const customerSessions = pgTable(
  "customer_sessions",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("customer_sessions_token").on(t.tokenHash),
    index("customer_sessions_customer").on(t.customerId),
  ],
);

export type CustomerTokenPurpose = "verify_email" | "reset_password";

/** Single-use tokens sent by email; only their SHA-256 is stored. */
export const customerTokens = pgTable(
  "customer_tokens",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["verify_email", "reset_password"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("customer_tokens_hash").on(t.tokenHash),
    index("customer_tokens_customer").on(t.customerId),
  ],
);

/** The address book. At most one default shipping and one default billing address per customer. */
export const customerAddresses = pgTable(
  "customer_addresses",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    firstName: text("first_name"),
    lastName: text("last_name").notNull(),
    company: text("company"),
    line1: text("line1").notNull(),
    line2: text("line2"),
    city: text("city"),
    province: text("province"),
    postalCode: text("postal_code"),
    country: text("country").notNull(),
    phone: text("phone"),
    isDefaultShipping: boolean("is_default_shipping").notNull().default(false),
    isDefaultBilling: boolean("is_default_billing").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("customer_addresses_customer").on(t.customerId, t.id),
    uniqueIndex("customer_addresses_default_shipping").on(t.customerId).where(sql`is_default_shipping`),
    uniqueIndex("customer_addresses_default_billing").on(t.customerId).where(sql`is_default_billing`),
  ],
);

export type ConsentChannel = "email" | "sms" | "whatsapp";
export type ConsentSource = "checkout" | "account" | "admin" | "import";

/** Marketing consent history: one row per change; the latest row per channel is the current state. */
export const marketingConsents = pgTable(
  "marketing_consents",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: ["email", "sms", "whatsapp"] }).notNull(),
    granted: boolean("granted").notNull(),
    source: text("source", { enum: ["checkout", "account", "admin", "import"] }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("marketing_consents_current").on(t.customerId, t.channel, t.recordedAt)],
);
