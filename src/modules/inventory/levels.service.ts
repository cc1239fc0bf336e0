import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError } from "../../kernel/errors.ts";
import { variantsTable as variants } from "../catalog/index.ts";
import { inventoryAdjustments, inventoryLevels, warehouses } from "./inventory.schema.ts";
import { getWarehouse } from "./inventory.service.ts";

export interface StockLevel {
  warehouse: string;
  onHand: number;
  reserved: number;
  available: number;
  incoming: number;
  lowStockThreshold: number | null;
  lowStock: boolean;
}

const levelColumns = {
  warehouse: warehouses.code,
  onHand: inventoryLevels.onHand,
  reserved: inventoryLevels.reserved,
  available: sql<number>`${inventoryLevels.onHand} - ${inventoryLevels.reserved}`.mapWith(Number),
  incoming: inventoryLevels.incoming,
  lowStockThreshold: inventoryLevels.lowStockThreshold,
  lowStock:
    sql<boolean>`${inventoryLevels.onHand} - ${inventoryLevels.reserved} <= coalesce(${inventoryLevels.lowStockThreshold}, -1)`.mapWith(
      Boolean,
    ),
};

/** Stock of a variant (id or SKU) in every warehouse that holds a level for it. */
export async function stockOf(ctx: Ctx, variantRef: string): Promise<StockLevel[]> {
  return ctx.db
    .select(levelColumns)
    .from(inventoryLevels)
    .innerJoin(warehouses, eq(warehouses.id, inventoryLevels.warehouseId))
    .innerJoin(variants, eq(variants.id, inventoryLevels.variantId))
    .where(or(eq(variants.id, variantRef), eq(variants.sku, variantRef)))
    .orderBy(warehouses.code);
}

/** Levels at or below their low-stock threshold, lowest availability first. */
export async function lowStockLevels(ctx: Ctx, limit = 100) {
  return ctx.db
    .select({ sku: variants.sku, variantId: variants.id, ...levelColumns })
    .from(inventoryLevels)
    .innerJoin(warehouses, eq(warehouses.id, inventoryLevels.warehouseId))
    .innerJoin(variants, eq(variants.id, inventoryLevels.variantId))
    .where(
      sql`${inventoryLevels.onHand} - ${inventoryLevels.reserved} <= ${inventoryLevels.lowStockThreshold}`,
    )
    .orderBy(sql`${inventoryLevels.onHand} - ${inventoryLevels.reserved}`, variants.sku)
    .limit(limit);
}

export interface LevelSettings {
  incoming?: number;
  lowStockThreshold?: number | null;
}

/** Changes the planning settings of an existing level (incoming units, low-stock threshold). */
export async function updateLevelSettings(
  ctx: Ctx,
  variantRef: string,
  warehouseRef: string,
  patch: LevelSettings,
) {
  const warehouse = await getWarehouse(ctx, warehouseRef);
  const [level] = await queryRows<{ variant_id: string }>(
    ctx.db,
    sql`select l.variant_id from inventory_levels l join variants v on v.id = l.variant_id
        where (v.id = ${variantRef} or v.sku = ${variantRef}) and l.warehouse_id = ${warehouse.id}`,
  );
  if (!level) throw new NotFoundError("inventory_level", `${variantRef}@${warehouseRef}`);
  const [row] = await ctx.db
    .update(inventoryLevels)
    .set(patch)
    .where(
      and(eq(inventoryLevels.variantId, level.variant_id), eq(inventoryLevels.warehouseId, warehouse.id)),
    )
    .returning();
  return row!;
}

/** Adjustment history of a variant (id or SKU), newest first; `before` pages by id. */
export async function listAdjustments(
  ctx: Ctx,
  variantRef: string,
  opts: { limit: number; before?: string },
) {
  const [variant] = await ctx.db
    .select({ id: variants.id })
    .from(variants)
    .where(or(eq(variants.id, variantRef), eq(variants.sku, variantRef)));
  if (!variant) throw new NotFoundError("variant", variantRef);
  return ctx.db
    .select({
      id: inventoryAdjustments.id,
      warehouse: warehouses.code,
      delta: inventoryAdjustments.delta,
      reason: inventoryAdjustments.reason,
      reference: inventoryAdjustments.reference,
      actor: inventoryAdjustments.actor,
      note: inventoryAdjustments.note,
      createdAt: inventoryAdjustments.createdAt,
    })
    .from(inventoryAdjustments)
    .innerJoin(warehouses, eq(warehouses.id, inventoryAdjustments.warehouseId))
    .where(
      and(
        eq(inventoryAdjustments.variantId, variant.id),
        opts.before ? lt(inventoryAdjustments.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(inventoryAdjustments.id))
    .limit(opts.limit);
}
