import { and, asc, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { parseDecimal } from "../../kernel/money.ts";
import { requireCurrency } from "../../kernel/validate.ts";
import { variantsTable as variants } from "../catalog/index.ts";
import { getMarket } from "../markets/index.ts";
import { priceListPrices, priceLists, roundingRules } from "./pricing.schema.ts";
import type { RoundingRule } from "./pricing.service.ts";

export interface PriceListInput {
  name: string;
  market: string;
  customerGroup?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
}

export interface PriceEntry {
  /** Variant id or SKU. */
  variant: string;
  amount: number;
  compareAtAmount?: number | null;
}

export async function listRoundingRules(ctx: Ctx) {
  return ctx.db.select().from(roundingRules).orderBy(asc(roundingRules.currency));
}

export async function setRoundingRule(ctx: Ctx, currency: string, rule: RoundingRule) {
  requireCurrency(currency);
  const step = parseDecimal(rule.step);
  const ending = parseDecimal(rule.ending);
  if (step.units <= 0n) throw new ValidationError("rounding.step", "Step must be positive");
  if (ending.units < 0n || Number(rule.ending) >= Number(rule.step)) {
    throw new ValidationError("rounding.ending", "Ending must be at least 0 and below the step");
  }
  const values = { currency, ...rule };
  await ctx.db
    .insert(roundingRules)
    .values(values)
    .onConflictDoUpdate({ target: roundingRules.currency, set: values });
  await emit(ctx, "pricing.rounding_changed", { currency });
  return values;
}

export async function deleteRoundingRule(ctx: Ctx, currency: string) {
  const deleted = await ctx.db.delete(roundingRules).where(eq(roundingRules.currency, currency)).returning();
  if (!deleted.length) throw new NotFoundError("rounding_rule", currency);
}

function validateWindow(input: Partial<PriceListInput>) {
  if (input.startsAt && input.endsAt && Date.parse(input.startsAt) >= Date.parse(input.endsAt)) {
    throw new ValidationError("price_list.window", "startsAt must be before endsAt");
  }
}

export async function listPriceLists(ctx: Ctx) {
  return ctx.db.select().from(priceLists).orderBy(asc(priceLists.createdAt));
}

export async function getPriceList(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select().from(priceLists).where(eq(priceLists.id, id));
  if (!row) throw new NotFoundError("price_list", id);
  const prices = await ctx.db
    .select({
      variantId: priceListPrices.variantId,
      sku: variants.sku,
      amount: priceListPrices.amount,
      compareAtAmount: priceListPrices.compareAtAmount,
    })
    .from(priceListPrices)
    .innerJoin(variants, eq(variants.id, priceListPrices.variantId))
    .where(eq(priceListPrices.priceListId, id));
  return { ...row, prices };
}

export async function createPriceList(ctx: Ctx, input: PriceListInput) {
  validateWindow(input);
  const market = await getMarket(ctx, input.market);
  const id = newId("pl");
  await ctx.db.insert(priceLists).values({
    id,
    name: input.name,
    marketId: market.id,
    customerGroup: input.customerGroup ?? null,
    startsAt: input.startsAt ? new Date(input.startsAt) : null,
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
  });
  return getPriceList(ctx, id);
}

export async function deletePriceList(ctx: Ctx, id: string) {
  const deleted = await ctx.db.delete(priceLists).where(eq(priceLists.id, id)).returning();
  if (!deleted.length) throw new NotFoundError("price_list", id);
}

/** Sets (upserts) prices in a list; `remove` lists variants whose fixed price is dropped. */
export async function setPrices(ctx: Ctx, priceListId: string, entries: PriceEntry[], remove: string[] = []) {
  await getPriceList(ctx, priceListId);
  const refs = [...new Set([...entries.map((e) => e.variant), ...remove])];
  const found = refs.length
    ? await ctx.db
        .select({ id: variants.id, sku: variants.sku })
        .from(variants)
        .where(inArray(variants.id, refs))
        .union(
          ctx.db
            .select({ id: variants.id, sku: variants.sku })
            .from(variants)
            .where(inArray(variants.sku, refs)),
        )
    : [];
  const idOf = (ref: string) => {
    const hit = found.find((v) => v.id === ref || v.sku === ref);
    if (!hit) throw new ValidationError("variant.unknown", `No variant "${ref}"`, { variant: ref });
    return hit.id;
  };
  entries.forEach((e, i) => {
    if (e.compareAtAmount != null && e.compareAtAmount <= e.amount) {
      throw new ValidationError("price.compare_at_not_higher", "Compare-at must be higher than the price", {
        index: i,
      });
    }
  });
  for (const e of entries) {
    const values = {
      priceListId,
      variantId: idOf(e.variant),
      amount: e.amount,
      compareAtAmount: e.compareAtAmount ?? null,
    };
    await ctx.db
      .insert(priceListPrices)
      .values(values)
      .onConflictDoUpdate({ target: [priceListPrices.priceListId, priceListPrices.variantId], set: values });
  }
  const removeIds = remove.map(idOf);
  if (removeIds.length) {
    await ctx.db
      .delete(priceListPrices)
      .where(
        and(eq(priceListPrices.priceListId, priceListId), inArray(priceListPrices.variantId, removeIds)),
      );
  }
  await emit(ctx, "pricing.price_list_changed", { priceListId });
  return getPriceList(ctx, priceListId);
}
