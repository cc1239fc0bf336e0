import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { transaction } from "../../kernel/context.ts";
import { ValidationError } from "../../kernel/errors.ts";
import { getMarket } from "../markets/index.ts";
import { marketMethods, paymentStats, paymentsOfOrder, setMarketMethods } from "./payments.service.ts";

const tags = ["admin: payments"];
const Method = Type.Object(
  {
    provider: Type.String({ minLength: 1, maxLength: 40 }),
    method: Type.String({ minLength: 1, maxLength: 40 }),
    captureMode: Type.Union([Type.Literal("automatic"), Type.Literal("manual")]),
  },
  { additionalProperties: false },
);

/** Admin API: payment methods per market, payment attempts of an order, success rates. */
export async function paymentsAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const MarketParams = Type.Object({ market: Type.String({ minLength: 1, maxLength: 40 }) });
  app.get("/markets/:market/payment-methods", { schema: { tags, params: MarketParams } }, async (request) => {
    const market = await getMarket(request.ctx, request.params.market);
    return { items: await marketMethods(request.ctx, market.id) };
  });
  app.put(
    "/markets/:market/payment-methods",
    {
      schema: {
        tags,
        params: MarketParams,
        body: Type.Object({ items: Type.Array(Method, { maxItems: 30 }) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      for (const m of request.body.items) {
        if (!instance.payments.has(m.provider))
          throw new ValidationError("payment.provider_unknown", `No payment provider "${m.provider}"`);
        if (!instance.payments.get(m.provider).methods.includes(m.method))
          throw new ValidationError(
            "payment.method_unsupported",
            `${m.provider} does not support "${m.method}"`,
          );
      }
      const keys = new Set(request.body.items.map((m) => `${m.provider}/${m.method}`));
      if (keys.size !== request.body.items.length)
        throw new ValidationError("payment.duplicate_method", "A method is listed twice");
      return transaction(request.ctx, async (tx) => {
        const market = await getMarket(tx, request.params.market);
        return { items: await setMarketMethods(tx, market.id, request.body.items) };
      });
    },
  );
  app.get(
    "/orders/:id/payments",
    { schema: { tags, params: Type.Object({ id: Type.String({ pattern: "^ord_[0-9A-Z]{26}$" }) }) } },
    async (request) => ({ items: await paymentsOfOrder(request.ctx, request.params.id) }),
  );
  app.get(
    "/payments/stats",
    {
      schema: {
        tags,
        querystring: Type.Object(
          { from: Type.String({ format: "date-time" }), to: Type.String({ format: "date-time" }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      if (!(from < to)) throw new ValidationError("payment.stats_range", "from must be before to");
      const rows = await paymentStats(request.ctx, { from, to });
      return {
        items: rows.map((r) => ({
          market: r.market_id,
          method: r.method,
          attempts: r.attempts,
          succeeded: r.succeeded,
          failed: r.failed,
          successRate: r.attempts ? r.succeeded / r.attempts : null,
        })),
      };
    },
  );
}
