import { ValidationError } from "../../kernel/errors.ts";

export type RateType = "flat" | "weight_tiers" | "value_tiers";
export const RATE_TYPES: readonly RateType[] = ["flat", "weight_tiers", "value_tiers"];

/** A tier applies up to and including its limit; `null` is the open-ended last tier. */
export interface WeightTier {
  upToGrams: number | null;
  amount: number;
}
export interface ValueTier {
  upToSubtotal: number | null;
  amount: number;
}
export type Rates = { amount: number } | WeightTier[] | ValueTier[];

/** A method's price list, its shape following its type. Amounts in market-currency minor units. */
export type RateTable =
  | { rateType: "flat"; rates: { amount: number } }
  | { rateType: "weight_tiers"; rates: WeightTier[] }
  | { rateType: "value_tiers"; rates: ValueTier[] };

/** What a rate is computed from: the parcel weight and the subtotal in market-currency minor units. */
export interface Basket {
  weightGrams: number;
  subtotal: number;
}

function requireAmount(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new ValidationError(
      "shipping.invalid_amount",
      `${field} must be a non-negative integer of minor units`,
    );
  return value;
}

function parseTiers<K extends "upToGrams" | "upToSubtotal">(
  rates: unknown,
  limitKey: K,
): Array<Record<K, number | null> & { amount: number }> {
  const mismatch = () =>
    new ValidationError("shipping.rates_mismatch", `Tiers need { ${limitKey}, amount } entries`);
  if (!Array.isArray(rates) || rates.length === 0) throw mismatch();
  let previous = -1;
  return rates.map((tier: unknown, i) => {
    if (!tier || typeof tier !== "object" || !(limitKey in tier)) throw mismatch();
    const { [limitKey]: limit, amount } = tier as Record<string, unknown>;
    const last = i === rates.length - 1;
    if (limit === null) {
      if (!last)
        throw new ValidationError("shipping.tiers_open_end", "Only the last tier may be open-ended (null)", {
          index: i,
        });
    } else {
      if (last)
        throw new ValidationError(
          "shipping.tiers_open_end",
          `The last tier must be open-ended (${limitKey}: null)`,
        );
      const bound = requireAmount(limit, `tiers[${i}].${limitKey}`);
      if (bound <= previous)
        throw new ValidationError("shipping.tiers_not_ascending", `Tier limits must strictly ascend`, {
          index: i,
        });
      previous = bound;
    }
    return { [limitKey]: limit, amount: requireAmount(amount, `tiers[${i}].amount`) } as Record<
      K,
      number | null
    > & {
      amount: number;
    };
  });
}

/**
 * Checks that `rates` has the shape of `rateType` (tiers strictly ascending, last tier open-ended,
 * amounts non-negative integers) and returns it as a typed table without unknown fields.
 * @example parseRateTable("flat", { amount: 495 }) // { rateType: "flat", rates: { amount: 495 } }
 */
export function parseRateTable(rateType: string, rates: unknown): RateTable {
  switch (rateType) {
    case "flat": {
      if (!rates || typeof rates !== "object" || Array.isArray(rates) || !("amount" in rates))
        throw new ValidationError("shipping.rates_mismatch", "A flat rate is { amount }");
      return { rateType, rates: { amount: requireAmount(rates.amount, "amount") } };
    }
    case "weight_tiers":
      return { rateType, rates: parseTiers(rates, "upToGrams") };
    case "value_tiers":
      return { rateType, rates: parseTiers(rates, "upToSubtotal") };
    default:
      throw new ValidationError(
        "shipping.invalid_rate_type",
        `Rate type must be one of ${RATE_TYPES.join(", ")}`,
      );
  }
}

/**
 * What the customer pays for a method: nothing once the subtotal reaches `freeOver`, else the flat
 * amount or the amount of the first tier whose limit the weight (or subtotal) does not exceed.
 * @example rateAmount({ rateType: "weight_tiers", rates: [{ upToGrams: 500, amount: 400 }, { upToGrams: null, amount: 900 }] }, null, { weightGrams: 500, subtotal: 0 }) // 400
 */
export function rateAmount(table: RateTable, freeOver: number | null, basket: Basket): number {
  if (freeOver !== null && basket.subtotal >= freeOver) return 0;
  switch (table.rateType) {
    case "flat":
      return table.rates.amount;
    case "weight_tiers":
      return tierAmount(table.rates, (t) => t.upToGrams, basket.weightGrams);
    case "value_tiers":
      return tierAmount(table.rates, (t) => t.upToSubtotal, basket.subtotal);
  }
}

function tierAmount<T extends { amount: number }>(tiers: T[], limit: (t: T) => number | null, value: number) {
  const tier = tiers.find((t) => {
    const bound = limit(t);
    return bound === null || value <= bound;
  });
  // Validation makes the last tier open-ended, so a tier always matches.
  return (tier ?? tiers[tiers.length - 1]!).amount;
}
