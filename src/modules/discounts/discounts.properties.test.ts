import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyDiscounts, canCombine } from "./discounts.apply.ts";
import { discount, NOW } from "./discounts.fixtures.ts";
import type { Discount, DiscountInput, DiscountTarget } from "./discounts.types.ts";

const PRODUCTS = ["p1", "p2", "p3", "p4"];
const COLLECTIONS = ["c1", "c2", "c3"];
const HOUR = 3_600_000;

const target: fc.Arbitrary<DiscountTarget> = fc.oneof(
  fc.constant({ type: "all" as const }),
  fc.subarray(PRODUCTS, { minLength: 1 }).map((productIds) => ({ type: "products" as const, productIds })),
  fc
    .subarray(COLLECTIONS, { minLength: 1 })
    .map((collectionIds) => ({ type: "collections" as const, collectionIds })),
);
const side = fc.record({ quantity: fc.integer({ min: 1, max: 3 }), target });
/** Mostly null, so that most generated discounts are live and combinations get exercised. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
const maybeDate = rarely(fc.integer({ min: -3, max: 3 }).map((h) => new Date(NOW.getTime() + h * HOUR)));
const mostlyTrue = fc.oneof(
  { weight: 3, arbitrary: fc.constant(true) },
  { weight: 1, arbitrary: fc.constant(false) },
);
const amounts = fc.oneof(
  { weight: 4, arbitrary: fc.record({ USD: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.record({ EUR: fc.integer({ min: 0, max: 20_000 }) }) },
);

const candidate = (index: number): fc.Arbitrary<Discount> =>
  fc
    .record({
      kind: fc.constantFrom("percentage", "fixed_amount", "free_shipping", "buy_x_get_y" as const),
      productClass: fc.boolean(),
      coded: fc.boolean(),
      percentage: fc.integer({ min: 1, max: 10_000 }),
      amounts,
      appliesTo: target,
      buy: side,
      get: side,
      maxUsesPerOrder: fc.option(fc.integer({ min: 1, max: 3 })),
      minSubtotal: rarely(fc.record({ USD: fc.integer({ min: 0, max: 100_000 }) })),
      marketIds: fc.constantFrom<string[]>([], [], [], ["mkt_us"], ["mkt_eu"]),
      startsAt: maybeDate,
      endsAt: maybeDate,
      combinesWith: fc.record({ product: mostlyTrue, order: mostlyTrue, shipping: mostlyTrue }),
    })
    .map((r) => {
      const bxgy = r.kind === "buy_x_get_y";
      const shipping = r.kind === "free_shipping";
      return discount({
        id: `disc_${index}`,
        code: r.coded ? `C${index}` : null,
        kind: r.kind,
        class: shipping ? "shipping" : bxgy || r.productClass ? "product" : "order",
        percentage: r.kind === "percentage" || bxgy ? r.percentage : null,
        amounts: r.kind === "fixed_amount" ? r.amounts : null,
        appliesTo: bxgy || shipping ? { type: "all" } : r.appliesTo,
        buy: bxgy ? r.buy : null,
        get: bxgy ? r.get : null,
        maxUsesPerOrder: bxgy ? r.maxUsesPerOrder : null,
        minSubtotal: r.minSubtotal,
        marketIds: r.marketIds,
        startsAt: r.startsAt,
        endsAt: r.endsAt,
        combinesWith: r.combinesWith,
      });
    });

const scenario = fc
  .record({
    lines: fc.array(
      fc.record({
        productId: fc.constantFrom(...PRODUCTS),
        collectionIds: fc.subarray(COLLECTIONS),
        quantity: fc.integer({ min: 1, max: 12 }),
        unitPrice: fc.integer({ min: 0, max: 50_000 }),
      }),
      { maxLength: 6 },
    ),
    shippingAmount: fc.integer({ min: 0, max: 3000 }),
    count: fc.integer({ min: 1, max: 5 }),
    enterUnknown: fc.boolean(),
  })
  .chain((s) =>
    fc.tuple(...Array.from({ length: s.count }, (_, i) => candidate(i))).chain((candidates) =>
      fc.subarray(candidates.flatMap((d) => (d.code ? [d.code] : []))).map((codes) => {
        const input: DiscountInput = {
          currency: "USD",
          marketId: "mkt_us",
          now: NOW,
          codes: s.enterUnknown ? [...codes, "UNKNOWN"] : codes,
          shippingAmount: s.shippingAmount,
          lines: s.lines.map((l, i) => ({ ...l, lineId: `L${i}`, variantId: `${l.productId}_v` })),
        };
        return { input, candidates: candidates as Discount[] };
      }),
    ),
  );

describe("applyDiscounts properties", () => {
  it("conserves every minor unit and respects every bound", () => {
    fc.assert(
      fc.property(scenario, ({ input, candidates }) => {
        const r = applyDiscounts(input, candidates);
        const lineSum = r.lines.reduce((n, l) => n + l.discount, 0);
        const appliedSum = r.applied.reduce((n, a) => n + a.amount, 0);
        expect(lineSum + r.shippingDiscount).toBe(r.totalDiscount);
        expect(appliedSum).toBe(r.totalDiscount);
        expect(r.shippingDiscount).toBeGreaterThanOrEqual(0);
        expect(r.shippingDiscount).toBeLessThanOrEqual(input.shippingAmount);
        r.lines.forEach((l, i) => {
          const line = input.lines[i]!;
          expect(l.discount).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBeLessThanOrEqual(line.unitPrice * line.quantity);
          expect(l.discount).toBe(l.allocations.reduce((n, a) => n + a.amount, 0));
          for (const a of l.allocations) expect(Number.isSafeInteger(a.amount) && a.amount > 0).toBe(true);
        });
        // Each applied discount is exactly the sum of what it took from lines (and shipping).
        for (const a of r.applied) {
          const fromLines = r.lines.flatMap((l) =>
            l.allocations.filter((x) => x.discountId === a.discountId),
          );
          const taken = fromLines.reduce((n, x) => n + x.amount, 0);
          expect(
            a.class === "shipping" ? r.shippingDiscount >= a.amount && taken === 0 : taken === a.amount,
          ).toBe(true);
        }
        const orderSum = r.applied.filter((a) => a.class === "order").reduce((n, a) => n + a.amount, 0);
        expect(r.orderDiscount).toBe(orderSum);
      }),
      { numRuns: 1000, seed: 20_260_601 },
    );
  });

  it("answers for every entered code once and applies only discounts that combine", () => {
    fc.assert(
      fc.property(scenario, ({ input, candidates }) => {
        const r = applyDiscounts(input, candidates);
        const answered = [
          ...r.applied.flatMap((a) => (a.code ? [a.code] : [])),
          ...r.rejectedCodes.map((c) => c.code),
        ];
        expect(answered.sort()).toEqual([...input.codes].sort());
        const applied = r.applied.map((a) => candidates.find((d) => d.id === a.discountId)!);
        for (const a of applied) for (const b of applied) if (a !== b) expect(canCombine(a, b)).toBe(true);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it("never saves less with more candidates, and ignores their order", () => {
    fc.assert(
      fc.property(scenario, ({ input, candidates }) => {
        const best = applyDiscounts(input, candidates);
        for (let mask = 0; mask < 1 << candidates.length; mask++) {
          const subset = candidates.filter((_, i) => mask & (1 << i));
          expect(applyDiscounts(input, subset).totalDiscount).toBeLessThanOrEqual(best.totalDiscount);
        }
        expect(applyDiscounts(input, [...candidates].reverse())).toEqual(best);
      }),
      { numRuns: 500, seed: 42 },
    );
  });
});
