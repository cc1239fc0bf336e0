import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { AppError } from "../../kernel/errors.ts";
import { exportProductsCsv } from "./csv-export.ts";
import { importShopifyCsv } from "./shopify-import.ts";

const tags = ["admin: catalog"];
const CSV_BODY_LIMIT = 20 * 1024 * 1024;

/**
 * Admin API: Shopify product CSV import (`POST /products/import`, body `text/csv`) and export
 * (`GET /products/export.csv`). An import with problems answers 422 `import.invalid` with every
 * problem's line, column and code in `details.errors`, and writes nothing.
 * @example
 * curl -X POST -H "content-type: text/csv" --data-binary @products.csv \
 *   "$BASE/admin/v1/products/import?mode=upsert&dryRun=true"
 */
export async function catalogImportRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  // Raw bytes, so that the importer can tell UTF-8 from Windows-1252 or an Excel workbook.
  app.addContentTypeParser(
    ["text/csv", "application/csv"],
    { parseAs: "buffer", bodyLimit: CSV_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post(
    "/products/import",
    {
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags,
        description: "Imports a Shopify product CSV (send it as the body with Content-Type: text/csv).",
        querystring: Type.Object({
          mode: Type.Optional(Type.Union([Type.Literal("create"), Type.Literal("upsert")])),
          dryRun: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (request, reply) => {
      const body = request.body ?? Buffer.alloc(0);
      if (!Buffer.isBuffer(body)) {
        throw new AppError(
          415,
          "import.unsupported_media_type",
          "Send the CSV file as the body with Content-Type: text/csv",
        );
      }
      const report = await importShopifyCsv(request.ctx, body, request.query);
      if (report.ok) return report;
      return reply.status(422).send({
        error: {
          code: "import.invalid",
          message: `The file has ${report.errors.length} problem(s); nothing was imported`,
          details: { errors: report.errors, warnings: report.warnings },
        },
      });
    },
  );

  app.get(
    "/products/export.csv",
    {
      schema: {
        tags,
        description: "All products as a Shopify product CSV (2023 layout) that re-imports.",
        querystring: Type.Object({
          locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35 })),
          bom: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (request, reply) => {
      const csv = await exportProductsCsv(request.ctx, request.query);
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="products-${date}.csv"`)
        .send(csv);
    },
  );
}
