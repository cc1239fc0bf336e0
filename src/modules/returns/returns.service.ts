import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { allocate, money } from "../../kernel/money.ts";
import {
  type ReturnReason,
  type ReturnStatus,
  returnLines,
  returnPolicies,
  returns,
  storeCreditEntries,
} from "./returns.schema.ts";

export type ReturnRow = typeof returns.$inferSelect;
export type ReturnLineRow = typeof returnLines.$inferSelect;

export interface ReturnPolicy {
  windowDays: number;
  autoApproveReasons: ReturnReason[];
  autoApproveMaxAmount: number | null;
}

const DEFAULT_POLICY: ReturnPolicy = { windowDays: 30, autoApproveReasons: [], autoApproveMaxAmount: null };

export async function getPolicy(ctx: Ctx, marketId: string): Promise<ReturnPolicy> {
  const [row] = await ctx.db.select().from(returnPolicies).where(eq(returnPolicies.marketId, marketId));
  return row
    ? {
        windowDays: row.windowDays,
        autoApproveReasons: row.autoApproveReasons as ReturnReason[],
        autoApproveMaxAmount: row.autoApproveMaxAmount,
      }
    : DEFAULT_POLICY;
}

export async function setPolicy(ctx: Ctx, marketId: string, policy: ReturnPolicy): Promise<ReturnPolicy> {
  if (!Number.isSafeInteger(policy.windowDays) || policy.windowDays < 0 || policy.windowDays > 3650)
    throw new ValidationError("returns.invalid_window", "windowDays must be 0-3650");
  await ctx.db
    .insert(returnPolicies)
    .values({ marketId, ...policy })
    .onConflictDoUpdate({ target: returnPolicies.marketId, set: policy });
  return getPolicy(ctx, marketId);
}

/** What can be returned of an order line: shipped, not returned, not already in an open return. */
export interface ReturnableLine {
  id: string;
  variantId: string;
  quantity: number;
  fulfilledQuantity: number;
  returnedQuantity: number;
  /** What the line cost the buyer in total (tax included), split exactly per unit. */
  total: number;
}

export interface ReturnRequest {
  orderId: string;
  customerId: string | null;
  marketId: string;
  currency: string;
  /** When the returnable goods reached (or, undelivered, left for) the customer. */
  receivedAt: Date;
  lines: ReturnableLine[];
  items: { lineId: string; quantity: number; reason: ReturnReason; note?: string }[];
  refundMethod: "original" | "store_credit";
  warehouseId: string;
  note?: string;
}

/** Units of each order line already in returns that are still open (requested or approved). */
async function openReturnUnits(ctx: Ctx, orderId: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .select({ lineId: returnLines.orderLineId, quantity: sql<number>`sum(${returnLines.quantity})::int` })
    .from(returnLines)
    .innerJoin(returns, eq(returns.id, returnLines.returnId))
    .where(and(eq(returns.orderId, orderId), inArray(returns.status, ["requested", "approved"])))
    .groupBy(returnLines.orderLineId);
  return new Map(rows.map((r) => [r.lineId, r.quantity]));
}

/** The paid value of `quantity` units of a line: its total split per unit without losing a minor unit. */
function unitsValue(
  line: ReturnableLine,
  currency: string,
  alreadyReturned: number,
  quantity: number,
): number {
  const perUnit = allocate(money(line.total, currency), Array(line.quantity).fill(1)).map((m) => m.amount);
  return perUnit.slice(alreadyReturned, alreadyReturned + quantity).reduce((a, b) => a + b, 0);
}

/**
 * Opens a return within the market's window, checking every quantity against what shipped and is
 * not returned yet. The policy may approve it at once. Emits `return.requested`.
 * @example await createReturn(tx, { orderId, items: [{ lineId, quantity: 1, reason: "size_too_small" }], … })
 */
