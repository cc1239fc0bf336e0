import type { TaxRateRule } from "../tax.types.ts";

/**
 * US state sales tax: the state-level rate (percent) and whether separately stated delivery
 * charges are taxable. Local rates are not shipped: a store adds them as regional rows narrowed
 * by ZIP prefix (`postalPrefix`), which then stack on the state rate.
 *
 * Rates: Tax Foundation, "State and Local Sales Tax Rates, 2025" (state rates as of 2025-01-01).
 * Delivery charges: the states' revenue departments as summarised in the Streamlined Sales Tax
 * taxability matrix (delivery charges taxable when part of a taxable sale).
 */
const STATES: Record<string, [rate: number, shippingTaxable: boolean]> = {
  AL: [4, false],
  AZ: [5.6, false],
  AR: [6.5, true],
  CA: [7.25, false],
  CO: [2.9, false],
  CT: [6.35, true],
  DC: [6, true],
  FL: [6, false],
  GA: [4, true],
  HI: [4, true],
  ID: [6, false],
  IL: [6.25, false],
  IN: [7, true],
  IA: [6, false],
  KS: [6.5, true],
  KY: [6, true],
  LA: [5, false],
  ME: [5.5, false],
  MD: [6, false],
  MA: [6.25, false],
  MI: [6, true],
  MN: [6.875, true],
  MS: [7, true],
  MO: [4.225, false],
  NE: [5.5, true],
  NV: [6.85, false],
  NJ: [6.625, true],
  NM: [4.875, true],
  NY: [4, true],
  NC: [4.75, true],
  ND: [5, true],
  OH: [5.75, true],
  OK: [4.5, false],
  PA: [6, true],
  RI: [7, true],
  SC: [6, true],
  SD: [4.2, true],
  TN: [7, true],
  TX: [6.25, true],
  UT: [6.1, false],
  VT: [6, true],
  VA: [5.3, false],
  WA: [6.5, true],
  WV: [6, true],
  WI: [5, true],
  WY: [4, false],
};

const SOURCE =
  "Tax Foundation, State and Local Sales Tax Rates 2025 (state rate); SST taxability matrix (delivery)";

export function usSalesTaxRules(): TaxRateRule[] {
  return Object.entries(STATES).map(([region, [rate, shipping]]) => ({
    id: `rate_US-${region}_standard_2025-01-01`,
    country: "US",
    region,
    postalPrefix: null,
    category: "standard",
    name: "Sales tax",
    rate: String(Math.round(rate * 1000) / 100000),
    replacesNational: false,
    appliesToShipping: shipping,
    grossUp: false,
    effectiveFrom: "2025-01-01",
    effectiveTo: null,
    source: SOURCE,
  }));
}

/** A state's economic-nexus threshold: sales in USD and/or a number of transactions per year. */
export interface NexusThreshold {
  region: string;
  sales: number;
  transactions: number | null;
  /** Both the sales and the transaction thresholds must be reached (Connecticut, New York). */
  both: boolean;
  source: string;
}

const NEXUS_SOURCE =
  "Sales Tax Institute, Remote seller economic nexus chart (2025); state revenue departments";

/** Thresholds per state over the current or previous calendar year, in whole US dollars. */
const NEXUS: Record<string, [sales: number, transactions?: number, both?: boolean]> = {
  AL: [250_000],
  AZ: [100_000],
  AR: [100_000, 200],
  CA: [500_000],
  CO: [100_000],
  CT: [100_000, 200, true],
  DC: [100_000, 200],
  FL: [100_000],
  GA: [100_000, 200],
  HI: [100_000, 200],
  ID: [100_000],
  IL: [100_000],
  IN: [100_000],
  IA: [100_000],
  KS: [100_000],
  KY: [100_000, 200],
  LA: [100_000],
  ME: [100_000],
  MD: [100_000, 200],
  MA: [100_000],
  MI: [100_000, 200],
  MN: [100_000, 200],
  MS: [250_000],
  MO: [100_000],
  NE: [100_000, 200],
  NV: [100_000, 200],
  NJ: [100_000, 200],
  NM: [100_000],
  NY: [500_000, 100, true],
  NC: [100_000],
  ND: [100_000],
  OH: [100_000, 200],
  OK: [100_000],
  PA: [100_000],
  RI: [100_000, 200],
  SC: [100_000],
  SD: [100_000],
  TN: [100_000],
  TX: [500_000],
  UT: [100_000],
  VT: [100_000, 200],
  VA: [100_000, 200],
  WA: [100_000],
  WV: [100_000, 200],
  WI: [100_000],
  WY: [100_000],
};

export const US_NEXUS: NexusThreshold[] = Object.entries(NEXUS).map(([region, [sales, tx, both]]) => ({
  region,
  sales,
  transactions: tx ?? null,
  both: both ?? false,
  source: NEXUS_SOURCE,
}));
