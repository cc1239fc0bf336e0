import { describe, expect, it } from "vitest";
import { AppError } from "../../kernel/errors.ts";
import { parseRateTable, type RateTable, rateAmount } from "./shipping.rates.ts";

const basket = (weightGrams: number, subtotal = 0) => ({ weightGrams, subtotal });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return `${err.status} ${err.code}`;
    throw err;
  }
  return undefined;
}

describe("rate amounts", () => {
  const weight: RateTable = parseRateTable("weight_tiers", [
    { upToGrams: 500, amount: 400 },
    { upToGrams: 2000, amount: 700 },
    { upToGrams: null, amount: 1200 },
  ]);
  const value: RateTable = parseRateTable("value_tiers", [
    { upToSubtotal: 4999, amount: 795 },
    { upToSubtotal: 9999, amount: 495 },
    { upToSubtotal: null, amount: 0 },
  ]);

  it("charges a flat amount whatever the basket", () => {
    const flat = parseRateTable("flat", { amount: 495 });
    expect(rateAmount(flat, null, basket(0))).toBe(495);
    expect(rateAmount(flat, null, basket(90_000, 1_000_000))).toBe(495);
  });

  it.each([
    [0, 400],
    [500, 400], // exactly at the first limit: still the first tier
    [501, 700],
    [2000, 700],
    [2001, 1200],
    [1_000_000, 1200],
  ])("prices %i g by weight tier at %i", (grams, amount) => {
    expect(rateAmount(weight, null, basket(grams))).toBe(amount);
  });

  it.each([
    [0, 795],
    [4999, 795],
    [5000, 495],
    [9999, 495],
    [10000, 0],
  ])("prices a subtotal of %i by value tier at %i", (subtotal, amount) => {
    expect(rateAmount(value, null, basket(100, subtotal))).toBe(amount);
  });

  it("is free from the free-over threshold on, not below it", () => {
    const flat = parseRateTable("flat", { amount: 495 });
    expect(rateAmount(flat, 5000, basket(0, 4999))).toBe(495);
    expect(rateAmount(flat, 5000, basket(0, 5000))).toBe(0);
    expect(rateAmount(weight, 5000, basket(3000, 4999))).toBe(1200);
    expect(rateAmount(weight, 5000, basket(3000, 5000))).toBe(0);
    expect(rateAmount(flat, 0, basket(0, 0))).toBe(0);
  });
});

describe("rate validation", () => {
  it("keeps only the fields of the rate type", () => {
    expect(parseRateTable("flat", { amount: 5, note: "x" })).toEqual({
      rateType: "flat",
      rates: { amount: 5 },
    });
    expect(parseRateTable("value_tiers", [{ upToSubtotal: null, amount: 0, extra: 1 }])).toEqual({
      rateType: "value_tiers",
      rates: [{ upToSubtotal: null, amount: 0 }],
    });
  });

  it.each([
    ["flat", [{ upToGrams: null, amount: 1 }], "shipping.rates_mismatch"],
    ["flat", { price: 1 }, "shipping.rates_mismatch"],
    ["weight_tiers", { amount: 1 }, "shipping.rates_mismatch"],
    ["weight_tiers", [], "shipping.rates_mismatch"],
    ["weight_tiers", [{ upToSubtotal: null, amount: 1 }], "shipping.rates_mismatch"],
    ["value_tiers", [{ upToGrams: null, amount: 1 }], "shipping.rates_mismatch"],
    [
      "weight_tiers",
      [
        { upToGrams: 1000, amount: 1 },
        { upToGrams: 1000, amount: 2 },
        { upToGrams: null, amount: 3 },
      ],
      "shipping.tiers_not_ascending",
    ],
    [
      "value_tiers",
      [
        { upToSubtotal: 2000, amount: 1 },
        { upToSubtotal: 1000, amount: 2 },
        { upToSubtotal: null, amount: 3 },
      ],
      "shipping.tiers_not_ascending",
    ],
    ["weight_tiers", [{ upToGrams: 1000, amount: 1 }], "shipping.tiers_open_end"],
    [
      "weight_tiers",
      [
        { upToGrams: null, amount: 1 },
        { upToGrams: null, amount: 2 },
      ],
      "shipping.tiers_open_end",
    ],
    ["flat", { amount: -1 }, "shipping.invalid_amount"],
    ["flat", { amount: 1.5 }, "shipping.invalid_amount"],
    ["weight_tiers", [{ upToGrams: null, amount: "5" }], "shipping.invalid_amount"],
    [
      "weight_tiers",
      [
        { upToGrams: -1, amount: 5 },
        { upToGrams: null, amount: 5 },
      ],
      "shipping.invalid_amount",
    ],
    ["per_item", { amount: 1 }, "shipping.invalid_rate_type"],
  ])("rejects %s %j with %s", (type, rates, code) => {
    expect(codeOf(() => parseRateTable(type, rates))).toBe(`400 ${code}`);
  });
});
