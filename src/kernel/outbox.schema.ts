import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Domain events written in the same transaction as the change that caused them. */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull().unique(),
    type: text("type").notNull(),
    /** Idempotency key: emitting the same (type, key) twice stores one event. */
    key: text("key").notNull(),
    payload: jsonb("payload").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("outbox_events_type_key").on(t.type, t.key),
    index("outbox_events_pending").on(t.seq).where(sql`dispatched_at is null`),
  ],
);

/** One row per (handler, event): proof that a handler's effects for an event were committed. */
export const eventReceipts = pgTable(
  "event_receipts",
  {
    handler: text("handler").notNull(),
    eventId: text("event_id").notNull(),
    handledAt: timestamp("handled_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.handler, t.eventId] })],
);
