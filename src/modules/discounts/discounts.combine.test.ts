import { describe, expect, it } from "vitest";
import { applyDiscounts } from "./discounts.apply.ts";
import { cart, discount, line } from "./discounts.fixtures.ts";
import type { CombinesWith, Discount, DiscountClass } from "./discounts.types.ts";

// CART: L1 jacket 12900, L2 socks 2200 ×3 (6600), L3 tee 2900 ×2 (5800); subtotal 25300; shipping 995.
const NONE: CombinesWith = { product: false, order: false, shipping: false };
const ALL: CombinesWith = { product: true, order: true, shipping: true };

/** One discount per class (two per class for same-class pairs), with their savings on CART. */
const make: Record<string, (code: string, combinesWith: CombinesWith) => Discount> = {
  // 20 % off the socks: 1320.
  product: (code, combinesWith) =>
    discount({
      code,
      class: "product",
      percentage: 2000,
      appliesTo: { type: "collections", collectionIds: ["c_foot"] },
      combinesWith,
    }),
  // 5.00 off each tee: 1000.
  product2: (code, combinesWith) =>
    discount({
      code,
      class: "product",
      kind: "fixed_amount",
      percentage: null,
      amounts: { USD: 500 },
      appliesTo: { type: "products", productIds: ["p_tee"] },
      combinesWith,
    }),
  // 10.00 off the order: 1000.
  order: (code, combinesWith) =>
    discount({ code, kind: "fixed_amount", percentage: null, amounts: { USD: 1000 }, combinesWith }),
  // 10 % off the order: 2530 alone.
  order2: (code, combinesWith) => discount({ code, percentage: 1000, combinesWith }),
  shipping: (code, combinesWith) =>
    discount({ code, kind: "free_shipping", class: "shipping", percentage: null, combinesWith }),
};

// [first, second, saving of first alone, of second alone, of both together]
const PAIRS: Array<[string, string, number, number, number]> = [
  ["product", "product2", 1320, 1000, 2320],
  ["product", "order", 1320, 1000, 2320],
  ["product", "shipping", 1320, 995, 2315],
  ["order2", "order", 2530, 1000, 3530],
  ["order", "shipping", 1000, 995, 1995],
];

describe("combination rules for each pair of classes", () => {
  it.each(PAIRS)("%s + %s: both apply when each combines with the other's class", (a, b, _x, _y, both) => {
    const r = applyDiscounts(cart({ codes: ["A", "B"] }), [make[a]!("A", ALL), make[b]!("B", ALL)]);
    expect(r.totalDiscount).toBe(both);
    expect(r.applied.map((d) => d.code).sort()).toEqual(["A", "B"]);
    expect(r.rejectedCodes).toEqual([]);
  });

  it.each(PAIRS)("%s + %s: the larger saving wins when only one side allows it", (a, b, alone, other) => {
    const classOf = (k: string) => k.replace(/\d$/, "") as DiscountClass;
    // A combines with B's class, but B does not combine with A's class.
    const first = make[a]!("A", { ...NONE, [classOf(b)]: true });
    const second = make[b]!("B", { ...ALL, [classOf(a)]: false });
    const r = applyDiscounts(cart({ codes: ["A", "B"] }), [first, second]);
    expect(alone).toBeGreaterThan(other);
    expect(r.totalDiscount).toBe(alone);
    expect(r.applied.map((d) => d.code)).toEqual(["A"]);
    expect(r.rejectedCodes).toEqual([{ code: "B", reason: "not_combinable" }]);
    // The same with the roles swapped: the refusal of either side is enough.
    const swapped = applyDiscounts(cart({ codes: ["A", "B"] }), [
      make[a]!("A", { ...ALL, [classOf(b)]: false }),
      make[b]!("B", { ...NONE, [classOf(a)]: true }),
    ]);
    expect(swapped.totalDiscount).toBe(alone);
  });

  it("shipping + shipping: a second free shipping has nothing left and is reported", () => {
    const r = applyDiscounts(cart({ codes: ["A", "B"] }), [
      make.shipping!("A", ALL),
      make.shipping!("B", ALL),
    ]);
    expect(r.shippingDiscount).toBe(995);
    expect(r.applied).toHaveLength(1);
    expect(r.rejectedCodes).toHaveLength(1);
    expect(r.rejectedCodes[0]!.reason).toBe("not_applicable");
  });

  it("breaks a tie between equal savings by the smaller id", () => {
    const [x, y] = [make.shipping!("X", NONE), make.shipping!("Y", NONE)];
    const r = applyDiscounts(cart({ codes: ["Y", "X"] }), [y, x]);
    expect(r.applied.map((d) => d.code)).toEqual(["X"]); // made first, so the smaller id
    expect(r.rejectedCodes).toEqual([{ code: "Y", reason: "not_combinable" }]);
  });
});

