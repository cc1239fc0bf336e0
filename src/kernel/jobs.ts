import { sql } from "drizzle-orm";
import { fromDrizzle, fromPglite, type JobResult, PgBoss } from "pg-boss";
import type { Database } from "../db/client.ts";
import { type Ctx, systemCtx, transaction } from "./context.ts";
import {
  claimReceipt,
  type DomainEvent,
  type EventHandler,
  lockPendingEvents,
  markDispatched,
} from "./events.ts";

/** Work that runs on a cron schedule, once per tick across all instances. */
export interface ScheduledTask {
  name: string;
  cron: string;
  run(ctx: Ctx): Promise<void>;
}

export interface JobRunnerOptions {
  handlers: readonly EventHandler[];
  schedules?: readonly ScheduledTask[];
  /** How often the relay looks for new outbox events when idle. */
  relayIntervalMs?: number;
  /** Worker poll interval (pg-boss minimum 0.5 s). */
  pollSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  onError?: (err: unknown) => void;
}

interface EventJob {
  event: DomainEvent;
}

const queueName = (handler: string) => `event.${handler}`;
const RELAY_BATCH = 200;
// Events a worker takes per fetch. While fetches come back full it fetches again at once, so a
// backlog drains at the handlers' pace rather than one batch per poll interval.
const DELIVERY_BATCH = 25;

/**
 * Runs pg-boss on the application database and moves outbox events to one queue per handler.
 * Delivery is at least once; handlers commit their effects together with a receipt keyed by
 * handler and event key, so each event's effects land once per handler, also across restarts.
 */
export class JobRunner {
  readonly boss: PgBoss;
  private relayTimer: NodeJS.Timeout | undefined;
  private relaying: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly database: Database,
    private readonly opts: JobRunnerOptions,
  ) {
    this.boss = database.pglite
      ? new PgBoss({ db: fromPglite(database.pglite), backend: "pglite" })
      : new PgBoss({ connectionString: database.url, max: 4 });
    this.boss.on("error", (err) => opts.onError?.(err));
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const handler of this.opts.handlers) {
      const name = queueName(handler.name);
      await this.boss.createQueue(name, {
        retryLimit: this.opts.retryLimit ?? 8,
        retryDelay: this.opts.retryDelaySeconds ?? 1,
        retryBackoff: true,
      });
      await this.boss.work<EventJob>(
        name,
        {
          pollingIntervalSeconds: this.opts.pollSeconds ?? 0.5,
          batchSize: DELIVERY_BATCH,
          burstWhenBatchFull: true,
          perJobResults: true,
        },
        (jobs) => this.deliverBatch(handler, jobs),
      );
    }
    for (const task of this.opts.schedules ?? []) {
      await this.boss.createQueue(task.name);
      await this.boss.schedule(task.name, task.cron);
      await this.boss.work(task.name, async () => task.run(systemCtx(this.database.db, task.name)));
    }
    this.scheduleRelay();
  }

  /** Dispatches pending outbox events now; returns how many were dispatched. */
  relayOnce(): Promise<number> {
    this.relaying ??= this.relay().finally(() => {
      this.relaying = undefined;
    });
    return this.relaying;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relayTimer);
    await this.relaying?.catch(() => {});
    await this.boss.stop({ graceful: true, timeout: 5000, close: true });
  }

  private scheduleRelay(): void {
    if (this.stopped) return;
    this.relayTimer = setTimeout(async () => {
      try {
        // Keep draining while full batches come back, then wait for the next tick.
        while (!this.stopped && (await this.relayOnce()) === RELAY_BATCH) {}
      } catch (err) {
        this.opts.onError?.(err);
      }
      this.scheduleRelay();
    }, this.opts.relayIntervalMs ?? 250);
  }

  private async relay(): Promise<number> {
    const ctx = systemCtx(this.database.db, "outbox-relay");
    return transaction(ctx, async (tx) => {
      const events = await lockPendingEvents(tx, RELAY_BATCH);
      if (events.length === 0) return 0;
      // The jobs are inserted in the relay's own transaction: an event is marked dispatched
      // exactly when its jobs exist.
      const db = fromDrizzle(tx.db as never, sql as never);
      for (const handler of this.opts.handlers) {
        const jobs = events
          .filter((e) => handler.events.includes(e.type))
          .map((event) => ({ data: { event } }));
        if (jobs.length) await this.boss.insert(queueName(handler.name), jobs, { db });
      }
      await markDispatched(
        tx,
        events.map((e) => e.id),
      );
      return events.length;
    });
  }

  /** Each event in its own transaction: one that fails is retried alone, the rest complete. */
  private async deliverBatch(
    handler: EventHandler,
    jobs: readonly { id: string; data: EventJob }[],
  ): Promise<JobResult[]> {
    const results: JobResult[] = [];
    for (const job of jobs) {
      try {
        await this.deliver(handler, job.data.event);
        results.push({ id: job.id, status: "completed" });
      } catch (err) {
        results.push({ id: job.id, status: "failed", output: { message: String(err) } });
      }
    }
    return results;
  }

  private async deliver(handler: EventHandler, event: DomainEvent): Promise<void> {
    const ctx: Ctx = systemCtx(this.database.db, `handler:${handler.name}`);
    await transaction(ctx, async (tx) => {
      if (!(await claimReceipt(tx, handler.name, `${event.type}:${event.key}`))) return;
      await handler.handle(tx, event);
    });
  }
}
