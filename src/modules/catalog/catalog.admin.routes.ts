import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { Handle, PageQuery, RefParams } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import {
  AttributeDefinitionSchema,
  CategoryInputSchema,
  CollectionInputSchema,
  ProductInputSchema,
  ProductPatchSchema,
} from "./catalog.schemas.ts";
import { listProducts } from "./products.list.ts";
import { createProduct, deleteProduct, getProduct, updateProduct } from "./products.service.ts";
import * as taxonomy from "./taxonomy.service.ts";
import { translationCoverage } from "./translations.service.ts";

const tags = ["admin: catalog"];

/** Admin API: products, categories, collections, attribute definitions, translation coverage. */
export async function catalogAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/products",
    {
      schema: {
        tags,
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(
            Type.Union([Type.Literal("draft"), Type.Literal("active"), Type.Literal("archived")]),
          ),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          category: Type.Optional(Type.String({ maxLength: 200 })),
          collection: Type.Optional(Type.String({ maxLength: 200 })),
          tag: Type.Optional(Type.String({ maxLength: 100 })),
          vendor: Type.Optional(Type.String({ maxLength: 255 })),
        }),
      },
    },
    async (request) => listProducts(request.ctx, request.query),
  );
  app.post("/products", { schema: { tags, body: ProductInputSchema } }, async (request, reply) => {
    const product = await transaction(request.ctx, (tx) => createProduct(tx, request.body));
    return reply.status(201).send(product);
  });
  app.get("/products/:ref", { schema: { tags, params: RefParams } }, async (request) =>
    getProduct(request.ctx, request.params.ref),
  );
  app.patch(
    "/products/:ref",
    { schema: { tags, params: RefParams, body: ProductPatchSchema } },
    async (request) => transaction(request.ctx, (tx) => updateProduct(tx, request.params.ref, request.body)),
  );
  app.delete("/products/:ref", { schema: { tags, params: RefParams } }, async (request, reply) => {
    await transaction(request.ctx, (tx) => deleteProduct(tx, request.params.ref));
    return reply.status(204).send();
  });

  app.get("/translations/coverage", { schema: { tags } }, async (request) =>
    translationCoverage(request.ctx),
  );

  app.get("/categories", { schema: { tags } }, async (request) => ({
    items: await taxonomy.listCategories(request.ctx),
  }));
  app.post("/categories", { schema: { tags, body: CategoryInputSchema } }, async (request, reply) =>
    reply.status(201).send(await transaction(request.ctx, (tx) => taxonomy.createCategory(tx, request.body))),
  );
  app.get("/categories/:ref", { schema: { tags, params: RefParams } }, async (request) =>
    taxonomy.getCategory(request.ctx, request.params.ref),
  );
  app.patch(
    "/categories/:ref",
    {
      schema: {
        tags,
        params: RefParams,
        body: Type.Partial(CategoryInputSchema, { additionalProperties: false }),
      },
    },
    async (request) =>
      transaction(request.ctx, (tx) => taxonomy.updateCategory(tx, request.params.ref, request.body)),
  );
  app.delete("/categories/:ref", { schema: { tags, params: RefParams } }, async (request, reply) => {
    await transaction(request.ctx, (tx) => taxonomy.deleteCategory(tx, request.params.ref));
    return reply.status(204).send();
  });

  app.get("/collections", { schema: { tags } }, async (request) => ({
    items: await taxonomy.listCollections(request.ctx),
  }));
  app.post("/collections", { schema: { tags, body: CollectionInputSchema } }, async (request, reply) =>
    reply
      .status(201)
      .send(await transaction(request.ctx, (tx) => taxonomy.createCollection(tx, request.body))),
  );
  app.get("/collections/:ref", { schema: { tags, params: RefParams } }, async (request) =>
    taxonomy.getCollection(request.ctx, request.params.ref),
  );
  app.patch(
    "/collections/:ref",
    {
      schema: {
        tags,
        params: RefParams,
        body: Type.Partial(Type.Omit(CollectionInputSchema, ["kind"]), { additionalProperties: false }),
      },
    },
    async (request) =>
      transaction(request.ctx, (tx) => taxonomy.updateCollection(tx, request.params.ref, request.body)),
  );
  app.delete("/collections/:ref", { schema: { tags, params: RefParams } }, async (request, reply) => {
    await transaction(request.ctx, (tx) => taxonomy.deleteCollection(tx, request.params.ref));
    return reply.status(204).send();
  });

  app.get("/attributes", { schema: { tags } }, async (request) => ({
    items: await taxonomy.listAttributeDefinitions(request.ctx),
  }));
  app.put(
    "/attributes/:key",
    { schema: { tags, params: Type.Object({ key: Handle }), body: AttributeDefinitionSchema } },
    async (request) =>
      taxonomy.upsertAttributeDefinition(request.ctx, { key: request.params.key, ...request.body }),
  );
  app.delete(
    "/attributes/:key",
    { schema: { tags, params: Type.Object({ key: Type.String() }) } },
    async (request, reply) => {
      await taxonomy.deleteAttributeDefinition(request.ctx, request.params.key);
      return reply.status(204).send();
    },
  );
}
