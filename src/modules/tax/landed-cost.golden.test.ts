import { describe, expect, it } from "vitest";
import { ValidationError } from "../../kernel/errors.ts";
import { referenceRules } from "./data/index.ts";
import { landedCost } from "./landed-cost.ts";
import type { LandedCost, LandedCostLine } from "./landed-cost.types.ts";
import { ruleSetFrom } from "./rule-set.ts";
import type { Registration } from "./tax.types.ts";
import { testRegistration } from "./testing.ts";

/*
 * Golden cases: every expected figure is worked out by hand below from the official rate or threshold
 * quoted in the comment (the source is the one cited in src/modules/tax/data). Amounts are minor units;
 * rounding is half-up per line unless the jurisdiction rounds per invoice (JP, US, CA).
 */
const ALL = referenceRules();

const reg = testRegistration;

type L = Partial<LandedCostLine> & { amount: number };
const l = (amount: number, extra: Partial<LandedCostLine> = {}): L => ({ amount, ...extra });
const hs = (hsCode: string, originCountry: string | null = null) => ({ hsCode, originCountry });
const FOOD = { taxCategory: "food" };

interface Opts {
  regs?: Registration[];
  currency?: string;
  incl?: boolean;
  ddu?: boolean;
  buyer?: string;
  fx?: Record<string, string>;
  shipping?: number;
}

/** The cart's currency when not given: the destination's (USD for Brazil and Indonesia). */
const CURRENCY: Record<string, string> = {
  GB: "GBP",
  NO: "NOK",
  CH: "CHF",
  US: "USD",
  CA: "CAD",
  BR: "USD",
  ID: "USD",
  AU: "AUD",
  JP: "JPY",
  SG: "SGD",
  SA: "SAR",
};

/** A landed cost to `dest` ("DE", or "US/NY" with a region) on `date` for lines shipped from `from`. */
function at(dest: string, date: string, from: string, lines: L[], o: Opts = {}): LandedCost {
  const [country = "", region = null] = dest.split("/");
  const input = {
    date,
    currency: o.currency ?? CURRENCY[country] ?? "EUR",
    pricesIncludeTax: o.incl ?? false,
    dutyMode: o.ddu ? ("DDU" as const) : ("DDP" as const),
    destination: { country, region },
    buyerVatCountry: o.buyer ?? null,
    lines: lines.map(
      (x, i): LandedCostLine => ({
        id: `l${i + 1}`,
        quantity: 1,
        hsCode: null,
        originCountry: null,
        taxCategory: "standard",
        shipFrom: from,
        ...x,
      }),
    ),
    shipping: o.shipping ?? 0,
  };
  return landedCost(input, ruleSetFrom(ALL, country, date, o.regs ?? [], o.fx ?? {}));
}

/** Per line: [regime, tax on goods, tax on shipping, import tax at the border, duty]. */
const rows = (r: LandedCost) => r.lines.map((x) => [x.regime, x.tax, x.shippingTax, x.importTax, x.duty]);

const D = "2025-06-01";
const DE_VAT = [reg("DE", "VAT")];
const OSS = [reg("EU", "OSS")];
const IOSS = [reg("EU", "IOSS")];

