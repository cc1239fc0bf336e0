import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { CountryCode, RefParams } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import * as inventory from "./inventory.service.ts";

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
  },
  { additionalProperties: false },
);

/** Admin API: warehouses and stock levels. */
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
  app.get("/inventory/:ref", { schema: { tags, params: RefParams } }, async (request) => ({
    items: await inventory.stockOf(request.ctx, request.params.ref),
  }));
  app.put(
    "/inventory/:ref/:warehouse",
    {
      schema: {
        tags,
        params: Type.Object({ ref: Type.String({ minLength: 1 }), warehouse: Type.String({ minLength: 1 }) }),
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
}
