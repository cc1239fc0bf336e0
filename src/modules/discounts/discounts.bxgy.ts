import type { Discount, DiscountLine, DiscountTarget } from "./discounts.types.ts";

/** True when a cart line is one of the target's products. */
export function matchesTarget(target: DiscountTarget, line: DiscountLine): boolean {
  switch (target.type) {
    case "all":
      return true;
    case "products":
      return target.productIds.includes(line.productId);
    case "collections":
      return line.collectionIds.some((id) => target.collectionIds.includes(id));
  }
}

/** Units of one line at one price; runs are kept sorted by price, then by cart order. */
interface Run {
  line: number;
  price: number;
  quantity: number;
}

function sortRuns(runs: Run[]): Run[] {
  return runs.sort((a, b) => a.price - b.price || a.line - b.line);
}

const total = (runs: readonly Run[]) => runs.reduce((n, r) => n + r.quantity, 0);

/** Price of the unit at 0-based position `index` of the runs (cheapest first). */
function priceAt(runs: readonly Run[], index: number): number {
  let left = index;
  for (const run of runs) {
    if (left < run.quantity) return run.price;
    left -= run.quantity;
  }
  throw new RangeError(`No unit at ${index}`);
}

/** Adds the `count` cheapest units of the runs to `out` (units per line index). */
function takeCheapest(runs: readonly Run[], count: number, out: Map<number, number>): void {
  let left = count;
  for (const run of runs) {
    if (left === 0) return;
    const n = Math.min(left, run.quantity);
    out.set(run.line, (out.get(run.line) ?? 0) + n);
    left -= n;
  }
}

/**
 * The units a buy-X-get-Y discounts, per line index. Rule: first the largest number of
 * applications k (each needs `buy.quantity` units of the buy products and `get.quantity` other
 * units of the get products, at most `maxUsesPerOrder` times); then, among the ways to pick the
 * k × get.quantity discounted units, the cheapest ones (ties: earlier cart line first).
 *
 * Units that are both buyable and gettable ("both") may serve either side. With x of the
 * discounted units taken from "both" and the rest from the get-only units, the cost is the sum
 * of the x cheapest "both" units and the (need − x) cheapest get-only units; its step from x to
 * x + 1 only grows with x, so the cheapest choice is the first x where that step is ≥ 0.
 */
export function bxgyUnits(discount: Discount, lines: readonly DiscountLine[]): Map<number, number> {
  const out = new Map<number, number>();
  if (!discount.buy || !discount.get) return out;
  const buyOnly: Run[] = [];
  const getOnly: Run[] = [];
  const both: Run[] = [];
  lines.forEach((line, i) => {
    const isBuy = matchesTarget(discount.buy!.target, line);
    const isGet = matchesTarget(discount.get!.target, line);
    const run = { line: i, price: line.unitPrice, quantity: line.quantity };
    if (isBuy && isGet) both.push(run);
    else if (isBuy) buyOnly.push(run);
    else if (isGet) getOnly.push(run);
  });
  sortRuns(both);
  sortRuns(getOnly);
  const [nb, ng, nbg] = [total(buyOnly), total(getOnly), total(both)];
  const b = discount.buy.quantity;
  const g = discount.get.quantity;
  const k = Math.min(
    Math.floor((ng + nbg) / g),
    Math.floor((nb + nbg) / b),
    Math.floor((nb + ng + nbg) / (b + g)),
    discount.maxUsesPerOrder ?? Number.POSITIVE_INFINITY,
  );
  if (k <= 0) return out;
  const need = k * g;
  const xMin = Math.max(0, need - ng);
  const xMax = Math.min(nbg, nb + nbg - k * b, need);
  // Smallest x in [xMin, xMax) whose step is ≥ 0, else xMax.
  let lo = xMin;
  let hi = xMax;
  while (lo < hi) {
    const x = Math.floor((lo + hi) / 2);
    if (priceAt(both, x) - priceAt(getOnly, need - x - 1) >= 0) hi = x;
    else lo = x + 1;
  }
  takeCheapest(both, lo, out);
  takeCheapest(getOnly, need - lo, out);
  return out;
}
