import { and, eq, inArray } from "drizzle-orm";
import { type Ctx, transaction } from "../../kernel/context.ts";
import { AppError, isUniqueViolation, pgErrorCode } from "../../kernel/errors.ts";
import { getShop } from "../markets/index.ts";
import { categories, products, productTranslations, variants } from "./catalog.schema.ts";
import type { AdminProduct, ProductInput, ProductPatch } from "./catalog.types.ts";
import {
  validateOptions,
  validateProductFields,
  validateTranslations,
  validateVariants,
} from "./product.validation.ts";
import { createProduct, getProduct, updateProduct } from "./products.service.ts";
import { type ColumnKey, columnName } from "./shopify-csv.columns.ts";
import { mapShopifyRows, type ProductDraft } from "./shopify-csv.mapper.ts";
import { type ImportError, parseShopifyCsv } from "./shopify-csv.parser.ts";
import { mergePatch } from "./shopify-import.merge.ts";
import { slugify } from "./slug.ts";

export type { ImportError } from "./shopify-csv.parser.ts";

export interface ImportOptions {
  /** "create" (default): a handle that exists is an error. "upsert": it is updated. */
  mode?: "create" | "upsert";
  /** Validate everything (including against the database) and report, writing nothing. */
  dryRun?: boolean;
}

/** What an import did (or, with `ok: false`, why it did nothing). */
export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  created: number;
  updated: number;
  /** Products and variants in the file. */
  products: number;
  variants: number;
  errors: ImportError[];
  /** Things imported differently from the file (e.g. a variant image shared by variants). */
  warnings: ImportError[];
}

type Plan =
  | { kind: "create"; draft: ProductDraft; input: ProductInput }
  | { kind: "update"; draft: ProductDraft; id: string; patch: ProductPatch };

const MAX_ERRORS = 500;
const CHUNK = 1000;

async function inChunks<T>(keys: string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await load(keys.slice(i, i + CHUNK))));
  return out;
}

const VARIANT_COLUMNS: Record<string, ColumnKey> = {
  sku: "sku",
  price: "price",
  compareAtPrice: "compareAtPrice",
  costPrice: "costPrice",
  hsCode: "hsCode",
  originCountry: "originCountry",
  options: "option1Value",
};
const PRODUCT_COLUMNS: Record<string, ColumnKey> = {
  hsCode: "hsCode",
  originCountry: "originCountry",
  tags: "tags",
  options: "option1Name",
  translations: "title",
};

/** An error of the catalog's own validation, placed on the variant's line or the product's first line. */
function errorAt(draft: ProductDraft, code: string, message: string, path = ""): ImportError {
  const variant = /^variants\/(\d+)(?:\/(\w+))?/.exec(path);
  const at = variant ? draft.variantLines[Number(variant[1])] : undefined;
  const key = variant ? VARIANT_COLUMNS[variant[2] ?? ""] : PRODUCT_COLUMNS[path.split("/")[0] ?? ""];
  const where = at ?? { line: draft.line, row: draft.row };
  return { ...where, column: key && columnName(key), code, message, handle: draft.handle };
}

function fromAppError(draft: ProductDraft, err: unknown): ImportError | undefined {
  if (err instanceof AppError) {
    const path = (err.details as { path?: unknown } | undefined)?.path;
    return errorAt(draft, err.code, err.message, typeof path === "string" ? path : "");
  }
  return undefined;
}

/** Runs the catalog's validation on what will be written, as createProduct/updateProduct would. */
function validatePlan(plan: Plan, defaultLocale: string): ImportError | undefined {
  const data = plan.kind === "create" ? plan.input : plan.patch;
  try {
    validateProductFields(data);
    validateTranslations(data as ProductInput, defaultLocale);
    validateOptions(data.options ?? []);
    validateVariants(data.options ?? [], data.variants ?? []);
    return undefined;
  } catch (err) {
    const mapped = fromAppError(plan.draft, err);
    if (!mapped) throw err;
    return mapped;
  }
}

