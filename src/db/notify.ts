import pg from "pg";
import type { Database } from "./client.ts";

export interface ChangeListener {
  /** True while notifications are known to arrive; false after a dropped connection until re-listened. */
  readonly healthy: boolean;
  stop(): Promise<void>;
}

/**
 * LISTENs on a channel: on PostgreSQL over a dedicated connection that is re-opened after a drop
 * (`onChange` also fires when it comes back, since notifications may have been missed); on
 * PGlite through its in-process listen.
 * @example const listener = await listenForChanges(database, "chuhai_catalog", () => cache.clear())
 */
export async function listenForChanges(
  database: Database,
  channel: string,
  onChange: () => void,
): Promise<ChangeListener> {
  if (database.pglite) {
    const unlisten = await database.pglite.listen(channel, () => onChange());
    return { healthy: true, stop: unlisten };
  }
  let client: pg.Client | undefined;
  let healthy = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: database.url });
    next.on("notification", () => onChange());
    next.on("error", () => lost());
    next.on("end", () => lost());
    try {
      await next.connect();
      await next.query(`listen "${channel}"`);
      client = next;
      healthy = true;
      onChange();
    } catch {
      next.end().catch(() => {});
      lost();
    }
  };
  const lost = () => {
    healthy = false;
    onChange();
    if (!stopped && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, 1000);
    }
  };

  await connect();
  return {
    get healthy() {
      return healthy;
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      healthy = false;
      await client?.end().catch(() => {});
    },
  };
}
