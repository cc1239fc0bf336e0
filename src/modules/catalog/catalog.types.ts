import type { TaxCategory } from "../tax/index.ts";
import type { LocalizedText, OptionTranslations, ProductOption } from "./catalog.schema.ts";

export type ProductStatus = "draft" | "active" | "archived";

export interface ProductContent {
  title: string;
  description?: string;
  seoTitle?: string | null;
  seoDescription?: string | null;
  /** Defaults to a slug of the title (or the handle for scripts without Latin letters). */
  slug?: string;
  options?: OptionTranslations;
}

export interface VariantInput {
  /** Existing variant to update; otherwise matched by SKU, otherwise created. */
  id?: string;
  sku?: string | null;
  barcode?: string | null;
  options?: Record<string, string>;
  /** Minor units of the shop's base currency. */
  price: number;
  compareAtPrice?: number | null;
  costPrice?: number | null;
  weightGrams?: number | null;
  dimensionsMm?: { length: number; width: number; height: number } | null;
  hsCode?: string | null;
  originCountry?: string | null;
  allowBackorder?: boolean;
}

export interface MediaInput {
  kind: "image" | "model3d" | "video";
  url: string;
  mimeType?: string | null;
  width?: number | null;
  height?: number | null;
  alt?: LocalizedText;
  /** Attach to the variant with this SKU. */
  variantSku?: string | null;
}

export interface ProductInput {
  handle: string;
  status?: ProductStatus;
  vendor?: string | null;
  productType?: string | null;
  /** Category id or handle. */
  category?: string | null;
  tags?: string[];
  hsCode?: string | null;
  originCountry?: string | null;
  /** Tax category (standard, food, books, children_clothing, medical); default standard. */
  taxCategory?: TaxCategory;
  options?: ProductOption[];
  attributes?: Record<string, string | number | boolean>;
  /** Content per locale; must include the shop's default locale. */
  translations: Record<string, ProductContent>;
  variants: VariantInput[];
  media?: MediaInput[];
  /** Market codes or ids where the product must not be sold. */
  notSoldIn?: string[];
  /** Manual collections (handle or id) the product belongs to. */
  collections?: string[];
}

export type ProductPatch = Partial<ProductInput>;

/** A product as the Admin API shows it: every locale, every variant. */
export interface AdminProduct {
  id: string;
  handle: string;
  status: ProductStatus;
  vendor: string | null;
  productType: string | null;
  categoryId: string | null;
  tags: string[];
  hsCode: string | null;
  originCountry: string | null;
  taxCategory: string;
  options: ProductOption[];
  attributes: Record<string, string | number | boolean>;
  translations: Record<string, Required<Omit<ProductContent, "options">> & { options: OptionTranslations }>;
  variants: Array<Omit<VariantInput, "id"> & { id: string; position: number }>;
  media: Array<Omit<MediaInput, "variantSku"> & { id: string; variantId: string | null; position: number }>;
  notSoldIn: string[];
  collections: string[];
  createdAt: string;
  updatedAt: string;
}
