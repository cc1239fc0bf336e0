import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { CountryCode, RefParams } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import { ADJUSTMENT_REASONS } from "./inventory.schema.ts";
import * as inventory from "./inventory.service.ts";
import * as levels from "./levels.service.ts";

const tags = ["admin: inventory"];
const WarehouseSchema = Type.Object(
  {
    code: Type.String({ pattern: "^[a-z0-9-]{2,40}$" }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    address: Type.Object(
      {
        line1: Type.String({ minLength: 1, maxLength: 200 }),
        city: Type.String({ minLength: 1, maxLength: 100 }),
        postalCode: Type.String({ minLength: 1, maxLength: 20 }),
        country: CountryCode,
      },
      { additionalProperties: false },
    ),
    servesCountries: Type.Array(CountryCode, { minItems: 1, maxItems: 250 }),
    acceptsReturns: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const LevelParams = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 200 }),
  warehouse: Type.String({ minLength: 1, maxLength: 60 }),
});

/** Admin API: warehouses, stock levels, adjustments and low-stock alerts. */
export async function inventoryAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get("/warehouses", { schema: { tags } }, async (request) => ({
    items: await inventory.listWarehouses(request.ctx),
  }));
  app.post("/warehouses", { schema: { tags, body: WarehouseSchema } }, async (request, reply) =>
    reply.status(201).send(await inventory.createWarehouse(request.ctx, request.body)),
  );
  app.get("/warehouses/:ref", { schema: { tags, params: RefParams } }, async (request) =>
    inventory.getWarehouse(request.ctx, request.params.ref),
  );
  app.patch(
    "/warehouses/:ref",
    {
      schema: {
        tags,
        params: RefParams,
        body: Type.Partial(WarehouseSchema, { additionalProperties: false }),
      },
    },
    async (request) => inventory.updateWarehouse(request.ctx, request.params.ref, request.body),
  );
  app.get(
    "/inventory/low-stock",
    {
      schema: {
        tags,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
      },
    },
    async (request) => ({ items: await levels.lowStockLevels(request.ctx, request.query.limit) }),
  );
  app.get("/inventory/:ref", { schema: { tags, params: RefParams } }, async (request) => ({
    items: await levels.stockOf(request.ctx, request.params.ref),
  }));
  app.put(
    "/inventory/:ref/:warehouse",
    {
      schema: {
        tags,
        description: "Sets on-hand stock (a cycle count); the difference is recorded as an adjustment.",
        params: LevelParams,
        body: Type.Object(
          { onHand: Type.Integer({ minimum: 0, maximum: 100_000_000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      transaction(request.ctx, (tx) =>
        inventory.setStock(tx, request.params.ref, request.params.warehouse, request.body.onHand),
      ),
  );
  app.patch(
    "/inventory/:ref/:warehouse",
    {
      schema: {
        tags,
        params: LevelParams,
        body: Type.Object(
          {
            incoming: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
            lowStockThreshold: Type.Optional(
              Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000 }), Type.Null()]),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      levels.updateLevelSettings(request.ctx, request.params.ref, request.params.warehouse, request.body),
  );
  app.post(
    "/inventory/:ref/:warehouse/adjustments",
    {
      schema: {
        tags,
        params: LevelParams,
        body: Type.Object(
          {
            delta: Type.Integer({ minimum: -100_000_000, maximum: 100_000_000 }),
            reason: Type.Union(ADJUSTMENT_REASONS.map((r) => Type.Literal(r))),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await transaction(request.ctx, (tx) =>
          inventory.adjustStock(tx, {
            variant: request.params.ref,
            warehouse: request.params.warehouse,
            ...request.body,
          }),
        ),
      ),
  );
  app.get(
    "/inventory/:ref/adjustments",
    {
      schema: {
        tags,
        params: RefParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
          before: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request) => ({
      items: await levels.listAdjustments(request.ctx, request.params.ref, {
        limit: request.query.limit ?? 50,
        before: request.query.before,
      }),
    }),
  );
}
