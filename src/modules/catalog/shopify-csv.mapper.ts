import { HANDLE_PATTERN } from "../../kernel/validate.ts";
import type { ProductOption } from "./catalog.schema.ts";
import type {
  MediaInput,
  ProductContent,
  ProductInput,
  ProductStatus,
  VariantInput,
} from "./catalog.types.ts";
import { type ColumnKey, OPTION_COLUMNS } from "./shopify-csv.columns.ts";
import * as field from "./shopify-csv.fields.ts";
import { RowReader } from "./shopify-csv.fields.ts";
import { buildMedia, type RowImage, type VariantImage } from "./shopify-csv.media.ts";
import type { CsvRow, ImportError, ParsedCsv } from "./shopify-csv.parser.ts";

/** One product read from the file, ready for createProduct (fields of absent columns undefined). */
export interface ProductDraft {
  handle: string;
  line: number;
  row: number;
  input: ProductInput;
  /** Where each of `input.variants` came from. */
  variantLines: Array<{ line: number; row: number }>;
  /** The Product Category cell; undefined when the file has no such column. */
  categoryRef?: string;
}

export interface MappedCsv {
  drafts: ProductDraft[];
  errors: ImportError[];
  warnings: ImportError[];
}

/** Prices are read in the shop's base currency; content goes to its default locale. */
export interface MapOptions {
  currency: string;
  locale: string;
}

class ProductMapper {
  readonly variants: VariantInput[] = [];
  readonly variantLines: ProductDraft["variantLines"] = [];
  readonly variantImages: VariantImage[] = [];
  readonly images: RowImage[] = [];
  readonly optionNames: string[] = [];
  readonly combos = new Map<string, number>();
  defaultTitle = false;

  constructor(
    private readonly opts: MapOptions,
    private readonly skus: Map<string, number>,
    private readonly warnings: ImportError[],
  ) {}

  /** Reads Option1..3 Name from the first row; false when they are unusable (a gap, a repeat). */
  readOptionNames(first: RowReader): boolean {
    let gap = 0;
    let usable = true;
    OPTION_COLUMNS.forEach((c, i) => {
      const name = first.raw(c.name);
      const repeated = this.optionNames.some((n) => n.toLowerCase() === name.toLowerCase());
      if (!name) gap = gap || i + 1;
      else if (gap || repeated) {
        usable = false;
        const message = gap
          ? `Option${i + 1} Name is set but Option${gap} Name is empty`
          : `Option${i + 1} Name "${name}" repeats an earlier option`;
        first.fail(c.name, gap ? "csv.option_mismatch" : "csv.duplicate_option_name", message);
      } else this.optionNames.push(name);
    });
    // Shopify's marker of a product without options: "Title" / "Default Title".
    const onlyTitle = this.optionNames.length === 0 || this.optionNames.join().toLowerCase() === "title";
    if (usable && onlyTitle && first.raw("option1Value") === "Default Title") {
      this.defaultTitle = true;
      this.optionNames.length = 0;
    }
    return usable;
  }

  addRow(r: RowReader, first: boolean): void {
    if (!first) this.checkContinuation(r);
    if (first || this.isVariantRow(r)) this.addVariant(r);
    const src = r.read("imageSrc", field.parseImageUrl);
    if (src) {
      const position = r.read("imagePosition", field.parsePosition) ?? Number.MAX_SAFE_INTEGER;
      const alt = r.read("imageAlt", field.textUpTo(512)) ?? undefined;
      this.images.push({ url: src, position, order: this.images.length, alt });
    }
  }

  private checkContinuation(r: RowReader): void {
    OPTION_COLUMNS.forEach((c, i) => {
      const name = r.raw(c.name);
      const expected = this.defaultTitle && i === 0 ? "Title" : this.optionNames[i];
      if (name && name.toLowerCase() !== expected?.toLowerCase()) {
        r.fail(
          c.name,
          "csv.option_mismatch",
          `Option${i + 1} Name "${name}" differs from the product's first row`,
        );
      }
    });
  }

