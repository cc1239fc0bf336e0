import { readFileSync } from "node:fs";
import type { LocalizedText, OptionTranslations } from "../modules/catalog/catalog.schema.ts";
import type { ProductInput, VariantInput } from "../modules/catalog/catalog.types.ts";
import type { CategoryInput } from "../modules/catalog/taxonomy.service.ts";
import { projectPath } from "../paths.ts";
import { renderProductImage } from "./demo-images.ts";
import { writeBoxModel } from "./demo-models.ts";

export interface DemoProduct {
  handle: string;
  category: string;
  collections: string[];
  tags: string[];
  productType: string;
  hsCode: string;
  originCountry: string;
  basePrice: number;
  compareAtPrice?: number;
  costPrice: number;
  weightGrams: number;
  dimensionsMm: { length: number; width: number; height: number };
  imageColor: string;
  attributes: Record<string, string | number | boolean>;
  notSoldIn: string[];
  options: Array<{ name: string; values: string[] }>;
  content: Record<string, { title: string; description: string }>;
}

interface Dictionary {
  locales: string[];
  optionNames: Record<string, LocalizedText>;
  optionValues: Record<string, LocalizedText>;
}

export interface DemoCatalog {
  dictionary: Dictionary;
  taxonomy: {
    categories: Array<Required<Pick<CategoryInput, "handle" | "name">> & { parent: string | null }>;
    collections: Array<{ handle: string; title: LocalizedText; description: LocalizedText }>;
  };
  products: DemoProduct[];
  attributeDefinitions: Array<{ key: string; type: "text" | "number" | "boolean"; filterable: boolean }>;
}

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(projectPath("src/seed/demo", name), "utf8")) as T;

/** Title of the demo's rule-based collection (products tagged "waterproof"). */
export const WATERPROOF_TITLE: LocalizedText = {
  en: "Waterproof",
  de: "Wasserdicht",
  fr: "Imperméable",
  es: "Impermeable",
  it: "Impermeabile",
  nl: "Waterdicht",
  ja: "防水",
  "pt-BR": "À prova d'água",
  ar: "مقاوم للماء",
  id: "Tahan Air",
};

/** Reads the demo catalog data shipped in src/seed/demo/. */
export function loadDemoCatalog(): DemoCatalog {
  const products = ["products-apparel.json", "products-outdoor.json", "products-home.json"].flatMap((f) =>
    read<DemoProduct[]>(f),
  );
  const definitions = new Map<string, "text" | "number" | "boolean">();
  for (const p of products) {
    for (const [key, value] of Object.entries(p.attributes)) {
      definitions.set(
        key,
        typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "text",
      );
    }
  }
  return {
    dictionary: read<Dictionary>("dictionary.json"),
    taxonomy: read("taxonomy.json"),
    products,
    attributeDefinitions: [...definitions].map(([key, type]) => ({ key, type, filterable: type !== "text" })),
  };
}

function cartesian(options: DemoProduct["options"]): Array<Record<string, string>> {
  return options.reduce<Array<Record<string, string>>>(
    (combos, option) => combos.flatMap((c) => option.values.map((v) => ({ ...c, [option.name]: v }))),
    [{}],
  );
}

const skuPart = (text: string) =>
  text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "")
    .slice(0, 4);

function optionTranslations(p: DemoProduct, dictionary: Dictionary, locale: string): OptionTranslations {
  return Object.fromEntries(
    p.options.map((o) => [
      o.name,
      {
        name: dictionary.optionNames[o.name]?.[locale] ?? o.name,
        values: Object.fromEntries(o.values.map((v) => [v, dictionary.optionValues[v]?.[locale] ?? v])),
      },
    ]),
  );
}

/** Turns one demo product into an Admin API product input, rendering its images. */
export async function toProductInput(
  p: DemoProduct,
  catalog: DemoCatalog,
  mediaDir: string,
): Promise<ProductInput> {
  const prefix = `YS-${p.handle
    .split("-")
    .map((w) => w[0]!.toUpperCase())
    .join("")}`;
  const variants: VariantInput[] = cartesian(p.options).map((options, i) => ({
    sku: `${prefix}-${String(i + 1).padStart(2, "0")}${Object.values(options).length ? `-${Object.values(options).map(skuPart).join("-")}` : ""}`,
    barcode: `69${String(Math.abs(hash(p.handle + i)))
      .padStart(10, "0")
      .slice(0, 10)}`,
    options,
    price: p.basePrice,
    compareAtPrice: p.compareAtPrice ?? null,
    costPrice: p.costPrice,
    weightGrams: p.weightGrams,
    dimensionsMm: p.dimensionsMm,
  }));
  const en = p.content.en!;
  const images = [
    await renderProductImage(mediaDir, p.handle, {
      color: p.imageColor,
      title: en.title,
      subtitle: p.productType,
    }),
  ];
  if (p.options.length) {
    images.push(
      await renderProductImage(mediaDir, `${p.handle}-detail`, {
        color: p.imageColor,
        title: en.title,
        subtitle: "Detail",
        variant: 1,
      }),
    );
  }
  const media: ProductInput["media"] = images.map((img, i) => ({
    kind: "image" as const,
    url: img.url,
    mimeType: "image/webp",
    width: img.width,
    height: img.height,
    alt: Object.fromEntries(
      Object.entries(p.content).map(([l, c]) => [l, i === 0 ? c.title : `${c.title} – detail`]),
    ),
  }));
  // Home goods get a 3D model for in-room (AR) previews.
  if (p.category === "living" || p.category === "tableware") {
    const d = p.dimensionsMm;
    media.push({
      kind: "model3d",
      url: writeBoxModel(mediaDir, `${p.handle}-3d`, {
        color: p.imageColor,
        sizeMm: [d.length, d.height, d.width],
      }),
      mimeType: "model/gltf+json",
      alt: Object.fromEntries(Object.entries(p.content).map(([l, c]) => [l, `${c.title} 3D`])),
    });
  }
  return {
    handle: p.handle,
    status: "active",
    vendor: "Yunshan",
    productType: p.productType,
    category: p.category,
    tags: p.tags,
    hsCode: p.hsCode,
    originCountry: p.originCountry,
    // Tea is food: reduced VAT (7 % in Germany, 8 % in Japan, zero in the UK and Australia).
    taxCategory: p.category === "tea" ? "food" : "standard",
    options: p.options,
    attributes: p.attributes,
    translations: Object.fromEntries(
      Object.entries(p.content).map(([locale, c]) => [
        locale,
        {
          title: c.title,
          description: `<p>${c.description}</p>`,
          seoTitle: `${c.title} | Yunshan`,
          seoDescription: c.description.slice(0, 155),
          options: optionTranslations(p, catalog.dictionary, locale),
        },
      ]),
    ),
    variants,
    media,
    notSoldIn: p.notSoldIn,
    collections: p.collections,
  };
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}
