export type DiscountKind = "percentage" | "fixed_amount" | "free_shipping" | "buy_x_get_y";

/** What a discount reduces, as in Shopify's discount classes; combination rules are stated per class. */
export type DiscountClass = "product" | "order" | "shipping";

export const DISCOUNT_KINDS: readonly DiscountKind[] = [
  "percentage",
  "fixed_amount",
  "free_shipping",
  "buy_x_get_y",
];
export const DISCOUNT_CLASSES: readonly DiscountClass[] = ["product", "order", "shipping"];

/** Minor units per ISO 4217 currency: { USD: 1500, EUR: 1400 }. */
export type CurrencyAmounts = Record<string, number>;

/** Which cart lines a discount (or one side of a buy-X-get-Y) looks at. */
export type DiscountTarget =
  | { type: "all" }
  | { type: "products"; productIds: string[] }
  | { type: "collections"; collectionIds: string[] };

/** One side of a buy-X-get-Y: how many units, of which products. */
export interface BxgySide {
  quantity: number;
  target: DiscountTarget;
}

export interface CombinesWith {
  product: boolean;
  order: boolean;
  shipping: boolean;
}

/** A stored discount, as the admin API returns it and as `applyDiscounts` reads it. */
export interface Discount {
  id: string;
  /** Upper-case; null for an automatic discount. */
  code: string | null;
  title: string;
  kind: DiscountKind;
  class: DiscountClass;
  /** Basis points (1500 = 15 %): the rate of a percentage discount, or of the "get" side of a BXGY. */
  percentage: number | null;
  /** Fixed amounts per currency; a fixed discount does not apply in a currency missing here. */
  amounts: CurrencyAmounts | null;
  appliesTo: DiscountTarget;
  buy: BxgySide | null;
  get: BxgySide | null;
  maxUsesPerOrder: number | null;
  minSubtotal: CurrencyAmounts | null;
  /** Empty: every market. */
  marketIds: string[];
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  combinesWith: CombinesWith;
  active: boolean;
  timesUsed: number;
  createdAt: Date;
  updatedAt: Date;
  /** Set by `loadCandidates`: how often `customerKey` has redeemed this discount. */
  customerUsage?: { customerKey: string; uses: number };
}

/** A cart line as the cart hands it over, priced in the cart's currency. */
export interface DiscountLine {
  lineId: string;
  productId: string;
  variantId: string;
  collectionIds: readonly string[];
  quantity: number;
  /** Minor units, after price resolution. */
  unitPrice: number;
}

/** What `applyDiscounts` is asked about. */
export interface DiscountInput {
  currency: string;
  marketId: string;
  now: Date;
  /** Customer id, or the lower-cased email of a guest; needed for per-customer limits. */
  customerKey?: string;
  codes: readonly string[];
  lines: readonly DiscountLine[];
  /** Minor units; 0 while no shipping method is chosen. */
  shippingAmount: number;
}

export interface Allocation {
  discountId: string;
  amount: number;
}

export interface LineDiscount {
  lineId: string;
  /** Minor units off the line's total (unitPrice × quantity). */
  discount: number;
  allocations: Allocation[];
}

export interface AppliedDiscount {
  discountId: string;
  code: string | null;
  title: string;
  kind: DiscountKind;
  class: DiscountClass;
  amount: number;
}

export type RejectionReason =
  | "unknown"
  | "expired"
  | "not_started"
  | "market"
  | "minimum_subtotal"
  | "usage_limit"
  | "not_combinable"
  | "currency"
  | "not_applicable";

export interface RejectedCode {
  code: string;
  reason: RejectionReason;
}

/** The outcome for a cart: every amount in minor units of `currency`. */
export interface DiscountResult {
  currency: string;
  lines: LineDiscount[];
  shippingDiscount: number;
  /** The part of the line discounts that came from order-class discounts. */
  orderDiscount: number;
  /** Sum of the line discounts and the shipping discount (= sum of `applied`). */
  totalDiscount: number;
  applied: AppliedDiscount[];
  rejectedCodes: RejectedCode[];
}
