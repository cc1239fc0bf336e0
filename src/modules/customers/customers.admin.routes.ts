import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { PageQuery } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import { getCustomer } from "./accounts.service.ts";
import { consentHistory, recordConsents } from "./consents.service.ts";
import { getCustomerDetail, listCustomers } from "./customers.list.ts";
import { ConsentsBody, IdParams } from "./customers.schemas.ts";

const tags = ["admin: customers"];

/** Admin API: customers, their address books and marketing consents. */
export async function customersAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/customers",
    {
      schema: {
        tags,
        querystring: Type.Object({
          ...PageQuery,
          email: Type.Optional(Type.String({ maxLength: 254, pattern: "^[^\\p{Cc}]*$" })),
        }),
      },
    },
    async (request) => listCustomers(request.ctx, request.query),
  );
  app.get("/customers/:id", { schema: { tags, params: IdParams } }, async (request) =>
    getCustomerDetail(request.ctx, request.params.id),
  );
  app.get(
    "/customers/:id/consents",
    { schema: { tags, summary: "Consent history, oldest first", params: IdParams } },
    async (request) => {
      await getCustomer(request.ctx, request.params.id);
      return { items: await consentHistory(request.ctx, request.params.id) };
    },
  );
  app.put(
    "/customers/:id/consents",
    {
      schema: {
        tags,
        summary: "Record consent changes with source 'admin'",
        params: IdParams,
        body: ConsentsBody,
      },
    },
    async (request) =>
      transaction(request.ctx, async (tx) => {
        await getCustomer(tx, request.params.id);
        return { items: await recordConsents(tx, request.params.id, request.body, "admin") };
      }),
  );
}
