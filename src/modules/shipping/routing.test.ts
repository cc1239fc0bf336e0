import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXACT_SEARCH_LIMIT, type FulfilmentPlan, planFulfilment, type RoutingInput } from "./routing.ts";

const lane = (warehouseId: string, cost: number | null, maxDays = 5) => ({ warehouseId, cost, maxDays });
const stock = (warehouseId: string, levels: Record<string, number>) =>
  Object.entries(levels).map(([variantId, available]) => ({ warehouseId, variantId, available }));
const lines = (quantities: Record<string, number>) =>
  Object.entries(quantities).map(([variantId, quantity]) => ({ variantId, quantity }));

describe("planFulfilment", () => {
  it("ships from one warehouse that has everything, even when a split would use cheaper lanes", () => {
    const plan = planFulfilment({
      lines: lines({ a: 2, b: 1 }),
      stock: [...stock("w1", { a: 2, b: 1 }), ...stock("w2", { a: 5 }), ...stock("w3", { b: 5 })],
      lanes: [lane("w1", 900), lane("w2", 300), lane("w3", 300)],
    });
    expect(plan).toEqual({
      shipments: [{ warehouseId: "w1", items: lines({ a: 2, b: 1 }) }],
      shortfall: [],
    });
  });

  it("picks the cheapest lane among single warehouses, then the fastest, then the smallest id", () => {
    const everything = (w: string) => stock(w, { a: 9 });
    const plan = (lanes: RoutingInput["lanes"]) =>
      planFulfilment({
        lines: lines({ a: 1 }),
        stock: lanes.flatMap((l) => everything(l.warehouseId)),
        lanes,
      }).shipments[0]!.warehouseId;
    expect(plan([lane("w1", 900), lane("w2", 500), lane("w3", 700)])).toBe("w2");
    expect(plan([lane("w1", 500, 7), lane("w2", 500, 4), lane("w3", 500, 9)])).toBe("w2");
    expect(plan([lane("w3", 500, 4), lane("w2", 500, 4)])).toBe("w2");
    // An unknown cost (no exchange rate) ranks after every known one.
    expect(plan([lane("w1", null, 1), lane("w2", 99_999, 9)])).toBe("w2");
  });

  it("splits into the fewest shipments, before lane cost", () => {
    // Greedy-by-units would start with w3 (4 units) and need three parcels; w1 + w2 need two.
    const plan = planFulfilment({
      lines: lines({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 }),
      stock: [
        ...stock("w1", { a: 1, b: 1, c: 1 }),
        ...stock("w2", { d: 1, e: 1, f: 1 }),
        ...stock("w3", { a: 1, b: 1, d: 1, e: 1 }),
      ],
      lanes: [lane("w1", 800), lane("w2", 700), lane("w3", 100)],
    });
    expect(plan).toEqual({
      shipments: [
        { warehouseId: "w2", items: lines({ d: 1, e: 1, f: 1 }) },
        { warehouseId: "w1", items: lines({ a: 1, b: 1, c: 1 }) },
      ],
      shortfall: [],
    });
  });

  it("among equally small splits takes the cheapest pair and fills from the cheaper lane first", () => {
    const plan = planFulfilment({
      lines: lines({ a: 4, b: 2 }),
      stock: [...stock("w1", { a: 3, b: 2 }), ...stock("w2", { a: 2 }), ...stock("w3", { a: 1 })],
      lanes: [lane("w1", 600), lane("w2", 400), lane("w3", 100)],
    });
    // {w1, w2} and {w1, w3} both cover; w1 + w3 costs 700 < 1000. w3 is cheaper so it gives its a first.
    expect(plan.shipments).toEqual([
      { warehouseId: "w3", items: lines({ a: 1 }) },
      { warehouseId: "w1", items: lines({ a: 3, b: 2 }) },
    ]);
  });

  it("reports what no warehouse can supply and ships the rest", () => {
    const plan = planFulfilment({
      lines: lines({ a: 5, b: 1 }),
      stock: [...stock("w1", { a: 2 }), ...stock("w2", { a: 1 })],
      lanes: [lane("w1", 100), lane("w2", 200)],
    });
    expect(plan).toEqual({
      shipments: [
        { warehouseId: "w1", items: lines({ a: 2 }) },
        { warehouseId: "w2", items: lines({ a: 1 }) },
      ],
      shortfall: [
        { variantId: "a", missing: 2 },
        { variantId: "b", missing: 1 },
      ],
    });
  });

  it("ignores warehouses without a lane to the destination, however much they hold", () => {
    const plan = planFulfilment({
      lines: lines({ a: 3 }),
      stock: [...stock("far", { a: 100 }), ...stock("w1", { a: 1 })],
      lanes: [lane("w1", 100)],
    });
    expect(plan).toEqual({
      shipments: [{ warehouseId: "w1", items: lines({ a: 1 }) }],
      shortfall: [{ variantId: "a", missing: 2 }],
    });
  });

  it("merges lines of the same variant, ignores negative stock and rejects bad quantities", () => {
    const plan = planFulfilment({
      lines: [...lines({ a: 1 }), ...lines({ a: 2 })],
      stock: [...stock("w1", { a: -4 }), ...stock("w2", { a: 3 })],
      lanes: [lane("w1", 1), lane("w2", 2)],
    });
    expect(plan).toEqual({ shipments: [{ warehouseId: "w2", items: lines({ a: 3 }) }], shortfall: [] });
    expect(() => planFulfilment({ lines: lines({ a: 0 }), stock: [], lanes: [] })).toThrow(
      /positive integer/,
    );
    expect(() => planFulfilment({ lines: lines({ a: 1.5 }), stock: [], lanes: [] })).toThrow(
      /positive integer/,
    );
    expect(planFulfilment({ lines: [], stock: [], lanes: [] })).toEqual({ shipments: [], shortfall: [] });
  });

  it("still splits sensibly beyond the exact-search limit", () => {
    const many = Array.from({ length: EXACT_SEARCH_LIMIT + 3 }, (_, i) => `w${String(i).padStart(2, "0")}`);
    const plan = planFulfilment({
      lines: lines({ a: 3, b: 2 }),
      stock: [...many.flatMap((w) => stock(w, { a: 1 })), ...stock("w12", { b: 2 })],
      lanes: many.map((w, i) => lane(w, 1000 - i)),
    });
    // w12 adds the most units (1 a + 2 b), then the cheapest others add one a each.
    expect(plan).toEqual({
      shipments: [
        { warehouseId: "w12", items: lines({ a: 1, b: 2 }) },
        { warehouseId: "w11", items: lines({ a: 1 }) },
        { warehouseId: "w10", items: lines({ a: 1 }) },
      ],
      shortfall: [],
    });
  });
});

