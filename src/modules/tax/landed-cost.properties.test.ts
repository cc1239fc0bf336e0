import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { referenceRules } from "./data/index.ts";
import { landedCost } from "./landed-cost.ts";
import type { LandedCost, LandedCostInput, LandedCostLine } from "./landed-cost.types.ts";
import { ruleSetFrom } from "./rule-set.ts";
import { type Registration, TAX_CATEGORIES } from "./tax.types.ts";
import { testRegistration } from "./testing.ts";

const ALL = referenceRules();
const RUNS = { numRuns: 300 };

const reg = testRegistration;

interface Quote {
  country: string;
  region?: string | null;
  currency: string;
  date: string;
  incl: boolean;
  ddp?: boolean;
  buyer?: string | null;
  regs: Registration[];
  fx?: Record<string, string>;
  shipping: number;
  lines: Omit<LandedCostLine, "id">[];
}

function quote(q: Quote): LandedCost {
  const input: LandedCostInput = {
    date: q.date,
    currency: q.currency,
    pricesIncludeTax: q.incl,
    dutyMode: q.ddp === false ? "DDU" : "DDP",
    destination: { country: q.country, region: q.region ?? null },
    buyerVatCountry: q.buyer ?? null,
    lines: q.lines.map((x, i) => ({ ...x, id: `l${i + 1}` })),
    shipping: q.shipping,
  };
  return landedCost(input, ruleSetFrom(ALL, q.country, q.date, q.regs, q.fx ?? {}));
}

/** Exact rationals, to work out the unrounded tax independently of the engine. */
type Q = [bigint, bigint];
const q = (n: number | bigint, d: number | bigint = 1): Q => [BigInt(n), BigInt(d)];
const add = (a: Q, b: Q): Q => [a[0] * b[1] + b[0] * a[1], a[1] * b[1]];
const mul = (a: Q, b: Q): Q => [a[0] * b[0], a[1] * b[1]];
const div = (a: Q, b: Q): Q => [a[0] * b[1], a[1] * b[0]];
const dec = (s: string): Q => {
  const [int, frac = ""] = s.split(".");
  return [BigInt(int! + frac), 10n ** BigInt(frac.length)];
};
const halfUp = ([n, d]: Q): number => Number((2n * n + d) / (2n * d));

/** HS codes with a row in the EU, UK and US tariffs (the others fall back on country defaults). */
const HS = ["620140", "610910", "851830", "392410", "691110", "940421"];
const hsArb = fc.constantFrom(...HS);
const categoryArb = fc.constantFrom(...TAX_CATEGORIES);

const dayArb = (from: string, to: string) =>
  fc
    .integer({ min: Date.parse(from) / 86_400_000, max: Date.parse(to) / 86_400_000 })
    .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

const lineArb = (
  shipFrom: readonly string[],
  hs: fc.Arbitrary<string | null> = hsArb,
  amount = fc.integer({ min: 0, max: 400_000 }),
) =>
  fc.record({
    amount,
    quantity: fc.integer({ min: 1, max: 4 }),
    hsCode: hs,
    originCountry: fc.constantFrom("CN", "US", "VN", "DE", "JP", "KR", "MX", null),
    taxCategory: categoryArb,
    shipFrom: fc.constantFrom(...shipFrom),
  });

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const byValue = (a: number, b: number) => a - b;

