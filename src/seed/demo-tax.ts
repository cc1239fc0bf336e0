import type { Ctx } from "../kernel/context.ts";
import { createRegistration, type RegistrationInput } from "../modules/tax/index.ts";

/**
 * Where the demo brand is registered to collect tax: the EU import and union One-Stop-Shops, a
 * German VAT number for sales from the Duisburg warehouse, UK VAT, Australian GST for low-value
 * goods, and California sales tax (the Ontario warehouse gives it a physical presence there).
 * Registration numbers are made up in the right formats.
 */
export const DEMO_REGISTRATIONS: RegistrationInput[] = [
  { jurisdiction: "EU", scheme: "IOSS", number: "IM2760000017", effectiveFrom: "2021-07-01" },
  { jurisdiction: "EU", scheme: "OSS", number: "EU276000005", effectiveFrom: "2021-07-01" },
  { jurisdiction: "DE", scheme: "VAT", number: "DE136695976", effectiveFrom: "2020-01-01" },
  { jurisdiction: "GB", scheme: "UK_VAT", number: "GB980780684", effectiveFrom: "2021-01-01" },
  { jurisdiction: "AU", scheme: "AU_GST", number: "ARN 3000 0000 0001", effectiveFrom: "2021-01-01" },
  { jurisdiction: "US-CA", scheme: "SALES_TAX", number: "CDTFA 102-000001", effectiveFrom: "2021-01-01" },
];

export async function seedDemoTax(ctx: Ctx): Promise<void> {
  for (const r of DEMO_REGISTRATIONS) await createRegistration(ctx, r);
}
