import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { stringify } from "csv-stringify/sync";
import type { FastifyInstance, FastifyReply } from "fastify";
import Type from "typebox";
import { dutiesReport, iossReturn, ossReturn, ukVatReturn, usSalesTaxReport } from "./tax.reports.ts";

const tags = ["admin: tax"];

const Format = Type.Optional(
  Type.Union([Type.Literal("json"), Type.Literal("csv")], {
    description: "csv: the rows as a CSV file with a header row; json (default): rows and totals",
  }),
);
const PeriodQuery = Type.Object(
  {
    period: Type.String({
      maxLength: 20,
      description: "A quarter (2026-Q3) or a month (2026-07), UTC",
      examples: ["2026-Q3", "2026-07"],
    }),
    format: Format,
  },
  { additionalProperties: false },
);
const YearQuery = Type.Object(
  {
    year: Type.String({ maxLength: 20, description: "A calendar year, UTC", examples: ["2026"] }),
    format: Format,
  },
  { additionalProperties: false },
);

/** A CSV column: the header and how a row's value is read. */
type Column<T> = [header: string, value: (row: T) => string | number | boolean | null];

/** The report as JSON, or its rows as a CSV attachment when `format=csv`. */
function send<T>(
  reply: FastifyReply,
  format: "json" | "csv" | undefined,
  file: string,
  columns: Column<T>[],
  report: { rows: T[] },
) {
  if (format !== "csv") return report;
  const csv = stringify(
    [columns.map(([header]) => header), ...report.rows.map((r) => columns.map(([, v]) => v(r)))],
    {
      cast: { boolean: (b) => (b ? "true" : "false") },
    },
  );
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${file}.csv"`)
    .send(csv);
}

interface Amounts {
  currency: string;
  taxable: number;
  tax: number;
  orders: number;
}

const vatColumns = <T extends Amounts & { country: string; shipFrom: string; rate: string }>(
  extra: Column<T>[] = [],
): Column<T>[] => [
  ["country", (r) => r.country],
  ["ship_from", (r) => r.shipFrom],
  ...extra,
  ["rate", (r) => r.rate],
  ["currency", (r) => r.currency],
  ["taxable", (r) => r.taxable],
  ["tax", (r) => r.tax],
  ["orders", (r) => r.orders],
];

/**
 * Admin API: the tax reports (OSS, IOSS, UK VAT, US sales tax and nexus, duties), as JSON or CSV.
 * @example curl -H "authorization: Bearer $TOKEN" "$URL/admin/v1/tax/reports/oss?period=2026-Q3&format=csv"
 */
export async function taxReportsAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/tax/reports/oss",
    {
      schema: {
        tags,
        summary: "EU One-Stop-Shop return: distance sales per member state and rate",
        querystring: PeriodQuery,
      },
    },
    async (request, reply) => {
      const { period, format } = request.query;
      const report = await ossReturn(request.ctx, period);
      return send(reply, format, `oss-${report.period}`, vatColumns(), report);
    },
  );

  app.get(
    "/tax/reports/ioss",
    {
      schema: {
        tags,
        summary: "EU Import One-Stop-Shop return: imports up to €150 per member state and rate",
        querystring: PeriodQuery,
      },
    },
    async (request, reply) => {
      const { period, format } = request.query;
      const report = await iossReturn(request.ctx, period);
      return send(reply, format, `ioss-${report.period}`, vatColumns(), report);
    },
  );

  app.get(
    "/tax/reports/uk-vat",
    {
      schema: {
        tags,
        summary: "UK VAT on sales per regime and rate, with boxes 1 and 6 of the return",
        querystring: PeriodQuery,
      },
    },
    async (request, reply) => {
      const { period, format } = request.query;
      const report = await ukVatReturn(request.ctx, period);
      const columns = vatColumns<(typeof report.rows)[number]>([["regime", (r) => r.regime]]);
      return send(reply, format, `uk-vat-${report.period}`, columns, report);
    },
  );

  app.get(
    "/tax/reports/us-sales-tax",
    {
      schema: {
        tags,
        summary: "US sales and sales tax per state, with economic-nexus thresholds and registrations",
        querystring: YearQuery,
      },
    },
    async (request, reply) => {
      const { year, format } = request.query;
      const report = await usSalesTaxReport(request.ctx, year);
      type Row = (typeof report.rows)[number];
      const columns: Column<Row>[] = [
        ["state", (r) => r.state],
        ["sales", (r) => r.sales],
        ["transactions", (r) => r.transactions],
        ["prior_year_sales", (r) => r.priorSales],
        ["prior_year_transactions", (r) => r.priorTransactions],
        ["tax_collected", (r) => r.taxCollected],
        ["threshold_sales_usd", (r) => r.threshold?.sales ?? null],
        ["threshold_transactions", (r) => r.threshold?.transactions ?? null],
        ["threshold_requires_both", (r) => r.threshold?.requiresBoth ?? null],
        ["nexus_reached", (r) => r.nexusReached],
        ["registered", (r) => r.registered],
        ["status", (r) => r.status],
      ];
      return send(reply, format, `us-sales-tax-${report.year}`, columns, report);
    },
  );

  app.get(
    "/tax/reports/duties",
    {
      schema: {
        tags,
        summary: "Customs duties per destination, basis, rate and duty mode",
        querystring: PeriodQuery,
      },
    },
    async (request, reply) => {
      const { period, format } = request.query;
      const report = await dutiesReport(request.ctx, period);
      type Row = (typeof report.rows)[number];
      const columns: Column<Row>[] = [
        ["jurisdiction", (r) => r.jurisdiction],
        ["basis", (r) => r.basis],
        ["rate", (r) => r.rate],
        ["duty_mode", (r) => r.dutyMode],
        ["currency", (r) => r.currency],
        ["dutiable_value", (r) => r.dutiableValue],
        ["duty", (r) => r.duty],
        ["orders", (r) => r.orders],
      ];
      return send(reply, format, `duties-${report.period}`, columns, report);
    },
  );
}