describe("(a) rounding: the lines add up to the totals, and invoice rounding rounds the exact sum", () => {
  const SCENARIOS = [
    {
      name: "FR",
      mode: "line",
      country: "FR",
      currency: "EUR",
      date: "2025-06-01",
      from: ["FR", "DE", "CN"],
      regs: [reg("FR", "VAT"), reg("EU", "OSS"), reg("EU", "IOSS")],
    },
    {
      name: "JP",
      mode: "document",
      country: "JP",
      currency: "JPY",
      date: "2025-06-01",
      from: ["JP", "US", "CN"],
      regs: [reg("JP", "VAT")],
    },
    {
      name: "US-NY",
      mode: "document",
      country: "US",
      region: "NY",
      currency: "USD",
      date: "2026-03-01",
      from: ["US", "CN"],
      regs: [reg("US-NY", "SALES_TAX")],
    },
  ] as const;

  /**
   * Invoice rounding, worked out independently: the lines are grouped by regime, collector and rate
   * row (a category without its own row uses the standard one), each group's exact tax is summed
   * from the lines' goods, shipping and duty, and rounded half-up once. Two rows can share a rate
   * (JP books and standard, both 10 %), so groups are compared as multisets per rate.
   */
  function invoiceRounding(r: LandedCost, q0: Quote, categories: string[]): Map<string, number[]> {
    const rs = ruleSetFrom(ALL, q0.country, q0.date, q0.regs, {});
    const row = (cat: string) => (rs.taxRates.some((t) => t.category === cat) ? cat : "standard");
    const factor = r.rules.some((x) => x.name === "customs valuation") ? dec("0.6") : q(1);
    const exempt = r.rules.some((x) => x.name === "import tax de minimis");
    const groups = new Map<string, { key: string; total: Q; border: boolean }>();
    r.lines.forEach((l, i) => {
      const border = l.regime === "import";
      const rate = dec(l.taxRate);
      const key = `${l.regime}|${l.scheme}|${border}|${l.taxRate}`;
      const g = groups.get(`${key}|${row(categories[i]!)}`) ?? { key, total: q(0), border };
      const net = (x: number) => (q0.incl && q0.ddp ? div(q(x), add(q(1), rate)) : q(x));
      const base = border
        ? add(add(mul(factor, net(l.goods)), net(l.shipping)), q(l.duty))
        : q(l.goods + l.shipping);
      const tax = mul(base, rate);
      g.total = add(g.total, q0.incl && !border ? div(tax, add(q(1), rate)) : tax);
      groups.set(`${key}|${row(categories[i]!)}`, g);
    });
    const out = new Map<string, number[]>();
    for (const g of groups.values())
      out.set(g.key, [...(out.get(g.key) ?? []), g.border && exempt ? 0 : halfUp(g.total)].sort(byValue));
    return out;
  }

  for (const sc of SCENARIOS) {
    it(`${sc.name} (${sc.mode} rounding)`, () => {
      expect(ALL.jurisdictions.find((j) => j.country === sc.country)?.rounding).toBe(sc.mode);
      const arb = fc.record({
        lines: fc.array(lineArb(sc.from), { minLength: 1, maxLength: 6 }),
        shipping: fc.integer({ min: 0, max: 20_000 }),
        incl: fc.boolean(),
        ddp: fc.boolean(),
      });
      fc.assert(
        fc.property(arb, ({ lines, shipping, incl, ddp }) => {
          const q0: Quote = {
            ...sc,
            region: "region" in sc ? sc.region : null,
            regs: [...sc.regs],
            incl,
            ddp,
            shipping,
            lines,
          };
          const r = quote(q0);
          expect(r.blocked).toBeNull();
          const perLine = sum(r.lines.map((l) => l.tax + l.shippingTax + l.importTax));
          expect(perLine).toBe(r.totals.salesTax + r.totals.importTax);
          expect(sum(r.summary.filter((s) => s.kind === "tax").map((s) => s.amount))).toBe(perLine);
          if (sc.mode !== "document") return;
          // One rounding per rule, regime and collector; the summary splits it by ship-from country.
          const rounded = new Map<string, { key: string; amount: number }>();
          for (const s of r.summary.filter((x) => x.kind === "tax")) {
            const key = `${s.regime}|${s.scheme}|${s.collectedBy === "border"}|${s.rate}`;
            const group = rounded.get(`${key}|${s.ruleId}`) ?? { key, amount: 0 };
            group.amount += s.amount;
            rounded.set(`${key}|${s.ruleId}`, group);
          }
          const actual = new Map<string, number[]>();
          for (const g of rounded.values())
            actual.set(g.key, [...(actual.get(g.key) ?? []), g.amount].sort(byValue));
          const categories = lines.map((x) => x.taxCategory);
          expect(actual).toEqual(invoiceRounding(r, q0, categories));
        }),
        RUNS,
      );
    });
  }
});

