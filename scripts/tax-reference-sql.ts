// Writes the migration that ships the tax reference rules from src/modules/tax/data.
import { writeFileSync } from "node:fs";
import { referenceDataSql } from "../src/modules/tax/data/reference-sql.ts";

writeFileSync(new URL("../drizzle/0011_tax_reference_data.sql", import.meta.url), referenceDataSql());
