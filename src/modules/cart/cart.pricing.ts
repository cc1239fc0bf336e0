import type { Ctx } from "../../kernel/context.ts";
import { type SellableVariant, sellableVariantsWith, storeScope } from "../catalog/index.ts";
import { applyDiscounts, type DiscountResult, loadCandidates } from "../discounts/index.ts";
import { type LockedStock, lockStockPart } from "../inventory/index.ts";
import { loadPricingContext, type PricingContext } from "../pricing/index.ts";
import {
  type FulfilmentPlan,
  type LoadedLane,
  type ShippingOption,
  shippingOptions,
} from "../shipping/index.ts";
import { type LandedCost, landedCost, loadRuleSet, validateVatId } from "../tax/index.ts";
import { linesForTax, taxesByLine } from "./cart.landed.ts";
import { currentStock, lanesTo, lockedLevels, route } from "./cart.routing.ts";
import type { carts, StoredCartLine } from "./cart.schema.ts";

export type CartRow = typeof carts.$inferSelect;

export type LineIssue = "unavailable" | "insufficient_stock";

export interface PricedLine {
  id: string;
  variantId: string;
  productId: string;
  sku: string;
  title: string;
  variantTitle: string;
  image: string | null;
  quantity: number;
  unitPrice: number;
  compareAtPrice: number | null;
  /** The unit price stored when the line last changed; differs from unitPrice after a price change. */
  snapshotPrice: number;
  subtotal: number;
  discount: number;
  /** Tax due on the line (collected at sale, or import tax charged at checkout in DDP markets). */
  tax: number;
  taxRate: string;
  /** Duty charged at checkout (DDP markets). */
  duty: number;
  total: number;
  available: number;
  issue: LineIssue | null;
}

/** Why a cart cannot be completed yet, as stable codes. */
export type CartIssue =
  | "cart.empty"
  | "cart.email_required"
  | "cart.shipping_address_required"
  | "cart.shipping_method_required"
  | "cart.no_shipping_to_country"
  | "cart.unavailable_items"
  | "cart.insufficient_stock"
  | "cart.prices_changed"
  | "cart.discount_code_rejected"
  | "cart.tax_unsupported_destination"
  | "cart.duty_data_missing";

export interface PricedCart {
  cart: CartRow;
  pricing: PricingContext;
  lines: PricedLine[];
  variants: Map<string, SellableVariant>;
  discounts: DiscountResult;
  shippingOptions: ShippingOption[];
  shippingMethod: (ShippingOption & { discount: number }) | null;
  plan: FulfilmentPlan | null;
  /** Taxes, duties and landed cost with the rules used; DDU estimates in `atDelivery`. */
  tax: LandedCost;
  totals: {
    subtotal: number;
    discount: number;
    shipping: number;
    tax: number;
    duties: number;
    total: number;
  };
  weightGrams: number;
  issues: CartIssue[];
}

export interface PriceOptions {
  /**
   * Locks every stock level of the cart's variants (in the statement that loads them) and routes
   * the order with that stock, so shipping estimates come from the lanes of the chosen
   * warehouses: the checkout's view. Without it, as in cart views, the estimate spans every lane
   * to the country and nothing is routed.
   */
  lockStock?: boolean;
  /** Already loaded by the caller, to save the statements. */
  pricing?: PricingContext;
  variants?: SellableVariant[];
  now?: Date;
}

/** The registration country of a business buyer's VAT number (validated when it was set). */
function buyerVatCountry(vatId: string | null): string | null {
  const check = vatId ? validateVatId(vatId) : null;
  return check?.valid ? check.country : null;
}

/** The customer key discounts count uses by: the customer id, else the guest's email. */
export function customerKey(cart: Pick<CartRow, "customerId" | "email">): string | undefined {
  return cart.customerId ?? cart.email ?? undefined;
}

