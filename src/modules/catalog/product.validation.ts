import { ValidationError } from "../../kernel/errors.ts";
import { canonicalLocale } from "../../kernel/locale.ts";
import { isCountryCode } from "../../kernel/validate.ts";
import type { ProductOption } from "./catalog.schema.ts";
import type { ProductInput, VariantInput } from "./catalog.types.ts";

export interface AttributeDefinition {
  key: string;
  type: "text" | "number" | "boolean" | "date";
}

function fail(code: string, message: string, path: string): never {
  throw new ValidationError(code, message, { path });
}

function checkHsCode(value: string | null | undefined, path: string): void {
  if (value != null && !/^\d{6,10}$/.test(value))
    fail("product.invalid_hs_code", "HS code must be 6-10 digits", path);
}

function checkOrigin(value: string | null | undefined, path: string): void {
  if (value != null && !isCountryCode(value))
    fail("product.invalid_origin", "Origin must be an ISO country code", path);
}

export function validateOptions(options: ProductOption[]): void {
  if (options.length > 3) fail("product.too_many_options", "A product has at most 3 options", "options");
  const names = new Set<string>();
  options.forEach((o, i) => {
    if (!o.name.trim()) fail("product.option_name", "Option names must not be empty", `options/${i}/name`);
    if (names.has(o.name))
      fail("product.duplicate_option", `Option "${o.name}" is listed twice`, `options/${i}`);
    names.add(o.name);
    if (o.values.length === 0)
      fail("product.option_values", `Option "${o.name}" needs values`, `options/${i}/values`);
    if (new Set(o.values).size !== o.values.length) {
      fail("product.duplicate_option_value", `Option "${o.name}" repeats a value`, `options/${i}/values`);
    }
  });
}

/** Each variant names exactly one value of every option, and no two variants share a combination. */
export function validateVariants(options: ProductOption[], variants: VariantInput[]): void {
  if (variants.length === 0) fail("product.no_variants", "A product needs at least one variant", "variants");
  if (variants.length > 250)
    fail("product.too_many_variants", "A product has at most 250 variants", "variants");
  const combos = new Set<string>();
  const skus = new Set<string>();
  variants.forEach((v, i) => {
    const path = `variants/${i}`;
    const given = v.options ?? {};
    for (const key of Object.keys(given)) {
      if (!options.some((o) => o.name === key))
        fail("variant.unknown_option", `Unknown option "${key}"`, `${path}/options`);
    }
    for (const o of options) {
      const value = given[o.name];
      if (value === undefined)
        fail("variant.missing_option", `Missing a value for "${o.name}"`, `${path}/options`);
      if (!o.values.includes(value))
        fail("variant.invalid_option", `"${value}" is not a value of "${o.name}"`, `${path}/options`);
    }
    const combo = JSON.stringify(options.map((o) => given[o.name]));
    if (combos.has(combo))
      fail("variant.duplicate_options", "Two variants have the same option values", path);
    combos.add(combo);
    if (v.sku) {
      if (skus.has(v.sku)) fail("variant.duplicate_sku", `SKU "${v.sku}" is used twice`, `${path}/sku`);
      skus.add(v.sku);
    }
    if (!Number.isSafeInteger(v.price) || v.price < 0)
      fail("variant.invalid_price", "Price must be a non-negative integer", `${path}/price`);
    if (v.compareAtPrice != null && v.compareAtPrice <= v.price) {
      fail(
        "variant.compare_at_not_higher",
        "Compare-at price must be higher than the price",
        `${path}/compareAtPrice`,
      );
    }
    if (v.costPrice != null && (!Number.isSafeInteger(v.costPrice) || v.costPrice < 0)) {
      fail("variant.invalid_cost", "Cost price must be a non-negative integer", `${path}/costPrice`);
    }
    checkHsCode(v.hsCode, `${path}/hsCode`);
    checkOrigin(v.originCountry, `${path}/originCountry`);
  });
}

/** Canonicalises translation locales in place and checks the default locale is present. */
export function validateTranslations(input: Pick<ProductInput, "translations">, defaultLocale: string): void {
  const out: ProductInput["translations"] = {};
  for (const [tag, content] of Object.entries(input.translations)) {
    const locale = canonicalLocale(tag);
    if (!locale) fail("locale.invalid", `"${tag}" is not a valid language tag`, `translations/${tag}`);
    if (!content.title.trim())
      fail("product.empty_title", "Title must not be empty", `translations/${tag}/title`);
    out[locale] = content;
  }
  if (!out[defaultLocale]) {
    fail(
      "product.default_locale_missing",
      `Content in the default locale "${defaultLocale}" is required`,
      "translations",
    );
  }
  input.translations = out;
}

export function validateAttributes(
  attributes: Record<string, unknown>,
  definitions: AttributeDefinition[],
): void {
  for (const [key, value] of Object.entries(attributes)) {
    const def = definitions.find((d) => d.key === key);
    if (!def) fail("attribute.unknown", `No attribute definition "${key}"`, `attributes/${key}`);
    const ok =
      def.type === "number"
        ? typeof value === "number" && Number.isFinite(value)
        : def.type === "boolean"
          ? typeof value === "boolean"
          : def.type === "date"
            ? typeof value === "string" &&
              /^\d{4}-\d{2}-\d{2}$/.test(value) &&
              !Number.isNaN(Date.parse(value))
            : typeof value === "string";
    if (!ok) fail("attribute.type", `Attribute "${key}" must be a ${def.type}`, `attributes/${key}`);
  }
}

export function validateProductFields(input: Partial<ProductInput>): void {
  checkHsCode(input.hsCode, "hsCode");
  checkOrigin(input.originCountry, "originCountry");
  if (input.tags?.some((t) => !t.trim() || t.length > 100)) {
    fail("product.invalid_tag", "Tags must be 1-100 characters", "tags");
  }
}