async function resolveCategories(ctx: Ctx, drafts: ProductDraft[], locale: string, warnings: ImportError[]) {
  const refs = drafts.filter((d) => d.categoryRef);
  const resolved = new Map<ProductDraft, string | null | undefined>(
    drafts.map((d) => [d, d.categoryRef === "" ? null : undefined]),
  );
  if (!refs.length) return resolved;
  const all = await ctx.db
    .select({ id: categories.id, handle: categories.handle, name: categories.name })
    .from(categories);
  for (const d of refs) {
    const ref = d.categoryRef!;
    const last = ref.split(">").pop()!.trim();
    const found = all.find(
      (c) =>
        c.id === ref ||
        c.handle === ref ||
        c.handle === slugify(last) ||
        c.name[locale]?.toLowerCase() === last.toLowerCase(),
    );
    if (found) resolved.set(d, found.id);
    else {
      warnings.push({
        line: d.line,
        row: d.row,
        column: columnName("productCategory"),
        code: "csv.unknown_category",
        message: `No category matches "${ref}"; the product is imported without a category`,
        handle: d.handle,
      });
    }
  }
  return resolved;
}

/** Products and SKUs the file names that already exist, and slugs that would collide. */
async function checkExisting(ctx: Ctx, drafts: ProductDraft[], mode: "create" | "upsert", locale: string) {
  const errors: ImportError[] = [];
  const handles = drafts.map((d) => d.handle);
  const found = await inChunks(handles, (chunk) =>
    ctx.db
      .select({ id: products.id, handle: products.handle })
      .from(products)
      .where(inArray(products.handle, chunk)),
  );
  const current = new Map<string, AdminProduct>();
  const idOf = new Map(found.map((p) => [p.handle, p.id]));
  for (const d of drafts) {
    if (!idOf.has(d.handle)) continue;
    if (mode === "create") {
      const message = `A product with handle "${d.handle}" exists; import with mode "upsert" to update it`;
      errors.push({
        line: d.line,
        row: d.row,
        column: "Handle",
        code: "csv.handle_exists",
        message,
        handle: d.handle,
      });
    } else current.set(d.handle, await getProduct(ctx, d.handle));
  }
  const skus = drafts.flatMap((d) => d.input.variants.map((v) => v.sku).filter((s): s is string => !!s));
  const owners = await inChunks(skus, (chunk) =>
    ctx.db
      .select({ sku: variants.sku, productId: variants.productId })
      .from(variants)
      .where(inArray(variants.sku, chunk)),
  );
  const slugs = await inChunks(handles, (chunk) =>
    ctx.db
      .select({ slug: productTranslations.slug, productId: productTranslations.productId })
      .from(productTranslations)
      .where(and(eq(productTranslations.locale, locale), inArray(productTranslations.slug, chunk))),
  );
  const ownerOf = new Map(owners.map((o) => [o.sku, o.productId]));
  const slugOwner = new Map(slugs.map((s) => [s.slug, s.productId]));
  for (const d of drafts) {
    const own = idOf.get(d.handle);
    d.input.variants.forEach((v, i) => {
      const owner = v.sku ? ownerOf.get(v.sku) : undefined;
      if (owner && owner !== own) {
        const message = `SKU "${v.sku}" belongs to another product`;
        errors.push({ ...errorAt(d, "csv.sku_exists", message, `variants/${i}/sku`) });
      }
    });
    const keepsSlug = own && current.get(d.handle)?.translations[locale];
    const slugTaken = slugOwner.has(d.handle) && slugOwner.get(d.handle) !== own;
    if (!keepsSlug && slugTaken) {
      const message = `Another product already uses "${d.handle}" as its URL slug`;
      errors.push({ ...errorAt(d, "csv.slug_exists", message), column: "Handle" });
    }
  }
  return { current, errors };
}

class RowFailure extends Error {
  constructor(readonly error: ImportError) {
    super(error.message);
  }
}

