import type { WarehouseInput } from "../modules/inventory/index.ts";
import type { MarketInput } from "../modules/markets/index.ts";
import type { RoundingRule } from "../modules/pricing/index.ts";

/** The demo brand's markets. Tax-inclusive display follows each market's consumer-price convention. */
export const DEMO_MARKETS: MarketInput[] = [
  {
    code: "us",
    name: "United States",
    currency: "USD",
    locales: ["en", "es"],
    countries: ["US"],
    taxInclusive: false,
    dutyMode: "DDP",
    urlPrefix: "/us",
  },
  {
    code: "eu",
    name: "European Union",
    currency: "EUR",
    locales: ["de", "fr", "es", "it", "nl", "en"],
    countries: ["DE", "FR", "ES", "IT", "NL", "AT", "BE"],
    taxInclusive: true,
    dutyMode: "DDP",
    urlPrefix: "/eu",
  },
  {
    code: "gb",
    name: "United Kingdom",
    currency: "GBP",
    locales: ["en"],
    countries: ["GB"],
    taxInclusive: true,
    dutyMode: "DDP",
    urlPrefix: "/uk",
  },
  {
    code: "jp",
    name: "Japan",
    currency: "JPY",
    locales: ["ja", "en"],
    countries: ["JP"],
    taxInclusive: true,
    dutyMode: "DDP",
    urlPrefix: "/jp",
  },
  {
    code: "br",
    name: "Brazil",
    currency: "BRL",
    locales: ["pt-BR", "en"],
    countries: ["BR"],
    taxInclusive: true,
    dutyMode: "DDU",
    urlPrefix: "/br",
  },
  {
    code: "gcc",
    name: "Saudi Arabia & UAE",
    currency: "SAR",
    locales: ["ar", "en"],
    countries: ["SA", "AE"],
    taxInclusive: true,
    dutyMode: "DDP",
    urlPrefix: "/gcc",
  },
  {
    code: "id",
    name: "Indonesia",
    currency: "IDR",
    locales: ["id", "en"],
    countries: ["ID"],
    taxInclusive: true,
    dutyMode: "DDU",
    urlPrefix: "/id",
  },
  {
    code: "au",
    name: "Australia",
    currency: "AUD",
    locales: ["en"],
    countries: ["AU"],
    taxInclusive: true,
    dutyMode: "DDP",
    urlPrefix: "/au",
  },
];

/** Charm pricing per currency for converted prices. */
export const DEMO_ROUNDING: Record<string, RoundingRule> = {
  EUR: { step: "1", ending: "0.99", mode: "up" },
  GBP: { step: "1", ending: "0.99", mode: "up" },
  JPY: { step: "10", ending: "0", mode: "up" },
  BRL: { step: "1", ending: "0.90", mode: "up" },
  SAR: { step: "1", ending: "0", mode: "up" },
  IDR: { step: "1000", ending: "0", mode: "up" },
  AUD: { step: "1", ending: "0.95", mode: "up" },
};

export const DEMO_WAREHOUSES: WarehouseInput[] = [
  {
    code: "us-ontario",
    name: "Ontario, California",
    address: { line1: "4200 E Airport Dr", city: "Ontario", postalCode: "91761", country: "US" },
    servesCountries: ["US", "BR"],
  },
  {
    code: "eu-duisburg",
    name: "Duisburg, Germany",
    address: { line1: "Hafenstraße 12", city: "Duisburg", postalCode: "47119", country: "DE" },
    servesCountries: ["DE", "FR", "ES", "IT", "NL", "AT", "BE", "GB"],
  },
  {
    code: "uk-tilbury",
    name: "Tilbury, United Kingdom",
    address: { line1: "Dock Road 3", city: "Tilbury", postalCode: "RM18 7BX", country: "GB" },
    servesCountries: ["GB"],
  },
  {
    code: "apac-singapore",
    name: "Singapore",
    address: { line1: "9 Changi South Street 3", city: "Singapore", postalCode: "486361", country: "SG" },
    servesCountries: ["JP", "ID", "AU", "SA", "AE"],
  },
];

type Method = { provider: string; method: string; captureMode: "automatic" | "manual" };
const card: Method = { provider: "test", method: "card", captureMode: "automatic" };
const paypal: Method = { provider: "test", method: "paypal", captureMode: "automatic" };

/** Payment methods per demo market, through the built-in test gateway: cards everywhere plus local methods. */
export const DEMO_PAYMENT_METHODS: Record<string, Method[]> = {
  us: [card, paypal],
  eu: [
    card,
    { provider: "test", method: "ideal", captureMode: "automatic" },
    { provider: "test", method: "bancontact", captureMode: "automatic" },
    paypal,
  ],
  gb: [card, paypal],
  jp: [card],
  br: [
    card,
    { provider: "test", method: "pix", captureMode: "automatic" },
    { provider: "test", method: "boleto", captureMode: "automatic" },
  ],
  gcc: [card],
  id: [card],
  au: [card, paypal],
};
