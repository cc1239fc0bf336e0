import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { RefParams } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import { listDiscounts } from "./discounts.list.ts";
import { previewDiscounts } from "./discounts.preview.ts";
import {
  DiscountCreateSchema,
  DiscountListQuery,
  DiscountPatchSchema,
  PreviewSchema,
} from "./discounts.schemas.ts";
import { createDiscount, deleteDiscount, getDiscount, updateDiscount } from "./discounts.service.ts";

const tags = ["admin: discounts"];

/** Admin API: discount codes and automatic discounts, and a preview of their effect on a cart. */
export async function discountsAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get("/discounts", { schema: { tags, querystring: DiscountListQuery } }, async (request) =>
    listDiscounts(request.ctx, request.query),
  );
  app.post("/discounts", { schema: { tags, body: DiscountCreateSchema } }, async (request, reply) =>
    reply.status(201).send(await transaction(request.ctx, (tx) => createDiscount(tx, request.body))),
  );
  app.get("/discounts/:ref", { schema: { tags, params: RefParams } }, async (request) =>
    getDiscount(request.ctx, request.params.ref),
  );
  app.patch(
    "/discounts/:ref",
    { schema: { tags, params: RefParams, body: DiscountPatchSchema } },
    async (request) => transaction(request.ctx, (tx) => updateDiscount(tx, request.params.ref, request.body)),
  );
  app.delete("/discounts/:ref", { schema: { tags, params: RefParams } }, async (request, reply) => {
    await transaction(request.ctx, (tx) => deleteDiscount(tx, request.params.ref));
    return reply.status(204).send();
  });
  app.post(
    "/discounts/preview",
    {
      schema: {
        tags,
        summary: "Apply the live discounts to a cart without saving anything",
        body: PreviewSchema,
      },
    },
    async (request) => previewDiscounts(request.ctx, request.body),
  );
}