/** Writes every plan in one transaction; a row's failure rolls back all of them. */
async function writeAll(ctx: Ctx, plans: Plan[]): Promise<ImportError | undefined> {
  try {
    await transaction(ctx, async (tx) => {
      for (const plan of plans) {
        try {
          if (plan.kind === "create") await createProduct(tx, plan.input);
          else await updateProduct(tx, plan.id, plan.patch);
        } catch (err) {
          const state = pgErrorCode(err);
          const mapped =
            fromAppError(plan.draft, err) ??
            (isUniqueViolation(err)
              ? errorAt(plan.draft, "csv.conflict", "A product, SKU or slug in these rows already exists")
              : state?.startsWith("23")
                ? errorAt(plan.draft, "csv.write_failed", `The database refused this product (${state})`)
                : undefined);
          if (mapped) throw new RowFailure(mapped);
          throw err;
        }
      }
    });
  } catch (err) {
    if (err instanceof RowFailure) return err.error;
    throw err;
  }
  return undefined;
}

/**
 * Imports a Shopify product CSV (2019 or 2023 column layout). Everything is validated first and
 * written in one transaction: with any error nothing is written and the report lists every
 * problem with its line, column and code. Row errors are returned, never thrown.
 * @example
 * const report = await importShopifyCsv(ctx, csvText, { mode: "upsert" })
 * if (!report.ok) console.table(report.errors) // [{ line: 7, column: "Variant Price", code: "csv.invalid_price", … }]
 */
export async function importShopifyCsv(
  ctx: Ctx,
  csv: string | Uint8Array,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const mode = opts.mode ?? "create";
  const dryRun = opts.dryRun ?? false;
  const result = (errors: ImportError[], warnings: ImportError[], counts: Partial<ImportReport> = {}) => {
    const sorted = [...errors].sort((a, b) => a.line - b.line);
    const capped =
      sorted.length > MAX_ERRORS
        ? [
            ...sorted.slice(0, MAX_ERRORS),
            {
              line: sorted[MAX_ERRORS]!.line,
              code: "csv.too_many_errors",
              message: `${sorted.length - MAX_ERRORS} more errors not listed`,
            },
          ]
        : sorted;
    return {
      ok: errors.length === 0,
      dryRun,
      created: 0,
      updated: 0,
      products: 0,
      variants: 0,
      ...counts,
      errors: capped,
      warnings,
    };
  };

  const parsed = parseShopifyCsv(csv);
  if (parsed.errors.length && !parsed.rows.length) return result(parsed.errors, []);
  const shop = await getShop(ctx);
  const locale = shop.defaultLocale;
  const { drafts, errors, warnings } = mapShopifyRows(parsed, { currency: shop.baseCurrency, locale });
  const counts = {
    products: drafts.length,
    variants: drafts.reduce((n, d) => n + d.input.variants.length, 0),
  };
  if (!drafts.length && !errors.length)
    errors.push({ line: 1, code: "csv.no_products", message: "The file has no product rows" });

  const categoryOf = await resolveCategories(ctx, drafts, locale, warnings);
  const existing = await checkExisting(ctx, drafts, mode, locale);
  errors.push(...existing.errors);
  const failed = new Set(errors.map((e) => e.handle));
  const plans: Plan[] = [];
  for (const draft of drafts) {
    const current = existing.current.get(draft.handle);
    const category = categoryOf.get(draft);
    const plan: Plan = current
      ? { kind: "update", draft, id: current.id, patch: mergePatch(draft, current, locale, category) }
      : { kind: "create", draft, input: { ...draft.input, category: category ?? undefined } };
    // Row errors first: the catalog's validation would only repeat them less precisely.
    const invalid = failed.has(draft.handle) ? undefined : validatePlan(plan, locale);
    if (invalid) errors.push(invalid);
    plans.push(plan);
  }
  if (errors.length) return result(errors, warnings, counts);

  const writeError = dryRun ? undefined : await writeAll(ctx, plans);
  if (writeError) return result([writeError], warnings, counts);
  const created = plans.filter((p) => p.kind === "create").length;
  return result([], warnings, { ...counts, created, updated: plans.length - created });
}