describe("EU: domestic, OSS distance sales, IOSS and imports", () => {
  it("DE domestic, prices incl. VAT: tea (food) 7 %, a mug 19 %", () => {
    // EC "VAT rates applied in the Member States" / TEDB: DE 19 %, food incl. tea 7 %.
    // 1070 incl. 7 % → 1070 × 7/107 = 70; 11900 incl. 19 % → 11900 × 19/119 = 1900
    const r = at("DE", D, "DE", [l(1070, FOOD), l(11900)], { incl: true, regs: DE_VAT });
    expect(rows(r)).toEqual([
      ["domestic", 70, 0, 0, 0],
      ["domestic", 1900, 0, 0, 0],
    ]);
    expect(r.charged).toEqual({ tax: 1970, duties: 0, taxAdded: 0, total: 12970 });
  });

  // EC VAT rates (via ibericode/vat-rates): DE 16 %/5 % from 2020-07-01 to 2020-12-31, 19 %/7 % either side.
  // Tea 10500 incl.: 10500 × 7/107 = 686.92 → 687, or 10500 × 5/105 = 500.
  // Mug 11600 incl.: 11600 × 19/119 = 1852.10 → 1852, or 11600 × 16/116 = 1600.
  it.each([
    ["2020-06-30", 687, 1852],
    ["2020-07-01", 500, 1600],
    ["2020-12-31", 500, 1600],
    ["2021-01-01", 687, 1852],
  ])("DE temporary cut: on %s tea pays %i and the mug %i", (date, tea, mug) => {
    const r = at("DE", date, "DE", [l(10500, FOOD), l(11600)], { incl: true, regs: DE_VAT });
    expect(rows(r)).toEqual([
      ["domestic", tea, 0, 0, 0],
      ["domestic", mug, 0, 0, 0],
    ]);
  });

  it("tax-inclusive prices are what the customer pays (DE line rounding, JP invoice rounding)", () => {
    // Price Indication Directive 98/6/EC, JP Consumption Tax Act art. 63: the shown price is the final
    // price and the tax is extracted from it. DE: goods 1006 + shipping 1006 incl. 19 % → tax
    // 1006 × 19/119 = 160.62 → 161 twice = 322, charged 2012. JP: 3 × ¥103 incl. 10 % → tax
    // 309 × 10/110 = 28.09 → 28, charged 309.
    const de = at("DE", D, "DE", [l(1006)], { incl: true, regs: DE_VAT, shipping: 1006 });
    expect.soft(de.charged).toEqual({ tax: 322, duties: 0, taxAdded: 0, total: 2012 });
    const jp = at("JP", D, "JP", [l(103), l(103), l(103)], { incl: true, regs: [reg("JP", "VAT")] });
    expect(jp.charged).toEqual({ tax: 28, duties: 0, taxAdded: 0, total: 309 });
  });

  it("FR distance sale from a DE warehouse: French VAT 20 % declared through OSS", () => {
    // EC VAT rates: FR standard 20 %. Directive (EU) 2017/2455: distance sales taxed at destination (OSS).
    // 12000 incl. → 12000 × 20/120 = 2000; shipping 600 incl. → 600 × 20/120 = 100
    const r = at("FR", D, "DE", [l(12000)], { incl: true, regs: OSS, shipping: 600 });
    expect(rows(r)).toEqual([["distance_sale", 2000, 100, 0, 0]]);
    expect(r.lines[0]!.scheme).toBe("OSS");
    expect(r.warnings).toEqual([]);
  });

  it("IOSS just below €150: seller collects DE VAT 19 %, duty relief", () => {
    // EU_ECOM (Directive 2017/2455): IOSS for intrinsic value ≤ €150 (goods, shipping excluded).
    // Reg. (EC) 1186/2009 art. 23: no duty ≤ €150. 14999 × 0.19 = 2849.81 → 2850; 500 × 0.19 = 95
    const r = at("DE", D, "CN", [l(14999, hs("620140", "CN"))], { regs: IOSS, shipping: 500 });
    expect(rows(r)).toEqual([["seller_collected", 2850, 95, 0, 0]]);
    expect(r.lines[0]!.scheme).toBe("IOSS");
    expect(r.charged.total).toBe(14999 + 500 + 2850 + 95); // 18444
  });

  it("just above €150: import VAT at the border and CET duty 12 % on 620140", () => {
    // EU CET (CN 2020) 620140: 12 %, on the CIF value: (15001 + 500) × 0.12 = 1860.12 → 1860
    // Import VAT 19 % on value + duty: (15001 + 500 + 1860) × 0.19 = 17361 × 0.19 = 3298.59 → 3299
    const r = at("DE", D, "CN", [l(15001, hs("620140", "CN"))], { regs: IOSS, shipping: 500 });
    expect(rows(r)).toEqual([["import", 0, 0, 3299, 1860]]);
    expect(r.lines[0]!.dutyRate).toBe("0.12");
    expect(r.charged.total).toBe(15001 + 500 + 1860 + 3299); // 20660
  });

  // Council of the EU, 12 Dec 2025: €3 per distinct tariff subheading (HS6) in parcels ≤ €150 from 2026-07-01;
  // before that, Reg. 1186/2009 art. 23 relief. HS6 620140 and 610910 (twice) → 2 × 300 = 600.
  // FR VAT 20 % via IOSS: 4000 → 800, 2000 → 400, 1500 → 300; shipping 500 split 4000:2000:1500 →
  // 266.67 → 267, 133.33 → 133, 100 → VAT 53.4 → 53, 26.6 → 27, 20.
  it.each([
    ["2026-07-01", [300, 300, 0], "flat"],
    ["2026-06-30", [0, 0, 0], "de_minimis"],
  ] as const)("EU low-value duty on %s: %j", (date, duties, basis) => {
    const lines = [l(4000, hs("620140")), l(2000, hs("61091000")), l(1500, hs("610910"))];
    const r = at("FR", date, "CN", lines, { regs: IOSS, shipping: 500 });
    expect(rows(r)).toEqual([
      ["seller_collected", 800, 53, 0, duties[0]],
      ["seller_collected", 400, 27, 0, duties[1]],
      ["seller_collected", 300, 20, 0, duties[2]],
    ]);
    expect(r.lines.map((x) => x.dutyBasis)).toEqual([basis, basis, basis]);
    expect(r.totals.duties).toBe(duties[0] + duties[1] + duties[2]);
  });

  it("B2B intra-EU sale (FR buyer VAT number): reverse charge, no French VAT", () => {
    // Directive 2006/112/EC art. 138: exempt intra-Community supply, the buyer self-accounts.
    const excl = at("FR", D, "DE", [l(12000)], { buyer: "FR", regs: OSS, shipping: 600 });
    expect(rows(excl)).toEqual([["reverse_charge", 0, 0, 0, 0]]);
    expect(excl.charged.total).toBe(12600);
    // With FR-inclusive prices the 20 % they hold comes off: (12000 + 600) × 20/120 = 2100
    const incl = at("FR", D, "DE", [l(12000)], { buyer: "FR", incl: true, regs: OSS, shipping: 600 });
    expect(incl.charged).toEqual({ tax: 0, duties: 0, taxAdded: -2100, total: 12600 - 2100 });
  });

  it("EU import above €150 without an HS code: blocked (the CET has no default row)", () => {
    expect(at("DE", D, "CN", [l(20000)], { regs: IOSS }).blocked).toBe("duty.hs_code_required");
  });
});

