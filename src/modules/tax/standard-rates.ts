/**
 * Standard VAT/GST rates per destination country, as decimal fractions, with their source.
 * The basic strategy uses these alone; per-category reduced rates, thresholds and history arrive
 * with the dedicated tax work.
 *
 * Sources: EU member states and GB from the ibericode/vat-rates dataset (MIT, 2025-08-12, which
 * compiles the European Commission's "VAT rates applied in the Member States"); the others from
 * the kdeldycke/vat-rates history (BSD-2-Clause, 2025-09-25) and the tax authorities named below.
 */
export interface StandardRate {
  rate: string;
  name: string;
  source: string;
}

const EU_SOURCE =
  "European Commission, VAT rates applied in the Member States (via ibericode/vat-rates 2025-08-12)";

const EU: Record<string, string> = {
  AT: "0.20",
  BE: "0.21",
  BG: "0.20",
  CY: "0.19",
  CZ: "0.21",
  DE: "0.19",
  DK: "0.25",
  EE: "0.24",
  ES: "0.21",
  FI: "0.255",
  FR: "0.20",
  GR: "0.24",
  HR: "0.25",
  HU: "0.27",
  IE: "0.23",
  IT: "0.22",
  LT: "0.21",
  LU: "0.17",
  LV: "0.21",
  MT: "0.18",
  NL: "0.21",
  PL: "0.23",
  PT: "0.23",
  RO: "0.21",
  SE: "0.25",
  SI: "0.22",
  SK: "0.23",
};

const OTHERS: Record<string, StandardRate> = {
  GB: { rate: "0.20", name: "VAT", source: "HMRC, VAT rates (gov.uk/vat-rates)" },
  NO: { rate: "0.25", name: "MVA", source: "Skatteetaten, merverdiavgift" },
  CH: { rate: "0.081", name: "MWST", source: "Swiss Federal Tax Administration, rates from 2024-01-01" },
  JP: { rate: "0.10", name: "Consumption tax", source: "National Tax Agency Japan, rate from 2019-10-01" },
  AU: { rate: "0.10", name: "GST", source: "Australian Taxation Office, GST" },
  NZ: { rate: "0.15", name: "GST", source: "Inland Revenue NZ, GST" },
  SG: { rate: "0.09", name: "GST", source: "IRAS, GST rate from 2024-01-01" },
  SA: { rate: "0.15", name: "VAT", source: "ZATCA, VAT rate from 2020-07-01" },
  AE: { rate: "0.05", name: "VAT", source: "UAE Federal Tax Authority, VAT" },
  // 12 % applied to a tax base of 11/12 of the price for non-luxury goods (PMK 131/2024): 11 % effective.
  ID: { rate: "0.11", name: "PPN", source: "Ministry of Finance Indonesia, PMK 131/2024" },
  CA: { rate: "0.05", name: "GST", source: "Canada Revenue Agency, GST (provincial HST/PST not included)" },
  MX: { rate: "0.16", name: "IVA", source: "SAT Mexico, Ley del IVA art. 1" },
  KR: { rate: "0.10", name: "VAT", source: "National Tax Service Korea, VAT" },
};

/** The standard rate for a destination country, or null when the basic strategy has none. */
export function standardRate(country: string): StandardRate | null {
  const eu = EU[country];
  if (eu) return { rate: eu, name: "VAT", source: EU_SOURCE };
  return OTHERS[country] ?? null;
}
