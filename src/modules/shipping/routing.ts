import { ValidationError } from "../../kernel/errors.ts";

export interface FulfilmentLine {
  variantId: string;
  quantity: number;
}
export interface StockLevel {
  warehouseId: string;
  variantId: string;
  /** On hand minus reserved. */
  available: number;
}
/** A warehouse's lane to the destination. `cost` is in one currency for all lanes; null: unknown. */
export interface RoutingLane {
  warehouseId: string;
  cost: number | null;
  maxDays: number;
}
export interface RoutingInput {
  lines: readonly FulfilmentLine[];
  stock: readonly StockLevel[];
  lanes: readonly RoutingLane[];
}
export interface Shipment {
  warehouseId: string;
  items: FulfilmentLine[];
}
export interface FulfilmentPlan {
  shipments: Shipment[];
  shortfall: Array<{ variantId: string; missing: number }>;
}

/** Up to this many candidate warehouses the fewest shipments are found exactly (2^n subsets). */
export const EXACT_SEARCH_LIMIT = 10;

type Candidate = RoutingLane & { stock: Map<string, number> };

/** Cheaper first (an unknown cost after every known one), then faster, then by id. */
function compareLanes(a: RoutingLane, b: RoutingLane): number {
  if (a.cost !== b.cost) {
    if (a.cost === null) return 1;
    if (b.cost === null) return -1;
    return a.cost - b.cost;
  }
  return (
    a.maxDays - b.maxDays || (a.warehouseId < b.warehouseId ? -1 : a.warehouseId > b.warehouseId ? 1 : 0)
  );
}

/** Compares two sets of warehouses of equal size: total cost, then slowest lane, then ids. */
function compareSets(a: Candidate[], b: Candidate[]): number {
  const total = (s: Candidate[]) => ({
    unknown: s.filter((c) => c.cost === null).length,
    cost: s.reduce((n, c) => n + (c.cost ?? 0), 0),
    days: Math.max(...s.map((c) => c.maxDays)),
  });
  const x = total(a);
  const y = total(b);
  if (x.unknown !== y.unknown) return x.unknown - y.unknown;
  if (x.cost !== y.cost) return x.cost - y.cost;
  if (x.days !== y.days) return x.days - y.days;
  const ids = (s: Candidate[]) => s.map((c) => c.warehouseId).join("\u0000");
  return ids(a) < ids(b) ? -1 : ids(a) > ids(b) ? 1 : 0;
}

/** Units of `target` a set of warehouses can supply together. */
function coverage(set: Candidate[], target: Map<string, number>): number {
  let units = 0;
  for (const [variant, wanted] of target) {
    let have = 0;
    for (const c of set) have += c.stock.get(variant) ?? 0;
    units += Math.min(wanted, have);
  }
  return units;
}

/** Smallest subsets first; among the smallest that supply everything, the best by compareSets. */
function exactSearch(candidates: Candidate[], target: Map<string, number>, full: number): Candidate[] {
  for (let size = 1; size <= candidates.length; size++) {
    let best: Candidate[] | undefined;
    const visit = (start: number, chosen: Candidate[]) => {
      if (chosen.length === size) {
        if (coverage(chosen, target) === full && (!best || compareSets(chosen, best) < 0)) best = [...chosen];
        return;
      }
      for (let i = start; i <= candidates.length - (size - chosen.length); i++) {
        chosen.push(candidates[i]!);
        visit(i + 1, chosen);
        chosen.pop();
      }
    };
    visit(0, []);
    if (best) return best;
  }
  return candidates;
}

/** Repeatedly the warehouse adding the most units (ties by lane), then drops any that became redundant. */
function greedySearch(candidates: Candidate[], target: Map<string, number>, full: number): Candidate[] {
  const chosen: Candidate[] = [];
  let covered = 0;
  while (covered < full) {
    let pick: Candidate | undefined;
    let pickUnits = covered;
    // Candidates come sorted by lane, so on equal units the better lane stays picked.
    for (const c of candidates) {
      if (chosen.includes(c)) continue;
      const units = coverage([...chosen, c], target);
      if (units > pickUnits) [pick, pickUnits] = [c, units];
    }
    if (!pick) break;
    chosen.push(pick);
    covered = pickUnits;
  }
  for (const c of [...chosen].sort(compareLanes).reverse()) {
    const without = chosen.filter((x) => x !== c);
    if (without.length && coverage(without, target) === full) chosen.splice(chosen.indexOf(c), 1);
  }
  return chosen;
}

