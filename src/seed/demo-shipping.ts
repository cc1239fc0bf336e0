import type { Ctx } from "../kernel/context.ts";
import {
  createMethod,
  createZone,
  type LaneInput,
  type RateTable,
  setLane,
} from "../modules/shipping/index.ts";
import { DEMO_MARKETS } from "./demo-markets.ts";

type Kind = "standard" | "express";
type DemoMethod = RateTable & { code: Kind; carrier: string; freeOver?: number; extraDays?: number };

const NAMES: Record<Kind, Record<string, string>> = {
  standard: {
    en: "Standard shipping",
    es: "Envío estándar",
    de: "Standardversand",
    fr: "Livraison standard",
    it: "Spedizione standard",
    nl: "Standaardverzending",
    ja: "通常配送",
    "pt-BR": "Entrega padrão",
    ar: "الشحن العادي",
    id: "Pengiriman reguler",
  },
  express: {
    en: "Express shipping",
    es: "Envío exprés",
    de: "Expressversand",
    fr: "Livraison express",
    it: "Spedizione espressa",
    nl: "Expresverzending",
    ja: "お急ぎ便",
    "pt-BR": "Entrega expressa",
    ar: "الشحن السريع",
    id: "Pengiriman ekspres",
  },
};

/**
 * Zones and methods per demo market, amounts in minor units of the market currency (IDR has two
 * decimals in ISO 4217, JPY none). A lane's days are the fastest service's transit, so standard
 * methods add days and express methods add none.
 */
export const DEMO_SHIPPING_ZONES: Array<{
  market: string;
  name: string;
  countries: string[];
  methods: DemoMethod[];
}> = [
  {
    market: "us",
    name: "United States",
    countries: [],
    methods: [
      {
        code: "standard",
        carrier: "USPS Ground Advantage",
        rateType: "weight_tiers",
        rates: [
          { upToGrams: 1000, amount: 595 },
          { upToGrams: 5000, amount: 995 },
          { upToGrams: null, amount: 1795 },
        ],
        freeOver: 7500,
        extraDays: 3,
      },
      {
        code: "express",
        carrier: "UPS 2nd Day Air",
        rateType: "weight_tiers",
        rates: [
          { upToGrams: 2000, amount: 1995 },
          { upToGrams: null, amount: 3495 },
        ],
      },
    ],
  },
  {
    market: "eu",
    name: "Germany",
    countries: ["DE"],
    methods: [
      {
        code: "standard",
        carrier: "DHL Paket",
        rateType: "flat",
        rates: { amount: 495 },
        freeOver: 5000,
        extraDays: 2,
      },
      { code: "express", carrier: "DHL Express", rateType: "flat", rates: { amount: 1490 } },
    ],
  },
  {
    market: "eu",
    name: "Rest of the EU",
    countries: [],
    methods: [
      {
        code: "standard",
        carrier: "DPD Classic",
        rateType: "value_tiers",
        rates: [
          { upToSubtotal: 4999, amount: 795 },
          { upToSubtotal: 9999, amount: 495 },
          { upToSubtotal: null, amount: 0 },
        ],
        extraDays: 2,
      },
      {
        code: "express",
        carrier: "UPS Express Saver",
        rateType: "weight_tiers",
        rates: [
          { upToGrams: 2000, amount: 1990 },
          { upToGrams: null, amount: 2990 },
        ],
      },
    ],
  },
  {
    market: "gb",
    name: "United Kingdom",
    countries: [],
    methods: [
      {
        code: "standard",
        carrier: "Royal Mail Tracked 48",
        rateType: "flat",
        rates: { amount: 395 },
        freeOver: 5000,
        extraDays: 1,
      },
      { code: "express", carrier: "DPD Next Day", rateType: "flat", rates: { amount: 795 } },
    ],
  },
  {
    market: "jp",
    name: "Japan",
    countries: [],
    methods: [
      {
        code: "standard",
        carrier: "Yamato Transport",
        rateType: "weight_tiers",
        rates: [
          { upToGrams: 2000, amount: 800 },
          { upToGrams: 10000, amount: 1400 },
          { upToGrams: null, amount: 2400 },
        ],
        freeOver: 10000,
        extraDays: 3,
      },
      { code: "express", carrier: "DHL Express", rateType: "flat", rates: { amount: 2500 } },
    ],
  },
  {
    market: "br",
    name: "Brasil",
    countries: [],
    methods: [
      {
        code: "standard",
        carrier: "Correios",
        rateType: "weight_tiers",
        rates: [
          { upToGrams: 1000, amount: 4990 },
          { upToGrams: 5000, amount: 8990 },
          { upToGrams: null, amount: 15990 },
        ],
        freeOver: 49900,
        extraDays: 6,
      },
      {
        code: "express",
        carrier: "DHL Express",
        rateType: "weight_tiers",
        rates: [
          { upToGrams: 2000, amount: 14990 },
          { upToGrams: null, amount: 24990 },
        ],
      },
    ],
  },
  {
    market: "gcc",
    name: "Saudi Arabia",
    countries: ["SA"],
    methods: [
      {
        code: "standard",
        carrier: "SMSA Express",
        rateType: "flat",
        rates: { amount: 2500 },
        freeOver: 30000,
        extraDays: 3,
      },
      { code: "express", carrier: "Aramex", rateType: "flat", rates: { amount: 5500 } },
    ],
  },
  {
    market: "gcc",
    name: "United Arab Emirates",
    countries: ["AE"],
    methods: [
      {
        code: "standard",
        carrier: "Aramex",
        rateType: "flat",
        rates: { amount: 3000 },
        freeOver: 30000,
        extraDays: 3,
      },
      { code: "express", carrier: "DHL Express", rateType: "flat", rates: { amount: 6000 } },
    ],
  },
  {
    market: "id",
    name: "Indonesia",
    countries: [],
    methods: [
      {
        code: "standard",
        carrier: "JNE Reguler",
        rateType: "weight_tiers",
        rates: [
          { upToGrams: 1000, amount: 3_500_000 },
          { upToGrams: 3000, amount: 6_000_000 },
          { upToGrams: null, amount: 12_000_000 },
        ],
        freeOver: 75_000_000,
        extraDays: 3,
      },
      { code: "express", carrier: "DHL Express", rateType: "flat", rates: { amount: 25_000_000 } },
    ],
  },
  {
    market: "au",
    name: "Australia",
    countries: [],
    methods: [
      {
        code: "standard",
        carrier: "Australia Post Parcel Post",
        rateType: "weight_tiers",
        rates: [
          { upToGrams: 500, amount: 995 },
          { upToGrams: 3000, amount: 1495 },
          { upToGrams: null, amount: 2495 },
        ],
        freeOver: 12000,
        extraDays: 4,
      },
      {
        code: "express",
        carrier: "StarTrack Express",
        rateType: "value_tiers",
        rates: [
          { upToSubtotal: 14999, amount: 2495 },
          { upToSubtotal: null, amount: 1495 },
        ],
      },
    ],
  },
];

