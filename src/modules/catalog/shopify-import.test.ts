import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CLEAN_CSV,
  CLEAN_ROWS,
  csv,
  fixture,
  resetCatalog,
  snapshot,
} from "../../../test/support/shopify-csv.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { type Ctx, systemCtx } from "../../kernel/context.ts";
import { upsertShop } from "../markets/index.ts";
import { getProduct } from "./products.service.ts";
import { importShopifyCsv } from "./shopify-import.ts";

let database: Database;
let ctx: Ctx;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = systemCtx(database.db, "test");
  await upsertShop(ctx, { name: "Test shop", baseCurrency: "USD", defaultLocale: "en" });
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await resetCatalog(ctx);
});

const codes = (r: { errors: Array<{ line: number; code: string }> }) =>
  r.errors.map((e) => `${e.line} ${e.code}`);

describe("importShopifyCsv: Shopify's templates", () => {
  it("imports the 2019 template", async () => {
    const report = await importShopifyCsv(ctx, fixture("product_template_2019.csv"));
    expect(report).toMatchObject({ ok: true, created: 1, updated: 0, products: 1, variants: 3, errors: [] });
    const p = await getProduct(ctx, "example-t-shirt");
    expect(p).toMatchObject({
      status: "active",
      vendor: "Acme",
      productType: "Shirts",
      tags: ["mens t-shirt example"],
    });
    expect(p.options).toEqual([
      { name: "Title", values: ['Lithograph - Height: 9" x Width: 12"', "Small", "Medium"] },
    ]);
    expect(p.variants.map((v) => [v.sku, v.price, v.compareAtPrice, v.weightGrams])).toEqual([
      [null, 2500, null, 3629],
      ["example-shirt-s", 1999, 2499, 200],
      ["example-shirt-m", 1999, 2499, 200],
    ]);
    expect(p.translations.en).toMatchObject({
      title: "Example T-Shirt",
      slug: "example-t-shirt",
      seoTitle: "Our awesome T-shirt in 70 characters or less.",
    });
    expect(p.media.map((m) => m.url)).toEqual([expect.stringContaining("shopify_shirt.png")]);
  });

  it("reports the 2023 template's scientific-notation barcodes and low compare-at prices, and writes nothing", async () => {
    const report = await importShopifyCsv(ctx, fixture("product_template_2023.csv"));
    expect(report.ok).toBe(false);
    const barcodes = report.errors.filter((e) => e.code === "csv.barcode_scientific");
    expect(barcodes.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18]);
    expect(barcodes[0]).toMatchObject({ column: "Variant Barcode", handle: "example-shirt" });
    expect(barcodes[0]!.message).toContain("3.65275E+11");
    const compareAt = report.errors.filter((e) => e.code === "csv.compare_at_not_higher");
    expect(compareAt.map((e) => [e.line, e.column])).toEqual(
      [14, 15, 16].map((l) => [l, "Variant Compare At Price"]),
    );
    expect(report.errors).toHaveLength(19);
    expect((await snapshot(ctx)).products).toBe(0);
  });

  it("imports the 2023 column layout once barcodes and prices are fixed", async () => {
    const [header, ...rows] = parse(fixture("product_template_2023.csv")) as string[][];
    const col = (name: string) => header!.indexOf(name);
    for (const r of rows) {
      r[col("Variant Barcode")] = "";
      if (r[col("Variant Price")] === "95") r[col("Variant Price")] = "59.95";
    }
    const report = await importShopifyCsv(ctx, stringify([header!, ...rows]));
    expect(report).toMatchObject({ ok: true, created: 3, products: 3, variants: 16, errors: [] });
    expect(
      report.warnings.every(
        (w) => w.code === "csv.variant_image_shared" || w.code === "csv.unknown_category",
      ),
    ).toBe(true);
    const shirt = await getProduct(ctx, "example-shirt");
    expect(shirt.status).toBe("active");
    expect(shirt.options.map((o) => [o.name, o.values])).toEqual([
      ["Color", ["Green", "Blue", "Gray", "Purple"]],
      ["Size", ["S", "M", "L"]],
    ]);
    expect(shirt.variants).toHaveLength(12);
    expect(shirt.tags).toEqual(["Made to Order", "Shirt Tag"]);
    const green = shirt.media.find((m) => m.url.includes("green-t-shirt"))!;
    expect(green.variantId).toBe(shirt.variants[0]!.id);
    expect(shirt.media[0]!.alt).toEqual({ en: "A rack of T-Shirts" });
    const pants = await getProduct(ctx, "example-pants");
    expect(pants.status).toBe("draft");
    expect(pants.variants.map((v) => [v.price, v.compareAtPrice, v.costPrice, v.weightGrams])[0]).toEqual([
      5995, 6495, 5000, 227,
    ]);
    expect(pants.media.map((m) => m.variantId)).toEqual([
      null,
      pants.variants[0]!.id,
      pants.variants[1]!.id,
      pants.variants[2]!.id,
    ]);
    const hat = await getProduct(ctx, "example-hat");
    expect(hat).toMatchObject({ status: "archived", options: [] });
    expect(hat.variants.map((v) => [v.sku, v.options, v.price, v.costPrice])).toEqual([
      ["HAT_GRY_275", {}, 1799, 850],
    ]);
  });
});

