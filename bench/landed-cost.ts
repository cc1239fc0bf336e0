import { referenceRules } from "../src/modules/tax/data/index.ts";
import { landedCost } from "../src/modules/tax/index.ts";
import type { LandedCostInput } from "../src/modules/tax/landed-cost.types.ts";
import { ruleSetFrom } from "../src/modules/tax/rule-set.ts";
import type { Registration } from "../src/modules/tax/tax.types.ts";

const REGISTRATIONS: Registration[] = [
  {
    id: "r1",
    jurisdiction: "EU",
    scheme: "IOSS",
    number: "IM0",
    effectiveFrom: "2021-07-01",
    effectiveTo: null,
  },
  {
    id: "r2",
    jurisdiction: "EU",
    scheme: "OSS",
    number: "EU0",
    effectiveFrom: "2021-07-01",
    effectiveTo: null,
  },
  {
    id: "r3",
    jurisdiction: "GB",
    scheme: "UK_VAT",
    number: "GB0",
    effectiveFrom: "2021-01-01",
    effectiveTo: null,
  },
  {
    id: "r4",
    jurisdiction: "US-NY",
    scheme: "SALES_TAX",
    number: "NY0",
    effectiveFrom: "2021-01-01",
    effectiveTo: null,
  },
];

const HS = [
  "620140",
  "640419",
  "420292",
  "090230",
  "851310",
  "691200",
  "940430",
  "610910",
  "732393",
  "630622",
];

/** A 10-line cart to `country`, half of it from a warehouse abroad (an import consignment). */
function cart(country: string, currency: string, inclusive: boolean, mode: "DDP" | "DDU"): LandedCostInput {
  return {
    date: "2026-11-25",
    currency,
    pricesIncludeTax: inclusive,
    dutyMode: mode,
    destination: {
      country,
      region: country === "US" ? "NY" : country === "BR" ? "SP" : null,
      postalCode: null,
    },
    lines: HS.map((hsCode, i) => ({
      id: `l${i}`,
      amount: 2500 + i * 1700,
      quantity: 1 + (i % 3),
      hsCode,
      originCountry: i % 4 === 0 ? "VN" : "CN",
      taxCategory: hsCode === "090230" ? "food" : "standard",
      shipFrom: i < 5 ? country : "SG",
    })),
    shipping: 1490,
  };
}

const CASES: [string, string, boolean, "DDP" | "DDU"][] = [
  ["DE", "EUR", true, "DDP"],
  ["GB", "GBP", true, "DDP"],
  ["US", "USD", false, "DDP"],
  ["JP", "JPY", true, "DDP"],
  ["AU", "AUD", true, "DDP"],
  ["BR", "BRL", true, "DDU"],
];

function time(fn: () => void, seconds: number): number[] {
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

const pct = (times: number[], p: number) =>
  times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;

/**
 * Landed cost of a 10-line, two-consignment cart over six destinations with the rule sets as the
 * checkout holds them (loaded once, cached), against a reference measured in the same process:
 * a JSON round trip of the same cart.
 */
export function benchLandedCost(seconds: number) {
  const all = referenceRules();
  const fx = { EUR: "0.92", USD: "1", GBP: "0.79", NOK: "10.8", CHF: "0.88", AUD: "1.52", JPY: "150" };
  const inputs = CASES.map(([country, currency, inclusive, mode]) => ({
    input: cart(country, currency, inclusive, mode),
    rules: ruleSetFrom(all, country, "2026-11-25", REGISTRATIONS, country === "BR" ? { USD: "0.18" } : fx),
  }));
  let i = 0;
  for (let w = 0; w < 2000; w++)
    landedCost(inputs[w % inputs.length]!.input, inputs[w % inputs.length]!.rules);
  const calc = time(() => {
    const c = inputs[i++ % inputs.length]!;
    landedCost(c.input, c.rules);
  }, seconds);
  const reference = time(
    () => {
      JSON.parse(JSON.stringify(inputs[i++ % inputs.length]!.input));
    },
    Math.max(1, seconds / 4),
  );
  const perSecond = (t: number[]) => Math.round(t.length / (t.reduce((s, x) => s + x, 0) / 1000));
  return {
    perSecond: perSecond(calc),
    p50: pct(calc, 50).toFixed(3),
    p99: pct(calc, 99).toFixed(3),
    referencePerSecond: perSecond(reference),
  };
}
