import { allocate, money, multiply } from "../../kernel/money.ts";
import { bxgyUnits, matchesTarget } from "./discounts.bxgy.ts";
import type { Discount, DiscountInput } from "./discounts.types.ts";

/** A validated cart with its line totals (unitPrice × quantity) and subtotal. */
export interface Cart {
  input: DiscountInput;
  lineTotals: number[];
  subtotal: number;
}

/** What a set of discounts takes off a cart, per discount and per line. */
export interface Evaluation {
  /** Amount per discount id, in the order the discounts were applied. */
  amounts: Map<string, number>;
  /** Per line (cart order): amount per discount id. */
  lines: Map<string, number>[];
  shipping: number;
  order: number;
  total: number;
}

/** `amount` × basis points / 10000, rounded half-up to a minor unit. */
export function percentOf(amount: number, basisPoints: number, currency: string): number {
  const factor = `${Math.trunc(basisPoints / 10_000)}.${String(basisPoints % 10_000).padStart(4, "0")}`;
  return multiply(money(amount, currency), factor, "half-up").amount;
}

/** What a product-class discount would take off each line on its own, from the original prices. */
function productWants(d: Discount, cart: Cart): number[] {
  const { lines, currency } = cart.input;
  if (d.kind === "buy_x_get_y") {
    const units = bxgyUnits(d, lines);
    return lines.map((line, i) =>
      percentOf((units.get(i) ?? 0) * line.unitPrice, d.percentage ?? 0, currency),
    );
  }
  return lines.map((line, i) => {
    if (!matchesTarget(d.appliesTo, line)) return 0;
    if (d.kind === "percentage") return percentOf(cart.lineTotals[i]!, d.percentage ?? 0, currency);
    if (d.kind === "fixed_amount") {
      // A product-class fixed amount comes off each eligible unit, never more than the unit costs.
      return Math.min(d.amounts?.[currency] ?? 0, line.unitPrice) * line.quantity;
    }
    return 0;
  });
}

function record(e: Evaluation, id: string, amount: number): void {
  e.amounts.set(id, (e.amounts.get(id) ?? 0) + amount);
  e.total += amount;
}

/**
 * Applies `ordered` (a set that may combine, in application order) to the cart:
 * 1. product class: each discount is computed on the original line totals and capped by what is
 *    left of each line after the discounts before it;
 * 2. order class: each is computed on the eligible lines' subtotal after product discounts, capped
 *    by what is left of them, and spread over them in proportion to what is left (`allocate`);
 * 3. shipping class: up to the shipping amount not yet discounted.
 */
export function evaluate(cart: Cart, ordered: readonly Discount[]): Evaluation {
  const { input } = cart;
  const remaining = [...cart.lineTotals];
  const e: Evaluation = {
    amounts: new Map(),
    lines: input.lines.map(() => new Map()),
    shipping: 0,
    order: 0,
    total: 0,
  };
  const take = (d: Discount, i: number, amount: number) => {
    if (amount <= 0) return;
    remaining[i]! -= amount;
    e.lines[i]!.set(d.id, (e.lines[i]!.get(d.id) ?? 0) + amount);
  };

  for (const d of ordered.filter((x) => x.class === "product")) {
    const wants = productWants(d, cart);
    let sum = 0;
    wants.forEach((want, i) => {
      const amount = Math.min(want, remaining[i]!);
      take(d, i, amount);
      sum += amount;
    });
    record(e, d.id, sum);
  }

  const afterProducts = [...remaining];
  for (const d of ordered.filter((x) => x.class === "order")) {
    const matching = input.lines.flatMap((line, i) => (matchesTarget(d.appliesTo, line) ? [i] : []));
    const base = matching.reduce((n, i) => n + afterProducts[i]!, 0);
    const eligible = matching.filter((i) => remaining[i]! > 0);
    const left = eligible.reduce((n, i) => n + remaining[i]!, 0);
    const want =
      d.kind === "percentage"
        ? percentOf(base, d.percentage ?? 0, input.currency)
        : d.kind === "fixed_amount"
          ? (d.amounts?.[input.currency] ?? 0)
          : 0;
    const amount = Math.min(want, left);
    if (amount > 0) {
      const shares = allocate(
        money(amount, input.currency),
        eligible.map((i) => remaining[i]!),
      );
      for (const [k, share] of shares.entries()) take(d, eligible[k]!, share.amount);
    }
    record(e, d.id, amount);
    e.order += amount;
  }

  for (const d of ordered.filter((x) => x.class === "shipping")) {
    const amount = d.kind === "free_shipping" ? input.shippingAmount - e.shipping : 0;
    e.shipping += amount;
    record(e, d.id, amount);
  }
  return e;
}
