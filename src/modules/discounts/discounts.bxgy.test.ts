import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bxgyUnits, matchesTarget } from "./discounts.bxgy.ts";
import { discount, line } from "./discounts.fixtures.ts";
import type { DiscountLine, DiscountTarget } from "./discounts.types.ts";

const target: fc.Arbitrary<DiscountTarget> = fc.oneof(
  fc.constant({ type: "all" as const }),
  fc
    .subarray(["a", "b", "c"], { minLength: 1 })
    .map((productIds) => ({ type: "products" as const, productIds })),
);

/**
 * Every way to give each unit a role (buy, get or neither): the most applications k, then the
 * cheapest total price of the k × G discounted units.
 */
function bruteForce(
  lines: DiscountLine[],
  buy: { quantity: number; target: DiscountTarget },
  get: typeof buy,
) {
  const units = lines.flatMap((l) => Array.from({ length: l.quantity }, () => l));
  let best = { k: 0, cost: 0 };
  const roles: number[] = new Array(units.length).fill(0);
  const visit = (i: number) => {
    if (i === units.length) {
      const buys = units.filter((_, j) => roles[j] === 1).length;
      const gets = units.filter((_, j) => roles[j] === 2);
      if (gets.length % get.quantity !== 0) return;
      const k = gets.length / get.quantity;
      if (buys < k * buy.quantity) return;
      const cost = gets.reduce((n, u) => n + u.unitPrice, 0);
      if (k > best.k || (k === best.k && cost < best.cost)) best = { k, cost };
      return;
    }
    for (const role of [0, 1, 2]) {
      if (role === 1 && !matchesTarget(buy.target, units[i]!)) continue;
      if (role === 2 && !matchesTarget(get.target, units[i]!)) continue;
      roles[i] = role;
      visit(i + 1);
    }
    roles[i] = 0;
  };
  visit(0);
  return best;
}

describe("buy X get Y unit selection", () => {
  it("finds the most applications and, for those, the cheapest units (exhaustive check)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            product: fc.constantFrom("a", "b", "c"),
            quantity: fc.integer({ min: 1, max: 3 }),
            price: fc.integer({ min: 1, max: 50 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.record({ quantity: fc.integer({ min: 1, max: 2 }), target }),
        fc.record({ quantity: fc.integer({ min: 1, max: 2 }), target }),
        (spec, buy, get) => {
          const lines = spec.map((s, i) => line(`l${i}`, s.product, s.price, s.quantity));
          const units = bxgyUnits(discount({ kind: "buy_x_get_y", buy, get }), lines);
          const given = [...units.values()].reduce((n, u) => n + u, 0);
          const cost = [...units].reduce((n, [i, u]) => n + u * lines[i]!.unitPrice, 0);
          const expected = bruteForce(lines, buy, get);
          expect({ k: given / get.quantity, cost }).toEqual(expected);
          for (const [i, u] of units) expect(u).toBeLessThanOrEqual(lines[i]!.quantity);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it("counts huge quantities without listing units", () => {
    const socks = { type: "products" as const, productIds: ["s"] };
    const d = discount({
      kind: "buy_x_get_y",
      buy: { quantity: 2, target: socks },
      get: { quantity: 1, target: socks },
    });
    expect(bxgyUnits(d, [line("x", "s", 100, 3_000_000_000)])).toEqual(new Map([[0, 1_000_000_000]]));
  });
});
