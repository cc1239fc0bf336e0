import { fromDecimal } from "../../kernel/money.ts";
import { isCountryCode } from "../../kernel/validate.ts";
import type { ProductStatus } from "./catalog.types.ts";
import { type ColumnKey, columnName } from "./shopify-csv.columns.ts";
import type { CsvRow, ImportError, ParsedCsv } from "./shopify-csv.parser.ts";

/** A cell read as a value, or why it could not be: a stable code and a message. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (code: string, message: string): Parsed<never> => ({ ok: false, code, message });

/** What a spreadsheet makes of a long number: "8.90123E+12". The digits it dropped are gone. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;

/**
 * A major-unit decimal ("19.99") in minor units of `currency`.
 * @example parsePrice("19.99", "USD") // { ok: true, value: 1999 }
 */
export function parsePrice(text: string, currency: string, code = "csv.invalid_price"): Parsed<number> {
  if (SCIENTIFIC.test(text)) return bad(code, `"${text}" is in scientific notation; write the plain amount`);
  try {
    const amount = fromDecimal(text, currency).amount;
    if (amount < 0) return bad(code, `"${text}" is negative`);
    if (amount > 9_000_000_000_000) return bad(code, `"${text}" is too large`);
    return ok(amount);
  } catch (err) {
    const why =
      err instanceof Error && /decimals/.test(err.message) ? err.message : "not a plain decimal amount";
    return bad(
      code,
      `"${text}" is not a valid ${currency} amount (${why}); use digits and a dot, e.g. 19.99`,
    );
  }
}

/**
 * Grams as Shopify writes them (converted units may carry decimals), rounded to whole grams.
 * @example parseGrams("226.796185") // { ok: true, value: 227 }
 */
export function parseGrams(text: string): Parsed<number> {
  if (!/^\d+(?:\.\d+)?$/.test(text)) return bad("csv.invalid_grams", `"${text}" is not a weight in grams`);
  const grams = Math.round(Number(text));
  if (grams > 10_000_000) return bad("csv.invalid_grams", `"${text}" grams is more than 10 tonnes`);
  return ok(grams);
}

/**
 * A GTIN/UPC/EAN or other barcode; scientific notation is refused, never expanded.
 * @example parseBarcode("8.90123E+12").ok // false (code "csv.barcode_scientific")
 */
