import { readFileSync } from "node:fs";
import type { Database } from "../../src/db/client.ts";
import { buildApp } from "../../src/http/app.ts";
import { type Ctx, systemCtx, transaction } from "../../src/kernel/context.ts";
import type { AdminProduct, ProductInput } from "../../src/modules/catalog/catalog.types.ts";
import { createProduct } from "../../src/modules/catalog/products.service.ts";
import { createWarehouse } from "../../src/modules/inventory/inventory.service.ts";
import { importEcbRates } from "../../src/modules/markets/fx.service.ts";
import { createMarket, getMarket, upsertShop } from "../../src/modules/markets/markets.service.ts";
import { setMarketMethods } from "../../src/modules/payments/index.ts";
import { setRoundingRule } from "../../src/modules/pricing/price-lists.service.ts";
import {
  DEMO_MARKETS,
  DEMO_PAYMENT_METHODS,
  DEMO_ROUNDING,
  DEMO_WAREHOUSES,
} from "../../src/seed/demo-markets.ts";

export const TEST_CONFIG = {
  adminToken: "test-admin-token",
  publishableKey: "pk_test",
  logLevel: "silent",
  dataDir: "memory://",
  appSecret: "test-secret-0123456789",
  publicUrl: "http://localhost:3000",
  testPayments: true,
};

export const adminHeaders = { authorization: `Bearer ${TEST_CONFIG.adminToken}` };
export const storeHeaders = { "x-publishable-key": TEST_CONFIG.publishableKey };

/** The demo markets, sample ECB rates, rounding rules and warehouses, without any products. */
export async function setupShop(ctx: Ctx): Promise<void> {
  await transaction(ctx, async (tx) => {
    await upsertShop(tx, { name: "Test shop", baseCurrency: "USD", defaultLocale: "en" });
    for (const [position, m] of DEMO_MARKETS.entries()) await createMarket(tx, { ...m, position });
    await importEcbRates(tx, readFileSync(new URL("../../src/seed/ecb-sample.xml", import.meta.url), "utf8"));
    for (const [currency, rule] of Object.entries(DEMO_ROUNDING)) await setRoundingRule(tx, currency, rule);
    for (const wh of DEMO_WAREHOUSES) await createWarehouse(tx, wh);
    for (const [market, methods] of Object.entries(DEMO_PAYMENT_METHODS))
      await setMarketMethods(tx, (await getMarket(tx, market)).id, methods);
  });
}

let counter = 0;

/** A valid product input; override any field. */
export function productInput(overrides: Partial<ProductInput> = {}): ProductInput {
  counter += 1;
  const handle = overrides.handle ?? `test-product-${counter}`;
  return {
    handle,
    status: "active",
    vendor: "Yunshan",
    productType: "Jacket",
    hsCode: "620293",
    originCountry: "CN",
    options: [{ name: "Size", values: ["S", "M"] }],
    translations: { en: { title: `Test Product ${counter}`, description: "A plain test product." } },
    variants: [
      { sku: `${handle}-s`, options: { Size: "S" }, price: 2500 },
      { sku: `${handle}-m`, options: { Size: "M" }, price: 2700 },
    ],
    ...overrides,
  };
}

export async function makeProduct(ctx: Ctx, overrides: Partial<ProductInput> = {}): Promise<AdminProduct> {
  return transaction(ctx, (tx) => createProduct(tx, productInput(overrides)));
}

export async function testApp(database: Database) {
  return buildApp({ config: TEST_CONFIG, database, logger: false });
}

export const ctxOf = (database: Database) => systemCtx(database.db, "test");
