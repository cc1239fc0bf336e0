import { ValidationError } from "./errors.ts";

/** A page of results and the cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Encodes the sort key of the last item of a page as an opaque cursor.
 * @example encodeCursor(["1999", "prod_01J…"])
 */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** Decodes a cursor made by encodeCursor with `arity` values, rejecting anything else. */
export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v)))
    ) {
      return values;
    }
  } catch {}
  throw new ValidationError("paging.invalid_cursor", "The cursor is not valid for this list");
}

/** Splits `limit + 1` fetched rows into a page, using `key` of the last item for the cursor. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