export function parseBarcode(text: string): Parsed<string> {
  if (SCIENTIFIC.test(text)) {
    return bad(
      "csv.barcode_scientific",
      `Barcode "${text}" was turned into scientific notation by a spreadsheet and its digits are lost; format the column as text and re-enter the barcodes`,
    );
  }
  const value = text.replace(/^'/, "");
  if (!/^[0-9A-Za-z-]{4,40}$/.test(value))
    return bad("csv.invalid_barcode", `Barcode "${text}" must be 4-40 letters, digits or dashes`);
  return ok(value);
}

/**
 * An HS code with its dots and spaces removed.
 * @example parseHsCode("6109.10.00") // { ok: true, value: "61091000" }
 */
export function parseHsCode(text: string): Parsed<string> {
  const digits = text.replace(/[.\s]/g, "");
  if (!/^\d{6,10}$/.test(digits))
    return bad("csv.invalid_hs_code", `HS code "${text}" must have 6-10 digits`);
  return ok(digits);
}

/**
 * An ISO 3166-1 alpha-2 code, upper-cased.
 * @example parseCountry("cn") // { ok: true, value: "CN" }
 */
export function parseCountry(text: string): Parsed<string> {
  const code = text.toUpperCase();
  if (!isCountryCode(code))
    return bad("csv.invalid_country", `"${text}" is not an ISO 3166-1 alpha-2 country code`);
  return ok(code);
}

/**
 * TRUE/FALSE as spreadsheets write them (also yes/no, 1/0).
 * @example parseBoolean("TRUE", "csv.invalid_published") // { ok: true, value: true }
 */
export function parseBoolean(text: string, code: string): Parsed<boolean> {
  const v = text.toLowerCase();
  if (v === "true" || v === "yes" || v === "1") return ok(true);
  if (v === "false" || v === "no" || v === "0") return ok(false);
  return bad(code, `"${text}" must be TRUE or FALSE`);
}

/**
 * A product status, case-insensitively.
 * @example parseStatus("Active") // { ok: true, value: "active" }
 */
export function parseStatus(text: string): Parsed<ProductStatus> {
  const v = text.toLowerCase();
  if (v === "active" || v === "draft" || v === "archived") return ok(v);
  return bad("csv.invalid_status", `Status "${text}" must be active, draft or archived`);
}

/**
 * Shopify's "continue" (sell when out of stock) or "deny", as allowBackorder.
 * @example parseInventoryPolicy("continue") // { ok: true, value: true }
 */
export function parseInventoryPolicy(text: string): Parsed<boolean> {
  const v = text.toLowerCase();
  if (v === "continue") return ok(true);
  if (v === "deny") return ok(false);
  return bad("csv.invalid_inventory_policy", `Inventory policy "${text}" must be deny or continue`);
}

/**
 * An image address the catalog accepts: http(s) or a path from the site root.
 * @example parseImageUrl("ftp://x").ok // false
 */
export function parseImageUrl(text: string): Parsed<string> {
  if (!/^(https?:\/\/|\/)\S+$/.test(text) || text.length > 2000)
    return bad("csv.invalid_image_url", `Image "${text}" must be an http(s) URL or a path starting with /`);
  return ok(text);
}

/**
 * An image position from 1.
 * @example parsePosition("2") // { ok: true, value: 2 }
 */
export function parsePosition(text: string): Parsed<number> {
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1)
    return bad("csv.invalid_image_position", `Image position "${text}" must be a whole number from 1`);
  return ok(Number(text));
}

/**
 * Comma-separated tags, trimmed, empty ones dropped, duplicates removed.
 * @example parseTags("a, b,,a") // { ok: true, value: ["a", "b"] }
 */
export function parseTags(text: string): Parsed<string[]> {
  const tags = [...new Set(text.split(",").map((t) => t.trim()))].filter(Boolean);
  const long = tags.find((t) => t.length > 100);
  if (long) return bad("csv.invalid_tag", `Tag "${long.slice(0, 40)}…" is longer than 100 characters`);
  if (tags.length > 250) return bad("csv.invalid_tag", "A product has at most 250 tags");
  return ok(tags);
}

/**
 * A text cell with a length limit.
 * @example textUpTo(3)("abcd").ok // false (code "csv.too_long")
 */
export function textUpTo(max: number): (text: string) => Parsed<string> {
  return (text) => (text.length > max ? bad("csv.too_long", `Longer than ${max} characters`) : ok(text));
}

/**
 * Reads the cells of one row, recording problems with the row's line and the column's header.
 * @example new RowReader(headers, errors, row, "mug").read("price", (t) => parsePrice(t, "USD"))
 */
export class RowReader {
  constructor(
    private readonly headers: ParsedCsv["headers"],
    private readonly errors: ImportError[],
    readonly row: CsvRow,
    private readonly handle: string,
  ) {}

  has(key: ColumnKey): boolean {
    return this.headers[key] !== undefined;
  }

  raw(key: ColumnKey): string {
    return this.row.cells[key] ?? "";
  }

  /** The parsed cell: undefined when the column is absent or the cell is invalid, null when empty. */
  read<T>(key: ColumnKey, parse: (text: string) => Parsed<T>): T | null | undefined {
    if (!this.has(key)) return undefined;
    const text = this.raw(key);
    if (text === "") return null;
    const parsed = parse(text);
    if (parsed.ok) return parsed.value;
    this.fail(key, parsed.code, parsed.message);
    return undefined;
  }

  fail(key: ColumnKey | undefined, code: string, message: string, to = this.errors): void {
    const column = key ? (this.headers[key] ?? columnName(key)) : undefined;
    to.push({ line: this.row.line, row: this.row.row, column, code, message, handle: this.handle });
  }
}
