import Type from "typebox";
import { CountryCode, Handle, LocalizedText, MinorUnits, Ref } from "../../http/schemas.ts";
import { HANDLE_PATTERN } from "../../kernel/validate.ts";
import { TAX_CATEGORIES } from "../tax/index.ts";

const HsCode = Type.String({ pattern: "^\\d{6,10}$" });
const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ProductOptionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    values: Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

const OptionTranslationsSchema = Type.Record(
  Type.String(),
  Type.Object(
    {
      name: Type.Optional(Type.String({ maxLength: 60 })),
      values: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 120 }))),
    },
    { additionalProperties: false },
  ),
);

export const ProductContentSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 255 }),
    description: Type.Optional(Type.String({ maxLength: 50_000 })),
    seoTitle: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
    seoDescription: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    slug: Type.Optional(Type.String({ pattern: HANDLE_PATTERN, maxLength: 120 })),
    options: Type.Optional(OptionTranslationsSchema),
  },
  { additionalProperties: false },
);

export const VariantInputSchema = Type.Object(
  {
    id: Type.Optional(Type.String()),
    sku: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    barcode: Type.Optional(Nullable(Type.String({ pattern: "^[0-9A-Za-z-]{4,40}$" }))),
    options: Type.Optional(Type.Record(Type.String(), Type.String())),
    price: MinorUnits,
    compareAtPrice: Type.Optional(Nullable(MinorUnits)),
    costPrice: Type.Optional(Nullable(MinorUnits)),
    weightGrams: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 }))),
    dimensionsMm: Type.Optional(
      Nullable(
        Type.Object(
          {
            length: Type.Integer({ minimum: 0, maximum: 100_000 }),
            width: Type.Integer({ minimum: 0, maximum: 100_000 }),
            height: Type.Integer({ minimum: 0, maximum: 100_000 }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    hsCode: Type.Optional(Nullable(HsCode)),
    originCountry: Type.Optional(Nullable(CountryCode)),
    allowBackorder: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const MediaInputSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal("image"), Type.Literal("model3d"), Type.Literal("video")]),
    url: Type.String({ minLength: 1, maxLength: 2000, pattern: "^(https?://|/)" }),
    mimeType: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    width: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 20_000 }))),
    height: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 20_000 }))),
    alt: Type.Optional(LocalizedText),
    variantSku: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: false },
);

const productFields = {
  handle: Handle,
  status: Type.Optional(
    Type.Union([Type.Literal("draft"), Type.Literal("active"), Type.Literal("archived")]),
  ),
  vendor: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  productType: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  category: Type.Optional(Nullable(Ref)),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 250 })),
  hsCode: Type.Optional(Nullable(HsCode)),
  originCountry: Type.Optional(Nullable(CountryCode)),
  taxCategory: Type.Optional(
    Type.Union(
      TAX_CATEGORIES.map((c) => Type.Literal(c)),
      { description: "Rates may differ by category" },
    ),
  ),
  options: Type.Optional(Type.Array(ProductOptionSchema, { maxItems: 3 })),
  attributes: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  ),
  translations: Type.Record(Type.String({ maxLength: 35 }), ProductContentSchema, { minProperties: 1 }),
  variants: Type.Array(VariantInputSchema, { minItems: 1, maxItems: 250 }),
  media: Type.Optional(Type.Array(MediaInputSchema, { maxItems: 250 })),
  notSoldIn: Type.Optional(Type.Array(Ref, { maxItems: 100 })),
  collections: Type.Optional(Type.Array(Ref, { maxItems: 100 })),
};

export const ProductInputSchema = Type.Object(productFields, { additionalProperties: false });
export const ProductPatchSchema = Type.Partial(ProductInputSchema, { additionalProperties: false });

export const CategoryInputSchema = Type.Object(
  {
    handle: Handle,
    parent: Type.Optional(Nullable(Ref)),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    name: LocalizedText,
  },
  { additionalProperties: false },
);

export const CollectionRulesSchema = Type.Object(
  {
    match: Type.Union([Type.Literal("all"), Type.Literal("any")]),
    conditions: Type.Array(
      Type.Object(
        {
          field: Type.Union([
            Type.Literal("tag"),
            Type.Literal("vendor"),
            Type.Literal("product_type"),
            Type.Literal("category"),
          ]),
          op: Type.Union([Type.Literal("equals"), Type.Literal("not_equals")]),
          value: Type.String({ minLength: 1, maxLength: 255 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);

export const CollectionInputSchema = Type.Object(
  {
    handle: Handle,
    kind: Type.Union([Type.Literal("manual"), Type.Literal("rule")]),
    rules: Type.Optional(Nullable(CollectionRulesSchema)),
    title: LocalizedText,
    description: Type.Optional(LocalizedText),
    products: Type.Optional(Type.Array(Ref, { maxItems: 5000 })),
  },
  { additionalProperties: false },
);

export const AttributeDefinitionSchema = Type.Object(
  {
    type: Type.Union([
      Type.Literal("text"),
      Type.Literal("number"),
      Type.Literal("boolean"),
      Type.Literal("date"),
    ]),
    label: Type.Optional(LocalizedText),
    filterable: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
