import type { DutyRateRule, ImportRule, Jurisdiction, TaxRateRule, TradeAgreement } from "../tax.types.ts";
import tariffRows from "./duty-rates.tariffs.json" with { type: "json" };
import { agreements, dutyRegimes, importRules, jurisdictions } from "./import-rules.ts";
import { US_NEXUS, usSalesTaxRules } from "./us-sales-tax.ts";
import { vatRules } from "./vat-rates.ts";

export { type NexusThreshold, US_NEXUS } from "./us-sales-tax.ts";

interface TariffRow {
  country: string;
  hsPrefix: string;
  rate: string;
  effectiveFrom: string;
  source: string;
  specific?: string;
}

/**
 * MFN duties of the EU (Common External Tariff), the UK (UK Global Tariff) and the US (HTS 2026
 * Rev. 4) for the demo catalog's HS codes, with headings and chapters where a whole heading or
 * chapter has one rate; derived from the public tariff files cited in each row.
 */
function tariffDuties(): DutyRateRule[] {
  return (tariffRows as TariffRow[]).map((r) => ({
    id: `duty_${r.country}_${r.hsPrefix}_mfn_${r.effectiveFrom}`,
    country: r.country,
    hsPrefix: r.hsPrefix,
    agreement: null,
    rate: r.rate,
    valueUpTo: null,
    deduction: null,
    specific: r.specific ?? null,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: null,
    source: r.source,
  }));
}

/** Every rule Chuhai ships: written to the database by a migration and editable from then on. */
export interface ReferenceRules {
  jurisdictions: Jurisdiction[];
  taxRates: TaxRateRule[];
  duties: DutyRateRule[];
  importRules: ImportRule[];
  agreements: TradeAgreement[];
  nexus: typeof US_NEXUS;
}

export function referenceRules(): ReferenceRules {
  return {
    jurisdictions: jurisdictions(),
    taxRates: [...vatRules(), ...usSalesTaxRules()],
    duties: [...tariffDuties(), ...dutyRegimes()],
    importRules: importRules(),
    agreements: agreements(),
    nexus: US_NEXUS,
  };
}
