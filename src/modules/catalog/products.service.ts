import { asc, eq, inArray, or } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { getShop, marketsTable as markets } from "../markets/index.ts";
import {
  attributeDefinitions,
  categories,
  collectionProducts,
  collections,
  media,
  productMarketExclusions,
  products,
  productTranslations,
  variants,
} from "./catalog.schema.ts";
import type { AdminProduct, ProductInput, ProductPatch, VariantInput } from "./catalog.types.ts";
import {
  validateAttributes,
  validateOptions,
  validateProductFields,
  validateTranslations,
  validateVariants,
} from "./product.validation.ts";
import { slugify } from "./slug.ts";

async function resolveIds(
  ctx: Ctx,
  table: typeof categories | typeof collections | typeof markets,
  keys: string[],
  kind: string,
) {
  if (keys.length === 0) return [];
  const keyColumn = "handle" in table ? table.handle : table.code;
  const rows = await ctx.db
    .select({ id: table.id, key: keyColumn })
    .from(table)
    .where(or(inArray(table.id, keys), inArray(keyColumn, keys)));
  return keys.map((k) => {
    const row = rows.find((r) => r.id === k || r.key === k);
    if (!row) throw new ValidationError(`${kind}.unknown`, `No ${kind} "${k}"`, { [kind]: k });
    return row.id;
  });
}

async function writeTranslations(
  ctx: Ctx,
  productId: string,
  handle: string,
  input: ProductInput["translations"],
) {
  await ctx.db.delete(productTranslations).where(eq(productTranslations.productId, productId));
  const rows = Object.entries(input).map(([locale, c]) => ({
    productId,
    locale,
    title: c.title.trim(),
    description: c.description ?? "",
    seoTitle: c.seoTitle ?? null,
    seoDescription: c.seoDescription ?? null,
    slug: c.slug || slugify(c.title) || handle,
    options: c.options ?? {},
  }));
  await ctx.db.insert(productTranslations).values(rows);
}

function variantValues(productId: string, v: VariantInput, position: number) {
  return {
    productId,
    position,
    sku: v.sku || null,
    barcode: v.barcode ?? null,
    options: v.options ?? {},
    price: v.price,
    compareAtPrice: v.compareAtPrice ?? null,
    costPrice: v.costPrice ?? null,
    weightGrams: v.weightGrams ?? null,
    lengthMm: v.dimensionsMm?.length ?? null,
    widthMm: v.dimensionsMm?.width ?? null,
    heightMm: v.dimensionsMm?.height ?? null,
    hsCode: v.hsCode ?? null,
    originCountry: v.originCountry ?? null,
    allowBackorder: v.allowBackorder ?? false,
  };
}

/** Upserts variants by id, then SKU; variants not in the list are deleted. Ids stay stable. */
async function writeVariants(
  ctx: Ctx,
  productId: string,
  input: VariantInput[],
): Promise<Map<string, string>> {
  const existing = await ctx.db
    .select({ id: variants.id, sku: variants.sku })
    .from(variants)
    .where(eq(variants.productId, productId));
  const keep = new Set<string>();
  const bySku = new Map<string, string>();
  const plan = input.map((v, position) => {
    const match = existing.find((e) => (v.id ? e.id === v.id : v.sku && e.sku === v.sku));
    if (v.id && !match)
      throw new ValidationError("variant.unknown", `Variant ${v.id} is not part of this product`);
    if (match) keep.add(match.id);
    return { id: match?.id ?? newId("var"), isNew: !match, values: variantValues(productId, v, position) };
  });
  const removed = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
  if (removed.length) await ctx.db.delete(variants).where(inArray(variants.id, removed));
  // Clear SKUs of kept variants first so that swapping SKUs between variants is not a conflict.
  if (keep.size)
    await ctx.db
      .update(variants)
      .set({ sku: null })
      .where(inArray(variants.id, [...keep]));
  for (const p of plan) {
    if (p.isNew) await ctx.db.insert(variants).values({ id: p.id, ...p.values });
    else await ctx.db.update(variants).set(p.values).where(eq(variants.id, p.id));
    if (p.values.sku) bySku.set(p.values.sku, p.id);
  }
  return bySku;
}

