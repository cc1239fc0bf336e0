/**
 * The rules the landed-cost engine works from. Every rule carries the dates it is in force and
 * the official source of its figure; an order keeps the rules it was computed with.
 */

/** Product tax categories that rates may differ by; anything else is taxed as `standard`. */
export const TAX_CATEGORIES = ["standard", "food", "books", "children_clothing", "medical"] as const;
export type TaxCategory = (typeof TAX_CATEGORIES)[number];

interface Dated {
  id: string;
  /** First day in force, YYYY-MM-DD. */
  effectiveFrom: string;
  /** First day no longer in force, or null while it is. */
  effectiveTo: string | null;
  source: string;
}

/** How a country's taxes are computed and rounded. */
export interface Jurisdiction {
  country: string;
  /** A customs union whose duty table and thresholds apply (e.g. "EU"). */
  customsUnion: string | null;
  /** Round each line's tax, or the document's total per rate once (then spread over the lines). */
  rounding: "line" | "document";
  /** Duty is charged on the cost of transport too (CIF valuation), not only the goods (FOB). */
  dutyOnShipping: boolean;
  source: string;
}

/**
 * A tax rate of a country, or of a region within it (`region`: a state or province code). A
 * regional rate adds to the national one unless `replacesNational` (Canadian HST). US local
 * rates are regional rows narrowed by `postalPrefix`.
 */
export interface TaxRateRule extends Dated {
  country: string;
  region: string | null;
  postalPrefix: string | null;
  category: TaxCategory;
  name: string;
  rate: string;
  replacesNational: boolean;
  appliesToShipping: boolean;
  /** The tax is part of its own base ("por dentro", Brazil's ICMS): base × r / (1 − r). */
  grossUp: boolean;
}

/**
 * An ad valorem duty for goods entering `country` (a country or a customs union such as "EU")
 * whose HS code starts with `hsPrefix` (6, 4 or 2 digits; "" is the country's default). With
 * `agreement` it is a preferential rate for goods originating in a member of that agreement.
 * `valueUpTo`/`deduction` make value bands (Brazil's and Indonesia's postal regimes): the row
 * applies to consignments up to that value, and `deduction` comes off the duty.
 */
export interface DutyRateRule extends Dated {
  country: string;
  hsPrefix: string;
  agreement: string | null;
  rate: string;
  valueUpTo: MoneyFigure | null;
  deduction: MoneyFigure | null;
  /** Set when the tariff line also has a specific duty (per kg, per pair) not computed here. */
  specific: string | null;
}

export interface MoneyFigure {
  amount: number;
  currency: string;
}

export const IMPORT_RULE_KINDS = [
  "duty_exempt_up_to",
  "tax_exempt_up_to",
  "seller_collects_up_to",
  "flat_duty_up_to",
  "valuation_factor",
] as const;
export type ImportRuleKind = (typeof IMPORT_RULE_KINDS)[number];

/**
 * A threshold or valuation rule for imports into `country` (or a customs union):
 * - `duty_exempt_up_to` / `tax_exempt_up_to`: de-minimis; no duty / import tax at or below `value`
 *   (`basis: "tax_amount"`: when the tax itself would be at most `value`, as in Switzerland);
 * - `seller_collects_up_to`: the seller charges the destination's VAT/GST at sale when registered
 *   for `scheme` (IOSS, UK VAT, VOEC, Australian GST …), and no import tax is due;
 * - `flat_duty_up_to`: consignments at or below `value` pay `flat` per distinct tariff subheading
 *   instead of ad valorem duty (the EU's small-parcel duty);
 * - `valuation_factor`: the customs value is `factor` × the price (Japan's personal imports).
 * `perItem`: compared with each unit's value instead of the consignment's.
 */
export interface ImportRule extends Dated {
  country: string;
  kind: ImportRuleKind;
  value: MoneyFigure | null;
  basis: "goods" | "goods_and_shipping" | "tax_amount";
  perItem: boolean;
  scheme: string | null;
  flat: MoneyFigure | null;
  factor: string | null;
}

/** A trade agreement: preferential duty for goods originating in a member, entering a member. */
export interface TradeAgreement {
  code: string;
  name: string;
  members: { country: string; from: string }[];
  source: string;
}

/** The store's tax registrations: collection happens only where one is in force. */
export interface Registration extends Omit<Dated, "source"> {
  /** A country, a US state as "US-CA", or "EU" for the union schemes. */
  jurisdiction: string;
  scheme: string;
  number: string;
}
