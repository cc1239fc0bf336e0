import { allocate, money } from "../../kernel/money.ts";
import type { SellableVariant } from "../catalog/index.ts";
import type { FulfilmentPlan, LoadedLane } from "../shipping/index.ts";
import type { LandedCost, LandedCostLine, LineLandedCost } from "../tax/index.ts";

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
