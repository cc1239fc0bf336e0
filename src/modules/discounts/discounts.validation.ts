import { sql } from "drizzle-orm";
import { queryRows, sqlList } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { ValidationError } from "../../kernel/errors.ts";
import { requireCurrency } from "../../kernel/validate.ts";
import { collectionsTable, productsTable } from "../catalog/index.ts";
import { marketsTable } from "../markets/index.ts";
import type {
  BxgySide,
  CombinesWith,
  CurrencyAmounts,
  Discount,
  DiscountClass,
  DiscountKind,
  DiscountTarget,
} from "./discounts.types.ts";

/** What an admin sends. Products, collections and markets may be named by id or handle/code. */
export interface DiscountDefinition {
  code?: string | null;
  title: string;
  kind: DiscountKind;
  /** Defaults: shipping for free shipping, product for BXGY and for targeted discounts, else order. */
  class?: DiscountClass;
  percentage?: number | null;
  amounts?: CurrencyAmounts | null;
  appliesTo?: DiscountTarget;
  buy?: BxgySide | null;
  get?: BxgySide | null;
  maxUsesPerOrder?: number | null;
  minSubtotal?: CurrencyAmounts | null;
  marketIds?: string[];
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  perCustomerLimit?: number | null;
  combinesWith?: Partial<CombinesWith>;
  active?: boolean;
}

/** The stored form of a definition's fields (ids resolved, dates parsed, code upper-case). */
export type DiscountFields = Omit<Discount, "id" | "timesUsed" | "createdAt" | "updatedAt" | "customerUsage">;

/** Resolved fields of a patch; `combinesWith` may name only the flags it changes. */
export type FieldsPatch = Omit<Partial<DiscountFields>, "combinesWith"> & {
  combinesWith?: Partial<CombinesWith>;
};

function fail(code: string, message: string, details?: unknown): never {
  throw new ValidationError(code, message, details);
}

const REFERENCES = {
  products: { table: productsTable, id: productsTable.id, name: productsTable.handle },
  collections: { table: collectionsTable, id: collectionsTable.id, name: collectionsTable.handle },
  markets: { table: marketsTable, id: marketsTable.id, name: marketsTable.code },
};

/** Maps refs (ids or handles/codes) to ids in one query; any unknown ref is a 400. */
async function resolveRefs(
  ctx: Ctx,
  what: keyof typeof REFERENCES,
  refs: readonly string[],
): Promise<string[]> {
  if (refs.length === 0) return [];
  const { table, id, name } = REFERENCES[what];
  const rows = await queryRows<{ id: string; name: string }>(
    ctx.db,
    sql`select ${id} as id, ${name} as name from ${table}
      where ${id} in (${sqlList(refs)}) or ${name} in (${sqlList(refs)})`,
  );
  const ids = refs.map((ref) => rows.find((r) => r.id === ref || r.name === ref)?.id);
  const unknown = refs.filter((_, i) => ids[i] === undefined);
  if (unknown.length > 0)
    fail(`discount.unknown_${what}`, `Unknown ${what}: ${unknown.join(", ")}`, { unknown });
  return [...new Set(ids as string[])];
}

async function resolveTarget(ctx: Ctx, target: DiscountTarget): Promise<DiscountTarget> {
  if (target.type === "products")
    return { type: "products", productIds: await resolveRefs(ctx, "products", target.productIds) };
  if (target.type === "collections")
    return {
      type: "collections",
      collectionIds: await resolveRefs(ctx, "collections", target.collectionIds),
    };
  return { type: "all" };
}

function checkAmounts(amounts: CurrencyAmounts | null | undefined, field: string): void {
  for (const currency of Object.keys(amounts ?? {})) requireCurrency(currency, field);
}

/** Parses an ISO date-time between the years 1970 and 9999 (outside that, PostgreSQL or JS balk). */
export function parseDateTime(text: string, field: string): Date {
  const date = new Date(text);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 1970 || year > 9999)
    fail("discount.invalid_date", `${field}: "${text}" is not a date-time between 1970 and 9999`);
  return date;
}

function parseDate(text: string | null | undefined, field: string): Date | null | undefined {
  return text === undefined || text === null ? text : parseDateTime(text, field);
}

/**
 * Resolves the references of the fields present in `input` (other fields are left out), so a
 * patch only checks what it changes.
 */
export async function resolveDefinition(ctx: Ctx, input: Partial<DiscountDefinition>): Promise<FieldsPatch> {
  const { combinesWith, startsAt, endsAt, code, ...rest } = input;
  const out: FieldsPatch = { ...(rest as FieldsPatch) };
  if (code !== undefined) out.code = code === null ? null : code.trim().toUpperCase();
  if (startsAt !== undefined) out.startsAt = parseDate(startsAt, "startsAt");
  if (endsAt !== undefined) out.endsAt = parseDate(endsAt, "endsAt");
  if (combinesWith) out.combinesWith = combinesWith;
  checkAmounts(input.amounts, "amounts");
  checkAmounts(input.minSubtotal, "minSubtotal");
  if (input.appliesTo) out.appliesTo = await resolveTarget(ctx, input.appliesTo);
  if (input.buy)
    out.buy = { quantity: input.buy.quantity, target: await resolveTarget(ctx, input.buy.target) };
  if (input.get)
    out.get = { quantity: input.get.quantity, target: await resolveTarget(ctx, input.get.target) };
  if (input.marketIds) out.marketIds = await resolveRefs(ctx, "markets", input.marketIds);
  return out;
}

export function defaultClass(kind: DiscountKind, appliesTo: DiscountTarget): DiscountClass {
  if (kind === "free_shipping") return "shipping";
  if (kind === "buy_x_get_y") return "product";
  return appliesTo.type === "all" ? "order" : "product";
}

/** The rules a complete set of fields must satisfy; the same rules are CHECK constraints. */
export function checkFields(f: DiscountFields): void {
  const bxgy = f.kind === "buy_x_get_y";
  const needsPercentage = f.kind === "percentage" || bxgy;
  if (needsPercentage && f.percentage === null)
    fail("discount.percentage_required", `A ${f.kind} discount needs a percentage (basis points)`);
  if (!needsPercentage && f.percentage !== null)
    fail("discount.field_not_allowed", `percentage does not apply to a ${f.kind} discount`);
  if (f.kind === "fixed_amount" && (!f.amounts || Object.keys(f.amounts).length === 0))
    fail("discount.amounts_required", "A fixed_amount discount needs an amount in at least one currency");
  if (f.kind !== "fixed_amount" && f.amounts !== null)
    fail("discount.field_not_allowed", `amounts do not apply to a ${f.kind} discount`);
  if (bxgy && (!f.buy || !f.get)) fail("discount.bxgy_required", "A buy_x_get_y discount needs buy and get");
  if (!bxgy && (f.buy || f.get || f.maxUsesPerOrder !== null))
    fail("discount.field_not_allowed", "buy, get and maxUsesPerOrder apply only to buy_x_get_y discounts");
  if ((bxgy || f.kind === "free_shipping") && f.appliesTo.type !== "all")
    fail("discount.field_not_allowed", `A ${f.kind} discount applies to all products (use buy/get targets)`);
  const allowed: DiscountClass[] =
    f.kind === "free_shipping" ? ["shipping"] : bxgy ? ["product"] : ["product", "order"];
  if (!allowed.includes(f.class))
    fail("discount.invalid_class", `A ${f.kind} discount has class ${allowed.join(" or ")}`);
  if (f.startsAt && f.endsAt && f.endsAt <= f.startsAt)
    fail("discount.invalid_window", "endsAt must be after startsAt");
}
