import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client.ts";
import { type Ctx, transaction } from "../kernel/context.ts";
import {
  createCategory,
  createCollection,
  createProduct,
  type ProductInput,
  upsertAttributeDefinition,
} from "../modules/catalog/index.ts";
import { seedDemoDiscounts } from "../modules/discounts/index.ts";
import { createWarehouse, setStock } from "../modules/inventory/index.ts";
import {
  createMarket,
  getMarket,
  importEcbRates,
  setFxOverride,
  upsertShop,
} from "../modules/markets/index.ts";
import { setMarketMethods } from "../modules/payments/index.ts";
import { createPriceList, setPrices, setRoundingRule } from "../modules/pricing/index.ts";
import { projectPath } from "../paths.ts";
import { DEMO_MARKETS, DEMO_PAYMENT_METHODS, DEMO_ROUNDING, DEMO_WAREHOUSES } from "./demo-markets.ts";
import { type DemoProduct, loadDemoCatalog, toProductInput, WATERPROOF_TITLE } from "./demo-products.ts";
import { seedDemoShipping } from "./demo-shipping.ts";
import { seedDemoTax } from "./demo-tax.ts";

export interface SeedResult {
  seeded: boolean;
  products: number;
  variants: number;
}

/** A small deterministic PRNG so every fresh install gets the same demo stock. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function seedStock(ctx: Ctx, products: DemoProduct[], variantSkus: string[][]) {
  const random = prng(42);
  for (const [i, skus] of variantSkus.entries()) {
    for (const sku of skus) {
      for (const wh of DEMO_WAREHOUSES) {
        // Roughly one level in six is empty so that out-of-stock states are visible.
        const onHand =
          random() < 0.17 ? 0 : Math.floor(random() * (products[i]!.basePrice > 20000 ? 40 : 200)) + 1;
        await setStock(ctx, sku, wh.code, onHand);
      }
    }
  }
}

/**
 * Seeds the Yunshan demo brand: shop, markets, FX, rounding, warehouses, taxonomy and products
 * with real translations and locally rendered images. Does nothing when a shop exists already.
 */
export async function seedDemo(ctx: Ctx, opts: { mediaDir: string }): Promise<SeedResult> {
  const [existing] = await queryRows(ctx.db, sql`select 1 from shop limit 1`);
  if (existing) return { seeded: false, products: 0, variants: 0 };
  const catalog = loadDemoCatalog();
  const inputs: ProductInput[] = [];
  for (const p of catalog.products)
    inputs.push(await toProductInput(p, catalog, join(opts.mediaDir, "media")));

  return transaction(ctx, async (tx) => {
    await upsertShop(tx, { name: "Yunshan 云山", baseCurrency: "USD", defaultLocale: "en" });
    for (const [position, m] of DEMO_MARKETS.entries()) await createMarket(tx, { ...m, position });
    await importEcbRates(tx, readFileSync(projectPath("src/seed/ecb-sample.xml"), "utf8"));
    // The ECB publishes no SAR rate; the riyal is pegged at 3.75 per US dollar.
    await setFxOverride(tx, "USD", "SAR", "3.75", "SAMA peg");
    // Neither is the dirham: AED 3.6725 per dollar, so 0.9793333333 per riyal (UAE thresholds).
    await setFxOverride(tx, "SAR", "AED", "0.9793333333", "CBUAE and SAMA pegs");
    for (const [currency, rule] of Object.entries(DEMO_ROUNDING)) await setRoundingRule(tx, currency, rule);
    for (const wh of DEMO_WAREHOUSES) await createWarehouse(tx, wh);
    for (const [market, methods] of Object.entries(DEMO_PAYMENT_METHODS))
      await setMarketMethods(tx, (await getMarket(tx, market)).id, methods);
    await seedDemoShipping(tx);
    await seedDemoTax(tx);

    for (const c of catalog.taxonomy.categories)
      await createCategory(tx, { handle: c.handle, parent: c.parent, name: c.name });
    for (const c of catalog.taxonomy.collections) {
      await createCollection(tx, {
        handle: c.handle,
        kind: "manual",
        title: c.title,
        description: c.description,
      });
    }
    await createCollection(tx, {
      handle: "waterproof",
      kind: "rule",
      rules: { match: "all", conditions: [{ field: "tag", op: "equals", value: "waterproof" }] },
      title: WATERPROOF_TITLE,
    });
    for (const def of catalog.attributeDefinitions) await upsertAttributeDefinition(tx, def);

    const variantSkus: string[][] = [];
    for (const input of inputs) {
      const product = await createProduct(tx, input);
      variantSkus.push(product.variants.map((v) => v.sku!));
    }
    await seedStock(tx, catalog.products, variantSkus);

    // Fixed EU prices for the first few products: merchandised euro prices instead of conversions.
    const euList = await createPriceList(tx, { name: "EU launch prices", market: "eu" });
    const fixed = inputs
      .slice(0, 6)
      .flatMap((p) =>
        p.variants.map((v) => ({ variant: v.sku!, amount: Math.round(v.price / 100) * 100 - 1 })),
      );
    await setPrices(tx, euList.id, fixed);
    await seedDemoDiscounts(tx);

    return {
      seeded: true,
      products: inputs.length,
      variants: inputs.reduce((n, p) => n + p.variants.length, 0),
    };
  });
}