function lineTotals(stored: StoredCartLine, v: SellableVariant | undefined): PricedLine {
  const unitPrice = v?.price?.amount ?? stored.unitPrice;
  const issue: LineIssue | null = !v?.sellable
    ? "unavailable"
    : !v.allowBackorder && v.available < stored.quantity
      ? "insufficient_stock"
      : null;
  return {
    id: stored.id,
    variantId: stored.variantId,
    productId: v?.productId ?? "",
    sku: v?.sku ?? "",
    title: v?.title ?? "",
    variantTitle: v?.variantTitle ?? "",
    image: v?.image ?? null,
    quantity: stored.quantity,
    unitPrice,
    compareAtPrice: v?.price?.compareAtAmount ?? null,
    snapshotPrice: stored.unitPrice,
    subtotal: unitPrice * stored.quantity,
    discount: 0,
    tax: 0,
    taxRate: "0",
    duty: 0,
    total: unitPrice * stored.quantity,
    available: v?.available ?? 0,
    issue,
  };
}

/**
 * Prices a cart the one way both the storefront and the checkout see it: live market prices,
 * discounts, shipping options for the routed warehouses, taxes and totals, plus what still
 * blocks completion.
 */
export async function priceCart(ctx: Ctx, cart: CartRow, opts: PriceOptions = {}): Promise<PricedCart> {
  const now = opts.now ?? new Date();
  const pricing = opts.pricing ?? (await loadPricingContext(ctx, cart.marketId));
  const scope = storeScope(pricing, cart.locale);
  const wanted = new Set(cart.lines.map((l) => l.variantId));
  const preloaded = opts.lockStock ? undefined : opts.variants?.filter((v) => wanted.has(v.id));
  const { variants: found, also: locked } =
    preloaded && preloaded.length === wanted.size
      ? { variants: preloaded, also: null }
      : await sellableVariantsWith<LockedStock[]>(
          ctx,
          scope,
          [...wanted],
          opts.lockStock ? lockStockPart([...wanted]) : undefined,
        );
  const variants = new Map(found.map((v) => [v.id, v]));
  const lines = cart.lines.map((l) => lineTotals(l, variants.get(l.variantId)));
  const payable = lines.filter((l) => l.issue !== "unavailable");
  const weightGrams = payable.reduce(
    (s, l) => s + (variants.get(l.variantId)?.weightGrams ?? 0) * l.quantity,
    0,
  );

  const candidates = await loadCandidates(ctx, {
    marketId: pricing.market.id,
    codes: cart.discountCodes,
    now,
    customerKey: customerKey(cart),
  });
  const discountInput = {
    currency: cart.currency,
    marketId: pricing.market.id,
    now,
    customerKey: customerKey(cart),
    codes: cart.discountCodes,
    lines: payable.map((l) => ({
      lineId: l.id,
      productId: l.productId,
      variantId: l.variantId,
      collectionIds: variants.get(l.variantId)?.collectionIds ?? [],
      quantity: l.quantity,
      unitPrice: l.unitPrice,
    })),
  };
  // Free-shipping thresholds look at the discounted subtotal, and shipping discounts need the rate.
  const goodsOnly = applyDiscounts({ ...discountInput, shippingAmount: 0 }, candidates);
  const goodsSubtotal = payable.reduce((s, l) => s + l.subtotal, 0);
  const goodsDiscount = goodsOnly.lines.reduce((s, l) => s + l.discount, 0);

  const address = cart.shippingAddress;
  const day = now.toISOString().slice(0, 10);
  let plan: FulfilmentPlan | null = null;
  let taxPlan: FulfilmentPlan | null = null;
  let options: ShippingOption[] = [];
  let lanes: LoadedLane[] = [];
  if (address && payable.length > 0) {
    lanes = await lanesTo(ctx, address.country, day);
    const backorderable = (id: string) => variants.get(id)?.allowBackorder ?? false;
    if (opts.lockStock) plan = await route(lanes, payable, lockedLevels(locked ?? []), backorderable);
    // Not routed for shipping (the estimate spans the lanes), but taxes follow the likely route.
    else taxPlan = await route(lanes, payable, currentStock(variants), backorderable);
    options = await shippingOptions(ctx, {
      marketId: pricing.market.id,
      country: address.country,
      currency: cart.currency,
      weightGrams,
      subtotal: goodsSubtotal - goodsDiscount,
      warehouseIds: plan?.shipments.map((s) => s.warehouseId),
      locales: scope.chain,
    });
  }
  const chosen = options.find((o) => o.methodId === cart.shippingMethodId) ?? null;
  const discounts = applyDiscounts({ ...discountInput, shippingAmount: chosen?.amount ?? 0 }, candidates);
  const lineDiscount = new Map(discounts.lines.map((l) => [l.lineId, l.discount]));
  for (const l of payable) l.discount = lineDiscount.get(l.id) ?? 0;

  const shipping = (chosen?.amount ?? 0) - discounts.shippingDiscount;
  const country = address?.country ?? pricing.market.countries[0] ?? "";
  const tax = landedCost(
    {
      date: day,
      currency: cart.currency,
      pricesIncludeTax: pricing.market.taxInclusive,
      dutyMode: pricing.market.dutyMode,
      destination: { country, region: address?.province ?? null, postalCode: address?.postalCode ?? null },
      buyerVatCountry: buyerVatCountry(cart.buyerVatId),
      lines: linesForTax(
        payable.map((l) => ({ ...l, amount: l.subtotal - l.discount })),
        variants,
        plan ?? taxPlan,
        lanes,
        country,
        cart.currency,
      ),
      shipping,
    },
    await loadRuleSet(ctx, country, cart.currency, day),
  );
  const byLine = taxesByLine(tax);
  for (const l of payable) {
    const t = byLine.get(l.id);
    l.tax = t?.tax ?? 0;
    l.taxRate = t?.taxRate ?? "0";
    l.duty = t?.duty ?? 0;
    l.total = l.subtotal - l.discount + (t?.taxAdded ?? 0) + l.duty;
  }
  const subtotal = payable.reduce((s, l) => s + l.subtotal, 0);
  const discount = payable.reduce((s, l) => s + l.discount, 0);
  const totals = {
    subtotal,
    discount,
    shipping,
    tax: tax.charged.tax,
    duties: tax.charged.duties,
    total: subtotal - discount + shipping + tax.charged.taxAdded + tax.charged.duties,
  };
  return {
    cart,
    pricing,
    lines,
    variants,
    discounts,
    shippingOptions: options,
    shippingMethod: chosen ? { ...chosen, discount: discounts.shippingDiscount } : null,
    plan,
    tax,
    totals,
    weightGrams,
    issues: issuesOf(cart, lines, options, chosen, plan, discounts, tax),
  };
}

