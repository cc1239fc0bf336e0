import { and, eq, getTableColumns, or, type SQL, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { queryRows, runPrepared, sqlList, sqlTextArray } from "../../db/client.ts";
import { type Ctx, transaction } from "../../kernel/context.ts";
import { ConflictError, ValidationError } from "../../kernel/errors.ts";
import { isCurrency } from "../../kernel/money.ts";
import { customerKeyOf, normalizeCode } from "./discounts.apply.ts";
import { discountCustomerUses, discounts } from "./discounts.schema.ts";
import { toDiscount } from "./discounts.service.ts";
import type { Discount } from "./discounts.types.ts";

export interface CandidateQuery {
  marketId: string;
  /** Codes as entered; matched case-insensitively. */
  codes: readonly string[];
  now: Date;
  /** Customer id or guest email: loads how often this customer used each discount. */
  customerKey?: string;
}

/** An automatic discount that applies in the market now and is under its usage limit. */
function isLive(d: Discount, marketId: string, now: Date): boolean {
  return (
    (d.startsAt === null || d.startsAt <= now) &&
    (d.endsAt === null || d.endsAt > now) &&
    (d.marketIds.length === 0 || d.marketIds.includes(marketId)) &&
    (d.usageLimit === null || d.timesUsed < d.usageLimit)
  );
}

/**
 * The active discounts matching the entered codes (whatever their dates or markets, so
 * `applyDiscounts` can say why a code does not apply) and the automatic discounts that are live
 * in the market now, each with the customer's use count.
 *
 * For Store API requests the automatic discounts come from the per-instance configuration cache:
 * the table's triggers notify on every change of a definition and whenever a discount reaches or
 * leaves its usage limit, which is all a cached copy must know (`redeem` enforces the limits).
 * Codes are then read only when there are some; a customer's use counts of automatic discounts
 * with a per-customer limit, only when there are such discounts.
 */
export async function loadCandidates(ctx: Ctx, query: CandidateQuery): Promise<Discount[]> {
  if (!ctx.cache) return queryCandidates(ctx, query);
  const all = await ctx.cache.get("discounts:automatic", () =>
    queryCandidates(ctx, { ...query, customerKey: undefined, allAutomatic: true }),
  );
  const automatic = all.filter((d) => isLive(d, query.marketId, query.now));
  if (query.customerKey !== undefined && automatic.some((d) => d.perCustomerLimit !== null))
    return queryCandidates(ctx, query);
  const coded = query.codes.length > 0 ? await queryCandidates(ctx, { ...query, codedOnly: true }) : [];
  const key = query.customerKey === undefined ? null : customerKeyOf(query.customerKey);
  const withUsage = automatic.map((d) =>
    key === null ? d : { ...d, customerUsage: { customerKey: key, uses: 0 } },
  );
  return [...coded, ...withUsage].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One statement; `allAutomatic` loads every active automatic discount whatever its market or dates. */
async function queryCandidates(
  ctx: Ctx,
  query: CandidateQuery & { codedOnly?: boolean; allAutomatic?: boolean },
): Promise<Discount[]> {
  const codes = [...new Set(query.codes.map(normalizeCode).filter((c) => c.length > 0))];
  const key = query.customerKey === undefined ? null : customerKeyOf(query.customerKey);
  const now = query.now.toISOString();
  const automatic = query.codedOnly
    ? sql`false`
    : query.allAutomatic
      ? sql`${discounts.code} is null`
      : sql`${discounts.code} is null
    and (${discounts.startsAt} is null or ${discounts.startsAt} <= ${now})
    and (${discounts.endsAt} is null or ${discounts.endsAt} > ${now})
    and (cardinality(${discounts.marketIds}) = 0 or ${query.marketId} = any(${discounts.marketIds}))
    and (${discounts.usageLimit} is null or ${discounts.timesUsed} < ${discounts.usageLimit})`;
  const coded: SQL =
    codes.length > 0 && !query.allAutomatic ? sql`${discounts.code} in (${sqlList(codes)})` : sql`false`;
  const uses =
    key === null
      ? sql<number>`0`
      : sql<number>`coalesce((select u.uses from ${discountCustomerUses} u
          where u.discount_id = ${discounts.id} and u.customer_key = ${key}), 0)`;
  const rows = await runPrepared(
    ctx.db
      .select({ ...getTableColumns(discounts), customerUses: uses.mapWith(Number) })
      .from(discounts)
      .where(and(eq(discounts.active, true), or(coded, automatic)))
      .orderBy(discounts.id),
  );
  return rows.map(({ customerUses, ...row }) => ({
    ...toDiscount(row),
    ...(key === null ? {} : { customerUsage: { customerKey: key, uses: customerUses } }),
  }));
}

export interface RedeemInput {
  orderId: string;
  customerKey: string;
  currency: string;
  /** `DiscountResult.applied` (or any list of discount ids and amounts). */
  applied: ReadonlyArray<{ discountId: string; amount: number }>;
}

interface RedeemRow {
  discount_id: string;
  found: boolean;
  redeemed: boolean;
  counted: boolean;
  customer_ok: boolean;
}

/**
 * Records that an order used its discounts, in one statement: inserts the redemptions (a
 * discount already recorded for this order is skipped, so a retry counts nothing twice), adds
 * one to `times_used` only while under `usage_limit` and one to the customer's count only while
 * under `per_customer_limit`. Each counter is raised by an UPDATE that re-checks the limit on the
 * row version it locks, so concurrent orders cannot pass a limit together. If any limit was
 * reached, throws `discount.usage_limit_reached` (409); it runs in the caller's transaction,
 * which the error rolls back (called outside one, it opens its own).
 */
export async function redeem(ctx: Ctx, input: RedeemInput): Promise<void> {
  if (input.applied.length === 0) return;
  const inTransaction = ctx.db instanceof PgTransaction;
  if (!inTransaction) return transaction(ctx, (tx) => redeem(tx, input));
  if (!isCurrency(input.currency))
    throw new ValidationError("currency.invalid", `"${input.currency}" is not an ISO 4217 currency`);
  for (const a of input.applied)
    if (!Number.isSafeInteger(a.amount) || a.amount < 0)
      throw new ValidationError(
        "discount.invalid_amount",
        "A redeemed amount must be a non-negative integer",
      );
  if (new Set(input.applied.map((a) => a.discountId)).size !== input.applied.length)
    throw new ValidationError("discount.duplicate", "A discount is listed twice");
  const key = customerKeyOf(input.customerKey);
  // Sorted, so that orders sharing discounts tend to lock their rows in the same order.
  const applied = [...input.applied].sort((a, b) => (a.discountId < b.discountId ? -1 : 1));
  const ids = applied.map((a) => a.discountId);
  const amounts = applied.map((a) => a.amount);
  const rows = await queryRows<RedeemRow>(
    ctx.db,
    sql`with input as (
        select * from unnest(${sqlTextArray(ids)}, array[${sqlList(amounts)}]::bigint[]) as i(discount_id, amount)
      ),
      inserted as (
        insert into discount_redemptions (discount_id, order_id, customer_key, amount, currency)
        select i.discount_id, ${input.orderId}, ${key}, i.amount, ${input.currency}
        from input i join discounts d on d.id = i.discount_id
        on conflict (discount_id, order_id) do nothing
        returning discount_id
      ),
      counted as (
        update discounts d set times_used = d.times_used + 1
        from inserted r
        where d.id = r.discount_id and (d.usage_limit is null or d.times_used < d.usage_limit)
        returning d.id
      ),
      customer as (
        insert into discount_customer_uses as u (discount_id, customer_key, uses)
        select r.discount_id, ${key}, 1 from inserted r
        on conflict (discount_id, customer_key) do update set uses = u.uses + 1
        where u.uses < coalesce(
          (select d.per_customer_limit from discounts d where d.id = excluded.discount_id), 2147483647)
        returning discount_id
      )
      select i.discount_id,
        exists (select 1 from discounts d where d.id = i.discount_id) as found,
        i.discount_id in (select discount_id from inserted) as redeemed,
        i.discount_id in (select id from counted) as counted,
        i.discount_id in (select discount_id from customer) as customer_ok
      from input i`,
  );
  const missing = rows.filter((r) => !r.found).map((r) => r.discount_id);
  if (missing.length > 0)
    throw new ConflictError("discount.unavailable", "A discount no longer exists", { discountIds: missing });
  const limited = rows.filter((r) => r.redeemed && !(r.counted && r.customer_ok)).map((r) => r.discount_id);
  if (limited.length > 0) {
    throw new ConflictError("discount.usage_limit_reached", "A discount has reached its usage limit", {
      discountIds: limited,
    });
  }
}

/**
 * Gives back the discounts of a cancelled order, in one statement: deletes its redemptions and
 * lowers the counters they raised. Idempotent: a second call finds nothing to release.
 * @returns how many redemptions were released
 */
export async function releaseRedemption(ctx: Ctx, orderId: string): Promise<number> {
  const [row] = await queryRows<{ released: number }>(
    ctx.db,
    sql`with released as (
        delete from discount_redemptions where order_id = ${orderId} returning discount_id, customer_key
      ),
      counted as (
        update discounts d set times_used = greatest(d.times_used - 1, 0)
        from released r where d.id = r.discount_id returning d.id
      ),
      customer as (
        update discount_customer_uses u set uses = greatest(u.uses - 1, 0)
        from released r where u.discount_id = r.discount_id and u.customer_key = r.customer_key
        returning u.discount_id
      )
      select count(*)::int as released from released`,
  );
  return row?.released ?? 0;
}
