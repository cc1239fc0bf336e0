import { ValidationError } from "../../kernel/errors.ts";
import { isCurrency } from "../../kernel/money.ts";
import { type Cart, type Evaluation, evaluate } from "./discounts.compute.ts";
import type {
  Discount,
  DiscountInput,
  DiscountResult,
  LineDiscount,
  RejectionReason,
} from "./discounts.types.ts";

/** Beyond this many combinations the first ones, in order of standalone saving, are compared. */
const MAX_COMBINATIONS = 256;

/**
 * The key per-customer limits count by: a customer id as given, an email trimmed and lower-cased.
 * @example customerKeyOf(" Ann@Example.COM ") // "ann@example.com"
 */
export function customerKeyOf(key: string): string {
  const trimmed = key.trim();
  return trimmed.includes("@") ? trimmed.toLowerCase() : trimmed;
}

/** Codes as stored: trimmed and upper-case. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

function invalid(message: string): never {
  throw new ValidationError("discount.invalid_cart", message);
}

function prepareCart(input: DiscountInput): Cart {
  if (!isCurrency(input.currency)) invalid(`Unknown currency ${input.currency}`);
  if (!Number.isSafeInteger(input.shippingAmount) || input.shippingAmount < 0)
    invalid("shippingAmount must be a non-negative integer");
  const ids = new Set<string>();
  let subtotal = 0;
  const lineTotals = input.lines.map((line) => {
    if (ids.has(line.lineId)) invalid(`Line ${line.lineId} is listed twice`);
    ids.add(line.lineId);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
      invalid(`Line ${line.lineId}: quantity must be a positive integer`);
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0)
      invalid(`Line ${line.lineId}: unitPrice must be a non-negative integer`);
    const total = line.unitPrice * line.quantity;
    subtotal += total;
    if (!Number.isSafeInteger(subtotal)) invalid("The cart total is too large");
    return total;
  });
  return { input, lineTotals, subtotal };
}

/** Why a discount cannot apply to this cart before its saving is known, or null if it may. */
function ineligibility(d: Discount, cart: Cart): RejectionReason | null {
  const { input } = cart;
  const now = input.now.getTime();
  if (!d.active) return "unknown";
  if (d.startsAt && now < d.startsAt.getTime()) return "not_started";
  if (d.endsAt && now >= d.endsAt.getTime()) return "expired";
  if (d.marketIds.length > 0 && !d.marketIds.includes(input.marketId)) return "market";
  if (d.usageLimit !== null && d.timesUsed >= d.usageLimit) return "usage_limit";
  const usage = d.customerUsage;
  if (
    d.perCustomerLimit !== null &&
    input.customerKey !== undefined &&
    usage?.customerKey === customerKeyOf(input.customerKey) &&
    usage.uses >= d.perCustomerLimit
  )
    return "usage_limit";
  if (d.kind === "fixed_amount" && !(d.amounts && Object.hasOwn(d.amounts, input.currency)))
    return "currency";
  if (d.minSubtotal && Object.keys(d.minSubtotal).length > 0) {
    // A minimum stated in other currencies only is not waived: the discount waits for one here.
    if (!Object.hasOwn(d.minSubtotal, input.currency)) return "currency";
    if (cart.subtotal < d.minSubtotal[input.currency]!) return "minimum_subtotal";
  }
  return null;
}

/** Mutual: each discount must combine with the other's class (also within one class). */
export function canCombine(a: Discount, b: Discount): boolean {
  return a.combinesWith[b.class] && b.combinesWith[a.class];
}

/** Every maximal set of pairwise combinable discounts (Bron–Kerbosch with pivoting). */
function maximalSets(items: readonly Discount[]): Discount[][] {
  const adjacent = items.map((a, i) => items.map((b, j) => i !== j && canCombine(a, b)));
  const out: Discount[][] = [];
  const visit = (chosen: number[], open: number[], done: number[]) => {
    if (out.length >= MAX_COMBINATIONS) return;
    if (open.length === 0 && done.length === 0) {
      out.push(chosen.sort((a, b) => a - b).map((i) => items[i]!));
      return;
    }
    const degree = (v: number) => open.filter((u) => adjacent[v]![u]).length;
    const pivot = [...open, ...done].reduce((best, v) => (degree(v) > degree(best) ? v : best));
    for (const v of open.filter((u) => !adjacent[pivot]![u])) {
      visit(
        [...chosen, v],
        open.filter((u) => adjacent[v]![u]),
        done.filter((u) => adjacent[v]![u]),
      );
      open = open.filter((u) => u !== v);
      done = [...done, v];
    }
  };
  visit(
    [],
    items.map((_, i) => i),
    [],
  );
  return out;
}

