import { parseDecimal } from "../../kernel/money.ts";

/** An exact non-negative fraction of minor units. */
export interface Exact {
  n: bigint;
  d: bigint;
}

export const ZERO: Exact = { n: 0n, d: 1n };

export function exact(amount: number): Exact {
  return { n: BigInt(amount), d: 1n };
}

export function plus(a: Exact, b: Exact): Exact {
  return a.d === b.d ? { n: a.n + b.n, d: a.d } : { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}

/**
 * `base` × rate, where the tax is added on top (`exclusive`), contained in `base` (`inclusive`:
 * base × r / (1 + r)) or part of its own base (`grossUp`: base × r / (1 − r)).
 */
export function taxOn(base: Exact, rate: string, mode: "exclusive" | "inclusive" | "grossUp"): Exact {
  const r = parseDecimal(rate);
  const one = 10n ** BigInt(r.scale);
  const den = mode === "exclusive" ? one : mode === "inclusive" ? one + r.units : one - r.units;
  return { n: base.n * r.units, d: base.d * den };
}

export function roundHalfUp(x: Exact): number {
  return Number((2n * x.n + x.d) / (2n * x.d));
}

export function floorOf(x: Exact): number {
  return Number(x.n / x.d);
}

/** Rounded up: thresholds are compared with the value rounded against the buyer's favour. */
export function ceilOf(x: Exact): number {
  return Number((x.n + x.d - 1n) / x.d);
}

/**
 * Rounds a group of exact amounts that share one rate so that their sum is the rounded sum of
 * the exact values (document rounding): each is floored, and the units left over go to the
 * largest remainders, earlier items first on ties.
 */
export function roundAsDocument(values: readonly Exact[]): number[] {
  if (values.length === 0) return [];
  const total = roundHalfUp(values.reduce(plus, ZERO));
  const floors = values.map(floorOf);
  let left = total - floors.reduce((s, f) => s + f, 0);
  const order = values
    .map((v, i) => ({ i, rem: Number(((v.n % v.d) * 1_000_000n) / v.d) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
}
