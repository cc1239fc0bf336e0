import { stringify } from "csv-stringify/sync";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { fallbackChain, requireLocale } from "../../kernel/locale.ts";
import { money, toDecimal } from "../../kernel/money.ts";
import { getShop } from "../markets/index.ts";
import { categories, media, products, productTranslations, variants } from "./catalog.schema.ts";
import { EXPORT_HEADER, type ExportColumn } from "./shopify-csv.columns.ts";

export interface ExportOptions {
  /** Content locale; missing translations fall back to the shop's default locale. */
  locale?: string;
  /** Start with a UTF-8 byte-order mark so that Excel reads non-Latin text correctly. */
  bom?: boolean;
}

type Row = Partial<Record<ExportColumn, string>>;
type Product = typeof products.$inferSelect;
type Translation = typeof productTranslations.$inferSelect;
type Variant = typeof variants.$inferSelect;
type Media = typeof media.$inferSelect;

const PAGE = 500;
const bool = (v: boolean) => (v ? "TRUE" : "FALSE");

interface Page {
  products: Product[];
  translations: Map<string, Translation[]>;
  variants: Map<string, Variant[]>;
  media: Map<string, Media[]>;
}

function byProduct<T extends { productId: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.productId);
    if (list) list.push(r);
    else out.set(r.productId, [r]);
  }
  return out;
}

async function loadPage(ctx: Ctx, after: string | undefined): Promise<Page> {
  const page = await ctx.db
    .select()
    .from(products)
    .where(after ? gt(products.id, after) : undefined)
    .orderBy(asc(products.id))
    .limit(PAGE);
  const ids = page.map((p) => p.id);
  if (!ids.length) return { products: [], translations: new Map(), variants: new Map(), media: new Map() };
  // Sequential on purpose: the caller's ctx may be a transaction, which runs one query at a time.
  const tr = await ctx.db
    .select()
    .from(productTranslations)
    .where(inArray(productTranslations.productId, ids));
  const vs = await ctx.db
    .select()
    .from(variants)
    .where(inArray(variants.productId, ids))
    .orderBy(asc(variants.productId), asc(variants.position));
  const ms = await ctx.db
    .select()
    .from(media)
    .where(and(inArray(media.productId, ids), eq(media.kind, "image")))
    .orderBy(asc(media.productId), asc(media.position));
  return { products: page, translations: byProduct(tr), variants: byProduct(vs), media: byProduct(ms) };
}

interface RowContext {
  chain: string[];
  currency: string;
  categoryHandles: Map<string, string>;
}

function productRows(p: Product, page: Page, rc: RowContext): Row[] {
  const pick = <T>(byLocale: Record<string, T>) =>
    rc.chain.map((l) => byLocale[l]).find((v) => v !== undefined) ?? Object.values(byLocale)[0];
  const content = pick(Object.fromEntries((page.translations.get(p.id) ?? []).map((t) => [t.locale, t])));
  const vs = page.variants.get(p.id) ?? [];
  const ms = page.media.get(p.id) ?? [];
  const amount = (minor: number | null) => (minor == null ? "" : toDecimal(money(minor, rc.currency)));
  const rows: Row[] = [];
  for (let i = 0; i < Math.max(vs.length, ms.length, 1); i++) {
    const row: Row = { Handle: p.handle };
    if (i === 0) {
      Object.assign(row, {
        Title: content?.title ?? p.handle,
        "Body (HTML)": content?.description ?? "",
        Vendor: p.vendor ?? "",
        "Product Category": p.categoryId ? (rc.categoryHandles.get(p.categoryId) ?? "") : "",
        Type: p.productType ?? "",
        Tags: p.tags.join(", "),
        Published: bool(p.status === "active"),
        "Gift Card": "FALSE",
        "SEO Title": content?.seoTitle ?? "",
        "SEO Description": content?.seoDescription ?? "",
        Status: p.status,
      } satisfies Row);
      if (p.options.length === 0) row["Option1 Name"] = "Title";
      p.options.forEach((o, n) => {
        row[`Option${n + 1} Name` as ExportColumn] = o.name;
      });
    }
    const v = vs[i];
    if (v) {
      if (p.options.length === 0) row["Option1 Value"] = "Default Title";
      p.options.forEach((o, n) => {
        row[`Option${n + 1} Value` as ExportColumn] = v.options[o.name] ?? "";
      });
      Object.assign(row, {
        "Variant SKU": v.sku ?? "",
        "Variant Grams": v.weightGrams == null ? "" : String(v.weightGrams),
        "Variant Inventory Policy": v.allowBackorder ? "continue" : "deny",
        "Variant Fulfillment Service": "manual",
        "Variant Price": amount(v.price),
        "Variant Compare At Price": amount(v.compareAtPrice),
        "Variant Requires Shipping": "TRUE",
        "Variant Taxable": "TRUE",
        "Variant Barcode": v.barcode ?? "",
        "Variant Image": ms.find((m) => m.variantId === v.id)?.url ?? "",
        "Variant Weight Unit": "g",
        "Cost per item": amount(v.costPrice),
        "Variant HS Code": v.hsCode ?? p.hsCode ?? "",
        "Variant Country of Origin": v.originCountry ?? p.originCountry ?? "",
      } satisfies Row);
    }
    const m = ms[i];
    if (m) {
      row["Image Src"] = m.url;
      row["Image Position"] = String(i + 1);
      row["Image Alt Text"] = pick(m.alt) ?? "";
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Writes every product as a Shopify product CSV (2023 column layout plus "Variant HS Code" and
 * "Variant Country of Origin"): one row per variant, extra rows for further images, prices as
 * decimals of the shop's base currency. The file re-imports with importShopifyCsv.
 * @example const csv = await exportProductsCsv(ctx, { locale: "de" })
 */
export async function exportProductsCsv(ctx: Ctx, opts: ExportOptions = {}): Promise<string> {
  const shop = await getShop(ctx);
  const locale = opts.locale ? requireLocale(opts.locale) : shop.defaultLocale;
  const cats = await ctx.db.select({ id: categories.id, handle: categories.handle }).from(categories);
  const rc: RowContext = {
    chain: fallbackChain(locale, shop.defaultLocale),
    currency: shop.baseCurrency,
    categoryHandles: new Map(cats.map((c) => [c.id, c.handle])),
  };
  const parts = [stringify([[...EXPORT_HEADER]], { bom: opts.bom ?? false })];
  let after: string | undefined;
  while (true) {
    const page = await loadPage(ctx, after);
    if (!page.products.length) break;
    parts.push(
      stringify(
        page.products.flatMap((p) => productRows(p, page, rc)),
        { columns: [...EXPORT_HEADER] },
      ),
    );
    after = page.products.at(-1)!.id;
  }
  return parts.join("");
}
