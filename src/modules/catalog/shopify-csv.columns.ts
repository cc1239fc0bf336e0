/**
 * The columns of Shopify's product CSV that Chuhai reads and writes, with the header spellings
 * of both generations (2019 template: "Type"; 2023 template: "Product Category" + "Type" +
 * "Status"). Headers are matched case-insensitively; unknown columns are ignored.
 */
export const SHOPIFY_COLUMNS = {
  handle: ["Handle"],
  title: ["Title"],
  body: ["Body (HTML)", "Body HTML"],
  vendor: ["Vendor"],
  productCategory: ["Product Category", "Standard Product Type"],
  type: ["Type", "Custom Product Type"],
  tags: ["Tags"],
  published: ["Published", "Published on online store"],
  option1Name: ["Option1 Name"],
  option1Value: ["Option1 Value"],
  option2Name: ["Option2 Name"],
  option2Value: ["Option2 Value"],
  option3Name: ["Option3 Name"],
  option3Value: ["Option3 Value"],
  sku: ["Variant SKU"],
  grams: ["Variant Grams"],
  inventoryPolicy: ["Variant Inventory Policy"],
  price: ["Variant Price"],
  compareAtPrice: ["Variant Compare At Price"],
  barcode: ["Variant Barcode"],
  imageSrc: ["Image Src"],
  imagePosition: ["Image Position"],
  imageAlt: ["Image Alt Text"],
  seoTitle: ["SEO Title"],
  seoDescription: ["SEO Description"],
  variantImage: ["Variant Image"],
  costPrice: ["Cost per item", "Variant Cost"],
  status: ["Status"],
  hsCode: ["Variant HS Code", "HS Code", "Harmonized System Code", "Variant Harmonized System Code"],
  originCountry: [
    "Variant Country of Origin",
    "Country of Origin",
    "Country/Region of Origin",
    "Variant Country/Region of Origin",
  ],
} as const satisfies Record<string, readonly string[]>;

export type ColumnKey = keyof typeof SHOPIFY_COLUMNS;

/**
 * The display name of a column (its first spelling).
 * @example columnName("costPrice") // "Cost per item"
 */
export function columnName(key: ColumnKey): string {
  return SHOPIFY_COLUMNS[key][0];
}

/** The name and value columns of Option1..3, in order. */
export const OPTION_COLUMNS = [
  { name: "option1Name", value: "option1Value" },
  { name: "option2Name", value: "option2Value" },
  { name: "option3Name", value: "option3Value" },
] as const satisfies ReadonlyArray<{ name: ColumnKey; value: ColumnKey }>;

const normalise = (header: string) => header.trim().replace(/\s+/g, " ").toLowerCase();

const BY_HEADER = new Map<string, ColumnKey>(
  Object.entries(SHOPIFY_COLUMNS).flatMap(([key, names]) =>
    names.map((n) => [normalise(n), key as ColumnKey] as const),
  ),
);

/**
 * The column a header names, or undefined for a column the importer ignores.
 * @example columnOf(" variant price ") // "price"
 */
export function columnOf(header: string): ColumnKey | undefined {
  return BY_HEADER.get(normalise(header));
}

/**
 * The export layout: Shopify's 2023 template columns in their order (the Google Shopping and
 * per-market price columns left out), then Chuhai's customs columns, which Shopify ignores.
 */
export const EXPORT_HEADER = [
  "Handle",
  "Title",
  "Body (HTML)",
  "Vendor",
  "Product Category",
  "Type",
  "Tags",
  "Published",
  "Option1 Name",
  "Option1 Value",
  "Option2 Name",
  "Option2 Value",
  "Option3 Name",
  "Option3 Value",
  "Variant SKU",
  "Variant Grams",
  "Variant Inventory Tracker",
  "Variant Inventory Qty",
  "Variant Inventory Policy",
  "Variant Fulfillment Service",
  "Variant Price",
  "Variant Compare At Price",
  "Variant Requires Shipping",
  "Variant Taxable",
  "Variant Barcode",
  "Image Src",
  "Image Position",
  "Image Alt Text",
  "Gift Card",
  "SEO Title",
  "SEO Description",
  "Variant Image",
  "Variant Weight Unit",
  "Variant Tax Code",
  "Cost per item",
  "Status",
  "Variant HS Code",
  "Variant Country of Origin",
] as const;

export type ExportColumn = (typeof EXPORT_HEADER)[number];