describe("importShopifyCsv: a clean file", () => {
  it("maps products, variants, options, images, content and customs data", async () => {
    const report = await importShopifyCsv(ctx, CLEAN_CSV);
    expect(report).toMatchObject({
      ok: true,
      created: 2,
      products: 2,
      variants: 5,
      errors: [],
      warnings: [],
    });
    const p = await getProduct(ctx, "trail-jacket");
    expect(p).toMatchObject({
      status: "active",
      vendor: "Yunshan",
      productType: "Jacket",
      tags: ["outdoor", "rain"],
      hsCode: "62014000",
      options: [
        { name: "Color", values: ["Black", "Blue"] },
        { name: "Size", values: ["S", "M"] },
      ],
    });
    expect(p.translations.en).toMatchObject({
      title: "Trail Jacket",
      description: "<p>Light shell</p>",
      slug: "trail-jacket",
    });
    expect(p.variants.map((v) => [v.sku, v.options, v.price])).toEqual([
      ["TJ-BLK-S", { Color: "Black", Size: "S" }, 12900],
      ["TJ-BLK-M", { Color: "Black", Size: "M" }, 12900],
      ["TJ-BLU-S", { Color: "Blue", Size: "S" }, 11999],
      ["TJ-BLU-M", { Color: "Blue", Size: "M" }, 11999],
    ]);
    expect(p.variants[0]).toMatchObject({
      compareAtPrice: 15900,
      costPrice: 4050,
      weightGrams: 450,
      barcode: "0123456789012",
      originCountry: "CN",
      hsCode: null,
    });
    const sku = (id: string | null) => p.variants.find((v) => v.id === id)?.sku ?? null;
    expect(p.media.map((m) => [m.url.split("/").pop(), m.alt, sku(m.variantId)])).toEqual([
      ["tj-front.jpg", { en: "Front" }, null],
      ["tj-back.jpg", { en: "Back" }, null],
      ["tj-black.jpg", { en: "Black" }, "TJ-BLK-S"],
      ["tj-blue.jpg", {}, "TJ-BLU-S"],
    ]);
    const mug = await getProduct(ctx, "enamel-mug");
    expect(mug).toMatchObject({ status: "draft", options: [], hsCode: "732394" });
    expect(mug.variants.map((v) => [v.sku, v.options, v.price, v.weightGrams])).toEqual([
      ["MUG-1", {}, 950, 300],
    ]);
  });

  it("validates without writing on a dry run", async () => {
    const before = await snapshot(ctx);
    const report = await importShopifyCsv(ctx, CLEAN_CSV, { dryRun: true });
    expect(report).toMatchObject({ ok: true, dryRun: true, created: 2, products: 2, variants: 5 });
    expect(await snapshot(ctx)).toEqual(before);
  });

  it("refuses existing handles in create mode and updates them in upsert mode", async () => {
    await importShopifyCsv(ctx, CLEAN_CSV);
    const before = await getProduct(ctx, "trail-jacket");
    const again = await importShopifyCsv(ctx, CLEAN_CSV);
    expect(again.ok).toBe(false);
    expect(again.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, "Handle", "csv.handle_exists"],
      [7, "Handle", "csv.handle_exists"],
    ]);

    await ctx.db.execute(
      sql`insert into product_translations (product_id, locale, title, slug) values (${before.id}, 'de', 'Trailjacke', 'trailjacke')`,
    );
    const rows = CLEAN_ROWS.slice(0, 5).map((r) => ({ ...r }));
    rows[0]!.Title = "Trail Jacket II";
    rows[1]!["Variant Price"] = "139.00";
    rows.splice(3, 1); // Blue / M is gone
    rows.push({
      Handle: "trail-jacket",
      "Option1 Value": "Red",
      "Option2 Value": "S",
      "Variant SKU": "TJ-RED-S",
      "Variant Price": "99",
    });
    const report = await importShopifyCsv(ctx, csv(rows), { mode: "upsert" });
    expect(report).toMatchObject({ ok: true, created: 0, updated: 1, variants: 4 });
    const after = await getProduct(ctx, "trail-jacket");
    expect(after.id).toBe(before.id);
    expect(after.translations.en!.title).toBe("Trail Jacket II");
    expect(after.translations.de!.title).toBe("Trailjacke");
    expect(after.variants.map((v) => [v.sku, v.price])).toEqual([
      ["TJ-BLK-S", 12900],
      ["TJ-BLK-M", 13900],
      ["TJ-BLU-S", 11999],
      ["TJ-RED-S", 9900],
    ]);
    expect(after.variants[1]!.id).toBe(before.variants[1]!.id);
    expect(after.options[0]).toEqual({ name: "Color", values: ["Black", "Blue", "Red"] });
  });

  it("refuses SKUs and URL slugs that belong to other products", async () => {
    await importShopifyCsv(ctx, CLEAN_CSV);
    await ctx.db.execute(sql`update product_translations set slug = 'blue-bowl' where slug = 'enamel-mug'`);
    const text = csv([
      { Handle: "new-mug", Title: "New Mug", "Variant SKU": "MUG-1", "Variant Price": "5" },
      { Handle: "blue-bowl", Title: "Blue Bowl", "Variant Price": "5" },
    ]);
    const report = await importShopifyCsv(ctx, text);
    expect(report.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, "Variant SKU", "csv.sku_exists"],
      [3, "Handle", "csv.slug_exists"],
    ]);
  });
});

