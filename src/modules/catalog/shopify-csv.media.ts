import type { MediaInput } from "./catalog.types.ts";
import type { RowReader } from "./shopify-csv.fields.ts";
import type { ImportError } from "./shopify-csv.parser.ts";

/** An "Image Src" cell with its position (rows without one sort last, in file order). */
export interface RowImage {
  url: string;
  position: number;
  order: number;
  alt?: string;
}

/** A "Variant Image" cell of a variant row. */
export interface VariantImage {
  url: string;
  sku: string | null | undefined;
  reader: RowReader;
}

/**
 * A product's images in position order, one per URL, with variant images linked by SKU. A media
 * item links to one variant, so an image several variants name is linked to the first of them
 * (a warning says so); variant images not among the Image Src rows are appended.
 * @example buildMedia([{ url: "https://cdn.test/a.jpg", position: 1, order: 0 }], [], "en", [])
 */
export function buildMedia(
  images: RowImage[],
  variantImages: VariantImage[],
  locale: string,
  warnings: ImportError[],
): MediaInput[] | undefined {
  const ordered = [...images].sort((a, b) => a.position - b.position || a.order - b.order);
  const media: MediaInput[] = [];
  for (const img of ordered) {
    const same = media.find((m) => m.url === img.url);
    if (!same) media.push({ kind: "image", url: img.url, alt: img.alt ? { [locale]: img.alt } : {} });
    else if (img.alt && !same.alt?.[locale]) same.alt = { [locale]: img.alt };
  }
  for (const { url, sku, reader } of variantImages) {
    let m = media.find((x) => x.url === url && (!x.variantSku || x.variantSku === sku));
    if (!m && media.some((x) => x.url === url)) {
      const message =
        "One image links to one variant; this image is linked to the first variant that names it";
      reader.fail("variantImage", "csv.variant_image_shared", message, warnings);
      continue;
    }
    if (!m) {
      m = { kind: "image", url, alt: {} };
      media.push(m);
    }
    if (sku) m.variantSku = sku;
    else {
      const message =
        "A variant image is linked through the variant's SKU; without one the image stays unlinked";
      reader.fail("variantImage", "csv.variant_image_unlinked", message, warnings);
    }
  }
  return media.length ? media : undefined;
}
