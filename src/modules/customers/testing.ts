import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { storeHeaders } from "../../../test/support/fixtures.ts";
import { type Database, queryRows } from "../../db/client.ts";
import type { App } from "../../http/app.ts";

/** Test helpers for the customers module: Store API calls and reading the mail outbox. */
export function storeClient(app: App) {
  const call = (
    method: string,
    url: string,
    opts: { token?: string; payload?: unknown; headers?: object } = {},
  ) =>
    app.inject({
      method: method as "GET",
      url: `/store/v1${url}`,
      headers: {
        ...storeHeaders,
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      ...(opts.payload === undefined ? {} : { payload: opts.payload as object }),
    });

  async function register(email: string, extra: Record<string, unknown> = {}) {
    const res = await call("POST", "/customers", {
      payload: { email, password: "correct horse battery", ...extra },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { customer: { id: string; email: string }; session: { token: string } };
  }
  return { call, register };
}

export async function count(database: Database, table: string, where = sql`true`): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`,
  );
  return row!.n;
}

/** The newest email to `to`, with the token of the link it carries. */
export async function lastEmail(database: Database, to: string) {
  const [row] = await queryRows<{ subject: string; text: string; html: string; template: string }>(
    database.db,
    sql`select subject, text, html, template from email_messages where to_address = ${to} order by id desc limit 1`,
  );
  if (!row) throw new Error(`no email to ${to}`);
  return { ...row, token: /token=([A-Za-z0-9_-]+)/.exec(row.text)?.[1] ?? "" };
}