/** Per warehouse: a lane (80 %) and a level of each variant, zero half of the time. */
const arbitraryInput = fc
  .record({
    warehouses: fc.integer({ min: 1, max: EXACT_SEARCH_LIMIT + 4 }),
    variants: fc.integer({ min: 1, max: 6 }),
  })
  .chain(({ warehouses, variants }) => {
    const perVariant = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: variants, maxLength: variants });
    const perWarehouse = <T>(a: fc.Arbitrary<T>) =>
      fc.array(a, { minLength: warehouses, maxLength: warehouses });
    return fc.record({
      quantities: perVariant(fc.integer({ min: 0, max: 8 })),
      splitLines: fc.boolean(),
      levels: perWarehouse(perVariant(fc.oneof(fc.constant(0), fc.integer({ min: -2, max: 5 })))),
      lanes: perWarehouse(
        fc.option(
          fc.record({
            cost: fc.option(fc.integer({ min: 0, max: 3000 }), { freq: 8 }),
            maxDays: fc.integer({ min: 1, max: 20 }),
          }),
          { freq: 5 },
        ),
      ),
    });
  })
  .map(
    ({ quantities, splitLines, levels, lanes }): RoutingInput => ({
      lines: quantities.flatMap((q, v) =>
        q === 0
          ? []
          : splitLines && q > 1
            ? lines({ [`v${v}`]: q - 1 }).concat(lines({ [`v${v}`]: 1 }))
            : lines({ [`v${v}`]: q }),
      ),
      stock: levels.flatMap((row, w) =>
        row.map((available, v) => ({ warehouseId: `w${w}`, variantId: `v${v}`, available })),
      ),
      lanes: lanes.flatMap((l, w) => (l ? [{ warehouseId: `w${w}`, ...l }] : [])),
    }),
  );

