import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { allocate, money } from "../../kernel/money.ts";
import { type SellableVariant, sellableVariants, storeScope } from "../catalog/index.ts";
import { loadPricingContext } from "../pricing/index.ts";
import type { FulfilmentPlan, LoadedLane } from "../shipping/index.ts";
import {
  type LandedCost,
  type LandedCostLine,
  type LineLandedCost,
  landedCost,
  loadRuleSet,
} from "../tax/index.ts";
import { currentStock, lanesTo, route } from "./cart.routing.ts";

interface LineForTax {
  id: string;
  variantId: string;
  quantity: number;
  /** After discounts. */
  amount: number;
}

/**
 * The cart's lines as the landed-cost engine needs them: each split by the warehouses that ship
 * it (a routed plan), or, before routing, as shipped from the warehouse with the cheapest lane to
 * the destination, the one routing prefers.
 */
export function linesForTax(
  lines: readonly LineForTax[],
  variants: Map<string, SellableVariant>,
  plan: FulfilmentPlan | null,
  lanes: readonly LoadedLane[],
  destination: string,
  currency: string,
): LandedCostLine[] {
  const countryOf = new Map(lanes.map((l) => [l.warehouseId, l.warehouseCountry]));
  const preferred = [...lanes].sort(
    (a, b) =>
      (a.cost ?? Number.MAX_SAFE_INTEGER) - (b.cost ?? Number.MAX_SAFE_INTEGER) || a.maxDays - b.maxDays,
  )[0];
  const fallback = preferred?.warehouseCountry ?? destination;
  return lines.flatMap((l) => {
    const v = variants.get(l.variantId);
    const base = {
      hsCode: v?.hsCode ?? null,
      originCountry: v?.originCountry ?? null,
      taxCategory: v?.taxCategory ?? "standard",
    };
    const parts = (plan?.shipments ?? []).flatMap((s) =>
      s.items
        .filter((i) => i.variantId === l.variantId)
        .map((i) => ({ country: countryOf.get(s.warehouseId) ?? fallback, quantity: i.quantity })),
    );
    if (parts.length <= 1)
      return [
        {
          ...base,
          id: l.id,
          amount: l.amount,
          quantity: l.quantity,
          shipFrom: parts[0]?.country ?? fallback,
        },
      ];
    const amounts = allocate(
      money(l.amount, currency),
      parts.map((p) => p.quantity),
    );
    return parts.map((p, i) => ({
      ...base,
      id: `${l.id}#${i}`,
      amount: amounts[i]!.amount,
      quantity: p.quantity,
      shipFrom: p.country,
    }));
  });
}

/** A cart line's share of the landed cost, its split parts added back together. */
export interface LineTaxes {
  tax: number;
  taxRate: string;
  duty: number;
  /** Tax added to the goods' price beyond it (exclusive prices, or import tax on duty). */
  taxAdded: number;
}

export function taxesByLine(landed: LandedCost): Map<string, LineTaxes> {
  const out = new Map<string, LineTaxes>();
  const ddp = landed.dutyMode === "DDP";
  for (const l of landed.lines) {
    const id = l.id.split("#")[0]!;
    const prev = out.get(id) ?? { tax: 0, taxRate: l.taxRate, duty: 0, taxAdded: 0 };
    out.set(id, {
      tax: prev.tax + l.tax + (ddp ? l.importTax : 0),
      taxRate: prev.taxRate,
      duty: prev.duty + (ddp ? l.duty : 0),
      taxAdded: prev.taxAdded + goodsTaxAdded(l, landed.pricesIncludeTax),
    });
  }
  return out;
}

/** The tax added to the line's goods: what the engine adds, less the part on its shipping share. */
function goodsTaxAdded(l: LineLandedCost, pricesIncludeTax: boolean): number {
  return pricesIncludeTax ? l.taxAdded : l.taxAdded - l.shippingTax;
}

/** How a product page may present the price in a market. */
export type PriceNotice =
  /** DDP: the landed price holds every tax and duty; nothing more at checkout or at the door. */
  | "duties_and_taxes_included"
  /** Prices without tax (US, Canada): tax depends on the address and is added at checkout. */
  | "taxes_added_at_checkout"
  /** DDU: the carrier collects `atDelivery` from the buyer. */
  | "duties_and_taxes_due_on_delivery";

export interface VariantLandedCost {
  variantId: string;
  quantity: number;
  currency: string;
  /** The shown price × quantity. */
  price: number;
  /** What the buyer pays for the goods at checkout (shipping aside). */
  landedPrice: number;
  notice: PriceNotice;
  landedCost: LandedCost;
}

/**
 * The landed cost of buying a variant in a market and country, for product pages: shipped from
 * the warehouse with the cheapest lane to the country, without shipping.
 * @example await variantLandedCost(ctx, { market: "gb", country: "GB", variant: "CK-JACKET", quantity: 1 })
 */
export async function variantLandedCost(
  ctx: Ctx,
  q: { market: string; country: string; region?: string; variant: string; quantity: number; locale?: string },
): Promise<VariantLandedCost> {
  const pricing = await loadPricingContext(ctx, q.market);
  if (!pricing.market.countries.includes(q.country))
    throw new ValidationError(
      "landed_cost.country_not_in_market",
      `${q.country} is not in market ${q.market}`,
    );
  const scope = storeScope(pricing, q.locale ?? pricing.market.locales[0]!);
  const [variant] = await sellableVariants(ctx, scope, [q.variant]);
  if (!variant?.sellable || !variant.price) throw new NotFoundError("variant", q.variant);
  const day = new Date().toISOString().slice(0, 10);
  const currency = pricing.market.currency;
  const price = variant.price.amount * q.quantity;
  const wanted = [{ id: variant.id, variantId: variant.id, quantity: q.quantity, amount: price }];
  const lanes = await lanesTo(ctx, q.country, day);
  const plan = await route(
    lanes,
    wanted,
    currentStock(new Map([[variant.id, variant]])),
    () => variant.allowBackorder,
  );
  const lines = linesForTax(wanted, new Map([[variant.id, variant]]), plan, lanes, q.country, currency);
  const { market } = pricing;
  const landed = landedCost(
    {
      date: day,
      currency,
      pricesIncludeTax: market.taxInclusive,
      dutyMode: market.dutyMode,
      destination: { country: q.country, region: q.region ?? null },
      lines,
      shipping: 0,
    },
    await loadRuleSet(ctx, q.country, currency, day),
  );
  if (landed.blocked) throw new ValidationError(landed.blocked, `No landed cost for ${q.country}`);
  return {
    variantId: variant.id,
    quantity: q.quantity,
    currency,
    price,
    landedPrice: landed.charged.total,
    notice:
      market.dutyMode === "DDU"
        ? "duties_and_taxes_due_on_delivery"
        : market.taxInclusive
          ? "duties_and_taxes_included"
          : "taxes_added_at_checkout",
    landedCost: landed,
  };
}