/** Domestic sales in line- and document-rounding markets: [country, region, currency, registration]. */
const DOMESTIC = [
  ["FR", null, "EUR", reg("FR", "VAT")],
  ["DE", null, "EUR", reg("DE", "VAT")],
  ["GB", null, "GBP", reg("GB", "VAT")],
  ["NO", null, "NOK", reg("NO", "VAT")],
  ["CH", null, "CHF", reg("CH", "VAT")],
  ["AU", null, "AUD", reg("AU", "GST")],
  ["SG", null, "SGD", reg("SG", "GST")],
  ["JP", null, "JPY", reg("JP", "VAT")],
  ["CA", "ON", "CAD", reg("CA", "GST")],
  ["US", "NY", "USD", reg("US-NY", "SALES_TAX")],
] as const;

const domesticArb = fc.record({
  market: fc.constantFrom(...DOMESTIC),
  date: dayArb("2019-01-01", "2027-12-31"),
  lines: fc.array(fc.record({ amount: fc.integer({ min: 0, max: 300_000 }), taxCategory: categoryArb }), {
    minLength: 1,
    maxLength: 4,
  }),
  shipping: fc.integer({ min: 0, max: 10_000 }),
});

function domestic(
  { market, date }: { market: (typeof DOMESTIC)[number]; date: string },
  incl: boolean,
  lines: { amount: number; taxCategory: string }[],
  shipping: number,
): LandedCost {
  const [country, region, currency, registration] = market;
  const full = lines.map((x) => ({
    ...x,
    quantity: 1,
    hsCode: null,
    originCountry: null,
    shipFrom: country,
  }));
  return quote({ country, region, currency, date, incl, regs: [registration], shipping, lines: full });
}

describe("(b) tax-inclusive ↔ exclusive round trip on a domestic sale", () => {
  it("exclusive tax T on N, then extracting from N + T gives T back", () => {
    fc.assert(
      fc.property(domesticArb, (c) => {
        // Shipping is spread over the lines by their amounts: keep it to one-line carts so that
        // adding T to the prices does not move shipping between lines (and rates).
        const shipping = c.lines.length === 1 ? c.shipping : 0;
        const excl = domestic(c, false, c.lines, shipping);
        const grossLines = c.lines.map((x, i) => ({ ...x, amount: x.amount + excl.lines[i]!.tax }));
        const grossShipping = shipping + sum(excl.lines.map((l) => l.shippingTax));
        const incl = domestic(c, true, grossLines, grossShipping);
        expect(incl.totals.salesTax).toBe(excl.totals.salesTax);
        if (ALL.jurisdictions.find((j) => j.country === c.market[0])?.rounding === "line") {
          expect(incl.lines.map((l) => [l.tax, l.shippingTax])).toEqual(
            excl.lines.map((l) => [l.tax, l.shippingTax]),
          );
        }
      }),
      RUNS,
    );
  });

  it("with tax-inclusive prices, a domestic checkout charges the shown prices (nothing added)", () => {
    fc.assert(
      fc.property(domesticArb, (c) => {
        const r = domestic(c, true, c.lines, c.shipping);
        expect(r.charged.taxAdded).toBe(0);
        expect(r.charged.total).toBe(sum(c.lines.map((x) => x.amount)) + c.shipping);
      }),
      RUNS,
    );
  });
});

