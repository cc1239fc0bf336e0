import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { emptyBodyAsObject } from "../http/schemas.ts";
import { UnauthorizedError } from "../kernel/errors.ts";
import { assertOrderVisible, getOrderRow } from "../modules/orders/index.ts";
import { getReturn, listReturns, RETURN_REASONS, returnsOfOrder } from "../modules/returns/index.ts";
import { ReturnParams } from "../modules/returns/returns.routes.ts";
import { receiveReturnFlow, refundReturn, requestReturn } from "./returns.ts";

const OrderParams = Type.Object({ id: Type.String({ pattern: "^ord_[0-9A-Z]{26}$" }) });

/** Store API: a customer requests a return of an order and follows it. */
export async function returnsStoreRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["store: returns"];
  app.post(
    "/orders/:id/returns",
    {
      schema: {
        tags,
        params: OrderParams,
        body: Type.Object(
          {
            items: Type.Array(
              Type.Object(
                {
                  lineId: Type.String({ minLength: 1, maxLength: 40 }),
                  quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
                  reason: Type.Union(RETURN_REASONS.map((r) => Type.Literal(r))),
                  note: Type.Optional(Type.String({ maxLength: 1000 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
            refundMethod: Type.Optional(Type.Union([Type.Literal("original"), Type.Literal("store_credit")])),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await requestReturn(request.ctx, request.params.id, request.body)),
  );
  app.get("/orders/:id/returns", { schema: { tags, params: OrderParams } }, async (request) => {
    const order = await getOrderRow(request.ctx, request.params.id);
    assertOrderVisible(request.ctx, order);
    return {
      items: await Promise.all(
        (await returnsOfOrder(request.ctx, order.id)).map((r) => getReturn(request.ctx, r.id)),
      ),
    };
  });
  app.get(
    "/customers/me/returns",
    {
      schema: {
        tags,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            before: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const actor = request.ctx.actor;
      if (actor.kind !== "customer") throw new UnauthorizedError("Sign in to see your returns");
      const filter = { ...request.query, customerId: actor.id, limit: request.query.limit ?? 20 };
      const rows = await listReturns(request.ctx, filter);
      const items = [];
      for (const r of rows) items.push(await getReturn(request.ctx, r.id));
      return { items };
    },
  );
}

/** Admin API: receiving, inspecting and refunding returns. */
export async function returnActionsAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["admin: returns"];
  app.post(
    "/returns/:id/receive",
    {
      schema: {
        tags,
        params: ReturnParams,
        body: Type.Object(
          {
            items: Type.Array(
              Type.Object(
                {
                  lineId: Type.String({ minLength: 1, maxLength: 40 }),
                  restock: Type.Integer({ minimum: 0, maximum: 100_000 }),
                  writeOff: Type.Integer({ minimum: 0, maximum: 100_000 }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => receiveReturnFlow(request.ctx, request.params.id, request.body.items),
  );
  app.post(
    "/returns/:id/refund",
    {
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        params: ReturnParams,
        body: Type.Object(
          { amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_000_000_000_000 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => refundReturn(request.ctx, instance.payments, request.params.id, request.body),
  );
}
