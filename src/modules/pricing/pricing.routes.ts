import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { CurrencyCode, Decimal, MinorUnits } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import * as lists from "./price-lists.service.ts";
import { loadPricingContext, resolvePrices } from "./pricing.service.ts";

const tags = ["admin: pricing"];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Timestamp = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);

/** Admin API: rounding rules, price lists and a price-resolution explainer. */
export async function pricingAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/rounding-rules", { schema: { tags } }, async (request) => ({
    items: await lists.listRoundingRules(request.ctx),
  }));
  app.put(
    "/rounding-rules/:currency",
    {
      schema: {
        tags,
        params: Type.Object({ currency: CurrencyCode }),
        body: Type.Object(
          {
            step: Decimal,
            ending: Decimal,
            mode: Type.Union([Type.Literal("up"), Type.Literal("nearest"), Type.Literal("down")]),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      transaction(request.ctx, (tx) => lists.setRoundingRule(tx, request.params.currency, request.body)),
  );
  app.delete(
    "/rounding-rules/:currency",
    { schema: { tags, params: Type.Object({ currency: CurrencyCode }) } },
    async (request, reply) => {
      await lists.deleteRoundingRule(request.ctx, request.params.currency);
      return reply.status(204).send();
    },
  );

  app.get("/price-lists", { schema: { tags } }, async (request) => ({
    items: await lists.listPriceLists(request.ctx),
  }));
  app.post(
    "/price-lists",
    {
      schema: {
        tags,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 120 }),
            market: Type.String({ minLength: 1 }),
            customerGroup: Type.Optional(
              Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Null()]),
            ),
            startsAt: Type.Optional(Timestamp),
            endsAt: Type.Optional(Timestamp),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await transaction(request.ctx, (tx) => lists.createPriceList(tx, request.body))),
  );
  app.get("/price-lists/:id", { schema: { tags, params: IdParams } }, async (request) =>
    lists.getPriceList(request.ctx, request.params.id),
  );
  app.delete("/price-lists/:id", { schema: { tags, params: IdParams } }, async (request, reply) => {
    await lists.deletePriceList(request.ctx, request.params.id);
    return reply.status(204).send();
  });
  app.put(
    "/price-lists/:id/prices",
    {
      schema: {
        tags,
        params: IdParams,
        body: Type.Object(
          {
            prices: Type.Array(
              Type.Object(
                {
                  variant: Type.String({ minLength: 1 }),
                  amount: MinorUnits,
                  compareAtAmount: Type.Optional(Type.Union([MinorUnits, Type.Null()])),
                },
                { additionalProperties: false },
              ),
              { maxItems: 10_000 },
            ),
            remove: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 10_000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      transaction(request.ctx, (tx) =>
        lists.setPrices(tx, request.params.id, request.body.prices, request.body.remove),
      ),
  );

  app.get(
    "/prices/resolve",
    {
      schema: {
        tags,
        summary: "Explain the price of variants in a market for a customer group",
        querystring: Type.Object({
          market: Type.String({ minLength: 1 }),
          variant: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 250 }),
          group: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 20 })),
        }),
      },
    },
    async (request) => {
      const pc = await loadPricingContext(request.ctx, request.query.market);
      const prices = await resolvePrices(request.ctx, pc, request.query.variant, {
        groups: request.query.group ?? [],
      });
      return { market: pc.market.code, currency: pc.market.currency, prices: Object.fromEntries(prices) };
    },
  );
}