describe("(c) landed cost is never negative", () => {
  const DESTS: [country: string, region?: string][] = [
    ["DE"],
    ["FR"],
    ["NL"],
    ["IT"],
    ["GB"],
    ["NO"],
    ["CH"],
    ["US", "NY"],
    ["US", "CA"],
    ["US", "TX"],
    ["CA", "ON"],
    ["CA", "NS"],
    ["CA", "QC"],
    ["AU"],
    ["NZ"],
    ["JP"],
    ["SG"],
    ["SA"],
    ["AE"],
    ["ID"],
    ["BR", "SP"],
    ["BR", "BA"],
    ["MX"],
    ["KR"],
  ];
  const REGS = [
    reg("EU", "OSS"),
    reg("EU", "IOSS"),
    reg("DE", "VAT"),
    reg("FR", "VAT"),
    reg("GB", "UK_VAT"),
    reg("NO", "VOEC"),
    reg("CH", "CH_VAT"),
    reg("AU", "AU_GST"),
    reg("NZ", "NZ_GST"),
    reg("SG", "SG_OVR"),
    reg("CA", "GST"),
    reg("CA", "CA_GST"),
    reg("US-NY", "SALES_TAX"),
    reg("US-TX", "SALES_TAX"),
    reg("JP", "VAT"),
  ];
  /** Units per EUR; the cart's fx table is derived from it (units of X per one unit of the cart currency). */
  const PER_EUR: Record<string, number> = {
    EUR: 1,
    USD: 1.08,
    GBP: 0.85,
    NOK: 11.5,
    CHF: 0.94,
    AUD: 1.65,
    NZD: 1.8,
    SGD: 1.45,
    JPY: 160,
    SAR: 4.05,
    AED: 3.97,
    CAD: 1.5,
    BRL: 5.9,
    IDR: 17500,
    MXN: 20,
    KRW: 1450,
  };
  const fxFor = (cart: string) =>
    Object.fromEntries(Object.entries(PER_EUR).map(([c, v]) => [c, (v / PER_EUR[cart]!).toFixed(8)]));
  // Mostly codes with tariff rows; some headings, unknown codes and missing codes (which may block).
  const hs = fc.oneof(
    { arbitrary: hsArb, weight: 6 },
    { arbitrary: fc.constantFrom("6109", "85", "090230", "999999", null), weight: 1 },
  );
  const amount = fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 400_000 }));

  it("all components ≥ 0, the total ≥ 0, and atDelivery ≥ 0", () => {
    const arb = fc.record({
      dest: fc.constantFrom(...DESTS),
      currency: fc.constantFrom("EUR", "USD", "JPY", "GBP"),
      date: dayArb("2019-01-01", "2027-12-31"),
      lines: fc.array(lineArb(["DE", "FR", "CN", "US", "GB", "JP", "VN", "AU", "BR"], hs, amount), {
        minLength: 1,
        maxLength: 5,
      }),
      sameCountry: fc.boolean(),
      shipping: fc.integer({ min: 0, max: 50_000 }),
      incl: fc.boolean(),
      ddp: fc.boolean(),
      buyer: fc.constantFrom(null, "own", "DE"),
      regs: fc.subarray(REGS),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const [country, region = null] = c.dest;
        const lines = c.lines.map((x, i) => (c.sameCountry && i === 0 ? { ...x, shipFrom: country } : x));
        const buyer = c.buyer === "own" ? country : c.buyer;
        const r = quote({ ...c, country, region, buyer, lines, fx: fxFor(c.currency) });
        for (const l of r.lines) {
          for (const v of [l.goods, l.shipping, l.tax, l.shippingTax, l.importTax, l.duty, l.taxIncluded])
            expect(v).toBeGreaterThanOrEqual(0);
          if (l.regime !== "reverse_charge") expect(l.taxAdded).toBeGreaterThanOrEqual(0);
        }
        for (const v of Object.values(r.totals)) expect(v).toBeGreaterThanOrEqual(0);
        for (const s of r.summary) expect(Math.min(s.amount, s.taxable)).toBeGreaterThanOrEqual(0);
        expect(
          Math.min(r.charged.tax, r.charged.duties, r.charged.total, r.atDelivery),
        ).toBeGreaterThanOrEqual(0);
        if (!r.lines.some((l) => l.regime === "reverse_charge"))
          expect(r.charged.taxAdded).toBeGreaterThanOrEqual(0);
        expect(r.charged.total).toBe(
          r.totals.goods + r.totals.shipping + r.charged.taxAdded + r.charged.duties,
        );
      }),
      RUNS,
    );
  });
});