const lane = (cost: number, costCurrency: string, minDays: number, maxDays: number): LaneInput => ({
  cost,
  costCurrency,
  minDays,
  maxDays,
});

/** What the brand pays per parcel, in the warehouse's local currency, and express transit days. */
export const DEMO_LANES: Record<string, Record<string, LaneInput>> = {
  "us-ontario": { US: lane(850, "USD", 1, 3), BR: lane(3200, "USD", 6, 10) },
  "eu-duisburg": {
    DE: lane(490, "EUR", 1, 2),
    NL: lane(590, "EUR", 1, 2),
    BE: lane(590, "EUR", 1, 2),
    AT: lane(690, "EUR", 1, 3),
    FR: lane(690, "EUR", 1, 3),
    IT: lane(790, "EUR", 2, 4),
    ES: lane(790, "EUR", 2, 4),
    GB: lane(1290, "EUR", 3, 6), // customs clearance since Brexit
  },
  "uk-tilbury": { GB: lane(390, "GBP", 1, 2) },
  "apac-singapore": {
    ID: lane(1200, "SGD", 2, 4),
    JP: lane(1800, "SGD", 3, 5),
    AU: lane(2100, "SGD", 3, 6),
    AE: lane(2600, "SGD", 4, 7),
    SA: lane(2900, "SGD", 5, 8),
  },
};

/**
 * Seeds the demo markets' shipping zones and methods and the demo warehouses' lanes. Run after
 * the markets and warehouses exist, inside the seed's transaction.
 * @example await seedDemoShipping(tx)
 */
export async function seedDemoShipping(ctx: Ctx): Promise<void> {
  for (const { methods, ...zone } of DEMO_SHIPPING_ZONES) {
    const created = await createZone(ctx, zone);
    const locales = DEMO_MARKETS.find((m) => m.code === zone.market)!.locales;
    for (const [position, { code, ...method }] of methods.entries()) {
      const name = Object.fromEntries(locales.map((l) => [l, NAMES[code][l]!]));
      await createMethod(ctx, { zone: created.id, code, name, position, ...method });
    }
  }
  for (const [warehouse, lanes] of Object.entries(DEMO_LANES)) {
    for (const [country, input] of Object.entries(lanes)) await setLane(ctx, warehouse, country, input);
  }
}
