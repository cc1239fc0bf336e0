/**
 * Markets: the shop's settings, the markets it sells to (countries, currency, locales, tax and
 * duty behaviour) and exchange rates.
 * @example const market = await markets.getMarket(ctx, "eu")
 */
export {
  crossRate,
  deleteFxOverride,
  type FxQuote,
  importEcbRates,
  parseEcbXml,
  resolveRate,
  setFxOverride,
} from "./fx.service.ts";
export { marketCountries, markets as marketsTable } from "./markets.schema.ts";
export {
  createMarket,
  deleteMarket,
  getMarket,
  getShop,
  listMarkets,
  type Market,
  type MarketInput,
  type Shop,
  updateMarket,
  upsertShop,
} from "./markets.service.ts";
