import { and, asc, eq } from "drizzle-orm";
import type { Ctx } from "../../kernel/context.ts";
import { NotFoundError, ValidationError } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { requireCountry, requireCurrency } from "../../kernel/validate.ts";
import { getWarehouse } from "../inventory/index.ts";
import { shippingLanes } from "./shipping.schema.ts";

export interface LaneInput {
  /** What one shipment costs the brand, in minor units of `costCurrency`. */
  cost: number;
  costCurrency: string;
  minDays: number;
  maxDays: number;
}

export type ShippingLane = typeof shippingLanes.$inferSelect;

function checkLane(input: LaneInput): void {
  requireCurrency(input.costCurrency, "costCurrency");
  if (!Number.isSafeInteger(input.cost) || input.cost < 0)
    throw new ValidationError(
      "shipping.invalid_amount",
      "cost must be a non-negative integer of minor units",
    );
  const days = [input.minDays, input.maxDays];
  if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 365) || input.minDays > input.maxDays)
    throw new ValidationError("shipping.invalid_days", "Days must satisfy 0 ≤ minDays ≤ maxDays ≤ 365");
}

/** Lanes, optionally of one warehouse (id or code) and/or to one country. */
export async function listLanes(ctx: Ctx, filter: { warehouse?: string; country?: string } = {}) {
  const warehouseId = filter.warehouse ? (await getWarehouse(ctx, filter.warehouse)).id : undefined;
  return ctx.db
    .select()
    .from(shippingLanes)
    .where(
      and(
        warehouseId ? eq(shippingLanes.warehouseId, warehouseId) : undefined,
        filter.country ? eq(shippingLanes.country, filter.country) : undefined,
      ),
    )
    .orderBy(asc(shippingLanes.warehouseId), asc(shippingLanes.country));
}

export async function getLane(ctx: Ctx, warehouse: string, country: string): Promise<ShippingLane> {
  const wh = await getWarehouse(ctx, warehouse);
  const [row] = await ctx.db
    .select()
    .from(shippingLanes)
    .where(and(eq(shippingLanes.warehouseId, wh.id), eq(shippingLanes.country, country)));
  if (!row) throw new NotFoundError("shipping_lane", `${wh.code}→${country}`);
  return row;
}

/**
 * Creates or replaces the lane from a warehouse (id or code) to a country the warehouse serves.
 * @example await setLane(ctx, "eu-duisburg", "FR", { cost: 650, costCurrency: "EUR", minDays: 2, maxDays: 3 })
 */
export async function setLane(ctx: Ctx, warehouse: string, country: string, input: LaneInput) {
  requireCountry(country);
  checkLane(input);
  const wh = await getWarehouse(ctx, warehouse);
  if (!wh.servesCountries.includes(country))
    throw new ValidationError(
      "shipping.country_not_served",
      `Warehouse ${wh.code} does not serve ${country}; add it to the warehouse's countries first`,
      { warehouse: wh.code, country },
    );
  const values = { warehouseId: wh.id, country, ...input };
  const [row] = await ctx.db
    .insert(shippingLanes)
    .values(values)
    .onConflictDoUpdate({ target: [shippingLanes.warehouseId, shippingLanes.country], set: input })
    .returning();
  await emit(ctx, "shipping.lane_set", { warehouseId: wh.id, country });
  return row!;
}

export async function deleteLane(ctx: Ctx, warehouse: string, country: string): Promise<void> {
  const lane = await getLane(ctx, warehouse, country);
  await ctx.db
    .delete(shippingLanes)
    .where(and(eq(shippingLanes.warehouseId, lane.warehouseId), eq(shippingLanes.country, country)));
  await emit(ctx, "shipping.lane_deleted", { warehouseId: lane.warehouseId, country });
}
