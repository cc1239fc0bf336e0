import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../../paths.ts";
import { EU_MEMBERS, inForce } from "../rule-lookup.ts";
import { referenceRules } from "./index.ts";
import { referenceDataSql } from "./reference-sql.ts";

describe("the shipped tax rules", () => {
  const rules = referenceRules();

  it("are the ones the reference-data migration writes", () => {
    const migration = readFileSync(projectPath("drizzle/0011_tax_reference_data.sql"), "utf8");
    expect(migration).toBe(referenceDataSql());
  });

  it("cite a source and have at most one version of a rule in force on any day", () => {
    const all = [...rules.taxRates, ...rules.duties, ...rules.importRules];
    expect(all.filter((r) => r.source.trim().length < 5)).toEqual([]);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const keyOf = (r: (typeof all)[number]) =>
      "category" in r
        ? `rate:${r.country}:${r.region}:${r.postalPrefix}:${r.category}`
        : "hsPrefix" in r
          ? `duty:${r.country}:${r.hsPrefix}:${r.agreement}:${r.valueUpTo?.amount}`
          : `import:${r.country}:${r.kind}`;
    const days = [
      "2019-06-01",
      "2020-08-01",
      "2021-07-01",
      "2024-08-01",
      "2025-04-01",
      "2026-07-01",
      "2026-11-25",
    ];
    for (const day of days) {
      const live = all.filter((r) => inForce(r, day)).map(keyOf);
      expect(live.length, day).toBe(new Set(live).size);
    }
  });

  it("cover every EU member state, the UK and the other required destinations", () => {
    const countries = new Set(rules.taxRates.map((r) => r.country));
    const required = [...EU_MEMBERS];
    required.push("GB", "NO", "CH", "US", "CA", "AU", "NZ", "JP", "SG", "SA", "AE", "BR", "MX", "ID");
    expect(required.filter((c) => !countries.has(c))).toEqual([]);
    const jurisdictions = new Set(rules.jurisdictions.map((j) => j.country));
    expect(required.filter((c) => !jurisdictions.has(c))).toEqual([]);
  });
});
