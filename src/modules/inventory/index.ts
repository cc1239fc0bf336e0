/**
 * Inventory: warehouses (with the countries they serve) and stock levels per variant.
 * @example await setStock(ctx, "YS-RSJ-01", "eu-duisburg", 40)
 */
export {
  createWarehouse,
  getWarehouse,
  listWarehouses,
  setStock,
  stockOf,
  type WarehouseInput,
} from "./inventory.service.ts";
