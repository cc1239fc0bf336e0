import { asc, eq, or, sql } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { newId } from "../../kernel/ids.ts";
import { requireCountry } from "../../kernel/validate.ts";
import { variantsTable as variants } from "../catalog/index.ts";
import { inventoryLevels, type WarehouseAddress, warehouses } from "./inventory.schema.ts";

export interface WarehouseInput {
  code: string;
  name: string;
  address: WarehouseAddress;
  servesCountries: string[];
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

/**
 * Sets the on-hand quantity of a variant (id or SKU) in a warehouse. Refuses to go below what is
 * reserved. Adjustment history and reservations arrive with checkout.
 */
export async function setStock(ctx: Ctx, variantRef: string, warehouseRef: string, onHand: number) {
  if (!Number.isSafeInteger(onHand) || onHand < 0)
    throw new ValidationError("inventory.invalid_quantity", "onHand must be ≥ 0");
  const [variant] = await ctx.db
    .select({ id: variants.id })
    .from(variants)
    .where(or(eq(variants.id, variantRef), eq(variants.sku, variantRef)));
  if (!variant) throw new NotFoundError("variant", variantRef);
  const warehouse = await getWarehouse(ctx, warehouseRef);
  const [row] = await ctx.db
    .insert(inventoryLevels)
    .values({ variantId: variant.id, warehouseId: warehouse.id, onHand })
    .onConflictDoUpdate({
      target: [inventoryLevels.variantId, inventoryLevels.warehouseId],
      set: { onHand },
      setWhere: sql`${inventoryLevels.reserved} <= ${onHand}`,
    })
    .returning();
  if (!row)
    throw new ValidationError("inventory.below_reserved", "On hand cannot go below the reserved quantity");
  await emit(ctx, "inventory.level_set", { variantId: variant.id, warehouseId: warehouse.id, onHand });
  return row;
}

export async function stockOf(ctx: Ctx, variantRef: string) {
  return ctx.db
    .select({
      warehouse: warehouses.code,
      onHand: inventoryLevels.onHand,
      reserved: inventoryLevels.reserved,
      available: sql<number>`${inventoryLevels.onHand} - ${inventoryLevels.reserved}`,
    })
    .from(inventoryLevels)
    .innerJoin(warehouses, eq(warehouses.id, inventoryLevels.warehouseId))
    .innerJoin(variants, eq(variants.id, inventoryLevels.variantId))
    .where(or(eq(variants.id, variantRef), eq(variants.sku, variantRef)));
}
