/** One cart or order line as the landed-cost engine sees it. */
export interface LandedCostLine {
  id: string;
  /** After discounts, in minor units; tax-inclusive when the market's prices are. */
  amount: number;
  quantity: number;
  hsCode: string | null;
  originCountry: string | null;
  taxCategory: string;
  /** The country the line ships from (its warehouse's). */
  shipFrom: string;
}

export interface LandedCostInput {
  /** YYYY-MM-DD: the rules in force on this day apply. */
  date: string;
  currency: string;
  pricesIncludeTax: boolean;
  dutyMode: "DDP" | "DDU";
  destination: { country: string; region?: string | null; postalCode?: string | null };
  /** The country of a business buyer's validated VAT number: reverse charge where it applies. */
  buyerVatCountry?: string | null;
  lines: readonly LandedCostLine[];
  /** After discounts, in minor units; tax-inclusive like the prices. */
  shipping: number;
}

/**
 * How a line's tax is handled: sold within the country (`domestic`), to another EU country from
 * an EU warehouse (`distance_sale`, declared through OSS), imported with the seller collecting the
 * destination's tax at sale (`seller_collected`: IOSS, UK VAT, VOEC, Australian GST …), imported
 * with the tax due at the border (`import`), a business buyer accounting for it
 * (`reverse_charge`), or not collected because the store is not registered there
 * (`not_registered`, US states without a registration).
 */
export type Regime =
  | "domestic"
  | "distance_sale"
  | "seller_collected"
  | "import"
  | "reverse_charge"
  | "not_registered";

export interface LineLandedCost {
  id: string;
  goods: number;
  /** The line's share of the shipping amount. */
  shipping: number;
  shipFrom: string;
  regime: Regime;
  scheme: string | null;
  /** The combined rate of the taxes on the line (seller-collected or import). */
  taxRate: string;
  /** Tax the seller collects at sale, on the goods and on the line's shipping share. */
  tax: number;
  shippingTax: number;
  /** Import VAT/GST/ICMS due at the border. */
  importTax: number;
  duty: number;
  dutyRate: string | null;
  /** mfn, a trade agreement (RCEP …), default, de_minimis, flat or band. */
  dutyBasis: string | null;
  /** Tax the shown price already holds (tax-inclusive markets). */
  taxIncluded: number;
  /** What the checkout adds to the line's price for taxes (negative: reverse charge removes it). */
  taxAdded: number;
}

/** A tax total per rule, regime and scheme: what the reports add up. */
export interface TaxSummaryLine {
  kind: "tax" | "duty";
  /** The tax rate row it was computed with (null for duties and reverse-charge sales). */
  ruleId: string | null;
  regime: Regime;
  scheme: string | null;
  /** Where it is due: a country, "US-NY", "CA-QC", or a customs union for duties. */
  jurisdiction: string;
  /** The country the goods shipped from (an OSS return splits sales by it). */
  shipFrom: string;
  name: string;
  rate: string;
  /** The value taxed (net of the tax), or for duties the customs value the duty was charged on. */
  taxable: number;
  amount: number;
  /** Who accounts for it: the seller at sale, customs at the border, or a business buyer (reverse charge). */
  collectedBy: "seller" | "border" | "buyer";
}

export interface AppliedRule {
  id: string;
  kind: "tax_rate" | "duty_rate" | "import_rule";
  jurisdiction: string;
  name: string;
  rate: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  source: string;
}

export interface LandedCost {
  date: string;
  currency: string;
  pricesIncludeTax: boolean;
  dutyMode: "DDP" | "DDU";
  lines: LineLandedCost[];
  summary: TaxSummaryLine[];
  totals: {
    goods: number;
    shipping: number;
    /** Tax collected by the seller at sale. */
    salesTax: number;
    importTax: number;
    duties: number;
  };
  /** What the checkout charges beyond the shown prices, and the total it charges. */
  charged: { tax: number; duties: number; taxAdded: number; total: number };
  /** DDU: the estimate the carrier will collect on delivery. */
  atDelivery: number;
  rules: AppliedRule[];
  warnings: string[];
  /** A stable code when the checkout must not proceed for this destination. */
  blocked: string | null;
}