function sums(input: RoutingInput) {
  const laned = new Set(input.lanes.map((l) => l.warehouseId));
  const available = new Map<string, number>();
  for (const s of input.stock)
    if (laned.has(s.warehouseId) && s.available > 0)
      available.set(
        `${s.warehouseId}|${s.variantId}`,
        (available.get(`${s.warehouseId}|${s.variantId}`) ?? 0) + s.available,
      );
  const requested = new Map<string, number>();
  for (const l of input.lines) requested.set(l.variantId, (requested.get(l.variantId) ?? 0) + l.quantity);
  return { laned, available, requested };
}

function allocated(plan: FulfilmentPlan, variant: string) {
  return plan.shipments
    .flatMap((s) => s.items)
    .reduce((n, i) => n + (i.variantId === variant ? i.quantity : 0), 0);
}

/** Units a set of warehouses can supply of what was requested. */
function cover(warehouses: string[], input: RoutingInput) {
  const { available, requested } = sums(input);
  let units = 0;
  for (const [variant, wanted] of requested)
    units += Math.min(
      wanted,
      warehouses.reduce((n, w) => n + (available.get(`${w}|${variant}`) ?? 0), 0),
    );
  return units;
}

describe("planFulfilment properties", () => {
  it("never allocates more than available, from laned warehouses only, and exactly min(requested, available)", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const plan = planFulfilment(input);
        const { laned, available, requested } = sums(input);
        const seen = new Set<string>();
        for (const s of plan.shipments) {
          expect(laned.has(s.warehouseId)).toBe(true);
          expect(seen.has(s.warehouseId)).toBe(false);
          seen.add(s.warehouseId);
          expect(s.items.length).toBeGreaterThan(0);
          for (const item of s.items) {
            expect(item.quantity).toBeGreaterThan(0);
            expect(item.quantity).toBeLessThanOrEqual(
              available.get(`${s.warehouseId}|${item.variantId}`) ?? 0,
            );
          }
        }
        for (const [variant, wanted] of requested) {
          const total = [...laned].reduce((n, w) => n + (available.get(`${w}|${variant}`) ?? 0), 0);
          expect(allocated(plan, variant)).toBe(Math.min(wanted, total));
          const missing = plan.shortfall.find((x) => x.variantId === variant)?.missing ?? 0;
          expect(missing).toBe(wanted - Math.min(wanted, total));
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it("uses the fewest warehouses possible (exact range) and never an unneeded one (both ranges)", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const plan = planFulfilment(input);
        const used = plan.shipments.map((s) => s.warehouseId);
        const { laned } = sums(input);
        const candidates = [...laned].filter((w) => cover([w], input) > 0);
        const full = cover(candidates, input);
        expect(cover(used, input)).toBe(full);
        for (const w of used)
          expect(
            cover(
              used.filter((x) => x !== w),
              input,
            ),
          ).toBeLessThan(full);
        if (candidates.length <= EXACT_SEARCH_LIMIT) {
          let fewest = full === 0 ? 0 : candidates.length;
          for (let mask = 1; mask < 1 << candidates.length; mask++) {
            const set = candidates.filter((_, i) => mask & (1 << i));
            if (set.length < fewest && cover(set, input) === full) fewest = set.length;
          }
          expect(used.length).toBe(fewest);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