  private isVariantRow(r: RowReader): boolean {
    const keys: ColumnKey[] = ["sku", "price", "compareAtPrice", "grams", "barcode", "costPrice"];
    return [...keys, ...OPTION_COLUMNS.map((c) => c.value)].some((k) => r.raw(k) !== "");
  }

  private readOptions(r: RowReader): Record<string, string> | undefined {
    const options: Record<string, string> = {};
    let complete = true;
    OPTION_COLUMNS.forEach((c, i) => {
      const value = r.raw(c.value);
      const name = this.optionNames[i];
      if (name !== undefined) {
        if (value) options[name] = value;
        else {
          complete = false;
          r.fail(c.value, "csv.option_mismatch", `Missing a value for option "${name}"`);
        }
      } else if (value && !(this.defaultTitle && i === 0 && value === "Default Title")) {
        complete = false;
        r.fail(
          c.value,
          "csv.option_mismatch",
          `"${value}" is given but the product has no Option${i + 1} Name`,
        );
      }
    });
    return complete ? options : undefined;
  }

  private addVariant(r: RowReader): void {
    const { currency } = this.opts;
    const options = this.readOptions(r);
    if (options) {
      const combo = JSON.stringify(this.optionNames.map((n) => options[n]));
      const seen = this.combos.get(combo);
      if (seen !== undefined) {
        const message = this.optionNames.length
          ? `Option values ${Object.values(options).join(" / ")} repeat the variant on line ${seen}`
          : `A product without options has one variant; it is already on line ${seen}`;
        r.fail(this.optionNames.length ? "option1Value" : undefined, "csv.duplicate_variant", message);
      } else this.combos.set(combo, r.row.line);
    }
    const price = r.read("price", (t) => field.parsePrice(t, currency));
    if (price === null)
      r.fail("price", "csv.invalid_price", "Variant Price is required on every variant row");
    const compareAtPrice = r.read("compareAtPrice", (t) =>
      field.parsePrice(t, currency, "csv.invalid_price"),
    );
    if (compareAtPrice != null && price != null && compareAtPrice <= price) {
      const message = `Compare-at price ${r.raw("compareAtPrice")} must be higher than the price ${r.raw("price")}`;
      r.fail("compareAtPrice", "csv.compare_at_not_higher", message);
    }
    const sku = r.read("sku", field.textUpTo(100));
    if (sku) {
      const seen = this.skus.get(sku);
      if (seen !== undefined)
        r.fail("sku", "csv.duplicate_sku", `SKU "${sku}" is already used on line ${seen}`);
      else this.skus.set(sku, r.row.line);
    }
    const variant: VariantInput = {
      sku,
      options: options ?? {},
      price: price ?? 0,
      compareAtPrice,
      costPrice: r.read("costPrice", (t) => field.parsePrice(t, currency, "csv.invalid_cost")),
      weightGrams: r.read("grams", field.parseGrams),
      barcode: r.read("barcode", field.parseBarcode),
      hsCode: r.read("hsCode", field.parseHsCode),
      originCountry: r.read("originCountry", field.parseCountry),
      allowBackorder: r.read("inventoryPolicy", field.parseInventoryPolicy) ?? undefined,
    };
    this.variants.push(variant);
    this.variantLines.push({ line: r.row.line, row: r.row.row });
    const image = r.read("variantImage", field.parseImageUrl);
    if (image) this.variantImages.push({ url: image, sku, reader: r });
  }

  /** Product-level option list: values in order of first appearance. */
  options(): ProductOption[] {
    return this.optionNames.map((name) => ({
      name,
      values: [...new Set(this.variants.map((v) => v.options?.[name]).filter((v): v is string => !!v))],
    }));
  }

  media(): MediaInput[] | undefined {
    return buildMedia(this.images, this.variantImages, this.opts.locale, this.warnings);
  }

  /** One HS code / origin for the whole product goes on the product, not on every variant. */
  hoist(key: "hsCode" | "originCountry"): string | null | undefined {
    const values = new Set(this.variants.map((v) => v[key]));
    if (values.has(undefined)) return undefined;
    if (values.size !== 1) return null;
    const [only] = values;
    for (const v of this.variants) v[key] = null;
    return only ?? null;
  }
}

