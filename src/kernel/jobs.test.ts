import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../db/client.ts";
import { createTestDatabase } from "../db/testing.ts";
import { type Ctx, systemCtx, transaction } from "./context.ts";
import { type DomainEvent, type EventHandler, emit } from "./events.ts";
import { JobRunner, type JobRunnerOptions } from "./jobs.ts";

/** Polls `read` until `ok` holds or the deadline passes; returns the last value. */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`outbox and JobRunner on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  let database: Database;
  let ctx: Ctx;
  let runner: JobRunner | undefined;
  const errors: unknown[] = [];
  /** Events each handler got through without throwing, in order. */
  const seen: Record<string, DomainEvent[]> = {
    recorder: [],
    bystander: [],
    flaky: [],
    counter: [],
    bulk: [],
  };
  const attempts = new Map<string, number>();

  const count = async (query: SQL) => (await queryRows<{ n: number }>(database.db, query))[0]!.n;
  const effects = (handler: string, key: string) =>
    count(
      sql`select count(*)::int as n from handler_effects where handler = ${handler} and event_key = ${key}`,
    );
  const jobs = (queue: string, where: SQL) =>
    queryRows<{ state: string; retry_count: number }>(
      database.db,
      sql`select state::text as state, retry_count from pgboss.job where name = ${queue} and ${where}`,
    );
  const keys = (handler: string) => seen[handler]!.map((e) => `${e.type}:${e.key}`);

  /** Records the event in memory and writes an effect row inside the handler's transaction. */
  function handler(name: string, events: string[], failFirst = 0, failing = events): EventHandler {
    return {
      name,
      events,
      async handle(tx, event) {
        const attempt = (attempts.get(`${name}:${event.key}`) ?? 0) + 1;
        attempts.set(`${name}:${event.key}`, attempt);
        await tx.db.execute(
          sql`insert into handler_effects (handler, event_key, attempt) values (${name}, ${event.key}, ${attempt})`,
        );
        if (attempt <= failFirst && failing.includes(event.type))
          throw new Error(`${name} fails attempt ${attempt}`);
        seen[name]!.push(event);
      },
    };
  }
  const options: JobRunnerOptions = {
    handlers: [
      handler("recorder", ["test.rolled_back", "test.committed"]),
      handler("bystander", ["test.other"]),
      handler("flaky", ["test.flaky"], 2),
      handler("counter", ["test.once"]),
      handler("bulk", ["test.bulk", "test.bulk_flaky"], 2, ["test.bulk_flaky"]),
    ],
    retryLimit: 5,
    retryDelaySeconds: 0,
    pollSeconds: 0.5,
    relayIntervalMs: 50,
    onError: (err) => errors.push(err),
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = systemCtx(database.db, "jobs-test");
    await database.db.execute(
      sql`create table handler_effects (handler text not null, event_key text not null, attempt int not null)`,
    );
    runner = new JobRunner(database, options);
    await runner.start();
  });

  afterAll(async () => {
    try {
      await runner?.stop();
    } finally {
      await database?.close();
    }
    if (errors.length) console.warn("JobRunner errors:", errors);
  });

  it("never delivers an event whose transaction rolled back", async () => {
    await expect(
      transaction(ctx, async (tx) => {
        await emit(tx, "test.rolled_back", { n: 1 }, { key: "rb-1" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(
      await count(sql`select count(*)::int as n from outbox_events where type = 'test.rolled_back'`),
    ).toBe(0);

    // A later committed event to the same handler is delivered; the rolled-back one never is.
    await transaction(ctx, (tx) => emit(tx, "test.committed", { n: 2 }, { key: "after-rb" }));
    await until(
      "the sentinel",
      async () => keys("recorder"),
      (k) => k.includes("test.committed:after-rb"),
    );
    expect(keys("recorder")).not.toContain("test.rolled_back:rb-1");
    expect(await effects("recorder", "rb-1")).toBe(0);
  });

  it("delivers a committed event to subscribed handlers only", async () => {
    await transaction(ctx, (tx) => emit(tx, "test.committed", { orderId: "o1" }, { key: "o1" }));
    await until(
      "delivery",
      async () => keys("recorder"),
      (k) => k.includes("test.committed:o1"),
    );
    const event = seen.recorder!.find((e) => e.key === "o1")!;
    expect(event).toMatchObject({ type: "test.committed", key: "o1", payload: { orderId: "o1" } });
    expect(event.id).toMatch(/^evt_[0-9A-Z]{26}$/);
    expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
    expect(await effects("recorder", "o1")).toBe(1);

    await emit(ctx, "test.other", {}, { key: "bystander-sentinel" });
    await until(
      "bystander",
      async () => keys("bystander"),
      (k) => k.includes("test.other:bystander-sentinel"),
    );
    expect(seen.bystander!.map((e) => e.type)).not.toContain("test.committed");
    expect(await jobs("event.bystander", sql`data->'event'->>'type' = 'test.committed'`)).toEqual([]);
    expect(await jobs("event.recorder", sql`data->'event'->>'key' = 'o1'`)).toHaveLength(1);
  });

  it("retries a failing handler and commits its effect exactly once", async () => {
    await emit(ctx, "test.flaky", { n: 3 }, { key: "f1" });
    const done = await until(
      "the flaky job to complete",
      () => jobs("event.flaky", sql`data->'event'->>'key' = 'f1'`),
      (rows) => rows[0]?.state === "completed",
    );
    expect(done).toEqual([{ state: "completed", retry_count: 2 }]);
    expect(attempts.get("flaky:f1")).toBe(3);
    expect(keys("flaky")).toEqual(["test.flaky:f1"]);
    // The rows written by the two failed attempts were rolled back with them.
    expect(
      await queryRows(database.db, sql`select attempt from handler_effects where handler = 'flaky'`),
    ).toEqual([{ attempt: 3 }]);
    expect(
      await count(
        sql`select count(*)::int as n from event_receipts where handler = 'flaky' and event_id = 'test.flaky:f1'`,
      ),
    ).toBe(1);
  });

  it("drains a backlog in batches, retrying a failing event alone", async () => {
    // 200 events at one poll (0.5 s) per event would take 100 s; in batches they take moments.
    await transaction(ctx, async (tx) => {
      for (let n = 0; n < 200; n++) await emit(tx, "test.bulk", { n }, { key: `b${n}` });
    });
    await until(
      "the backlog to be delivered",
      async () => seen.bulk!.length,
      (n) => n === 200,
      15_000,
    );
    expect(new Set(keys("bulk")).size).toBe(200);

    await transaction(ctx, async (tx) => {
      await emit(tx, "test.bulk", {}, { key: "good-1" });
      await emit(tx, "test.bulk_flaky", {}, { key: "bad" });
      await emit(tx, "test.bulk", {}, { key: "good-2" });
    });
    const done = await until(
      "the failing event to complete",
      () => jobs("event.bulk", sql`data->'event'->>'key' in ('good-1', 'bad', 'good-2')`),
      (rows) => rows.length === 3 && rows.every((r) => r.state === "completed"),
    );
    expect(done.map((r) => r.retry_count).sort()).toEqual([0, 0, 2]);
    expect(attempts.get("bulk:bad")).toBe(3);
    expect(keys("bulk").slice(200).sort()).toEqual([
      "test.bulk:good-1",
      "test.bulk:good-2",
      "test.bulk_flaky:bad",
    ]);
  });

  it("handles each (type, key) once, also after a restart and a re-dispatch", async () => {
    await transaction(ctx, async (tx) => {
      await emit(tx, "test.once", { n: 1 }, { key: "k1" });
      await emit(tx, "test.once", { n: 2 }, { key: "k1" });
    });
    await until(
      "first delivery",
      async () => keys("counter"),
      (k) => k.includes("test.once:k1"),
    );
    // Emitting again after dispatch is still a no-op.
    await emit(ctx, "test.once", { n: 3 }, { key: "k1" });
    await emit(ctx, "test.once", {}, { key: "sentinel-1" });
    await until(
      "sentinel",
      async () => keys("counter"),
      (k) => k.includes("test.once:sentinel-1"),
    );
    expect(
      await count(sql`select count(*)::int as n from outbox_events where type = 'test.once' and key = 'k1'`),
    ).toBe(1);
    expect(keys("counter").filter((k) => k === "test.once:k1")).toHaveLength(1);
    expect(seen.counter!.find((e) => e.key === "k1")!.payload).toEqual({ n: 1 });

    // Restart with a new runner and dispatch the already handled event again.
    await runner!.stop();
    runner = new JobRunner(database, options);
    await runner.start();
    await database.db.execute(
      sql`update outbox_events set dispatched_at = null where type = 'test.once' and key = 'k1'`,
    );
    await runner.relayOnce();
    const rows = await until(
      "the re-dispatched job to complete",
      () => jobs("event.counter", sql`data->'event'->>'key' = 'k1'`),
      (r) => r.length === 2 && r.every((j) => j.state === "completed"),
    );
    expect(rows).toHaveLength(2);
    expect(await effects("counter", "k1")).toBe(1);
    expect(keys("counter").filter((k) => k === "test.once:k1")).toHaveLength(1);
    expect(attempts.get("counter:k1")).toBe(1);

    // The new runner does deliver new events.
    await emit(ctx, "test.once", {}, { key: "after-restart" });
    await until(
      "new delivery",
      async () => keys("counter"),
      (k) => k.includes("test.once:after-restart"),
    );
    expect(await effects("counter", "after-restart")).toBe(1);
  });
});
