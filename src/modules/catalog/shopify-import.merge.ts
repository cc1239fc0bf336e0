import type { AdminProduct, ProductPatch, VariantInput } from "./catalog.types.ts";
import type { ProductDraft } from "./shopify-csv.mapper.ts";

/** The object without its undefined properties, so that spreading it keeps what it does not say. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const sameOptions = (a: Record<string, string> = {}, b: Record<string, string> = {}) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

function variantFields(v: AdminProduct["variants"][number]): VariantInput {
  const { id: _id, position: _position, ...fields } = v;
  return fields;
}

/**
 * Pairs each row's variant with an existing one by SKU; a row without a SKU (or in a file without
 * the SKU column) pairs by option values, so its variant id stays stable.
 */
function mergeVariants(rows: VariantInput[], current: AdminProduct["variants"]): VariantInput[] {
  const used = new Set<string>();
  return rows.map((v) => {
    const match = current.find(
      (c) =>
        !used.has(c.id) &&
        (v.sku ? c.sku === v.sku : (v.sku === undefined || !c.sku) && sameOptions(c.options, v.options)),
    );
    if (!match) return v;
    used.add(match.id);
    return { ...variantFields(match), ...defined(v), id: match.id };
  });
}

/**
 * The patch that makes an existing product say what its CSV rows say. Columns the file does not
 * have leave the product's fields alone; other locales' content is kept; the default-locale slug
 * is kept so URLs do not change; media are replaced only when the rows name images (alt texts in
 * other locales and image sizes survive for the same URL).
 * @example await updateProduct(tx, current.id, mergePatch(draft, current, "en", categoryId))
 */
export function mergePatch(
  draft: ProductDraft,
  current: AdminProduct,
  locale: string,
  category: string | null | undefined,
): ProductPatch {
  const { input } = draft;
  const content = input.translations[locale]!;
  const existing = current.translations[locale];
  const translations = {
    ...current.translations,
    [locale]: {
      ...existing,
      ...defined(content),
      title: content.title,
      slug: existing?.slug ?? content.slug,
    },
  };
  const media = input.media?.map((m) => {
    const old = current.media.find((x) => x.url === m.url);
    if (!old) return m;
    return {
      ...m,
      mimeType: old.mimeType,
      width: old.width,
      height: old.height,
      alt: { ...old.alt, ...m.alt },
    };
  });
  return defined({
    status: input.status,
    vendor: input.vendor,
    productType: input.productType,
    category,
    tags: input.tags,
    hsCode: input.hsCode,
    originCountry: input.originCountry,
    options: input.options,
    translations,
    variants: mergeVariants(input.variants, current.variants),
    media,
  });
}
