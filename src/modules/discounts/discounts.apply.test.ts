import { describe, expect, it } from "vitest";
import { applyDiscounts } from "./discounts.apply.ts";
import { CART, cart, discount, line, NOW } from "./discounts.fixtures.ts";

// CART: L1 jacket 12900 ×1, L2 socks 2200 ×3 (6600), L3 tee 2900 ×2 (5800); subtotal 25300; shipping 995.
const lineDiscounts = (r: ReturnType<typeof applyDiscounts>) => r.lines.map((l) => l.discount);

describe("each kind on its own", () => {
  it("takes an order percentage off the subtotal and spreads it over the lines", () => {
    const d = discount({ percentage: 1500 });
    const r = applyDiscounts(CART, [d]);
    expect(r.totalDiscount).toBe(3795); // 15 % of 25300
    expect(lineDiscounts(r)).toEqual([1935, 990, 870]);
    expect(r.orderDiscount).toBe(3795);
    expect(r.applied).toEqual([
      { discountId: d.id, code: null, title: d.title, kind: "percentage", class: "order", amount: 3795 },
    ]);
  });

  it("spreads a fixed order amount in proportion, remainders to the largest fractions", () => {
    // 1000 × [12900, 6600, 5800] / 25300 = [509.88, 260.87, 229.24] → floors 998, +1 to L1 and L2.
    const r = applyDiscounts(CART, [
      discount({ kind: "fixed_amount", percentage: null, amounts: { USD: 1000 } }),
    ]);
    expect(lineDiscounts(r)).toEqual([510, 261, 229]);
    expect(r.lines[0]!.allocations).toEqual([{ discountId: r.applied[0]!.discountId, amount: 510 }]);
  });

  it("takes a product percentage off the targeted lines only, rounding half-up per line", () => {
    const r = applyDiscounts(CART, [
      discount({
        class: "product",
        percentage: 2000,
        appliesTo: { type: "collections", collectionIds: ["c_foot"] },
      }),
    ]);
    expect(lineDiscounts(r)).toEqual([0, 1320, 0]);
    const odd = applyDiscounts(cart({ lines: [line("a", "p1", 150), line("b", "p2", 100)] }), [
      discount({ class: "product", percentage: 3333 }),
    ]);
    expect(lineDiscounts(odd)).toEqual([50, 33]); // 49.995 → 50, 33.33 → 33
  });

  it("takes a product fixed amount off each eligible unit, never more than the unit costs", () => {
    const r = applyDiscounts(CART, [
      discount({
        class: "product",
        kind: "fixed_amount",
        percentage: null,
        amounts: { USD: 500 },
        appliesTo: { type: "products", productIds: ["p_socks", "p_tee"] },
      }),
    ]);
    expect(lineDiscounts(r)).toEqual([0, 1500, 1000]);
    const capped = applyDiscounts(CART, [
      discount({
        class: "product",
        kind: "fixed_amount",
        percentage: null,
        amounts: { USD: 3000 },
        appliesTo: { type: "products", productIds: ["p_tee"] },
      }),
    ]);
    expect(lineDiscounts(capped)).toEqual([0, 0, 5800]);
  });

  it("caps a fixed order amount at what the eligible lines cost", () => {
    const r = applyDiscounts(CART, [
      discount({
        kind: "fixed_amount",
        percentage: null,
        amounts: { USD: 99_999 },
        appliesTo: { type: "products", productIds: ["p_tee"] },
      }),
    ]);
    expect(lineDiscounts(r)).toEqual([0, 0, 5800]);
  });

  it("makes shipping free, and keeps a free-shipping code while shipping is not chosen yet", () => {
    const d = discount({ code: "SHIP", kind: "free_shipping", class: "shipping", percentage: null });
    const r = applyDiscounts(cart({ codes: ["ship"] }), [d]);
    expect(r).toMatchObject({
      shippingDiscount: 995,
      totalDiscount: 995,
      orderDiscount: 0,
      rejectedCodes: [],
    });
    expect(lineDiscounts(r)).toEqual([0, 0, 0]);
    const early = applyDiscounts(cart({ codes: ["SHIP"], shippingAmount: 0 }), [d]);
    expect(early.applied).toMatchObject([{ discountId: d.id, amount: 0 }]);
    expect(early.rejectedCodes).toEqual([]);
  });
});

