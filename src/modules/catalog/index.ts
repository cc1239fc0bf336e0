/**
 * Catalog: products, variants, per-locale content, media, categories, collections, attributes,
 * storefront reads and search.
 * @example const product = await getStoreProduct(ctx, storeScope(pricing, "de"), "ridge-shell-jacket")
 */
export {
  collections as collectionsTable,
  products as productsTable,
  variants as variantsTable,
} from "./catalog.schema.ts";
export type { AdminProduct, ProductInput, VariantInput } from "./catalog.types.ts";
export { createProduct, deleteProduct, getProduct, updateProduct } from "./products.service.ts";
export { searchProducts } from "./search.service.ts";
export { getStoreProduct, type StoreProduct, type StoreScope, storeScope } from "./store.product.ts";
export {
  type SellableVariant,
  type StatementPart,
  sellableVariants,
  sellableVariantsWith,
} from "./store.variants.ts";
export {
  type CategoryInput,
  createCategory,
  createCollection,
  upsertAttributeDefinition,
} from "./taxonomy.service.ts";
