import { CsvError, parse } from "csv-parse/sync";
import { type ColumnKey, columnName, columnOf } from "./shopify-csv.columns.ts";

/**
 * One problem found in an import file. `line` is the physical line where the record starts
 * (header = line 1, as a text editor counts); `row` is the record number (header = row 1, as a
 * spreadsheet counts). They differ only when an earlier field spans several lines.
 */
export interface ImportError {
  line: number;
  row?: number;
  column?: string;
  code: string;
  message: string;
  handle?: string;
}

/** A data record of the file: its cells keyed by the columns the importer knows, trimmed. */
export interface CsvRow {
  line: number;
  row: number;
  cells: Partial<Record<ColumnKey, string>>;
}

export interface ParsedCsv {
  rows: CsvRow[];
  /** The known columns present in the file, with their header as written there. */
  headers: Partial<Record<ColumnKey, string>>;
  errors: ImportError[];
}

const REQUIRED: ColumnKey[] = ["handle", "title", "price"];

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

const fileError = (code: string, message: string, line = 1): ImportError => ({ line, code, message });

function sniffBinary(bytes: Uint8Array): ImportError | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04))
    return fileError(
      "csv.not_csv",
      "This is a ZIP or Excel (.xlsx) file; save it as CSV (UTF-8) and upload that",
    );
  if (starts(0xd0, 0xcf, 0x11, 0xe0))
    return fileError(
      "csv.not_csv",
      "This is an Excel (.xls) workbook; save it as CSV (UTF-8) and upload that",
    );
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff))
    return fileError("csv.encoding", "The file is UTF-16 text; save it as CSV (UTF-8) and upload that");
  return undefined;
}

/** Index of the first control character other than tab, line breaks and form feed, or -1. */
function firstControlChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && (c < 0x09 || c > 0x0d)) return i;
  }
  return -1;
}

/**
 * Turns uploaded bytes or text into CSV text: strips a UTF-8 byte-order mark and rejects what is
 * not UTF-8 text (Excel workbooks, UTF-16, Windows-1252 bytes, binary data) with a clear error.
 * @example decodeCsv(Buffer.from("Handle,Title\n")) // { text: "Handle,Title\n" }
 */
export function decodeCsv(input: string | Uint8Array): { text: string } | { error: ImportError } {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    const binary = sniffBinary(input);
    if (binary) return { error: binary };
    text = new TextDecoder("utf-8", { fatal: false }).decode(input);
  }
  // A string may still hold a workbook read as text.
  const binary = sniffBinary(Uint8Array.from(text.slice(0, 4), (c) => c.charCodeAt(0) & 0xff));
  if (binary && binary.code === "csv.not_csv") return { error: binary };
  text = text.replace(/^\uFEFF/, "");
  const bad = text.indexOf("\uFFFD");
  if (bad !== -1) {
    return {
      error: fileError(
        "csv.encoding",
        "The file is not valid UTF-8 text (perhaps Windows-1252 or Latin-1); save it as CSV (UTF-8)",
        lineAt(text, bad),
      ),
    };
  }
  const nul = firstControlChar(text);
  if (nul !== -1)
    return {
      error: fileError("csv.binary", "The file contains binary data, not CSV text", lineAt(text, nul)),
    };
  return { text };
}

interface RawRecord {
  cells: string[];
  line: number;
}

function readRecords(text: string): { records: RawRecord[]; error?: ImportError } {
  const records: RawRecord[] = [];
  let lastEnd = 0;
  let lastEmpty = 0;
  try {
    parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (cells: string[], info) => {
        records.push({ cells, line: lastEnd + 1 + (info.empty_lines - lastEmpty) });
        lastEnd = info.lines;
        lastEmpty = info.empty_lines;
        return null;
      },
    });
    return { records };
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const emptyLines = typeof err.empty_lines === "number" ? err.empty_lines : lastEmpty;
    const start = lastEnd + 1 + Math.max(0, emptyLines - lastEmpty);
    const at = typeof err.lines === "number" ? err.lines : start;
    const error =
      err.code === "CSV_QUOTE_NOT_CLOSED"
        ? fileError(
            "csv.unclosed_quote",
            `A quoted field in the record starting on line ${start} is never closed`,
            start,
          )
        : fileError("csv.malformed", `Malformed CSV on line ${at}: ${err.message}`, at);
    return { records, error };
  }
}

function readHeader(
  cells: string[],
): Pick<ParsedCsv, "headers" | "errors"> & { keys: (ColumnKey | undefined)[] } {
  const headers: ParsedCsv["headers"] = {};
  const errors: ImportError[] = [];
  const keys = cells.map((cell) => {
    const key = columnOf(cell);
    if (!key) return undefined;
    if (headers[key] !== undefined) {
      errors.push({
        line: 1,
        row: 1,
        column: cell.trim(),
        code: "csv.duplicate_column",
        message: `Column "${cell.trim()}" appears twice (also as "${headers[key]}")`,
      });
      return undefined;
    }
    headers[key] = cell.trim();
    return key;
  });
  for (const key of REQUIRED) {
    if (headers[key] === undefined) {
      errors.push({
        line: 1,
        row: 1,
        column: columnName(key),
        code: "csv.missing_column",
        message: `The required column "${columnName(key)}" is missing from the header`,
      });
    }
  }
  return { headers, errors, keys };
}

/**
 * Reads a Shopify product CSV into rows keyed by known columns, with line numbers. File-level
 * problems (encoding, malformed CSV, missing required columns) come back as errors and no rows.
 * @example parseShopifyCsv("Handle,Title,Variant Price\nmug,Mug,9.50\n").rows[0].cells.price // "9.50"
 */
export function parseShopifyCsv(input: string | Uint8Array): ParsedCsv {
  const decoded = decodeCsv(input);
  if ("error" in decoded) return { rows: [], headers: {}, errors: [decoded.error] };
  const { records, error } = readRecords(decoded.text);
  if (error) return { rows: [], headers: {}, errors: [error] };
  const [header, ...data] = records;
  if (!header) return { rows: [], headers: {}, errors: [fileError("csv.empty", "The file is empty")] };
  const { headers, errors, keys } = readHeader(header.cells);
  if (errors.length) return { rows: [], headers, errors };
  const rows: CsvRow[] = [];
  data.forEach((record, i) => {
    const row = i + 2;
    if (record.cells.every((c) => c.trim() === "")) return;
    if (record.cells.length !== keys.length) {
      errors.push({
        line: record.line,
        row,
        code: "csv.column_count",
        message: `This row has ${record.cells.length} fields but the header has ${keys.length}; a field with a line break or comma may be missing its quotes`,
      });
      return;
    }
    const cells: CsvRow["cells"] = {};
    keys.forEach((key, c) => {
      if (key) cells[key] = record.cells[c]!.trim();
    });
    rows.push({ line: record.line, row, cells });
  });
  return { rows, headers, errors };
}
