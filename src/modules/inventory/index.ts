/**
 * Inventory: warehouses (with the countries they serve), stock levels with adjustments and
 * low-stock thresholds, and reservations that hold stock from checkout until payment.
 * @example await adjustStock(ctx, { variant: "YS-RSJ-01", warehouse: "eu-duisburg", delta: 24, reason: "received" })
 */
export { ADJUSTMENT_REASONS, type AdjustmentReason } from "./inventory.schema.ts";
export {
  adjustStock,
  createWarehouse,
  getWarehouse,
  listWarehouses,
  setStock,
  updateWarehouse,
  type WarehouseInput,
} from "./inventory.service.ts";
export {
  type LevelSettings,
  listAdjustments,
  lowStockLevels,
  type StockLevel,
  stockOf,
  updateLevelSettings,
} from "./levels.service.ts";
export {
  assertReserved,
  commitReservations,
  commitReservationsPart,
  extendReservations,
  type LockedStock,
  lockStockPart,
  ordersWithExpiredReservations,
  type ReservationItem,
  releaseReservations,
  reservePart,
  restock,
} from "./reservations.service.ts";