describe("UK, Norway, Switzerland", () => {
  const UK = [reg("GB", "UK_VAT")];
  it("UK ≤ £135: seller charges UK VAT 20 %, no duty", () => {
    // HMRC, VAT and overseas goods sold directly to customers: seller VAT ≤ £135; low-value relief for duty.
    // 13500 × 0.2 = 2700; shipping 500 × 0.2 = 100
    const r = at("GB", D, "CN", [l(13500, hs("620140"))], { regs: UK, shipping: 500 });
    expect(rows(r)).toEqual([["seller_collected", 2700, 100, 0, 0]]);
  });

  it("UK > £135: UKGT duty 12 % on 620140 and import VAT at the border", () => {
    // UK Global Tariff 620140: 12 % on CIF: (20000 + 500) × 0.12 = 2460
    // Import VAT 20 %: (20000 + 500 + 2460) × 0.2 = 22960 × 0.2 = 4592
    const r = at("GB", D, "CN", [l(20000, hs("620140"))], { regs: UK, shipping: 500 });
    expect(rows(r)).toEqual([["import", 0, 0, 4592, 2460]]);
  });

  it("UK £135 threshold from a EUR cart at 0.85 GBP/EUR", () => {
    // €158.82 × 0.85 = £134.997 → 13500 (≤ £135: seller); €158.83 × 0.85 = £135.0055 → 13501 (import)
    const eur = (amount: number) =>
      at("GB", D, "CN", [l(amount, hs("620140"))], { regs: UK, currency: "EUR", fx: { GBP: "0.85" } });
    expect(eur(15882).lines[0]!.regime).toBe("seller_collected");
    expect(eur(15883).lines[0]!.regime).toBe("import");
  });

  const NO = [reg("NO", "VOEC")];
  it("Norway VOEC: two items of NOK 2,999.99 each stay in VOEC (per-item limit)", () => {
    // Skatteetaten VOEC: goods below NOK 3,000 per item; MVA 25 %. 599998 × 0.25 = 149999.5 → 150000
    const r = at("NO", D, "CN", [l(599998, { quantity: 2, ...hs("851830") })], { regs: NO });
    expect(rows(r)).toEqual([["seller_collected", 150000, 0, 0, 0]]);
  });

  it("Norway: one item of NOK 3,000 is imported; DDU leaves the 25 % to the carrier", () => {
    // 300000 × 0.25 = 75000 import VAT, duty 0 (Norwegian tariff default for industrial goods)
    const r = at("NO", D, "CN", [l(300000, hs("851830"))], { regs: NO, ddu: true });
    expect(rows(r)).toEqual([["import", 0, 0, 75000, 0]]);
    expect(r.charged).toEqual({ tax: 0, duties: 0, taxAdded: 0, total: 300000 });
    expect(r.atDelivery).toBe(75000);
  });

  // ESTV: MWST 8.1 % from 2024; BAZG: import VAT of CHF 5 or less is not collected; SECO: no duty on ch. 25–97.
  // 6000 × 0.081 = 486 ≤ 500 → waived; 6200 × 0.081 = 502.2 → 502 > 500 → collected
  it.each([
    [6000, 0],
    [6200, 502],
  ])("Switzerland: CHF %i of goods → import VAT %i", (amount, vat) => {
    expect(rows(at("CH", D, "DE", [l(amount, hs("851830"))]))).toEqual([["import", 0, 0, vat, 0]]);
  });
});

