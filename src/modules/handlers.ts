import type { EventHandler } from "../kernel/events.ts";
import { purgeIdempotencyKeys } from "../kernel/idempotency.schema.ts";
import type { ScheduledTask } from "../kernel/jobs.ts";

/** Every domain-event handler of every module, wired into the job runner at start-up. */
export const eventHandlers: EventHandler[] = [];

/** Periodic maintenance, run by one instance per tick. */
export const scheduledTasks: ScheduledTask[] = [
  { name: "maintenance.purge-idempotency-keys", cron: "17 * * * *", run: (ctx) => purgeIdempotencyKeys(ctx) },
];
