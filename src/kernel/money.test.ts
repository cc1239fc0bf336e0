import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  allocate,
  convert,
  divideDecimal,
  formatMoney,
  fromDecimal,
  type Money,
  money,
  multiply,
  type Rounding,
  shiftDecimal,
  subtract,
  sum,
  toDecimal,
} from "./money.ts";

const amounts = (m: readonly Money[]) => m.map((x) => x.amount);
const errorCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

const anyAmount = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.maxSafeInteger());
const ratio = fc.oneof(fc.nat({ max: 10 }), fc.nat(), fc.maxSafeNat());
const ratios = fc.array(ratio, { minLength: 1, maxLength: 12 }).filter((r) => r.some((x) => x > 0));

describe("allocate", () => {
  it("splits 299 three ways as 100/100/99", () => {
    expect(amounts(allocate(money(299, "USD"), [1, 1, 1]))).toEqual([100, 100, 99]);
    expect(amounts(allocate(money(-299, "USD"), [1, 1, 1]))).toEqual([-100, -100, -99]);
    expect(amounts(allocate(money(100, "EUR"), [70, 20, 10]))).toEqual([70, 20, 10]);
    expect(amounts(allocate(money(5, "JPY"), [0, 3, 0, 1]))).toEqual([0, 4, 0, 1]);
  });

  it("never loses or invents a minor unit, and each part is within one unit of its exact share", () => {
    fc.assert(
      fc.property(anyAmount, ratios, (amount, rs) => {
        const parts = allocate(money(amount, "EUR"), rs);
        expect(parts).toHaveLength(rs.length);
        const total = rs.reduce((a, r) => a + BigInt(r), 0n);
        expect(parts.reduce((a, p) => a + BigInt(p.amount), 0n)).toBe(BigInt(amount));
        parts.forEach((p, i) => {
          expect(p.currency).toBe("EUR");
          // |part - amount * r / total| < 1, checked exactly in integers
          const diff = BigInt(p.amount) * total - BigInt(amount) * BigInt(rs[i]!);
          expect(diff < 0n ? -diff : diff).toBeLessThan(total);
          if (rs[i] === 0) expect(p.amount).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("stays exact when the ratios add up past 2^53", () => {
    const rs = [23, 1517779571, 9007199254740981, 7, 1561733247];
    const parts = amounts(allocate(money(2309272644502316, "EUR"), rs));
    expect(parts.reduce((a, b) => a + b, 0)).toBe(2309272644502316);
    // exact shares ≈ 5.897, 389129356.0005, 2309271854974723.04, 1.795, 400398229.27
    expect(parts).toEqual([6, 389129356, 2309271854974723, 2, 400398229]);
  });

  it("rejects empty, negative, fractional and all-zero ratios", () => {
    expect(errorCode(() => allocate(money(1, "USD"), []))).toBe("money.no_ratios");
    expect(errorCode(() => allocate(money(1, "USD"), [1, -1]))).toBe("money.invalid_ratio");
    expect(errorCode(() => allocate(money(1, "USD"), [0.5, 1]))).toBe("money.invalid_ratio");
    expect(errorCode(() => allocate(money(1, "USD"), [0, 0]))).toBe("money.invalid_ratio");
  });
});

describe("add and subtract", () => {
  const m = fc.integer({ min: -(2 ** 50), max: 2 ** 50 }).map((a) => money(a, "GBP"));

  it("add is associative and commutative; subtract undoes add", () => {
    fc.assert(
      fc.property(m, m, m, (a, b, c) => {
        expect(add(add(a, b), c)).toEqual(add(a, add(b, c)));
        expect(add(a, b)).toEqual(add(b, a));
        expect(subtract(add(a, b), b)).toEqual(a);
        expect(subtract(a, a).amount).toBe(0);
      }),
    );
  });

  it("sums lists and refuses mixed currencies or unsafe results", () => {
    expect(sum([money(1, "EUR"), money(2, "EUR"), money(-4, "EUR")], "EUR")).toEqual(money(-1, "EUR"));
    expect(sum([], "JPY")).toEqual(money(0, "JPY"));
    expect(errorCode(() => add(money(1, "EUR"), money(1, "USD")))).toBe("money.currency_mismatch");
    expect(errorCode(() => add(money(Number.MAX_SAFE_INTEGER, "EUR"), money(1, "EUR")))).toBe(
      "money.invalid_amount",
    );
    expect(errorCode(() => money(1.5, "EUR"))).toBe("money.invalid_amount");
    expect(errorCode(() => money(1, "XYZ"))).toBe("money.unknown_currency");
  });
});

describe("convert", () => {
  it("honours exponents 0, 2 and 3", () => {
    expect(convert(money(10000, "EUR"), "1.0455", "USD")).toEqual(money(10455, "USD"));
    expect(convert(money(1000, "JPY"), "0.0062", "EUR")).toEqual(money(620, "EUR"));
    expect(convert(money(10000, "EUR"), "0.3215", "KWD")).toEqual(money(32150, "KWD"));
    expect(convert(money(1000, "KWD"), "502.3", "JPY")).toEqual(money(502, "JPY"));
    expect(convert(money(1, "JPY"), "0.002", "KWD")).toEqual(money(2, "KWD"));
    expect(convert(money(12345, "KWD"), "3.25", "USD")).toEqual(money(4012, "USD")); // 40.12125
    expect(convert(money(1999, "USD"), "1", "EUR")).toEqual(money(1999, "EUR"));
  });

  it("rounds ties half-even by default and half-up on request, also for negative amounts", () => {
    // €10.00 × 161.25 = ¥1612.5
    expect(convert(money(1000, "EUR"), "161.25", "JPY").amount).toBe(1612);
    expect(convert(money(1000, "EUR"), "161.25", "JPY", "half-up").amount).toBe(1613);
    expect(convert(money(-1000, "EUR"), "161.25", "JPY").amount).toBe(-1612);
    expect(convert(money(-1000, "EUR"), "161.25", "JPY", "half-up").amount).toBe(-1613);
    // ¥1613.5 → 1614 either way
    expect(convert(money(1000, "EUR"), "161.35", "JPY").amount).toBe(1614);
  });

  it("is within half a minor unit of the exact value", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 10_000_000 }), (a, r) => {
        const rate = `${Math.floor(r / 10_000)}.${String(r % 10_000).padStart(4, "0")}`;
        const out = convert(money(a, "EUR"), rate, "KWD").amount; // exact = a * r / 10^3
        const diff = BigInt(out) * 1000n - BigInt(a) * BigInt(r);
        expect(diff < 0n ? -diff : diff).toBeLessThanOrEqual(500n);
      }),
    );
  });

  it("rejects non-positive and malformed rates", () => {
    expect(errorCode(() => convert(money(1, "EUR"), "0", "USD"))).toBe("money.invalid_rate");
    expect(errorCode(() => convert(money(1, "EUR"), "-1.1", "USD"))).toBe("money.invalid_rate");
    expect(errorCode(() => convert(money(1, "EUR"), "1e3", "USD"))).toBe("money.invalid_decimal");
    expect(errorCode(() => convert(money(1, "EUR"), "1", "ABC"))).toBe("money.unknown_currency");
  });
});

describe("multiply", () => {
  const cases: Array<[number, string, Rounding, number]> = [
    [1000, "0.19", "half-even", 190],
    [5, "0.5", "half-even", 2],
    [5, "0.5", "half-up", 3],
    [15, "0.5", "half-even", 8],
    [15, "0.5", "half-up", 8],
    [-5, "0.5", "half-even", -2],
    [-5, "0.5", "half-up", -3],
    [-15, "0.5", "half-even", -8],
    [5, "-0.5", "half-even", -2],
    [5, "0.5", "down", 2],
    [-5, "0.5", "down", -2],
    [5, "0.5", "up", 3],
    [-5, "0.5", "up", -3],
    [1001, "0.125", "half-even", 125],
    [1001, "0.125", "up", 126],
    [1004, "0.125", "half-even", 126], // 125.5 → 126 (even)
    [1012, "0.125", "half-even", 126], // 126.5 → 126 (even)
  ];
  it.each(cases)("%i × %s (%s) = %i", (amount, factor, rounding, expected) => {
    expect(multiply(money(amount, "USD"), factor, rounding)).toEqual(money(expected, "USD"));
  });

  it("multiplying by 1 and -1 is exact; half-even stays within half a unit", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 9999 }), (a, f) => {
        expect(multiply(money(a, "EUR"), "1").amount).toBe(a);
        expect(multiply(money(a, "EUR"), "-1.000").amount + a).toBe(0);
        const out = multiply(money(a, "EUR"), `0.${String(f).padStart(4, "0")}`).amount;
        const diff = BigInt(out) * 10_000n - BigInt(a) * BigInt(f);
        expect(diff < 0n ? -diff : diff).toBeLessThanOrEqual(5000n);
      }),
    );
  });
});

