import { asc, eq } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { requireLocales } from "../../kernel/validate.ts";
import { parseRateTable, type Rates, type RateType } from "./shipping.rates.ts";
import { shippingMethods } from "./shipping.schema.ts";
import { getZone } from "./zones.service.ts";

export interface MethodInput {
  /** The zone's id. */
  zone: string;
  /** Unique within the zone: "standard", "express". */
  code: string;
  /** Display name per locale. */
  name: Record<string, string>;
  carrier: string;
  rateType: RateType;
  /** flat: { amount }; weight_tiers: [{ upToGrams, amount }]; value_tiers: [{ upToSubtotal, amount }]. */
  rates: Rates;
  /** Free from this subtotal on (market-currency minor units); null or absent: never free. */
  freeOver?: number | null;
  extraDays?: number;
  active?: boolean;
  position?: number;
}

export type MethodPatch = Partial<Omit<MethodInput, "zone">>;
export type ShippingMethod = typeof shippingMethods.$inferSelect;

const CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

function checkName(name: Record<string, string>): Record<string, string> {
  const entries = Object.entries(name).filter(([, text]) => text.trim() !== "");
  if (entries.length === 0)
    throw new ValidationError("shipping.name_required", "A method needs a name in at least one locale");
  const locales = requireLocales(
    entries.map(([locale]) => locale),
    "name",
  );
  return Object.fromEntries(entries.map(([, text], i) => [locales[i]!, text.trim()]));
}

function checkFields(patch: MethodPatch): void {
  if (patch.code !== undefined && !CODE.test(patch.code))
    throw new ValidationError("shipping.invalid_code", "A method code is 1-40 of a-z, 0-9, - and _");
  if (patch.freeOver != null && (!Number.isSafeInteger(patch.freeOver) || patch.freeOver < 0))
    throw new ValidationError(
      "shipping.invalid_amount",
      "freeOver must be a non-negative integer of minor units",
    );
  if (
    patch.extraDays !== undefined &&
    (!Number.isInteger(patch.extraDays) || patch.extraDays < 0 || patch.extraDays > 365)
  )
    throw new ValidationError("shipping.invalid_days", "extraDays must be between 0 and 365");
}

export async function listMethods(ctx: Ctx, zoneId?: string): Promise<ShippingMethod[]> {
  if (zoneId) await getZone(ctx, zoneId);
  return ctx.db
    .select()
    .from(shippingMethods)
    .where(zoneId ? eq(shippingMethods.zoneId, zoneId) : undefined)
    .orderBy(asc(shippingMethods.zoneId), asc(shippingMethods.position), asc(shippingMethods.code));
}

export async function getMethod(ctx: Ctx, id: string): Promise<ShippingMethod> {
  const [row] = await ctx.db.select().from(shippingMethods).where(eq(shippingMethods.id, id));
  if (!row) throw new NotFoundError("shipping_method", id);
  return row;
}

export async function createMethod(ctx: Ctx, input: MethodInput): Promise<ShippingMethod> {
  checkFields(input);
  const table = parseRateTable(input.rateType, input.rates);
  const zone = await getZone(ctx, input.zone);
  const [row] = await ctx.db
    .insert(shippingMethods)
    .values({
      id: newId("shm"),
      zoneId: zone.id,
      code: input.code,
      name: checkName(input.name),
      carrier: input.carrier,
      ...table,
      freeOver: input.freeOver ?? null,
      extraDays: input.extraDays ?? 0,
      active: input.active ?? true,
      position: input.position ?? 0,
    })
    .returning();
  await emit(ctx, "shipping.method_created", { methodId: row!.id, zoneId: zone.id });
  return row!;
}

/** Changes a method; a new rate type needs rates of its shape in the same patch. */
export async function updateMethod(ctx: Ctx, id: string, patch: MethodPatch): Promise<ShippingMethod> {
  checkFields(patch);
  const current = await getMethod(ctx, id);
  const table = parseRateTable(patch.rateType ?? current.rateType, patch.rates ?? current.rates);
  const [row] = await ctx.db
    .update(shippingMethods)
    .set({
      code: patch.code ?? current.code,
      name: patch.name ? checkName(patch.name) : current.name,
      carrier: patch.carrier ?? current.carrier,
      ...table,
      freeOver: patch.freeOver === undefined ? current.freeOver : patch.freeOver,
      extraDays: patch.extraDays ?? current.extraDays,
      active: patch.active ?? current.active,
      position: patch.position ?? current.position,
      updatedAt: new Date(),
    })
    .where(eq(shippingMethods.id, current.id))
    .returning();
  await emit(ctx, "shipping.method_updated", { methodId: current.id });
  return row!;
}

export async function deleteMethod(ctx: Ctx, id: string): Promise<void> {
  const [row] = await ctx.db.delete(shippingMethods).where(eq(shippingMethods.id, id)).returning();
  if (!row) throw new NotFoundError("shipping_method", id);
  await emit(ctx, "shipping.method_deleted", { methodId: id, zoneId: row.zoneId });
}
