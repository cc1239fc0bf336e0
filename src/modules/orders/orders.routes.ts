import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { PageQuery } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import { UnauthorizedError } from "../../kernel/errors.ts";
import { getWarehouse } from "../inventory/index.ts";
import { createFulfillment, markDelivered } from "./fulfillments.service.ts";
import { listOrders } from "./orders.list.ts";
import { ORDER_STATUSES } from "./orders.schema.ts";
import { addTimeline, assertOrderVisible, getOrder, lockOrder } from "./orders.service.ts";

const OrderParams = Type.Object({ id: Type.String({ pattern: "^ord_[0-9A-Z]{26}$" }) });
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)))),
    market: Type.Optional(Type.String({ maxLength: 40 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

/** Admin API: orders, their timeline notes and fulfilments. */
export async function ordersAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["admin: orders"];
  app.get("/orders", { schema: { tags, querystring: ListQuery } }, async (request) =>
    listOrders(request.ctx, request.query),
  );
  app.get("/orders/:id", { schema: { tags, params: OrderParams } }, async (request) =>
    getOrder(request.ctx, request.params.id),
  );
  app.post(
    "/orders/:id/notes",
    {
      schema: {
        tags,
        params: OrderParams,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 5000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      await transaction(request.ctx, async (tx) => {
        await lockOrder(tx, request.params.id);
        await addTimeline(tx, request.params.id, "note", { note: request.body.note });
      });
      return reply.status(201).send(await getOrder(request.ctx, request.params.id));
    },
  );
  app.post(
    "/orders/:id/fulfillments",
    {
      schema: {
        tags,
        params: OrderParams,
        body: Type.Object(
          {
            warehouse: Type.String({ minLength: 1, maxLength: 60 }),
            carrier: Type.String({ minLength: 1, maxLength: 60 }),
            trackingNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            trackingUrl: Type.Optional(Type.String({ format: "uri", maxLength: 500 })),
            items: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    lineId: Type.String({ maxLength: 40 }),
                    quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
                  },
                  { additionalProperties: false },
                ),
                { minItems: 1, maxItems: 500 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { warehouse, ...rest } = request.body;
      const created = await transaction(request.ctx, async (tx) => {
        const wh = await getWarehouse(tx, warehouse);
        return createFulfillment(tx, request.params.id, { ...rest, warehouseId: wh.id });
      });
      return reply.status(201).send(created);
    },
  );
  app.post(
    "/orders/:id/fulfillments/:fulfillmentId/delivered",
    {
      schema: {
        tags,
        params: Type.Object({ id: OrderParams.properties.id, fulfillmentId: Type.String({ maxLength: 40 }) }),
      },
    },
    async (request) =>
      transaction(request.ctx, (tx) => markDelivered(tx, request.params.id, request.params.fulfillmentId)),
  );
}

/** Store API: an order by its (unguessable) id, and a signed-in customer's order history. */
export async function ordersStoreRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["store: orders"];
  app.get("/orders/:id", { schema: { tags, params: OrderParams } }, async (request) => {
    const order = await getOrder(request.ctx, request.params.id);
    assertOrderVisible(request.ctx, order);
    const { timeline, ...rest } = order;
    return { ...rest, timeline: timeline.filter((t) => t.type !== "note").map(({ actor: _a, ...t }) => t) };
  });
  app.get(
    "/customers/me/orders",
    { schema: { tags, querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }) } },
    async (request) => {
      const actor = request.ctx.actor;
      if (actor.kind !== "customer") throw new UnauthorizedError("Sign in to see your orders");
      return listOrders(request.ctx, { ...request.query, customerId: actor.id });
    },
  );
}
