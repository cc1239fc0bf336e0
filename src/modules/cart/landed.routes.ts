import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { CountryCode } from "../../http/schemas.ts";
import { variantLandedCost } from "./cart.landed.ts";

const Query = Type.Object({
  market: Type.String({ minLength: 1, maxLength: 60, description: "Market code or id" }),
  country: CountryCode,
  region: Type.Optional(Type.String({ pattern: "^[A-Z0-9]{1,3}$", description: "State or province code" })),
  variant: Type.String({ minLength: 1, maxLength: 200, description: "Variant id or SKU" }),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

/**
 * Store API: the landed cost of a variant for a product page (the same for every shopper, so
 * cached with the catalog): price, duties and taxes with their rules, and how to present them.
 */
export async function landedCostStoreRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/landed-cost",
    {
      schema: {
        tags: ["store"],
        summary: "Duties and taxes of a variant for a destination",
        querystring: Query,
      },
    },
    async (request) =>
      variantLandedCost(request.ctx, { ...request.query, quantity: request.query.quantity ?? 1 }),
  );
}