export async function createReturn(ctx: Ctx, req: ReturnRequest, now = new Date()): Promise<ReturnRow> {
  const policy = await getPolicy(ctx, req.marketId);
  const deadline = new Date(req.receivedAt.getTime() + policy.windowDays * 86_400_000);
  if (now > deadline)
    throw new ConflictError(
      "returns.window_closed",
      `Returns close ${policy.windowDays} days after delivery`,
      {
        deadline: deadline.toISOString(),
      },
    );
  if (req.items.length === 0)
    throw new ValidationError("returns.no_items", "A return needs at least one item");
  const open = await openReturnUnits(ctx, req.orderId);
  const seen = new Set<string>();
  const lineValues: { item: ReturnRequest["items"][number]; line: ReturnableLine; amount: number }[] = [];
  for (const item of req.items) {
    const line = req.lines.find((l) => l.id === item.lineId);
    if (!line) throw new ValidationError("returns.unknown_line", `The order has no line ${item.lineId}`);
    if (seen.has(item.lineId))
      throw new ValidationError("returns.duplicate_line", `Line ${item.lineId} is listed twice`);
    seen.add(item.lineId);
    const pending = open.get(line.id) ?? 0;
    const returnable = line.fulfilledQuantity - line.returnedQuantity - pending;
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1 || item.quantity > returnable)
      throw new ConflictError(
        "returns.quantity_not_returnable",
        `Line ${item.lineId}: ${returnable} unit(s) can be returned`,
        {
          lineId: line.id,
          returnable,
        },
      );
    lineValues.push({
      item,
      line,
      amount: unitsValue(line, req.currency, line.returnedQuantity + pending, item.quantity),
    });
  }
  const amount = lineValues.reduce((s, v) => s + v.amount, 0);
  const auto =
    req.items.every((i) => policy.autoApproveReasons.includes(i.reason)) &&
    (policy.autoApproveMaxAmount === null || amount <= policy.autoApproveMaxAmount);
  const id = newId("ret");
  const [row] = await ctx.db
    .insert(returns)
    .values({
      id,
      orderId: req.orderId,
      customerId: req.customerId,
      status: auto ? "approved" : "requested",
      refundMethod: req.refundMethod,
      warehouseId: req.warehouseId,
      autoApproved: auto,
      currency: req.currency,
      amount,
      note: req.note,
      approvedAt: auto ? now : null,
    })
    .returning();
  await ctx.db.insert(returnLines).values(
    lineValues.map((v) => ({
      id: newId("rli"),
      returnId: id,
      orderLineId: v.line.id,
      variantId: v.line.variantId,
      quantity: v.item.quantity,
      reason: v.item.reason,
      note: v.item.note,
      amount: v.amount,
    })),
  );
  await emit(
    ctx,
    "return.requested",
    { returnId: id, orderId: req.orderId, amount, currency: req.currency, autoApproved: auto },
    { key: id },
  );
  return row!;
}

export async function getReturn(ctx: Ctx, returnId: string) {
  const [row] = await ctx.db.select().from(returns).where(eq(returns.id, returnId));
  if (!row) throw new NotFoundError("return", returnId);
  const lines = await ctx.db
    .select()
    .from(returnLines)
    .where(eq(returnLines.returnId, returnId))
    .orderBy(asc(returnLines.id));
  const seconds = row.refundedAt
    ? Math.round((row.refundedAt.getTime() - row.requestedAt.getTime()) / 1000)
    : null;
  return { ...row, lines, requestToRefundSeconds: seconds };
}

export async function lockReturn(ctx: Ctx, returnId: string): Promise<ReturnRow> {
  const [row] = await ctx.db.select().from(returns).where(eq(returns.id, returnId)).for("update");
  if (!row) throw new NotFoundError("return", returnId);
  return row;
}

export async function returnsOfOrder(ctx: Ctx, orderId: string): Promise<ReturnRow[]> {
  return ctx.db.select().from(returns).where(eq(returns.orderId, orderId)).orderBy(asc(returns.id));
}

export async function listReturns(
  ctx: Ctx,
  filter: { status?: ReturnStatus; customerId?: string; limit: number; before?: string },
) {
  return ctx.db
    .select()
    .from(returns)
    .where(
      and(
        filter.status ? eq(returns.status, filter.status) : undefined,
        filter.customerId ? eq(returns.customerId, filter.customerId) : undefined,
        filter.before ? sql`${returns.id} < ${filter.before}` : undefined,
      ),
    )
    .orderBy(desc(returns.id))
    .limit(filter.limit);
}

function assertStatus(row: ReturnRow, allowed: ReturnStatus[], action: string) {
  if (!allowed.includes(row.status))
    throw new ConflictError("returns.invalid_transition", `A ${row.status} return cannot be ${action}`, {
      status: row.status,
    });
}

