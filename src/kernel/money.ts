import { CURRENCY_EXPONENTS } from "./currencies.ts";
import { ValidationError } from "./errors.ts";

/** An amount of money in integer minor units of an ISO 4217 currency. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Rounding of a fractional minor-unit amount. */
export type Rounding = "half-up" | "half-even" | "down" | "up";

export function isCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

/**
 * Number of minor-unit digits of a currency.
 * @example currencyExponent("JPY") // 0
 */
export function currencyExponent(currency: string): number {
  const exp = CURRENCY_EXPONENTS[currency];
  if (exp === undefined) throw new ValidationError("money.unknown_currency", `Unknown currency ${currency}`);
  return exp;
}

/**
 * Builds a Money value, checking the currency and that the amount is a safe integer.
 * @example money(1999, "EUR") // €19.99
 */
export function money(amount: number, currency: string): Money {
  currencyExponent(currency);
  if (!Number.isSafeInteger(amount)) {
    throw new ValidationError(
      "money.invalid_amount",
      `Amount must be an integer of minor units, got ${amount}`,
    );
  }
  return { amount, currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new ValidationError("money.currency_mismatch", `Cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function sum(items: readonly Money[], currency: string): Money {
  return items.reduce((acc, m) => add(acc, m), money(0, currency));
}

/** A decimal number held exactly as an integer significand and a power-of-ten scale. */
interface Decimal {
  units: bigint;
  scale: number;
}

/** Parses "1.0825" or "12" exactly; rejects exponents, signs other than "-", and garbage. */
export function parseDecimal(text: string): Decimal {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new ValidationError("money.invalid_decimal", `Not a decimal number: "${text}"`);
  const fraction = match[3] ?? "";
  const units = BigInt(match[2]! + fraction) * (match[1] ? -1n : 1n);
  return { units, scale: fraction.length };
}

/** Divides with the given rounding; `den` is positive. */
function divideRounded(num: bigint, den: bigint, rounding: Rounding): bigint {
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  const sign = num < 0n ? -1n : 1n;
  const twice = (r < 0n ? -r : r) * 2n;
  switch (rounding) {
    case "down":
      return q;
    case "up":
      return q + sign;
    case "half-up":
      return twice >= den ? q + sign : q;
    case "half-even":
      if (twice > den) return q + sign;
      if (twice < den) return q;
      return q % 2n === 0n ? q : q + sign;
  }
}

/**
 * Multiplies by an exact decimal factor given as a string, rounding to a whole minor unit.
 * @example multiply(money(1000, "EUR"), "0.19") // { amount: 190, currency: "EUR" }
 */
export function multiply(m: Money, factor: string, rounding: Rounding = "half-even"): Money {
  const f = parseDecimal(factor);
  const scaled = divideRounded(BigInt(m.amount) * f.units, 10n ** BigInt(f.scale), rounding);
  return money(Number(scaled), m.currency);
}

/**
 * Converts at `rate` (units of `to` per one unit of `m.currency`), honouring both exponents.
 * @example convert(money(1000, "EUR"), "161.25", "JPY") // ¥1612 (1612.5, half-even)
 */
export function convert(m: Money, rate: string, to: string, rounding: Rounding = "half-even"): Money {
  const r = parseDecimal(rate);
  if (r.units <= 0n)
    throw new ValidationError("money.invalid_rate", `Exchange rate must be positive, got ${rate}`);
  const shift = currencyExponent(to) - currencyExponent(m.currency) - r.scale;
  let num = BigInt(m.amount) * r.units;
  let den = 1n;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den = 10n ** BigInt(-shift);
  return money(Number(divideRounded(num, den, rounding)), to);
}

/**
 * Splits an amount in proportion to `ratios` without losing or inventing a minor unit: the
 * remainder goes one unit at a time to the largest fractional shares (earlier lines on ties).
 * @example allocate(money(299, "USD"), [1, 1, 1]).map((m) => m.amount) // [100, 100, 99]
 */
export function allocate(m: Money, ratios: readonly number[]): Money[] {
  if (ratios.length === 0) throw new ValidationError("money.no_ratios", "allocate needs at least one ratio");
  if (ratios.some((r) => !Number.isSafeInteger(r) || r < 0)) {
    throw new ValidationError("money.invalid_ratio", "Ratios must be non-negative integers");
  }
  // Summed exactly: a float sum of safe integers can pass 2^53 and round.
  const total = ratios.reduce((a, b) => a + BigInt(b), 0n);
  if (total === 0n) throw new ValidationError("money.invalid_ratio", "Ratios must not all be zero");
  const amount = BigInt(m.amount);
  const shares = ratios.map((r) => (amount * BigInt(r)) / total);
  const remainders = ratios.map((r, i) => ({ i, rem: (amount * BigInt(r)) % total }));
  let left = amount - shares.reduce((a, b) => a + b, 0n);
  const step = left < 0n ? -1n : 1n;
  remainders.sort((a, b) => {
    const d = step > 0n ? b.rem - a.rem : a.rem - b.rem;
    return d === 0n ? a.i - b.i : d > 0n ? 1 : -1;
  });
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i]! += step;
    left -= step;
  }
  return shares.map((s) => money(Number(s), m.currency));
}

/**
 * Reads a major-unit decimal string ("19.99") as Money, rejecting more decimals than the currency has.
 * @example fromDecimal("1500", "JPY") // { amount: 1500, currency: "JPY" }
 */
export function fromDecimal(text: string, currency: string): Money {
  const d = parseDecimal(text);
  const exp = currencyExponent(currency);
  if (d.scale > exp) {
    throw new ValidationError("money.too_many_decimals", `${currency} has ${exp} decimals, got "${text}"`);
  }
  return money(Number(d.units * 10n ** BigInt(exp - d.scale)), currency);
}

/** The major-unit decimal string of an amount: toDecimal(money(5, "KWD")) === "0.005". */
export function toDecimal(m: Money): string {
  const exp = currencyExponent(m.currency);
  const abs = Math.abs(m.amount)
    .toString()
    .padStart(exp + 1, "0");
  const sign = m.amount < 0 ? "-" : "";
  return exp === 0 ? sign + abs : `${sign}${abs.slice(0, -exp)}.${abs.slice(-exp)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats for display with Intl, using the currency's ISO exponent.
 * @example formatMoney(money(123456, "EUR"), "de-DE") // "1.234,56 €"
 */
export function formatMoney(m: Money, locale: string): string {
  const key = `${locale}|${m.currency}`;
  let f = formatters.get(key);
  if (!f) {
    const digits = currencyExponent(m.currency);
    f = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: m.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, f);
  }
  return f.format(Number(toDecimal(m)));
}

/**
 * Exact decimal division rounded half-even to `scale` decimal places, as a string.
 * @example divideDecimal("161.25", "1.05", 6) // "153.571429"
 */
export function divideDecimal(a: string, b: string, scale: number): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (y.units === 0n) throw new ValidationError("money.division_by_zero", "Division by zero");
  // a/b = (xu / 10^xs) / (yu / 10^ys); scale the numerator so the quotient has `scale` decimals.
  let num = x.units * 10n ** BigInt(scale + y.scale);
  let den = y.units * 10n ** BigInt(x.scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  return formatUnits(divideRounded(num, den, "half-even"), scale);
}

/** Multiplies a decimal string by 10^shift exactly: shiftDecimal("1.5", 2) === "150". */
export function shiftDecimal(a: string, shift: number): string {
  const d = parseDecimal(a);
  const scale = d.scale - shift;
  return scale >= 0 ? formatUnits(d.units, scale) : (d.units * 10n ** BigInt(-scale)).toString();
}

function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  const trimmed = whole.includes(".") ? whole.replace(/\.?0+$/, "") : whole;
  return negative ? `-${trimmed}` : trimmed;
}
