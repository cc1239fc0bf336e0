/**
 * Shipping: zones, methods and rates per market, warehouse→country lanes with delivery times,
 * and order routing (which warehouses ship an order, split when no single one can).
 *
 * Checkout needs two statements per order: one to load the routing input, one for the options.
 * @example
 * const input = await loadRoutingInput(ctx, { country: "FR", variantIds: lines.map((l) => l.variantId) })
 * const plan = planFulfilment({ lines, ...input })
 * const options = await shippingOptions(ctx, {
 *   marketId: market.id, country: "FR", currency: "EUR", weightGrams: 1200, subtotal: 4500,
 *   warehouseIds: plan.shipments.map((s) => s.warehouseId), locales: ["fr", "en"],
 * })
 */

/**
 * Shipping lanes (warehouse → country: cost to the brand and days in transit), admin CRUD.
 * @example await setLane(ctx, "eu-duisburg", "FR", { cost: 650, costCurrency: "EUR", minDays: 2, maxDays: 3 })
 */
export {
  deleteLane,
  getLane,
  type LaneInput,
  listLanes,
  type ShippingLane,
  setLane,
} from "./lanes.service.ts";
/**
 * Shipping methods of a zone with their rate table, admin CRUD.
 * @example await createMethod(ctx, { zone: zone.id, code: "standard", name: { en: "Standard" }, carrier: "DHL", rateType: "flat", rates: { amount: 495 }, freeOver: 5000 })
 */
export {
  createMethod,
  deleteMethod,
  getMethod,
  listMethods,
  type MethodInput,
  type MethodPatch,
  type ShippingMethod,
  updateMethod,
} from "./methods.service.ts";
/**
 * The methods a market offers a country, priced for a basket, with delivery estimates.
 * @example await shippingOptions(ctx, { marketId: "jp", country: "JP", weightGrams: 800, subtotal: 12000 })
 */
export {
  type DeliveryEstimate,
  type ShippingOption,
  type ShippingQuery,
  shippingOptions,
} from "./options.service.ts";
export { type LoadedLane, type LoadedRoutingInput, loadRoutingInput } from "./routing.service.ts";
/**
 * Order routing: the pure planner and the one-statement loader of its input.
 * @example planFulfilment({ lines, ...(await loadRoutingInput(ctx, { country: "JP", variantIds })) })
 */
export {
  type FulfilmentLine,
  type FulfilmentPlan,
  planFulfilment,
  type RoutingInput,
  type RoutingLane,
  type Shipment,
  type StockLevel,
} from "./routing.ts";
/**
 * Rate tables: validation and the price of a method for a basket.
 * @example rateAmount(parseRateTable("flat", { amount: 495 }), 5000, { weightGrams: 900, subtotal: 5000 }) // 0
 */
export {
  type Basket,
  parseRateTable,
  type RateTable,
  type RateType,
  rateAmount,
  type ValueTier,
  type WeightTier,
} from "./shipping.rates.ts";
/**
 * Shipping zones: the countries of a market that share methods, admin CRUD.
 * @example await createZone(ctx, { market: "gcc", name: "Saudi Arabia", countries: ["SA"] })
 */
export {
  createZone,
  deleteZone,
  getZone,
  listZones,
  type ShippingZone,
  updateZone,
  type ZoneInput,
} from "./zones.service.ts";