function statusOf(first: RowReader): ProductStatus | undefined {
  if (first.raw("status") !== "") return first.read("status", field.parseStatus) ?? undefined;
  if (first.raw("published") !== "") {
    return first.read("published", (t) => field.parseBoolean(t, "csv.invalid_published"))
      ? "active"
      : "draft";
  }
  return first.has("status") || first.has("published") ? "draft" : undefined;
}

const HANDLE = new RegExp(HANDLE_PATTERN);

function mapProduct(
  rows: CsvRow[],
  handle: string,
  ctx: {
    headers: ParsedCsv["headers"];
    errors: ImportError[];
    warnings: ImportError[];
    skus: Map<string, number>;
  },
  opts: MapOptions,
): ProductDraft | undefined {
  const readers = rows.map((row) => new RowReader(ctx.headers, ctx.errors, row, handle));
  const first = readers[0]!;
  const title = first.raw("title");
  if (!title) {
    for (const r of readers) {
      r.fail("title", "csv.orphan_row", `No row starts product "${handle}": its first row needs a Title`);
    }
    return undefined;
  }
  if (!HANDLE.test(handle) || handle.length > 120) {
    first.fail(
      "handle",
      "csv.invalid_handle",
      `Handle "${handle}" must be lowercase letters, digits and dashes`,
    );
  }
  for (const r of readers.slice(1)) {
    const t = r.raw("title");
    if (t && t !== title) {
      r.fail(
        "title",
        "csv.duplicate_handle",
        `Handle "${handle}" already names "${title}" on line ${first.row.line}`,
      );
    }
  }
  const m = new ProductMapper(opts, ctx.skus, ctx.warnings);
  if (!m.readOptionNames(first)) return undefined;
  for (const [i, r] of readers.entries()) m.addRow(r, i === 0);

  const text = (key: ColumnKey, max: number) => first.read(key, field.textUpTo(max));
  const content: ProductContent = {
    title: first.read("title", field.textUpTo(255)) ?? title,
    description: text("body", 50_000) ?? (first.has("body") ? "" : undefined),
    seoTitle: text("seoTitle", 255),
    seoDescription: text("seoDescription", 500),
    slug: handle,
  };
  const input: ProductInput = {
    handle,
    status: statusOf(first),
    vendor: text("vendor", 255),
    productType: text("type", 255),
    tags: first.read("tags", field.parseTags) ?? (first.has("tags") ? [] : undefined),
    options: m.options(),
    translations: { [opts.locale]: content },
    variants: m.variants,
    media: m.media(),
    hsCode: m.hoist("hsCode"),
    originCountry: m.hoist("originCountry"),
  };
  const categoryRef = first.has("productCategory") ? first.raw("productCategory") : undefined;
  return {
    handle,
    line: first.row.line,
    row: first.row.row,
    input,
    variantLines: m.variantLines,
    categoryRef,
  };
}

/**
 * Groups the rows of a parsed Shopify CSV by Handle and maps each group to a ProductInput,
 * reporting every problem with its line and column.
 * @example mapShopifyRows(parseShopifyCsv(text), { currency: "USD", locale: "en" }).drafts[0].input.handle
 */
export function mapShopifyRows(parsed: ParsedCsv, opts: MapOptions): MappedCsv {
  const errors: ImportError[] = [...parsed.errors];
  const warnings: ImportError[] = [];
  const groups = new Map<string, CsvRow[]>();
  for (const row of parsed.rows) {
    const handle = row.cells.handle ?? "";
    if (!handle) {
      new RowReader(parsed.headers, errors, row, "").fail(
        "handle",
        "csv.missing_handle",
        "Every row needs a Handle",
      );
      continue;
    }
    const group = groups.get(handle);
    if (group) group.push(row);
    else groups.set(handle, [row]);
  }
  const ctx = { headers: parsed.headers, errors, warnings, skus: new Map<string, number>() };
  const drafts: ProductDraft[] = [];
  for (const [handle, rows] of groups) {
    const draft = mapProduct(rows, handle, ctx, opts);
    if (draft) drafts.push(draft);
  }
  errors.sort((a, b) => a.line - b.line);
  return { drafts, errors, warnings };
}