export async function approveReturn(ctx: Ctx, returnId: string): Promise<ReturnRow> {
  const row = await lockReturn(ctx, returnId);
  assertStatus(row, ["requested"], "approved");
  const [updated] = await ctx.db
    .update(returns)
    .set({ status: "approved", approvedAt: new Date() })
    .where(eq(returns.id, returnId))
    .returning();
  return updated!;
}

export async function rejectReturn(ctx: Ctx, returnId: string, reason: string): Promise<ReturnRow> {
  const row = await lockReturn(ctx, returnId);
  assertStatus(row, ["requested", "approved"], "rejected");
  const [updated] = await ctx.db
    .update(returns)
    .set({ status: "rejected", rejectionReason: reason })
    .where(eq(returns.id, returnId))
    .returning();
  return updated!;
}

/**
 * Records the inspection of received goods: per return line how many units go back to stock and
 * how many are written off (together, every unit of the line). Emits `return.received`.
 */
export async function receiveReturn(
  ctx: Ctx,
  returnId: string,
  items: { lineId: string; restock: number; writeOff: number }[],
): Promise<{ row: ReturnRow; lines: ReturnLineRow[] }> {
  const row = await lockReturn(ctx, returnId);
  assertStatus(row, ["approved"], "received");
  const lines = await ctx.db.select().from(returnLines).where(eq(returnLines.returnId, returnId));
  for (const line of lines) {
    const item = items.find((i) => i.lineId === line.id);
    if (!item)
      throw new ValidationError("returns.line_missing", `Inspection result missing for line ${line.id}`);
    if (item.restock < 0 || item.writeOff < 0 || item.restock + item.writeOff !== line.quantity)
      throw new ValidationError(
        "returns.inspection_mismatch",
        `Line ${line.id}: restock + write-off must be ${line.quantity}`,
      );
  }
  if (items.some((i) => !lines.some((l) => l.id === i.lineId)))
    throw new ValidationError("returns.unknown_line", "An inspected line is not part of this return");
  const inspected: ReturnLineRow[] = [];
  for (const item of items) {
    const [updated] = await ctx.db
      .update(returnLines)
      .set({ restockedQuantity: item.restock, writtenOffQuantity: item.writeOff })
      .where(eq(returnLines.id, item.lineId))
      .returning();
    inspected.push(updated!);
  }
  const [updated] = await ctx.db
    .update(returns)
    .set({ status: "received", receivedAt: new Date() })
    .where(eq(returns.id, returnId))
    .returning();
  await emit(ctx, "return.received", { returnId, orderId: row.orderId }, { key: returnId });
  return { row: updated!, lines: inspected };
}

export async function markReturnRefunded(
  ctx: Ctx,
  returnId: string,
  refund: { amount: number; reference: string },
) {
  const row = await lockReturn(ctx, returnId);
  assertStatus(row, ["received"], "refunded");
  const [updated] = await ctx.db
    .update(returns)
    .set({
      status: "refunded",
      refundedAmount: refund.amount,
      refundReference: refund.reference,
      refundedAt: new Date(),
    })
    .where(eq(returns.id, returnId))
    .returning();
  return updated!;
}

/** Gives a customer store credit once per reference. */
export async function addStoreCredit(
  ctx: Ctx,
  entry: { customerId: string; amount: number; currency: string; reason: string; reference: string },
) {
  const [row] = await ctx.db
    .insert(storeCreditEntries)
    .values({ id: newId("scr"), ...entry })
    .onConflictDoNothing({ target: storeCreditEntries.reference })
    .returning();
  return (
    row ??
    (
      await ctx.db.select().from(storeCreditEntries).where(eq(storeCreditEntries.reference, entry.reference))
    )[0]!
  );
}

/** A customer's store credit balance per currency. */
export async function storeCreditBalance(ctx: Ctx, customerId: string) {
  return ctx.db
    .select({
      currency: storeCreditEntries.currency,
      balance: sql<number>`sum(${storeCreditEntries.amount})`.mapWith(Number),
    })
    .from(storeCreditEntries)
    .where(eq(storeCreditEntries.customerId, customerId))
    .groupBy(storeCreditEntries.currency);
}