interface Scored {
  set: Discount[];
  evaluation: Evaluation;
  codes: number;
  ids: string;
}

/** The largest saving wins; then the set honouring more entered codes; then fewer discounts; then ids. */
function better(a: Scored, b: Scored): boolean {
  if (a.evaluation.total !== b.evaluation.total) return a.evaluation.total > b.evaluation.total;
  if (a.codes !== b.codes) return a.codes > b.codes;
  if (a.set.length !== b.set.length) return a.set.length < b.set.length;
  return a.ids < b.ids;
}

function score(cart: Cart, set: Discount[]): Scored {
  return {
    set,
    evaluation: evaluate(cart, set),
    codes: set.filter((d) => d.code !== null).length,
    ids: set
      .map((d) => d.id)
      .sort()
      .join(" "),
  };
}

/**
 * Applies the best allowed combination of the automatic discounts and the entered codes to a
 * cart; see docs/architecture.md (Discounts) for the rules.
 */
export function applyDiscounts(input: DiscountInput, candidates: readonly Discount[]): DiscountResult {
  const cart = prepareCart(input);
  const rejected = new Map<string, RejectionReason>();
  const codes = [...new Set(input.codes.map(normalizeCode).filter((c) => c.length > 0))];
  const byCode = new Map(candidates.filter((d) => d.code !== null).map((d) => [d.code!, d]));
  const eligible = new Map<string, Discount>();
  for (const code of codes) {
    const d = byCode.get(code);
    const reason = d ? ineligibility(d, cart) : "unknown";
    if (reason) rejected.set(code, reason);
    else eligible.set(d!.id, d!);
  }
  for (const d of candidates)
    if (d.code === null && !eligible.has(d.id) && ineligibility(d, cart) === null) eligible.set(d.id, d);

  // Free shipping is kept at a zero saving: the shipping method may not be chosen yet.
  const saving = new Map<string, number>();
  const usable: Discount[] = [];
  for (const d of eligible.values()) {
    const alone = evaluate(cart, [d]).total;
    saving.set(d.id, alone);
    if (alone > 0 || d.class === "shipping") usable.push(d);
    else if (d.code) rejected.set(d.code, "not_applicable");
  }
  usable.sort((a, b) => saving.get(b.id)! - saving.get(a.id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  let best: Scored | null = null;
  for (const set of maximalSets(usable)) {
    const scored = score(cart, set);
    if (!best || better(scored, best)) best = scored;
  }
  const chosen = best?.set ?? [];
  const evaluation = best?.evaluation ?? evaluate(cart, []);

  // A chosen discount left with nothing to take is reported, not listed as applied. Application
  // order: product, order, then shipping discounts, each class by standalone saving.
  let shippingKept = false;
  const inOrder = [...evaluation.amounts.keys()].map((id) => eligible.get(id)!);
  const applied = inOrder.filter((d) => {
    const amount = evaluation.amounts.get(d.id) ?? 0;
    const keep = amount > 0 || (d.class === "shipping" && input.shippingAmount === 0 && !shippingKept);
    if (keep && d.class === "shipping") shippingKept = true;
    if (!keep && d.code) rejected.set(d.code, "not_applicable");
    return keep;
  });
  for (const d of usable)
    if (d.code && !chosen.includes(d) && !rejected.has(d.code)) rejected.set(d.code, "not_combinable");

  const lines: LineDiscount[] = input.lines.map((line, i) => {
    const allocations = [...evaluation.lines[i]!].map(([discountId, amount]) => ({ discountId, amount }));
    return { lineId: line.lineId, discount: allocations.reduce((n, a) => n + a.amount, 0), allocations };
  });
  return {
    currency: input.currency,
    lines,
    shippingDiscount: evaluation.shipping,
    orderDiscount: evaluation.order,
    totalDiscount: evaluation.total,
    applied: applied.map((d) => ({
      discountId: d.id,
      code: d.code,
      title: d.title,
      kind: d.kind,
      class: d.class,
      amount: evaluation.amounts.get(d.id) ?? 0,
    })),
    rejectedCodes: codes.flatMap((code) => {
      const reason = rejected.get(code);
      return reason ? [{ code, reason }] : [];
    }),
  };
}
