import { cached } from "../../kernel/config-cache.ts";
import type { Ctx } from "../../kernel/context.ts";
import type { SellableVariant } from "../catalog/index.ts";
import {
  type FulfilmentPlan,
  type LoadedLane,
  loadRoutingInput,
  planFulfilment,
  type RoutingLane,
  type StockLevel,
} from "../shipping/index.ts";

/** Lanes and their converted costs are configuration: cached per day like other store settings. */
export async function lanesTo(ctx: Ctx, country: string, day: string): Promise<LoadedLane[]> {
  const { lanes } = await cached(ctx, `lanes:${country}:${day}`, () =>
    loadRoutingInput(ctx, { country, variantIds: [] }),
  );
  return lanes;
}

/**
 * Stock as it stands, without locks, from the variants as loaded (their stock per warehouse):
 * routing for cart views and product pages costs no statement of its own.
 */
export function currentStock(
  variants: ReadonlyMap<string, SellableVariant>,
): (variantIds: string[]) => Promise<StockLevel[]> {
  return async (variantIds) =>
    variantIds.flatMap((variantId) =>
      (variants.get(variantId)?.stock ?? []).map((s) => ({
        variantId,
        warehouseId: s.warehouseId,
        available: s.available,
      })),
    );
}

/** Stock read under the checkout's locks, for the variants routing asks about. */
export function lockedLevels(levels: readonly StockLevel[]): (variantIds: string[]) => Promise<StockLevel[]> {
  return async (variantIds) => levels.filter((l) => variantIds.includes(l.variantId));
}

/**
 * Units of variants that may be backordered but found no stock: they join a shipment from a
 * warehouse that keeps the variant and has a lane to the buyer, one already in the plan first,
 * else the cheapest (then fastest) lane.
 */
function placeBackorders(
  plan: FulfilmentPlan,
  stock: readonly StockLevel[],
  lanes: readonly RoutingLane[],
  backorderable: (variantId: string) => boolean,
): FulfilmentPlan {
  const ranked = [...lanes].sort(
    (a, b) =>
      (a.cost ?? Number.MAX_SAFE_INTEGER) - (b.cost ?? Number.MAX_SAFE_INTEGER) || a.maxDays - b.maxDays,
  );
  const shipments = plan.shipments.map((s) => ({ ...s, items: s.items.map((i) => ({ ...i })) }));
  const shortfall: FulfilmentPlan["shortfall"] = [];
  for (const short of plan.shortfall) {
    const keeps = (warehouseId: string) =>
      stock.some((s) => s.variantId === short.variantId && s.warehouseId === warehouseId);
    const laned = ranked.filter((l) => keeps(l.warehouseId)).map((l) => l.warehouseId);
    const target = laned.find((w) => shipments.some((s) => s.warehouseId === w)) ?? laned[0];
    if (!backorderable(short.variantId) || !target) {
      shortfall.push(short);
      continue;
    }
    let shipment = shipments.find((s) => s.warehouseId === target);
    if (!shipment) {
      shipment = { warehouseId: target, items: [] };
      shipments.push(shipment);
    }
    const item = shipment.items.find((i) => i.variantId === short.variantId);
    if (item) item.quantity += short.missing;
    else shipment.items.push({ variantId: short.variantId, quantity: short.missing });
  }
  return { shipments, shortfall };
}

/** Routes the lines over the lanes with the given stock, backorders placed where allowed. */
export async function route(
  lanes: LoadedLane[],
  lines: readonly { variantId: string; quantity: number }[],
  stockOf: (variantIds: string[]) => Promise<StockLevel[]>,
  backorderable: (variantId: string) => boolean,
): Promise<FulfilmentPlan> {
  const wanted = lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity }));
  const variantIds = [...new Set(wanted.map((l) => l.variantId))];
  const stock = await stockOf(variantIds);
  const plan = planFulfilment({ lines: wanted, stock: stock.filter((s) => s.available > 0), lanes });
  return placeBackorders(plan, stock, lanes, backorderable);
}
