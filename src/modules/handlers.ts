import type { EventHandler } from "../kernel/events.ts";
import { purgeIdempotencyKeys } from "../kernel/idempotency.schema.ts";
import type { ScheduledTask } from "../kernel/jobs.ts";
import { purgeExpiredCredentials } from "./customers/index.ts";

/** Every domain-event handler of every module, wired into the job runner at start-up. */
export const eventHandlers: EventHandler[] = [];

/** Periodic maintenance, run by one instance per tick. */
export const scheduledTasks: ScheduledTask[] = [
  { name: "maintenance.purge-idempotency-keys", cron: "17 * * * *", run: (ctx) => purgeIdempotencyKeys(ctx) },
  {
    name: "customers.purge-expired-credentials",
    cron: "41 3 * * *",
    run: (ctx) => purgeExpiredCredentials(ctx),
  },
];
