import { describe, expect, it } from "vitest";
import { mapShopifyRows } from "./shopify-csv.mapper.ts";
import { decodeCsv, parseShopifyCsv } from "./shopify-csv.parser.ts";

const map = (text: string) => mapShopifyRows(parseShopifyCsv(text), { currency: "JPY", locale: "ja" });
const codes = (errors: Array<{ line: number; column?: string; code: string }>) =>
  errors.map((e) => [e.line, e.column, e.code]);

describe("parseShopifyCsv", () => {
  it("strips a BOM, ignores unknown columns and blank rows, and keeps line numbers", () => {
    const parsed = parseShopifyCsv(
      "\uFEFFHandle,Title,Variant Price,Mystery\r\n\r\nmug,Mug,950,x\r\n,,,\r\ncup,Cup,1,\r\n",
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.line, r.row, r.cells.handle])).toEqual([
      [3, 2, "mug"],
      [5, 4, "cup"],
    ]);
    expect(Object.keys(parsed.rows[0]!.cells)).toEqual(["handle", "title", "price"]);
  });

  it("rejects duplicate columns, ragged rows and missing required columns", () => {
    expect(codes(parseShopifyCsv("Handle,Title,Variant Price,variant price\n").errors)).toEqual([
      [1, "variant price", "csv.duplicate_column"],
    ]);
    expect(codes(parseShopifyCsv("Handle,Title,Variant Price\nmug,Mug\n").errors)).toEqual([
      [2, undefined, "csv.column_count"],
    ]);
    expect(codes(parseShopifyCsv("Handle,Name\n").errors)).toEqual([
      [1, "Title", "csv.missing_column"],
      [1, "Variant Price", "csv.missing_column"],
    ]);
  });

  it("reports a stray quote with its line", () => {
    const parsed = parseShopifyCsv('Handle,Title,Variant Price\nmug,Mug,1\ncup,Cup "big",2\n');
    expect(codes(parsed.errors)).toEqual([[3, undefined, "csv.malformed"]]);
  });
});

describe("decodeCsv", () => {
  it("tells UTF-16, workbooks, Latin-1 and binary data apart from UTF-8 text", () => {
    const code = (input: string | Uint8Array) => {
      const d = decodeCsv(input);
      return "error" in d ? `${d.error.line} ${d.error.code}` : d.text;
    };
    expect(code(Buffer.from("Handle\nmüg\n"))).toBe("Handle\nmüg\n");
    expect(code(Buffer.from([0xff, 0xfe, 0x48, 0]))).toBe("1 csv.encoding");
    expect(code(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0]))).toBe("1 csv.not_csv");
    expect(code(Buffer.from("Handle\nm\xfcg\n", "latin1"))).toBe("2 csv.encoding");
    expect(code("Handle\nmug\n\u0000\u0001")).toBe("3 csv.binary");
    expect(code("Handle\nm\uFFFDg")).toBe("2 csv.encoding");
  });
});

describe("mapShopifyRows", () => {
  it("reads aliases, a zero-decimal currency, HS codes with dots and inventory policies", () => {
    const text = [
      "Handle,Title,Variant Price,Harmonized System Code,Variant Country/Region of Origin,Variant Inventory Policy,Published",
      "tea,緑茶,1500,0902.10,jp,continue,false",
    ].join("\n");
    const { drafts, errors } = map(text);
    expect(errors).toEqual([]);
    expect(drafts[0]!.input).toMatchObject({
      status: "draft",
      hsCode: "090210",
      originCountry: "JP",
      translations: { ja: { title: "緑茶", slug: "tea" } },
      variants: [{ price: 1500, allowBackorder: true, hsCode: null, originCountry: null }],
    });
  });

  it("reports bad cells with their column", () => {
    const text = [
      "Handle,Title,Variant Price,Variant Compare At Price,Variant Grams,Variant Barcode,Status,HS Code,Country of Origin,Image Src,Tags",
      "Tea Pot,Pot,15.5,1000,-3,12,live,6109,XX,ftp://x,ok",
      "cup,Cup,1E+3,,,,,,,,",
    ].join("\n");
    expect(codes(map(text).errors)).toEqual([
      [2, "Handle", "csv.invalid_handle"],
      [2, "Variant Price", "csv.invalid_price"],
      [2, "Variant Grams", "csv.invalid_grams"],
      [2, "Variant Barcode", "csv.invalid_barcode"],
      [2, "HS Code", "csv.invalid_hs_code"],
      [2, "Country of Origin", "csv.invalid_country"],
      [2, "Image Src", "csv.invalid_image_url"],
      [2, "Status", "csv.invalid_status"],
      [3, "Variant Price", "csv.invalid_price"],
    ]);
  });

  it("rejects a second product under one handle and rows without a handle", () => {
    const text = "Handle,Title,Variant Price,Variant SKU\nmug,Mug,1,A\nmug,Cup,2,A\n,Bowl,3,B\n";
    expect(codes(map(text).errors)).toEqual([
      [3, "Title", "csv.duplicate_handle"],
      [3, undefined, "csv.duplicate_variant"],
      [3, "Variant SKU", "csv.duplicate_sku"],
      [4, "Handle", "csv.missing_handle"],
    ]);
  });
});
