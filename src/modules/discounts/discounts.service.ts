import { and, eq, ne, or, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { ConflictError, NotFoundError } from "../../kernel/errors.ts";
import { newId } from "../../kernel/ids.ts";
import { discountRedemptions, discounts } from "./discounts.schema.ts";
import type { Discount } from "./discounts.types.ts";
import {
  checkFields,
  type DiscountDefinition,
  type DiscountFields,
  defaultClass,
  type FieldsPatch,
  resolveDefinition,
} from "./discounts.validation.ts";

type DiscountRow = typeof discounts.$inferSelect;

/** The API shape of a stored row. */
export function toDiscount(row: DiscountRow): Discount {
  const { combinesWithProduct, combinesWithOrder, combinesWithShipping, ...rest } = row;
  return {
    ...rest,
    combinesWith: { product: combinesWithProduct, order: combinesWithOrder, shipping: combinesWithShipping },
  };
}

function toColumns(f: DiscountFields) {
  const { combinesWith, ...rest } = f;
  return {
    ...rest,
    combinesWithProduct: combinesWith.product,
    combinesWithOrder: combinesWith.order,
    combinesWithShipping: combinesWith.shipping,
  };
}

async function requireFreeCode(ctx: Ctx, code: string | null, exceptId: string): Promise<void> {
  if (code === null) return;
  const [taken] = await ctx.db
    .select({ id: discounts.id })
    .from(discounts)
    .where(and(eq(discounts.code, code), ne(discounts.id, exceptId)));
  if (taken) throw new ConflictError("discount.code_taken", `The code ${code} is in use`, { code });
}

/** Fills what a patch leaves out from `base` and checks the result as a whole. */
function merge(base: DiscountFields, patch: FieldsPatch): DiscountFields {
  const merged: DiscountFields = {
    ...base,
    ...patch,
    combinesWith: { ...base.combinesWith, ...patch.combinesWith },
  };
  if (!patch.class && patch.kind !== undefined && patch.kind !== base.kind)
    merged.class = defaultClass(merged.kind, merged.appliesTo);
  checkFields(merged);
  return merged;
}

const EMPTY: Omit<DiscountFields, "title" | "kind" | "class"> = {
  code: null,
  percentage: null,
  amounts: null,
  appliesTo: { type: "all" },
  buy: null,
  get: null,
  maxUsesPerOrder: null,
  minSubtotal: null,
  marketIds: [],
  startsAt: null,
  endsAt: null,
  usageLimit: null,
  perCustomerLimit: null,
  combinesWith: { product: false, order: false, shipping: false },
  active: true,
};

/**
 * Creates a discount code (or an automatic discount when `code` is absent).
 * @example await createDiscount(ctx, { code: "welcome10", title: "Welcome", kind: "percentage", percentage: 1000 })
 */
export async function createDiscount(ctx: Ctx, input: DiscountDefinition): Promise<Discount> {
  const patch = await resolveDefinition(ctx, input);
  const fields = merge(
    {
      ...EMPTY,
      title: input.title,
      kind: input.kind,
      class: defaultClass(input.kind, patch.appliesTo ?? EMPTY.appliesTo),
    },
    patch,
  );
  const id = newId("disc");
  await requireFreeCode(ctx, fields.code, id);
  const [row] = await ctx.db
    .insert(discounts)
    .values({ id, ...toColumns(fields) })
    .returning();
  return toDiscount(row!);
}

async function findRow(ctx: Ctx, ref: string): Promise<DiscountRow> {
  const [row] = await ctx.db
    .select()
    .from(discounts)
    .where(or(eq(discounts.id, ref), eq(discounts.code, ref.trim().toUpperCase())));
  if (!row) throw new NotFoundError("discount", ref);
  return row;
}

/** A discount by id or code (any case). */
export async function getDiscount(ctx: Ctx, ref: string): Promise<Discount> {
  return toDiscount(await findRow(ctx, ref));
}

/**
 * Changes the given fields; the result must satisfy the same rules as a new discount (to change
 * `kind`, send null for the fields the old kind needed).
 */
export async function updateDiscount(
  ctx: Ctx,
  ref: string,
  input: Partial<DiscountDefinition>,
): Promise<Discount> {
  const current = toDiscount(await findRow(ctx, ref));
  const { id, timesUsed: _u, createdAt: _c, updatedAt: _a, customerUsage: _k, ...base } = current;
  const fields = merge(base, await resolveDefinition(ctx, input));
  await requireFreeCode(ctx, fields.code, id);
  const [row] = await ctx.db
    .update(discounts)
    .set({ ...toColumns(fields), updatedAt: sql`now()` })
    .where(eq(discounts.id, id))
    .returning();
  return toDiscount(row!);
}

/** Deletes a discount no order has used; a used one can only be deactivated (orders refer to it). */
export async function deleteDiscount(ctx: Ctx, ref: string): Promise<void> {
  const { id } = await findRow(ctx, ref);
  const [used] = await ctx.db
    .select({ orderId: discountRedemptions.orderId })
    .from(discountRedemptions)
    .where(eq(discountRedemptions.discountId, id))
    .limit(1);
  if (used)
    throw new ConflictError("discount.in_use", "Orders used this discount; deactivate it instead", { id });
  await ctx.db.delete(discounts).where(eq(discounts.id, id));
}
