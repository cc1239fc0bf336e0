import { asc, eq, or, sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import { actorLabel, type Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { requireCountry } from "../../kernel/validate.ts";
import { variantsTable as variants } from "../catalog/index.ts";
import {
  type AdjustmentReason,
  inventoryAdjustments,
  inventoryLevels,
  type WarehouseAddress,
  warehouses,
} from "./inventory.schema.ts";

export interface WarehouseInput {
  code: string;
  name: string;
  address: WarehouseAddress;
  servesCountries: string[];
  acceptsReturns?: boolean;
}

function validateWarehouse(input: Partial<WarehouseInput>) {
  if (input.address) requireCountry(input.address.country, "address.country");
  for (const c of input.servesCountries ?? []) requireCountry(c, "servesCountries");
}

export async function listWarehouses(ctx: Ctx) {
  return ctx.db.select().from(warehouses).orderBy(asc(warehouses.code));
}

export async function getWarehouse(ctx: Ctx, idOrCode: string) {
  const [row] = await ctx.db
    .select()
    .from(warehouses)
    .where(or(eq(warehouses.id, idOrCode), eq(warehouses.code, idOrCode)));
  if (!row) throw new NotFoundError("warehouse", idOrCode);
  return row;
}

export async function createWarehouse(ctx: Ctx, input: WarehouseInput) {
  validateWarehouse(input);
  const [row] = await ctx.db
    .insert(warehouses)
    .values({ id: newId("wh"), ...input })
    .returning();
  return row!;
}

export async function updateWarehouse(ctx: Ctx, idOrCode: string, patch: Partial<WarehouseInput>) {
  validateWarehouse(patch);
  const current = await getWarehouse(ctx, idOrCode);
  const [row] = await ctx.db.update(warehouses).set(patch).where(eq(warehouses.id, current.id)).returning();
  return row!;
}

async function variantIdOf(ctx: Ctx, variantRef: string): Promise<string> {
  const [variant] = await ctx.db
    .select({ id: variants.id })
    .from(variants)
    .where(or(eq(variants.id, variantRef), eq(variants.sku, variantRef)));
  if (!variant) throw new NotFoundError("variant", variantRef);
  return variant.id;
}

/**
 * Sets the on-hand quantity of a variant (id or SKU) in a warehouse, recording the difference as
 * an adjustment. Refuses to go below what is reserved.
 */
export async function setStock(
  ctx: Ctx,
  variantRef: string,
  warehouseRef: string,
  onHand: number,
  reason: AdjustmentReason = "cycle_count",
) {
  if (!Number.isSafeInteger(onHand) || onHand < 0)
    throw new ValidationError("inventory.invalid_quantity", "onHand must be ≥ 0");
  const variantId = await variantIdOf(ctx, variantRef);
  const warehouse = await getWarehouse(ctx, warehouseRef);
  const [before] = await queryRows<{ on_hand: number }>(
    ctx.db,
    sql`select on_hand from inventory_levels where variant_id = ${variantId} and warehouse_id = ${warehouse.id} for update`,
  );
  return changeOnHand(ctx, variantId, warehouse.id, onHand - (before?.on_hand ?? 0), reason);
}

/**
 * Adds `delta` (may be negative) to the on-hand stock with a reason, e.g. goods received or
 * damaged. Available stock cannot go below zero unless the level allows backorders.
 * @example await adjustStock(ctx, { variant: "YS-RSJ-01", warehouse: "eu-duisburg", delta: 24, reason: "received" })
 */
export async function adjustStock(
  ctx: Ctx,
  input: { variant: string; warehouse: string; delta: number; reason: AdjustmentReason; note?: string },
) {
  if (!Number.isSafeInteger(input.delta) || input.delta === 0)
    throw new ValidationError("inventory.invalid_quantity", "delta must be a non-zero integer");
  const variantId = await variantIdOf(ctx, input.variant);
  const warehouse = await getWarehouse(ctx, input.warehouse);
  return changeOnHand(ctx, variantId, warehouse.id, input.delta, input.reason, input.note);
}

async function changeOnHand(
  ctx: Ctx,
  variantId: string,
  warehouseId: string,
  delta: number,
  reason: AdjustmentReason,
  note?: string,
) {
  const allowed = sql`${inventoryLevels.onHand} + ${delta} >= ${inventoryLevels.reserved}
    or (select allow_backorder from variants where id = ${variantId})`;
  const [row] =
    delta >= 0
      ? await ctx.db
          .insert(inventoryLevels)
          .values({ variantId, warehouseId, onHand: delta })
          .onConflictDoUpdate({
            target: [inventoryLevels.variantId, inventoryLevels.warehouseId],
            set: { onHand: sql`${inventoryLevels.onHand} + ${delta}` },
          })
          .returning()
      : await ctx.db
          .update(inventoryLevels)
          .set({ onHand: sql`${inventoryLevels.onHand} + ${delta}` })
          .where(
            sql`${inventoryLevels.variantId} = ${variantId} and ${inventoryLevels.warehouseId} = ${warehouseId} and (${allowed})`,
          )
          .returning();
  if (!row)
    throw new ValidationError(
      "inventory.below_reserved",
      "On hand cannot go below the reserved quantity (or below zero)",
    );
  if (delta !== 0) {
    await ctx.db.insert(inventoryAdjustments).values({
      id: newId("adj"),
      variantId,
      warehouseId,
      delta,
      reason,
      note,
      actor: actorLabel(ctx.actor),
    });
  }
  await emit(ctx, "inventory.level_set", { variantId, warehouseId, onHand: row.onHand });
  return row;
}