describe("buy X get Y", () => {
  const socks = { type: "products" as const, productIds: ["p_socks"] };
  const bxgy = (overrides = {}) =>
    discount({
      kind: "buy_x_get_y",
      class: "product",
      percentage: 10_000,
      buy: { quantity: 2, target: socks },
      get: { quantity: 1, target: socks },
      ...overrides,
    });
  const withSocks = (quantity: number) =>
    cart({ lines: [line("L2", "p_socks", 2200, quantity), line("L3", "p_tee", 2900, 2)] });

  it.each([
    [2, 0],
    [3, 2200],
    [5, 2200],
    [6, 4400],
  ])("buy 2 get 1 free with %i socks takes %i off", (quantity, off) => {
    const r = applyDiscounts(withSocks(quantity), [bxgy()]);
    expect(lineDiscounts(r)).toEqual([off, 0]);
  });

  it("stops at maxUsesPerOrder", () => {
    expect(lineDiscounts(applyDiscounts(withSocks(9), [bxgy({ maxUsesPerOrder: 2 })]))).toEqual([4400, 0]);
  });

  it("discounts the cheapest qualifying units", () => {
    const feet = { type: "collections" as const, collectionIds: ["c_foot"] };
    const lines = [
      line("a", "p_socks", 2200, 2, ["c_foot"]),
      line("b", "p_boots", 15_900, 1, ["c_foot"]),
      line("c", "p_thin_socks", 1800, 1, ["c_foot"]),
    ];
    const half = bxgy({
      percentage: 5000,
      buy: { quantity: 2, target: feet },
      get: { quantity: 1, target: feet },
    });
    // 4 units → one application; the cheapest (1800) at 50 %.
    expect(lineDiscounts(applyDiscounts(cart({ lines }), [half]))).toEqual([0, 0, 900]);
  });

  it("gets from a different target than it buys from", () => {
    const d = bxgy({
      percentage: 5000,
      get: { quantity: 1, target: { type: "products", productIds: ["p_tee"] } },
    });
    // 3 socks buy one application (2 each); one tee at 50 %.
    expect(lineDiscounts(applyDiscounts(withSocks(3), [d]))).toEqual([0, 1450]);
  });

  it("keeps enough units to buy with before choosing the cheapest to give", () => {
    const d = bxgy({ get: { quantity: 1, target: { type: "all" } } });
    const two = cart({ lines: [line("s", "p_socks", 2200, 2), line("j", "p_jacket", 12_900)] });
    // Both socks are needed to buy, so the only unit left to get is the jacket.
    expect(lineDiscounts(applyDiscounts(two, [d]))).toEqual([0, 12_900]);
    const three = cart({ lines: [line("s", "p_socks", 2200, 3), line("j", "p_jacket", 12_900)] });
    expect(lineDiscounts(applyDiscounts(three, [d]))).toEqual([2200, 0]);
  });
});

describe("conditions", () => {
  const code = (overrides = {}) => discount({ code: "SAVE", ...overrides });
  it.each([
    ["not_started", { startsAt: new Date("2026-06-02T00:00:00Z") }],
    ["expired", { endsAt: NOW }],
    ["market", { marketIds: ["mkt_eu"] }],
    ["usage_limit", { usageLimit: 5, timesUsed: 5 }],
    ["currency", { kind: "fixed_amount", percentage: null, amounts: { EUR: 500 } }],
    ["currency", { minSubtotal: { EUR: 1000 } }],
    ["minimum_subtotal", { minSubtotal: { USD: 25_301 } }],
    ["not_applicable", { class: "product", appliesTo: { type: "products", productIds: ["p_tent"] } }],
    ["unknown", { active: false }],
  ])("rejects a code with %s", (reason, overrides) => {
    const r = applyDiscounts(cart({ codes: ["SAVE"] }), [code(overrides)]);
    expect(r.rejectedCodes).toEqual([{ code: "SAVE", reason }]);
    expect(r.totalDiscount).toBe(0);
    expect(r.applied).toEqual([]);
  });

  it("applies inside its window, in its market, at exactly the minimum", () => {
    const d = code({
      startsAt: NOW,
      endsAt: new Date("2026-06-01T12:00:01Z"),
      marketIds: ["mkt_us", "mkt_eu"],
      minSubtotal: { USD: 25_300, EUR: 1 },
      usageLimit: 5,
      timesUsed: 4,
    });
    expect(applyDiscounts(cart({ codes: [" save "] }), [d]).totalDiscount).toBe(2530);
  });

  it("reports unknown codes and matches codes case-insensitively, once each", () => {
    const r = applyDiscounts(cart({ codes: ["nope", "save", "SAVE", ""] }), [code()]);
    expect(r.rejectedCodes).toEqual([{ code: "NOPE", reason: "unknown" }]);
    expect(r.applied).toHaveLength(1);
  });

  it("enforces a per-customer limit for the customer the usage was loaded for", () => {
    const d = code({
      perCustomerLimit: 1,
      customerUsage: { customerKey: "ann@example.com", uses: 1 },
    });
    const ann = applyDiscounts(cart({ codes: ["SAVE"], customerKey: "Ann@Example.com" }), [d]);
    expect(ann.rejectedCodes).toEqual([{ code: "SAVE", reason: "usage_limit" }]);
    const bob = applyDiscounts(cart({ codes: ["SAVE"], customerKey: "bob@example.com" }), [d]);
    expect(bob.totalDiscount).toBe(2530);
  });

  it("ignores automatic discounts that do not apply, without reporting them", () => {
    const r = applyDiscounts(CART, [discount({ endsAt: NOW }), discount({ marketIds: ["mkt_jp"] })]);
    expect(r).toMatchObject({ totalDiscount: 0, applied: [], rejectedCodes: [] });
  });

  it("refuses an impossible cart", () => {
    expect(() => applyDiscounts(cart({ lines: [line("a", "p", -1)] }), [])).toThrow(/unitPrice/);
    expect(() => applyDiscounts(cart({ lines: [line("a", "p", 1), line("a", "q", 1)] }), [])).toThrow(
      /twice/,
    );
    expect(() => applyDiscounts(cart({ currency: "XYZ" }), [])).toThrow(/currency/);
  });
});
