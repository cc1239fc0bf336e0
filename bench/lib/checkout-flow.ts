import type { App } from "../../src/http/app.ts";

const STORE = { "x-publishable-key": "pk_demo", "content-type": "application/json" };

export const US_ADDRESS = {
  firstName: "Maya",
  lastName: "Chen",
  line1: "500 Howard St",
  city: "San Francisco",
  province: "CA",
  postalCode: "94105",
  country: "US",
};

/** One shopper's path from an empty cart to a paid order, as a storefront makes it. */
export const checkoutSteps = (sku: string, n: number) => [
  {
    name: "create cart with item, contact and address",
    method: "POST",
    path: () => "/store/v1/carts",
    body: () => ({
      market: "us",
      items: [{ variant: sku, quantity: 1 }],
      email: `bench${n}@example.com`,
      shippingAddress: US_ADDRESS,
    }),
  },
  {
    name: "choose shipping method",
    method: "PATCH",
    path: (cart: { id: string }) => `/store/v1/carts/${cart.id}`,
    body: (cart: { shippingOptions: { methodId: string }[] }) => ({
      shippingMethodId: cart.shippingOptions[0]!.methodId,
    }),
  },
  {
    name: "complete with a card",
    method: "POST",
    path: (cart: { id: string }) => `/store/v1/carts/${cart.id}/complete`,
    body: () => ({ payment: { method: "card", data: { cardNumber: "4242424242424242" } } }),
    headers: () => ({ "idempotency-key": `bench-${n}-${Date.now()}` }),
  },
];

/** Runs the steps in-process and returns the responses. */
export async function runCheckout(app: App, sku: string, n: number) {
  let cart: unknown = null;
  const statuses: number[] = [];
  for (const step of checkoutSteps(sku, n)) {
    const res = await app.inject({
      method: step.method as "POST",
      url: step.path(cart as never),
      headers: { ...STORE, ...(step.headers?.() ?? {}) },
      payload: JSON.stringify(step.body(cart as never)),
    });
    statuses.push(res.statusCode);
    if (res.statusCode >= 300) throw new Error(`${step.name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    const body = JSON.parse(res.body);
    if (step.name.startsWith("create") || step.name.startsWith("choose")) cart = body;
  }
  return statuses;
}
