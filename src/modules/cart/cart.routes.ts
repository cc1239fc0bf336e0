import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { transaction } from "../../kernel/context.ts";
import { NotFoundError } from "../../kernel/errors.ts";
import { getCustomer, requireCustomer } from "../customers/index.ts";
import { getMarket } from "../markets/index.ts";
import * as carts from "./cart.service.ts";

const tags = ["store: cart"];
const CartParams = Type.Object({ id: Type.String({ pattern: "^cart_[0-9A-Z]{26}$" }) });
const Item = Type.Object(
  {
    variant: Type.String({ minLength: 1, maxLength: 200, description: "Variant id or SKU" }),
    quantity: Type.Integer({ minimum: 1, maximum: 999 }),
  },
  { additionalProperties: false },
);
// Addresses are checked per country by the customers module (required fields, postal codes, phone).
const Address = Type.Object(
  {},
  { additionalProperties: true, description: "A postal address (see validateAddress)" },
);
const Patch = {
  email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
  locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35 })),
  shippingAddress: Type.Optional(Type.Union([Address, Type.Null()])),
  billingAddress: Type.Optional(Type.Union([Address, Type.Null()])),
  discountCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10 })),
  vatId: Type.Optional(
    Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()], {
      description: "A business buyer's VAT number: reverse charge where the rules allow it",
    }),
  ),
};

/**
 * Store API: carts and the checkout steps before payment (contact, address, shipping, discounts).
 * Each cart write is one version-checked statement, so these routes open no transaction.
 */
export async function cartStoreRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    "/carts",
    {
      schema: {
        tags,
        body: Type.Object(
          {
            market: Type.String({ minLength: 1, maxLength: 40 }),
            items: Type.Optional(Type.Array(Item, { maxItems: 100 })),
            ...Patch,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => reply.status(201).send(await carts.createCart(request.ctx, request.body)),
  );
  app.get("/carts/:id", { schema: { tags, params: CartParams } }, async (request) =>
    carts.getCart(request.ctx, request.params.id),
  );
  app.patch(
    "/carts/:id",
    {
      schema: {
        tags,
        params: CartParams,
        body: Type.Object(
          {
            ...Patch,
            shippingMethodId: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => carts.updateCart(request.ctx, request.params.id, request.body),
  );
  app.post(
    "/carts/:id/lines",
    {
      schema: {
        tags,
        params: CartParams,
        body: Type.Object(
          { items: Type.Array(Item, { minItems: 1, maxItems: 100 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => carts.addItems(request.ctx, request.params.id, request.body.items),
  );
  const LineParams = Type.Object({
    id: CartParams.properties.id,
    lineId: Type.String({ minLength: 1, maxLength: 40 }),
  });
  app.patch(
    "/carts/:id/lines/:lineId",
    {
      schema: {
        tags,
        params: LineParams,
        body: Type.Object(
          { quantity: Type.Integer({ minimum: 0, maximum: 999 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      carts.setLineQuantity(request.ctx, request.params.id, request.params.lineId, request.body.quantity),
  );
  app.delete("/carts/:id/lines/:lineId", { schema: { tags, params: LineParams } }, async (request) =>
    carts.setLineQuantity(request.ctx, request.params.id, request.params.lineId, 0),
  );
  app.post(
    "/carts/:id/claim",
    {
      schema: {
        tags,
        params: CartParams,
        description:
          "After sign-in: attaches this cart to the customer, merging their other open cart in the market.",
      },
    },
    async (request) => {
      const session = requireCustomer(request);
      return transaction(request.ctx, async (tx) => {
        const customer = await getCustomer(tx, session.customerId);
        return carts.claimCart(tx, request.params.id, { id: customer.id, email: customer.email });
      });
    },
  );
  app.get(
    "/customers/me/cart",
    {
      schema: {
        tags,
        querystring: Type.Object(
          { market: Type.String({ minLength: 1, maxLength: 40 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const session = requireCustomer(request);
      const market = await getMarket(request.ctx, request.query.market);
      const cart = await carts.customerCart(request.ctx, session.customerId, market.id);
      if (!cart) throw new NotFoundError("cart", `open cart in ${market.code}`);
      return carts.getCart(request.ctx, cart.id);
    },
  );
}