describe("importShopifyCsv: bad files", () => {
  const jacket = (overrides: Array<Record<string, string>>) =>
    csv(CLEAN_ROWS.map((r, i) => ({ ...r, ...overrides[i] })));

  it("reports an unclosed quote with the line where its record starts", async () => {
    const text = `${CLEAN_CSV.trimEnd()}\nbroken,"Broken title,,,\nmore,text\n`;
    const report = await importShopifyCsv(ctx, text);
    expect(report).toMatchObject({ ok: false, products: 0 });
    expect(report.errors).toEqual([expect.objectContaining({ line: 8, code: "csv.unclosed_quote" })]);
  });

  it("reports a missing Handle column", async () => {
    const report = await importShopifyCsv(ctx, "Title,Variant Price\nMug,9.50\n");
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 1, column: "Handle", code: "csv.missing_column" }),
    ]);
  });

  it("matches headers case-insensitively and says which line has a bad price", async () => {
    const text =
      "handle,TITLE,variant price,Variant SKU\nmug,Mug,9.50,M-1\ncup,Cup,9.5.0,C-1\nbowl,Bowl,$4,B-1\n";
    const report = await importShopifyCsv(ctx, text);
    expect(report.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [3, "variant price", "csv.invalid_price"],
      [4, "variant price", "csv.invalid_price"],
    ]);
  });

  it("counts physical lines when a field spans several lines", async () => {
    const rows = [
      { ...CLEAN_ROWS[0]!, "Body (HTML)": "<p>one</p>\n<p>two</p>\n<p>three</p>" },
      { ...CLEAN_ROWS[1]!, "Variant Price": "abc" },
    ];
    const report = await importShopifyCsv(ctx, csv(rows));
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 5, row: 3, column: "Variant Price", code: "csv.invalid_price" }),
    ]);
  });

  it("reports duplicate variants, option mismatches, orphan rows and unknown encodings", async () => {
    const report = await importShopifyCsv(
      ctx,
      jacket([{}, { "Option2 Value": "S" }, { "Option2 Value": "" }, {}, {}, { "Option2 Value": "XL" }]),
    );
    expect(report.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [3, "Option1 Value", "csv.duplicate_variant"],
      [4, "Option2 Value", "csv.option_mismatch"],
      [7, "Option2 Value", "csv.option_mismatch"],
    ]);
    const orphan = await importShopifyCsv(ctx, csv([CLEAN_ROWS[1]!, CLEAN_ROWS[5]!]));
    expect(codes(orphan)).toEqual(["2 csv.orphan_row"]);
    const latin1 = Buffer.concat([Buffer.from(CLEAN_CSV), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a])]);
    expect(codes(await importShopifyCsv(ctx, latin1))).toEqual(["8 csv.encoding"]);
    expect(codes(await importShopifyCsv(ctx, Buffer.from([0x50, 0x4b, 3, 4, 0, 0])))).toEqual([
      "1 csv.not_csv",
    ]);
    expect(codes(await importShopifyCsv(ctx, ""))).toEqual(["1 csv.empty"]);
  });

  it("maps the catalog's own validation errors to the product's first line", async () => {
    const sizes = Array.from({ length: 251 }, (_, i) => ({
      Handle: "big",
      "Option1 Value": `S${i}`,
      "Variant Price": "1",
    }));
    const report = await importShopifyCsv(
      ctx,
      csv([{ ...sizes[0]!, Title: "Big", "Option1 Name": "Size" }, ...sizes.slice(1)]),
    );
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 2, code: "product.too_many_variants", handle: "big" }),
    ]);
    const twice = await importShopifyCsv(ctx, jacket([{ "Option2 Name": "color" }]));
    expect(twice.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, "Option2 Name", "csv.duplicate_option_name"],
    ]);
  });

  it("writes nothing when one product of many is invalid", async () => {
    const before = await snapshot(ctx);
    const report = await importShopifyCsv(ctx, jacket([{}, {}, {}, {}, {}, { "Variant Price": "-1" }]));
    expect(codes(report)).toEqual(["7 csv.invalid_price"]);
    expect(await snapshot(ctx)).toEqual(before);
  });

  it("rolls back every product when the database refuses one mid-import", async () => {
    await ctx.db.execute(sql`create function refuse_mug() returns trigger language plpgsql as $$
      begin if new.handle = 'enamel-mug' then raise exception 'no mugs' using errcode = 'check_violation'; end if; return new; end $$`);
    await ctx.db.execute(
      sql`create trigger refuse_mug before insert on products for each row execute function refuse_mug()`,
    );
    try {
      const before = await snapshot(ctx);
      const report = await importShopifyCsv(ctx, CLEAN_CSV);
      expect(report.errors).toEqual([
        expect.objectContaining({ line: 7, code: "csv.write_failed", handle: "enamel-mug" }),
      ]);
      expect(await snapshot(ctx)).toEqual(before);
    } finally {
      await ctx.db.execute(sql`drop trigger refuse_mug on products`);
      await ctx.db.execute(sql`drop function refuse_mug()`);
    }
  });
});
