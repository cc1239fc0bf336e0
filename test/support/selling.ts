import { expect } from "vitest";
import type { App } from "../../src/http/app.ts";
import type { Ctx } from "../../src/kernel/context.ts";
import { setStock } from "../../src/modules/inventory/index.ts";
import { seedDemoShipping } from "../../src/seed/demo-shipping.ts";
import { makeProduct, setupShop, storeHeaders } from "./fixtures.ts";

/** The demo shop plus its shipping zones, methods and lanes: enough to sell in every demo market. */
export async function setupSelling(ctx: Ctx): Promise<void> {
  await setupShop(ctx);
  await seedDemoShipping(ctx);
}

/** A product with one variant (price in USD cents) and stock in the given warehouses. */
export async function stockedVariant(
  ctx: Ctx,
  sku: string,
  price: number,
  stock: Record<string, number>,
  overrides: { weightGrams?: number; allowBackorder?: boolean } = {},
): Promise<string> {
  const product = await makeProduct(ctx, {
    handle: sku.toLowerCase(),
    options: [{ name: "Size", values: ["One"] }],
    variants: [
      {
        sku,
        options: { Size: "One" },
        price,
        weightGrams: overrides.weightGrams ?? 500,
        allowBackorder: overrides.allowBackorder,
      },
    ],
  });
  for (const [warehouse, onHand] of Object.entries(stock)) await setStock(ctx, sku, warehouse, onHand);
  return product.variants[0]!.id;
}

export const ADDRESSES = {
  US: {
    firstName: "Maya",
    lastName: "Chen",
    line1: "500 Howard St",
    city: "San Francisco",
    province: "CA",
    postalCode: "94105",
    country: "US",
    phone: "+1 415 555 0100",
  },
  DE: {
    firstName: "Jonas",
    lastName: "Weber",
    line1: "Torstraße 1",
    city: "Berlin",
    postalCode: "10119",
    country: "DE",
    phone: "030 1234567",
  },
  BR: {
    firstName: "Ana",
    lastName: "Souza",
    line1: "Avenida Paulista, 1000",
    city: "São Paulo",
    province: "SP",
    postalCode: "01310-100",
    country: "BR",
    phone: "+55 11 91234-5678",
  },
  GB: {
    firstName: "Olivia",
    lastName: "Hughes",
    line1: "221B Baker Street",
    city: "London",
    postalCode: "NW1 6XE",
    country: "GB",
    phone: "+44 20 7946 0958",
  },
} as const;

export const json = (res: { body: string }) => JSON.parse(res.body);

export const bearer = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});

/**
 * A cart ready to complete: items, contact, address and the shipping method with the given code
 * (default "standard"); created as the signed-in customer when a token is given.
 */
export async function readyCart(
  app: App,
  input: {
    market: string;
    country: keyof typeof ADDRESSES;
    items: { variant: string; quantity: number }[];
    email?: string;
    token?: string;
    discountCodes?: string[];
    method?: string;
  },
) {
  const created = await app.inject({
    method: "POST",
    url: "/store/v1/carts",
    headers: { ...storeHeaders, ...bearer(input.token) },
    payload: {
      market: input.market,
      items: input.items,
      email: input.email ?? "buyer@example.com",
      shippingAddress: ADDRESSES[input.country],
      discountCodes: input.discountCodes,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const cart = json(created);
  const option = cart.shippingOptions.find((o: { code: string }) => o.code === (input.method ?? "standard"));
  expect(option, JSON.stringify(cart.shippingOptions)).toBeDefined();
  const chosen = await app.inject({
    method: "PATCH",
    url: `/store/v1/carts/${cart.id}`,
    headers: { ...storeHeaders, ...bearer(input.token) },
    payload: { shippingMethodId: option.methodId },
  });
  expect(chosen.statusCode, chosen.body).toBe(200);
  return json(chosen);
}

let keys = 0;

/** POST /carts/:id/complete with a fresh (or given) Idempotency-Key. */
export function complete(app: App, cartId: string, payment: object, key = `key-${++keys}-${Date.now()}`) {
  return app.inject({
    method: "POST",
    url: `/store/v1/carts/${cartId}/complete`,
    headers: { ...storeHeaders, "idempotency-key": key },
    payload: { payment },
  });
}