describe("Americas", () => {
  const NY = [reg("US-NY", "SALES_TAX")];
  const three = [l(1013), l(1013), l(1013)];
  it("US-NY registered: state 4 % on goods and shipping, rounded once on the invoice", () => {
    // Tax Foundation 2025: NY state rate 4 %; SST matrix: NY taxes delivery (local rates not shipped).
    // (3 × 1013 + 1000) × 0.04 = 4039 × 0.04 = 161.56 → 162 (per-line rounding would give 163)
    const r = at("US/NY", D, "US", three, { regs: NY, shipping: 1000 });
    expect(r.totals.salesTax).toBe(162);
    expect(r.lines.every((x) => x.regime === "domestic" && x.scheme === "US-NY")).toBe(true);
  });

  it("US-CA without a registration: no sales tax collected", () => {
    const r = at("US/CA", D, "US", three, { regs: NY, shipping: 1000 });
    expect(r.lines.map((x) => x.regime)).toEqual(["not_registered", "not_registered", "not_registered"]);
    expect(r.charged).toEqual({ tax: 0, duties: 0, taxAdded: 0, total: 4039 });
  });

  // 19 U.S.C. 1321: US$800 de minimis until 2025-08-28, suspended by EO 14324 from 2025-08-29.
  // HTS 2026 Rev. 4, 6109.10: 16.5 % on the FOB value: 5000 × 0.165 = 825 (shipping not dutiable).
  it.each([
    ["2025-08-28", 0, "de_minimis"],
    ["2026-01-15", 825, "mfn"],
  ])("US import of a 50 USD T-shirt on %s: duty %i", (date, duty, basis) => {
    const r = at("US/CA", date, "CN", [l(5000, hs("610910", "CN"))], { shipping: 1000 });
    expect(rows(r)).toEqual([["not_registered", 0, 0, 0, duty]]);
    expect(r.lines[0]!.dutyBasis).toBe(basis);
  });

  it("US-NY registered, import DDU: NY sales tax is the seller's at sale, the carrier collects only duty", () => {
    // There is no import VAT in the US: NY sales tax (4 %, delivery taxable) is due on the sale:
    // (5000 + 1000) × 0.04 = 240 at checkout; at delivery only the duty 5000 × 0.165 = 825.
    const r = at("US/NY", "2026-01-15", "CN", [l(5000, hs("610910", "CN"))], {
      regs: NY,
      ddu: true,
      shipping: 1000,
    });
    const { salesTax, importTax } = r.totals;
    expect({ salesTax, importTax, atDelivery: r.atDelivery }).toEqual({
      salesTax: 240,
      importTax: 0,
      atDelivery: 825,
    });
  });

  const CA = [reg("CA", "GST")];
  it("Canada ON: HST 13 % replaces GST", () => {
    // CRA GST/HST rates: ON HST 13 %. (10000 + 1000) × 0.13 = 1300 + 130 = 1430
    const r = at("CA/ON", D, "CA", [l(10000)], { regs: CA, shipping: 1000 });
    expect(rows(r)).toEqual([["domestic", 1300, 130, 0, 0]]);
    expect(r.lines[0]!.taxRate).toBe("0.13");
  });

  // Nova Scotia Finance: HST 15 % until 2025-03-31, 14 % from 2025-04-01.
  // 10000 × 0.15 = 1500, 1000 × 0.15 = 150; 10000 × 0.14 = 1400, 1000 × 0.14 = 140
  it.each([
    ["2025-03-31", "0.15", 1500, 150],
    ["2025-04-01", "0.14", 1400, 140],
  ])("Canada NS on %s: HST %s", (date, rate, tax, shippingTax) => {
    const r = at("CA/NS", date, "CA", [l(10000)], { regs: CA, shipping: 1000 });
    expect(rows(r)).toEqual([["domestic", tax, shippingTax, 0, 0]]);
    expect(r.lines[0]!.taxRate).toBe(rate);
  });

  // Remessa Conforme, cart in USD, SP (ICMS 17 %, Convênio 81/2023), CIF value = goods + shipping.
  // ICMS "por dentro": (value + II) × 17/83.
  it.each([
    // Portaria MF 612/2023: II 0 % ≤ US$50. 4500 → II 0; ICMS 4500 × 17/83 = 921.69 → 922
    ["2024-07-31", 4000, 0, 922],
    // Lei 14.902/2024: II 20 % ≤ US$50. 4500 × 0.2 = 900; ICMS 5400 × 17/83 = 1106.02 → 1106
    ["2024-08-01", 4000, 900, 1106],
    // Portaria MF 1.086/2024: 60 % less US$20 above US$50. 10500 × 0.6 − 2000 = 4300;
    // ICMS (10500 + 4300) × 17/83 = 14800 × 17/83 = 3031.33 → 3031
    ["2024-08-01", 10000, 4300, 3031],
  ])("Brazil on %s, goods %i + 500 shipping: II %i, ICMS %i", (date, amount, ii, icms) => {
    const r = at("BR/SP", date, "CN", [l(amount, hs("620140", "CN"))], { shipping: 500 });
    expect(rows(r)).toEqual([["import", 0, 0, icms, ii]]);
  });

  it("Brazil, Bahia from 2025-04-01: ICMS 20 % por dentro", () => {
    // Comsefaz: ICMS 20 % in BA from 2025-04-01. II 10500 × 0.6 − 2000 = 4300; ICMS 14800 × 20/80 = 3700
    const r = at("BR/BA", D, "CN", [l(10000, hs("620140"))], { shipping: 500 });
    expect(rows(r)).toEqual([["import", 0, 0, 3700, 4300]]);
  });
});

