import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { PageQuery } from "../../http/schemas.ts";
import { getEmail, listEmails } from "./outbox.service.ts";

const tags = ["admin: messaging"];

/** Admin API: the mail outbox (in development, where mail goes when no SMTP server is set). */
export async function messagingAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/emails",
    {
      schema: {
        tags,
        summary: "Outgoing email, newest first",
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(
            Type.Union([Type.Literal("queued"), Type.Literal("sent"), Type.Literal("failed")]),
          ),
          to: Type.Optional(Type.String({ maxLength: 254, pattern: "^[^\\p{Cc}]*$" })),
        }),
      },
    },
    async (request) => listEmails(request.ctx, request.query),
  );
  app.get(
    "/emails/:id",
    { schema: { tags, params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }) } },
    async (request) => getEmail(request.ctx, request.params.id),
  );
}