function issuesOf(
  cart: CartRow,
  lines: PricedLine[],
  options: ShippingOption[],
  chosen: ShippingOption | null,
  plan: FulfilmentPlan | null,
  discounts: DiscountResult,
  tax: LandedCost,
): CartIssue[] {
  const issues: CartIssue[] = [];
  if (lines.length === 0) issues.push("cart.empty");
  if (!cart.email) issues.push("cart.email_required");
  if (!cart.shippingAddress) issues.push("cart.shipping_address_required");
  else if (lines.length > 0 && options.length === 0) issues.push("cart.no_shipping_to_country");
  else if (lines.length > 0 && !chosen) issues.push("cart.shipping_method_required");
  if (lines.some((l) => l.issue === "unavailable")) issues.push("cart.unavailable_items");
  if (lines.some((l) => l.issue === "insufficient_stock") || (plan && plan.shortfall.length > 0))
    issues.push("cart.insufficient_stock");
  if (lines.some((l) => l.issue === null && l.unitPrice !== l.snapshotPrice))
    issues.push("cart.prices_changed");
  // A code that no longer applies (used up meanwhile, expired) would silently raise the total.
  if (discounts.rejectedCodes.length > 0) issues.push("cart.discount_code_rejected");
  if (tax.blocked === "tax.unsupported_destination") issues.push("cart.tax_unsupported_destination");
  else if (tax.blocked) issues.push("cart.duty_data_missing");
  return issues;
}