describe("Asia-Pacific and the Gulf", () => {
  const AU = [reg("AU", "AU_GST")];
  const au = (amounts: number[], origin: string, hsCode: string | null = "620140") =>
    at(
      "AU",
      D,
      origin,
      amounts.map((a) => l(a, { hsCode, originCountry: origin })),
      { regs: AU, shipping: 2000 },
    );

  it("Australia ≤ A$1,000: GST 10 % collected by the registered seller", () => {
    // ATO, GST on low value imported goods (A$1,000 or less). 50000 × 0.1 = 5000; shipping 2000 × 0.1 = 200
    expect(rows(au([50000], "CN"))).toEqual([["seller_collected", 5000, 200, 0, 0]]);
  });

  it("Australia > A$1,000 from a CN origin: RCEP 0 %, GST at the border", () => {
    // RCEP schedule of Australia: originating goods free. GST on value + transport + duty:
    // (150000 + 2000 + 0) × 0.1 = 15200
    const r = au([150000], "CN");
    expect(rows(r)).toEqual([["import", 0, 0, 15200, 0]]);
    expect(r.lines[0]!.dutyBasis).toBe("RCEP");
  });

  it("Australia > A$1,000 from a US origin: general rate 5 % (FOB), GST on top", () => {
    // Customs Tariff Act 1995 Sch. 3 general rate 5 %: 150000 × 0.05 = 7500;
    // GST (150000 + 2000 + 7500) × 0.1 = 159500 × 0.1 = 15950
    const r = au([150000], "US");
    expect(rows(r)).toEqual([["import", 0, 0, 15950, 7500]]);
    expect(r.warnings).toEqual(["duty.default_rate"]);
    // Without an HS code the same default applies, flagged as a missing code.
    expect(au([150000], "US", null).warnings).toEqual(["duty.hs_code_missing"]);
  });

  it("Australia: two A$600 items in one A$1,200 consignment are a taxable importation", () => {
    // ATO: consignments with a customs value over A$1,000 pay GST and duty at the border (the supplier
    // need not charge GST on goods it believes will be a taxable importation). Duty 5 % × 120000 = 6000;
    // GST (120000 + 2000 + 6000) × 0.1 = 12800 at the border, none at sale.
    expect(au([60000, 60000], "US").totals).toMatchObject({ salesTax: 0, importTax: 12800, duties: 6000 });
  });

  const JP = [reg("JP", "VAT")];
  it("Japan domestic, prices incl. tax: 10 % standard, 8 % food", () => {
    // National Tax Agency: 10 %, reduced 8 % for food from 2019-10-01.
    // 11000 × 10/110 = 1000; 10800 × 8/108 = 800
    const r = at("JP", D, "JP", [l(11000), l(10800, FOOD)], { incl: true, regs: JP });
    expect(rows(r)).toEqual([
      ["domestic", 1000, 0, 0, 0],
      ["domestic", 800, 0, 0, 0],
    ]);
  });

  it("Japan rounds once per rate per invoice (qualified invoices)", () => {
    // 3 × ¥105 at 10 %: 315 × 0.1 = 31.5 → 32 (three roundings of 10.5 would give 33)
    expect(at("JP", D, "JP", [l(105), l(105), l(105)], { regs: JP }).totals.salesTax).toBe(32);
  });

  // Japan Customs 1003: personal imports valued at 60 % of the price; 1006: ≤ ¥10,000 free of duty and tax.
  it.each([
    // 16666 × 0.6 = 9999.6 ≤ 10000 → exempt
    [16666, 0, 0],
    // 16670 × 0.6 = 10002 > 10000: duty (Chuhai default 5 %) 10002 × 0.05 = 500.1 → 500;
    // consumption tax 10 % on (10002 + 500) = 1050.2 → 1050
    [16670, 500, 1050],
  ])("Japan import of ¥%i: duty %i, consumption tax %i", (amount, duty, tax) => {
    expect(rows(at("JP", D, "US", [l(amount, hs("620140"))]))).toEqual([["import", 0, 0, tax, duty]]);
  });

  it("Japan business import: the 60 % valuation is for personal imports only, for duty and tax alike", () => {
    // Full value 20000 (> ¥10,000): duty 20000 × 0.05 = 1000; consumption tax (20000 + 1000) × 0.1 = 2100
    const r = at("JP", D, "US", [l(20000, hs("620140"))], { buyer: "JP" });
    expect(rows(r)).toEqual([["import", 0, 0, 2100, 1000]]);
  });

  // IRAS: GST 8 % from 2023-01-01, 9 % from 2024-01-01; overseas vendor registration for goods ≤ S$400.
  // 10000 × 0.08 = 800, 1000 × 0.08 = 80; 10000 × 0.09 = 900, 1000 × 0.09 = 90
  it.each([
    ["2023-12-31", 800, 80],
    ["2024-01-01", 900, 90],
  ])("Singapore low-value goods on %s: GST %i + %i on shipping", (date, tax, shippingTax) => {
    const r = at("SG", date, "CN", [l(10000, hs("620140"))], { regs: [reg("SG", "SG_OVR")], shipping: 1000 });
    expect(rows(r)).toEqual([["seller_collected", tax, shippingTax, 0, 0]]);
  });

  // ZATCA: VAT 5 % until 2020-06-30, 15 % from 2020-07-01. 10000 + 1000 → 500 + 50, or 1500 + 150
  it.each([
    ["2020-06-30", 500, 50],
    ["2020-07-01", 1500, 150],
  ])("Saudi Arabia on %s: VAT %i + %i", (date, tax, shippingTax) => {
    const r = at("SA", date, "SA", [l(10000)], { regs: [reg("SA", "VAT")], shipping: 1000 });
    expect(rows(r)).toEqual([["domestic", tax, shippingTax, 0, 0]]);
  });

  // PMK 199/2019 (PMK 96/2023): no duty ≤ US$3 FOB, flat 7.5 % above up to US$1,500; PPN 11 % always.
  it.each([
    // 2000 × 0.075 = 150; PPN (2000 + 150) × 0.11 = 236.5 → 237
    [2000, 150, 237],
    // 300 ≤ US$3: duty 0; PPN 300 × 0.11 = 33
    [300, 0, 33],
  ])("Indonesia, US$ %i: duty %i, PPN %i", (amount, duty, ppn) => {
    expect(rows(at("ID", D, "CN", [l(amount, hs("620140"))]))).toEqual([["import", 0, 0, ppn, duty]]);
  });
});

describe("guards", () => {
  it("an unknown destination is blocked", () => {
    expect(at("IN", D, "DE", [l(1000)]).blocked).toBe("tax.unsupported_destination");
  });

  it.each([
    ["a negative line amount", [l(-1)], 0],
    ["a negative shipping", [l(100)], -5],
  ])("%s throws tax.invalid_input", (_what, lines, shipping) => {
    const run = () => at("DE", D, "DE", lines, { shipping });
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(expect.objectContaining({ code: "tax.invalid_input" }));
  });
});