describe("fromDecimal and toDecimal", () => {
  it.each([
    ["JPY", 0],
    ["EUR", 2],
    ["USD", 2],
    ["KWD", 3],
    ["CLF", 4],
  ])("round-trip every safe amount of %s (exponent %i)", (currency, exp) => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (a) => {
        const text = toDecimal(money(a, currency));
        expect(text).toMatch(exp === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exp}}$`));
        expect(fromDecimal(text, currency)).toEqual(money(a, currency));
      }),
    );
  });

  it("reads and writes known values", () => {
    expect(toDecimal(money(5, "KWD"))).toBe("0.005");
    expect(toDecimal(money(-5, "EUR"))).toBe("-0.05");
    expect(toDecimal(money(1500, "JPY"))).toBe("1500");
    expect(toDecimal(money(0, "USD"))).toBe("0.00");
    expect(fromDecimal("19.99", "EUR").amount).toBe(1999);
    expect(fromDecimal("19.9", "EUR").amount).toBe(1990);
    expect(fromDecimal("-0.5", "KWD").amount).toBe(-500);
    expect(fromDecimal("1500", "JPY").amount).toBe(1500);
  });

  it("rejects too many decimals, garbage and unknown currencies", () => {
    expect(errorCode(() => fromDecimal("1.5", "JPY"))).toBe("money.too_many_decimals");
    expect(errorCode(() => fromDecimal("1.999", "EUR"))).toBe("money.too_many_decimals");
    expect(errorCode(() => fromDecimal("1.2345", "KWD"))).toBe("money.too_many_decimals");
    for (const bad of ["", "abc", "1e3", "1.", ".5", "+1", "1,50", "1.2.3", "--1", "0x10"]) {
      expect(
        errorCode(() => fromDecimal(bad, "EUR")),
        bad,
      ).toBe("money.invalid_decimal");
    }
    expect(errorCode(() => fromDecimal("1", "usd"))).toBe("money.unknown_currency");
    expect(errorCode(() => fromDecimal("1", "XXY"))).toBe("money.unknown_currency");
  });
});

describe("divideDecimal and shiftDecimal", () => {
  it.each([
    ["161.25", "1.05", 6, "153.571429"],
    ["1", "3", 4, "0.3333"],
    ["2", "3", 4, "0.6667"],
    ["-1", "3", 2, "-0.33"],
    ["1", "-3", 2, "-0.33"],
    ["-2", "-3", 2, "0.67"],
    ["10", "4", 2, "2.5"],
    ["1", "8", 2, "0.12"], // tie 0.125 → even
    ["3", "8", 2, "0.38"], // tie 0.375 → even
    ["0", "5", 3, "0"],
    ["161.25", "1", 10, "161.25"],
    ["1", "1.0455", 10, "0.956480153"], // 0.95648015303… trailing zero trimmed
  ] as Array<[string, string, number, string]>)("%s / %s to %i places = %s", (a, b, scale, expected) => {
    expect(divideDecimal(a, b, scale)).toBe(expected);
  });

  it("refuses division by zero", () => {
    expect(errorCode(() => divideDecimal("1", "0.00", 2))).toBe("money.division_by_zero");
  });

  it.each([
    ["1.5", 2, "150"],
    ["150", -2, "1.5"],
    ["-0.05", 1, "-0.5"],
    ["1.234", 3, "1234"],
    ["7", 0, "7"],
    ["12", -3, "0.012"],
    ["-12", -3, "-0.012"],
  ] as Array<[string, number, string]>)("shiftDecimal(%s, %i) = %s", (a, shift, expected) => {
    expect(shiftDecimal(a, shift)).toBe(expected);
  });
});

describe("formatMoney", () => {
  const ascii = (s: string) =>
    s
      .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
      .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  const digits = (s: string) => ascii(s).replace(/\D/g, "");
  const fraction = (s: string) => /[.,٫]\s*(\d+)\D*$/.exec(ascii(s))?.[1];

  it("formats USD for en-US and EUR for de-DE with two decimals", () => {
    expect(formatMoney(money(123456, "USD"), "en-US")).toBe("$1,234.56");
    const de = formatMoney(money(123456, "EUR"), "de-DE");
    expect(de).toMatch(/^1\.234,56\s€$/u);
    expect(formatMoney(money(-5, "USD"), "en-US")).toMatch(/^-\$0\.05$/);
    expect(formatMoney(money(100, "EUR"), "de-DE")).toMatch(/^1,00\s€$/u);
  });

  it("formats JPY without decimals", () => {
    const ja = formatMoney(money(123456, "JPY"), "ja-JP");
    expect(digits(ja)).toBe("123456");
    expect(ja).toMatch(/[¥￥]/);
    expect(ja).not.toMatch(/[.]\d/);
  });

  it("formats KWD with three decimals in Arabic and English", () => {
    for (const locale of ["ar-KW", "en"]) {
      const out = formatMoney(money(1234567, "KWD"), locale);
      expect(digits(out), locale).toBe("1234567");
      expect(fraction(out), locale).toBe("567");
    }
    expect(formatMoney(money(5, "KWD"), "en")).toMatch(/0\.005/);
    expect(formatMoney(money(1000, "KWD"), "en")).toMatch(/1\.000/);
  });
});
