import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { transaction } from "../../kernel/context.ts";
import { getMarket } from "../markets/index.ts";
import { RETURN_REASONS, RETURN_STATUSES } from "./returns.schema.ts";
import {
  approveReturn,
  getPolicy,
  getReturn,
  listReturns,
  rejectReturn,
  setPolicy,
} from "./returns.service.ts";

const tags = ["admin: returns"];
export const ReturnParams = Type.Object({ id: Type.String({ pattern: "^ret_[0-9A-Z]{26}$" }) });

/** Admin API: return policies per market, the returns queue, approval and rejection. */
export async function returnsAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const MarketParams = Type.Object({ market: Type.String({ minLength: 1, maxLength: 40 }) });
  app.get("/markets/:market/return-policy", { schema: { tags, params: MarketParams } }, async (request) =>
    getPolicy(request.ctx, (await getMarket(request.ctx, request.params.market)).id),
  );
  app.put(
    "/markets/:market/return-policy",
    {
      schema: {
        tags,
        params: MarketParams,
        body: Type.Object(
          {
            windowDays: Type.Integer({ minimum: 0, maximum: 3650 }),
            autoApproveReasons: Type.Array(Type.Union(RETURN_REASONS.map((r) => Type.Literal(r))), {
              maxItems: 8,
            }),
            autoApproveMaxAmount: Type.Union([
              Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 }),
              Type.Null(),
            ]),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      transaction(request.ctx, async (tx) =>
        setPolicy(tx, (await getMarket(tx, request.params.market)).id, request.body),
      ),
  );
  app.get(
    "/returns",
    {
      schema: {
        tags,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union(RETURN_STATUSES.map((s) => Type.Literal(s)))),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
            before: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({
      items: await listReturns(request.ctx, { ...request.query, limit: request.query.limit ?? 50 }),
    }),
  );
  app.get("/returns/:id", { schema: { tags, params: ReturnParams } }, async (request) =>
    getReturn(request.ctx, request.params.id),
  );
  app.post("/returns/:id/approve", { schema: { tags, params: ReturnParams } }, async (request) =>
    transaction(request.ctx, (tx) => approveReturn(tx, request.params.id)),
  );
  app.post(
    "/returns/:id/reject",
    {
      schema: {
        tags,
        params: ReturnParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      transaction(request.ctx, (tx) => rejectReturn(tx, request.params.id, request.body.reason)),
  );
}
