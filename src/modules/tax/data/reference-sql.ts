import { referenceRules } from "./index.ts";

type Value = string | number | boolean | null | object;

function literal(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean" || typeof v === "number") return String(v);
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return `'${text.replaceAll("'", "''")}'`;
}

function insert(table: string, columns: string[], rows: Value[][], conflict: string): string {
  const values = rows.map((r) => `  (${r.map(literal).join(", ")})`).join(",\n");
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES\n${values}\nON CONFLICT ${conflict} DO NOTHING;`;
}

/**
 * The SQL of the migration that ships the reference rules (drizzle/0011_tax_reference_data.sql).
 * Rules that change later arrive as new migrations with new rows, so edits made in the Admin API
 * are never overwritten. Regenerate with `npm run tax:reference-sql`; a test keeps file and data equal.
 */
export function referenceDataSql(): string {
  const r = referenceRules();
  const parts = [
    "-- Generated from src/modules/tax/data by `npm run tax:reference-sql`; each row cites its source.\n" +
      insert(
        "tax_jurisdictions",
        ["country", "customs_union", "rounding", "duty_on_shipping", "source"],
        r.jurisdictions.map((j) => [j.country, j.customsUnion, j.rounding, j.dutyOnShipping, j.source]),
        "(country)",
      ),
    insert(
      "tax_rates",
      [
        "id",
        "country",
        "region",
        "postal_prefix",
        "category",
        "name",
        "rate",
        "replaces_national",
        "applies_to_shipping",
        "gross_up",
        "effective_from",
        "effective_to",
        "source",
      ],
      r.taxRates.map((t) => [
        t.id,
        t.country,
        t.region,
        t.postalPrefix,
        t.category,
        t.name,
        t.rate,
        t.replacesNational,
        t.appliesToShipping,
        t.grossUp,
        t.effectiveFrom,
        t.effectiveTo,
        t.source,
      ]),
      "(id)",
    ),
    insert(
      "duty_rates",
      [
        "id",
        "country",
        "hs_prefix",
        "agreement",
        "rate",
        "value_up_to",
        "deduction",
        "specific",
        "effective_from",
        "effective_to",
        "source",
      ],
      r.duties.map((d) => [
        d.id,
        d.country,
        d.hsPrefix,
        d.agreement,
        d.rate,
        d.valueUpTo,
        d.deduction,
        d.specific,
        d.effectiveFrom,
        d.effectiveTo,
        d.source,
      ]),
      "(id)",
    ),
    insert(
      "import_rules",
      [
        "id",
        "country",
        "kind",
        "value",
        "basis",
        "per_item",
        "scheme",
        "flat",
        "factor",
        "effective_from",
        "effective_to",
        "source",
      ],
      r.importRules.map((i) => [
        i.id,
        i.country,
        i.kind,
        i.value,
        i.basis,
        i.perItem,
        i.scheme,
        i.flat,
        i.factor,
        i.effectiveFrom,
        i.effectiveTo,
        i.source,
      ]),
      "(id)",
    ),
    insert(
      "trade_agreements",
      ["code", "name", "members", "source"],
      r.agreements.map((a) => [a.code, a.name, a.members, a.source]),
      "(code)",
    ),
    insert(
      "sales_tax_nexus",
      ["country", "region", "sales", "transactions", "requires_both", "source"],
      r.nexus.map((n) => ["US", n.region, n.sales, n.transactions, n.both, n.source]),
      "(country, region)",
    ),
  ];
  return `${parts.join("\n--> statement-breakpoint\n")}\n`;
}
