import { readFileSync } from "node:fs";
import { stringify } from "csv-stringify/sync";
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import type { Ctx } from "../../src/kernel/context.ts";

/** Test helpers for the Shopify CSV import/export tests (not used by the application). */

/** A fixture file under test/fixtures/shopify. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/shopify/${name}`, import.meta.url));
}

export const HEADER = [
  "Handle",
  "Title",
  "Body (HTML)",
  "Vendor",
  "Type",
  "Tags",
  "Published",
  "Option1 Name",
  "Option1 Value",
  "Option2 Name",
  "Option2 Value",
  "Variant SKU",
  "Variant Grams",
  "Variant Inventory Qty",
  "Variant Price",
  "Variant Compare At Price",
  "Variant Barcode",
  "Image Src",
  "Image Position",
  "Image Alt Text",
  "Variant Image",
  "Cost per item",
  "Status",
  "Variant HS Code",
  "Country of Origin",
];

/**
 * A CSV from rows given as { header: value } objects; line 1 is the header, row i is line i + 2.
 * @example csv([{ Handle: "mug", Title: "Mug", "Variant Price": "9.50" }])
 */
export function csv(rows: Array<Record<string, string>>, header: string[] = HEADER): string {
  return stringify([header, ...rows.map((r) => header.map((h) => r[h] ?? ""))]);
}

const jacket = { Handle: "trail-jacket", "Variant HS Code": "6201.40.00" };
const img = (name: string) => `https://cdn.example.com/${name}.jpg`;

/** Two products: a 2-option jacket with 4 variants and 4 images, and a single-variant mug. */
export const CLEAN_ROWS: Array<Record<string, string>> = [
  {
    ...jacket,
    Title: "Trail Jacket",
    "Body (HTML)": "<p>Light shell</p>",
    Vendor: "Yunshan",
    Type: "Jacket",
    Tags: "outdoor, rain, outdoor",
    Status: "Active",
    "Option1 Name": "Color",
    "Option1 Value": "Black",
    "Option2 Name": "Size",
    "Option2 Value": "S",
    "Variant SKU": "TJ-BLK-S",
    "Variant Grams": "450",
    "Variant Inventory Qty": "12",
    "Variant Price": "129.00",
    "Variant Compare At Price": "159.00",
    "Variant Barcode": "0123456789012",
    "Image Src": img("tj-front"),
    "Image Position": "1",
    "Image Alt Text": "Front",
    "Variant Image": img("tj-black"),
    "Cost per item": "40.5",
    "Country of Origin": "cn",
  },
  {
    ...jacket,
    "Option1 Value": "Black",
    "Option2 Value": "M",
    "Variant SKU": "TJ-BLK-M",
    "Variant Price": "129",
    "Image Src": img("tj-back"),
    "Image Position": "2",
    "Image Alt Text": "Back",
  },
  {
    ...jacket,
    "Option1 Value": "Blue",
    "Option2 Value": "S",
    "Variant SKU": "TJ-BLU-S",
    "Variant Price": "119.99",
    "Variant Image": img("tj-blue"),
  },
  {
    ...jacket,
    "Option1 Value": "Blue",
    "Option2 Value": "M",
    "Variant SKU": "TJ-BLU-M",
    "Variant Price": "119.99",
  },
  { Handle: "trail-jacket", "Image Src": img("tj-black"), "Image Position": "3", "Image Alt Text": "Black" },
  {
    Handle: "enamel-mug",
    Title: "Enamel Mug",
    "Option1 Name": "Title",
    "Option1 Value": "Default Title",
    "Variant SKU": "MUG-1",
    "Variant Grams": "300",
    "Variant Price": "9.50",
    Published: "TRUE",
    Status: "draft",
    "Variant HS Code": "7323.94",
  },
];

export const CLEAN_CSV = csv(CLEAN_ROWS);

/** Row counts of the catalog tables, to show that a failed import wrote nothing. */
export async function snapshot(ctx: Ctx) {
  const [row] = await queryRows<Record<string, number>>(
    ctx.db,
    sql`select (select count(*) from products)::int as products, (select count(*) from variants)::int as variants,
      (select count(*) from media)::int as media, (select count(*) from product_translations)::int as translations,
      (select count(*) from outbox_events)::int as events`,
  );
  return row!;
}

export async function resetCatalog(ctx: Ctx): Promise<void> {
  await ctx.db.execute(sql`delete from products`);
}
