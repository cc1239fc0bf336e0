import type { FxQuote } from "../markets/index.ts";

/** A postal address as validated at checkout (see customers' validateAddress). */
export interface OrderAddress {
  firstName: string;
  lastName: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  province?: string;
  postalCode?: string;
  country: string;
  phone?: string;
}

export interface OrderShippingMethod {
  methodId: string;
  code: string;
  name: string;
  carrier: string;
  amount: number;
  discount: number;
  estimate: { minDays: number; maxDays: number } | null;
}

/** The warehouses an order ships from, as routed at checkout. */
export interface PlannedShipment {
  warehouseId: string;
  items: { variantId: string; quantity: number }[];
}

export interface AppliedDiscount {
  discountId: string;
  code?: string | null;
  title: string;
  amount: number;
}

/** What the order was computed with, kept for audits, returns and tax reports. */
export interface OrderSnapshot {
  baseCurrency: string;
  fx: FxQuote | null;
  /** The landed cost the order was computed with (rules, regimes, duties, warnings). */
  tax: { strategy: string; buyerVatId: string | null; landedCost: unknown };
  discounts: AppliedDiscount[];
  shipments: PlannedShipment[];
}

export interface OrderLineInput {
  variantId: string;
  productId: string;
  sku: string;
  title: string;
  variantTitle: string;
  quantity: number;
  unitPrice: number;
  compareAtPrice: number | null;
  discount: number;
  tax: number;
  taxRate: string;
  duty: number;
  total: number;
  priceSource: unknown;
  hsCode: string | null;
  originCountry: string | null;
  weightGrams: number | null;
}

export interface OrderInput {
  id: string;
  cartId: string | null;
  marketId: string;
  currency: string;
  locale: string;
  customerId: string | null;
  email: string;
  pricesIncludeTax: boolean;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  dutyTotal: number;
  total: number;
  shippingAddress: OrderAddress;
  billingAddress: OrderAddress | null;
  shippingMethod: OrderShippingMethod;
  snapshot: OrderSnapshot;
  lines: OrderLineInput[];
}