/**
 * Decides which warehouses ship an order to one destination. Rules:
 * 1. Only warehouses with a lane to the destination count; stock elsewhere is ignored.
 * 2. Every variant gets min(requested, available over those warehouses); the rest is shortfall.
 *    No warehouse gives more than it has available.
 * 3. A single warehouse that can supply all of that is preferred: the cheapest lane, then the
 *    fastest (max days), then the smallest warehouse id.
 * 4. Otherwise the order is split into the fewest shipments: exactly (smallest set of warehouses,
 *    ties by total lane cost, then slowest lane, then ids) for up to EXACT_SEARCH_LIMIT candidate
 *    warehouses; beyond that greedily (the warehouse adding the most units, ties as in rule 3).
 * 5. Within the chosen warehouses each variant is taken from the cheapest lane first; shipments
 *    come in that order, items in the order of the lines. Lines of the same variant are merged.
 * @example planFulfilment({ lines: [{ variantId: "v1", quantity: 2 }], stock: [{ warehouseId: "w1", variantId: "v1", available: 5 }], lanes: [{ warehouseId: "w1", cost: 500, maxDays: 3 }] })
 * // { shipments: [{ warehouseId: "w1", items: [{ variantId: "v1", quantity: 2 }] }], shortfall: [] }
 */
export function planFulfilment(input: RoutingInput): FulfilmentPlan {
  const requested = new Map<string, number>();
  for (const line of input.lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0)
      throw new ValidationError(
        "fulfilment.invalid_quantity",
        `Quantity of ${line.variantId} must be a positive integer`,
      );
    requested.set(line.variantId, (requested.get(line.variantId) ?? 0) + line.quantity);
  }
  const byWarehouse = new Map<string, Candidate>();
  for (const lane of input.lanes) {
    const seen = byWarehouse.get(lane.warehouseId);
    if (!seen || compareLanes(lane, seen) < 0)
      byWarehouse.set(lane.warehouseId, { ...lane, stock: new Map() });
  }
  for (const s of input.stock) {
    const c = byWarehouse.get(s.warehouseId);
    if (!c || !requested.has(s.variantId) || !(s.available > 0)) continue;
    c.stock.set(s.variantId, (c.stock.get(s.variantId) ?? 0) + Math.floor(s.available));
  }
  const candidates = [...byWarehouse.values()].filter((c) => c.stock.size > 0).sort(compareLanes);
  const target = new Map<string, number>();
  for (const [variant, wanted] of requested) {
    const total = candidates.reduce((n, c) => n + (c.stock.get(variant) ?? 0), 0);
    target.set(variant, Math.min(wanted, total));
  }
  const full = [...target.values()].reduce((a, b) => a + b, 0);
  const search = candidates.length <= EXACT_SEARCH_LIMIT ? exactSearch : greedySearch;
  const chosen = full === 0 ? [] : search(candidates, target, full).sort(compareLanes);

  const left = new Map(target);
  const shipments: Shipment[] = [];
  for (const c of chosen) {
    const items: FulfilmentLine[] = [];
    for (const [variantId, wanted] of left) {
      const quantity = Math.min(wanted, c.stock.get(variantId) ?? 0);
      if (quantity === 0) continue;
      items.push({ variantId, quantity });
      left.set(variantId, wanted - quantity);
    }
    if (items.length) shipments.push({ warehouseId: c.warehouseId, items });
  }
  const shortfall = [...requested]
    .map(([variantId, wanted]) => ({ variantId, missing: wanted - target.get(variantId)! }))
    .filter((s) => s.missing > 0);
  return { shipments, shortfall };
}
