import { expireReservations } from "../flows/orders.ts";
import { reconcilePayments } from "../flows/payments.ts";
import type { EventHandler } from "../kernel/events.ts";
import { purgeIdempotencyKeys } from "../kernel/idempotency.schema.ts";
import type { ScheduledTask } from "../kernel/jobs.ts";
import { purgeExpiredCredentials } from "./customers/index.ts";
import type { PaymentProviders } from "./payments/index.ts";

/** Every domain-event handler of every module, wired into the job runner at start-up. */
export const eventHandlers: EventHandler[] = [];

/** Periodic work, run by one instance per tick. */
export function scheduledTasks(deps: { payments: PaymentProviders }): ScheduledTask[] {
  return [
    {
      name: "maintenance.purge-idempotency-keys",
      cron: "17 * * * *",
      run: (ctx) => purgeIdempotencyKeys(ctx),
    },
    {
      name: "customers.purge-expired-credentials",
      cron: "41 3 * * *",
      run: (ctx) => purgeExpiredCredentials(ctx),
    },
    {
      name: "checkout.expire-reservations",
      cron: "* * * * *",
      run: async (ctx) => void (await expireReservations(ctx, deps.payments)),
    },
    {
      name: "payments.reconcile",
      cron: "* * * * *",
      run: async (ctx) => void (await reconcilePayments(ctx, deps.payments)),
    },
  ];
}