describe("choosing among discounts that do not combine", () => {
  const socksBxgy = (combinesWith: CombinesWith) =>
    discount({
      kind: "buy_x_get_y",
      class: "product",
      percentage: 10_000,
      buy: { quantity: 2, target: { type: "products", productIds: ["p_socks"] } },
      get: { quantity: 1, target: { type: "products", productIds: ["p_socks"] } },
      combinesWith,
    });

  it("weighs automatic discounts together with the entered codes: the largest total saving wins", () => {
    const auto = socksBxgy(NONE); // 2200
    const welcome = discount({ code: "WELCOME10", percentage: 1000, combinesWith: ALL }); // 2530
    const r = applyDiscounts(cart({ codes: ["WELCOME10"] }), [auto, welcome]);
    expect(r.applied.map((d) => d.discountId)).toEqual([welcome.id]);
    const small = discount({ code: "FIVE", percentage: 500, combinesWith: ALL }); // 1265 < 2200
    const r2 = applyDiscounts(cart({ codes: ["FIVE"] }), [auto, small]);
    expect(r2.applied.map((d) => d.discountId)).toEqual([auto.id]);
    expect(r2.rejectedCodes).toEqual([{ code: "FIVE", reason: "not_combinable" }]);
  });

  it("prefers the entered code when the savings are equal", () => {
    const auto = socksBxgy(NONE); // 2200
    const code = discount({
      code: "SOCKS",
      kind: "fixed_amount",
      percentage: null,
      amounts: { USD: 2200 },
      combinesWith: ALL,
    });
    expect(applyDiscounts(cart({ codes: ["socks"] }), [auto, code]).applied.map((d) => d.code)).toEqual([
      "SOCKS",
    ]);
  });

  it("picks the best set, not the best single discount", () => {
    // A (order 10 %, 2530) combines with nothing; B (1320) and C (order 1000) combine: 2320 < 2530.
    const a = discount({ code: "A", percentage: 1000 });
    const b = make.product!("B", ALL);
    const c = make.order!("C", ALL);
    expect(applyDiscounts(cart({ codes: ["A", "B", "C"] }), [a, b, c]).applied.map((d) => d.code)).toEqual([
      "A",
    ]);
    // With free shipping joining B and C: 1320 + 1000 + 995 = 3315 > 2530.
    const s = make.shipping!("S", ALL);
    const r = applyDiscounts(cart({ codes: ["A", "B", "C", "S"] }), [a, b, c, s]);
    expect(r.totalDiscount).toBe(3315);
    expect(r.applied.map((d) => d.code)).toEqual(["B", "C", "S"]); // product, order, shipping
    expect(r.rejectedCodes).toEqual([{ code: "A", reason: "not_combinable" }]);
  });
});

describe("stacking", () => {
  it("computes order discounts on the subtotal after product discounts", () => {
    const product = make.product!("P", ALL); // 1320 off the socks
    const order = discount({ code: "O", percentage: 1000, combinesWith: ALL });
    const r = applyDiscounts(cart({ codes: ["P", "O"] }), [product, order]);
    // 10 % of (25300 − 1320) = 2398, spread over [12900, 5280, 5800]: [1290, 528, 580].
    expect(r.lines.map((l) => l.discount)).toEqual([1290, 1320 + 528, 580]);
    expect(r.lines[1]!.allocations).toEqual([
      { discountId: product.id, amount: 1320 },
      { discountId: order.id, amount: 528 },
    ]);
    expect(r.orderDiscount).toBe(2398);
    expect(r.totalDiscount).toBe(3718);
  });

  it("never takes a line below zero", () => {
    const sixty = discount({ class: "product", percentage: 6000, combinesWith: ALL });
    const fifty = discount({ class: "product", percentage: 5000, combinesWith: ALL });
    const order = discount({
      kind: "fixed_amount",
      percentage: null,
      amounts: { USD: 500 },
      combinesWith: ALL,
    });
    const r = applyDiscounts(cart({ lines: [line("a", "p", 1000)] }), [fifty, sixty, order]);
    // 60 % first (the larger saving alone), then 50 % capped at the 400 left; the order discount finds nothing.
    expect(r.lines[0]!.allocations).toEqual([
      { discountId: sixty.id, amount: 600 },
      { discountId: fifty.id, amount: 400 },
    ]);
    expect(r.applied.map((d) => d.discountId)).toEqual([sixty.id, fifty.id]);
  });
});