async function writeMedia(
  ctx: Ctx,
  productId: string,
  input: ProductInput["media"],
  bySku: Map<string, string>,
) {
  await ctx.db.delete(media).where(eq(media.productId, productId));
  if (!input?.length) return;
  await ctx.db.insert(media).values(
    input.map((m, position) => {
      const variantId = m.variantSku ? bySku.get(m.variantSku) : undefined;
      if (m.variantSku && !variantId)
        throw new ValidationError("media.unknown_variant", `No variant with SKU "${m.variantSku}"`);
      return {
        id: newId("med"),
        productId,
        variantId: variantId ?? null,
        kind: m.kind,
        url: m.url,
        mimeType: m.mimeType ?? null,
        width: m.width ?? null,
        height: m.height ?? null,
        position,
        alt: m.alt ?? {},
      };
    }),
  );
}

async function writeRelations(ctx: Ctx, productId: string, input: ProductPatch) {
  if (input.notSoldIn) {
    const marketIds = await resolveIds(ctx, markets, input.notSoldIn, "market");
    await ctx.db.delete(productMarketExclusions).where(eq(productMarketExclusions.productId, productId));
    if (marketIds.length)
      await ctx.db
        .insert(productMarketExclusions)
        .values(marketIds.map((marketId) => ({ productId, marketId })));
  }
  if (input.collections) {
    const ids = await resolveIds(ctx, collections, input.collections, "collection");
    await ctx.db.delete(collectionProducts).where(eq(collectionProducts.productId, productId));
    if (ids.length) {
      await ctx.db
        .insert(collectionProducts)
        .values(ids.map((collectionId) => ({ collectionId, productId, position: 0 })));
    }
  }
}

async function validate(ctx: Ctx, input: ProductPatch, current?: AdminProduct) {
  validateProductFields(input);
  if (input.translations) validateTranslations(input as ProductInput, (await getShop(ctx)).defaultLocale);
  const options = input.options ?? current?.options ?? [];
  if (input.options) validateOptions(input.options);
  if (input.variants) validateVariants(options, input.variants);
  else if (input.options && current) validateVariants(options, current.variants);
  if (input.attributes)
    validateAttributes(input.attributes, await ctx.db.select().from(attributeDefinitions));
}

function productFields(input: ProductPatch, categoryId: string | null | undefined) {
  const fields: Partial<typeof products.$inferInsert> = {};
  if (input.handle !== undefined) fields.handle = input.handle;
  if (input.status !== undefined) fields.status = input.status;
  if (input.vendor !== undefined) fields.vendor = input.vendor;
  if (input.productType !== undefined) fields.productType = input.productType;
  if (categoryId !== undefined) fields.categoryId = categoryId;
  if (input.tags !== undefined) fields.tags = [...new Set(input.tags.map((t) => t.trim()))];
  if (input.hsCode !== undefined) fields.hsCode = input.hsCode;
  if (input.originCountry !== undefined) fields.originCountry = input.originCountry;
  if (input.taxCategory !== undefined) fields.taxCategory = input.taxCategory;
  if (input.options !== undefined) fields.options = input.options;
  if (input.attributes !== undefined) fields.attributes = input.attributes;
  return fields;
}

async function categoryIdOf(ctx: Ctx, category: string | null | undefined) {
  if (category === undefined || category === null) return category;
  return (await resolveIds(ctx, categories, [category], "category"))[0]!;
}

/** Creates a product with its variants, content, media and market availability. Call in a transaction. */
export async function createProduct(ctx: Ctx, input: ProductInput): Promise<AdminProduct> {
  await validate(ctx, input);
  const id = newId("prod");
  const categoryId = await categoryIdOf(ctx, input.category);
  await ctx.db.insert(products).values({ id, handle: input.handle, ...productFields(input, categoryId) });
  await writeTranslations(ctx, id, input.handle, input.translations);
  const bySku = await writeVariants(ctx, id, input.variants);
  await writeMedia(ctx, id, input.media, bySku);
  await writeRelations(ctx, id, input);
  await emit(ctx, "product.created", { productId: id, handle: input.handle });
  return getProduct(ctx, id);
}

/** Replaces the fields present in `patch`. Call in a transaction. */
export async function updateProduct(
  ctx: Ctx,
  idOrHandle: string,
  patch: ProductPatch,
): Promise<AdminProduct> {
  const current = await getProduct(ctx, idOrHandle);
  await validate(ctx, patch, current);
  const fields = productFields(patch, await categoryIdOf(ctx, patch.category));
  await ctx.db
    .update(products)
    .set({ ...fields, updatedAt: new Date() })
    .where(eq(products.id, current.id));
  if (patch.translations)
    await writeTranslations(ctx, current.id, patch.handle ?? current.handle, patch.translations);
  const bySku = patch.variants ? await writeVariants(ctx, current.id, patch.variants) : undefined;
  if (patch.media) {
    const skus = bySku ?? new Map(current.variants.filter((v) => v.sku).map((v) => [v.sku!, v.id]));
    await writeMedia(ctx, current.id, patch.media, skus);
  }
  await writeRelations(ctx, current.id, patch);
  await emit(ctx, "product.updated", { productId: current.id });
  return getProduct(ctx, current.id);
}

export async function deleteProduct(ctx: Ctx, idOrHandle: string): Promise<void> {
  const [row] = await ctx.db
    .delete(products)
    .where(or(eq(products.id, idOrHandle), eq(products.handle, idOrHandle)))
    .returning({ id: products.id });
  if (!row) throw new NotFoundError("product", idOrHandle);
  await emit(ctx, "product.deleted", { productId: row.id });
}

/** The full admin view of a product by id or handle. */
export async function getProduct(ctx: Ctx, idOrHandle: string): Promise<AdminProduct> {
  const [p] = await ctx.db
    .select()
    .from(products)
    .where(or(eq(products.id, idOrHandle), eq(products.handle, idOrHandle)));
  if (!p) throw new NotFoundError("product", idOrHandle);
  // Sequential: inside a transaction all statements share one connection.
  const tr = await ctx.db.select().from(productTranslations).where(eq(productTranslations.productId, p.id));
  const vs = await ctx.db
    .select()
    .from(variants)
    .where(eq(variants.productId, p.id))
    .orderBy(asc(variants.position));
  const ms = await ctx.db.select().from(media).where(eq(media.productId, p.id)).orderBy(asc(media.position));
  const ex = await ctx.db
    .select({ code: markets.code })
    .from(productMarketExclusions)
    .innerJoin(markets, eq(markets.id, productMarketExclusions.marketId))
    .where(eq(productMarketExclusions.productId, p.id));
  const cs = await ctx.db
    .select({ handle: collections.handle })
    .from(collectionProducts)
    .innerJoin(collections, eq(collections.id, collectionProducts.collectionId))
    .where(eq(collectionProducts.productId, p.id));
  return {
    id: p.id,
    handle: p.handle,
    status: p.status,
    vendor: p.vendor,
    productType: p.productType,
    categoryId: p.categoryId,
    tags: p.tags,
    hsCode: p.hsCode,
    originCountry: p.originCountry,
    taxCategory: p.taxCategory,
    options: p.options,
    attributes: p.attributes,
    translations: Object.fromEntries(
      tr.map((t) => [
        t.locale,
        {
          title: t.title,
          description: t.description,
          seoTitle: t.seoTitle,
          seoDescription: t.seoDescription,
          slug: t.slug,
          options: t.options,
        },
      ]),
    ),
    variants: vs.map((v) => ({
      id: v.id,
      position: v.position,
      sku: v.sku,
      barcode: v.barcode,
      options: v.options,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      costPrice: v.costPrice,
      weightGrams: v.weightGrams,
      dimensionsMm:
        v.lengthMm != null && v.widthMm != null && v.heightMm != null
          ? { length: v.lengthMm, width: v.widthMm, height: v.heightMm }
          : null,
      hsCode: v.hsCode,
      originCountry: v.originCountry,
      allowBackorder: v.allowBackorder,
    })),
    media: ms.map((m) => ({
      id: m.id,
      kind: m.kind,
      url: m.url,
      mimeType: m.mimeType,
      width: m.width,
      height: m.height,
      alt: m.alt,
      variantId: m.variantId,
      position: m.position,
    })),
    notSoldIn: ex.map((e) => e.code).sort(),
    collections: cs.map((c) => c.handle).sort(),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
