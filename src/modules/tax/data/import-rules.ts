import { EU_MEMBERS } from "../rule-lookup.ts";
import type { DutyRateRule, ImportRule, Jurisdiction, TradeAgreement } from "../tax.types.ts";

const EU_ECOM =
  "Council Directive (EU) 2017/2455 and Commission VAT e-commerce explanatory notes (IOSS from 2021-07-01)";

/**
 * Rounding: Japan's qualified-invoice rules round tax once per rate per invoice (National Tax
 * Agency, from 2023-10-01); US states and Canada compute tax on the invoice total; elsewhere per
 * line, which every VAT authority here accepts.
 */
export function jurisdictions(): Jurisdiction[] {
  const row = (
    country: string,
    rounding: Jurisdiction["rounding"],
    source: string,
    union: string | null = null,
  ) => ({
    country,
    customsUnion: union,
    rounding,
    dutyOnShipping: !["US", "CA", "AU", "NZ"].includes(country),
    source,
  });
  return [
    ...[...EU_MEMBERS].map((c) => row(c, "line", "EU VAT Directive 2006/112/EC", "EU")),
    row("GB", "line", "HMRC VAT guide (VAT Notice 700), rounding per line or invoice"),
    row("NO", "line", "Skatteetaten"),
    row("CH", "line", "ESTV"),
    row(
      "JP",
      "document",
      "National Tax Agency Japan, qualified invoice system: one rounding per rate per invoice",
    ),
    row("AU", "line", "Australian Taxation Office"),
    row("NZ", "line", "Inland Revenue NZ"),
    row("SG", "line", "IRAS"),
    row("SA", "line", "ZATCA"),
    row("AE", "line", "UAE Federal Tax Authority"),
    row("ID", "line", "Directorate General of Taxes Indonesia"),
    row("MX", "line", "SAT Mexico"),
    row("KR", "line", "National Tax Service Korea"),
    row("CA", "document", "Canada Revenue Agency: tax on the invoice total"),
    row("US", "document", "State revenue departments: tax computed on the invoice total"),
    row("BR", "line", "Receita Federal, Remessa Conforme"),
  ];
}

type RuleInput = Omit<ImportRule, "id" | "basis" | "perItem" | "scheme" | "flat" | "factor" | "effectiveTo"> &
  Partial<Pick<ImportRule, "basis" | "perItem" | "scheme" | "flat" | "factor" | "effectiveTo">>;

function importRuleOf(r: RuleInput): ImportRule {
  return {
    id: `imp_${r.country}_${r.kind}_${r.effectiveFrom}`,
    basis: "goods",
    perItem: false,
    scheme: null,
    flat: null,
    factor: null,
    effectiveTo: null,
    ...r,
  };
}

const money = (amount: number, currency: string) => ({ amount, currency });

/** De-minimis thresholds, seller-collection schemes and valuation rules, with their sources. */
export function importRules(): ImportRule[] {
  return [
    // EU: IOSS up to €150 intrinsic value; the €22 import-VAT exemption ended on 2021-07-01; the
    // €150 duty relief gives way to a flat €3 per tariff subheading from 2026-07-01.
    {
      country: "EU",
      kind: "seller_collects_up_to",
      value: money(15000, "EUR"),
      scheme: "IOSS",
      effectiveFrom: "2021-07-01",
      source: EU_ECOM,
    },
    {
      country: "EU",
      kind: "tax_exempt_up_to",
      value: money(2200, "EUR"),
      effectiveFrom: "2009-12-01",
      effectiveTo: "2021-07-01",
      source: "Council Directive 2009/132/EC art. 23 (repealed for VAT by Directive (EU) 2017/2455)",
    },
    {
      country: "EU",
      kind: "duty_exempt_up_to",
      value: money(15000, "EUR"),
      effectiveFrom: "2010-01-01",
      effectiveTo: "2026-07-01",
      source: "Council Regulation (EC) No 1186/2009 art. 23",
    },
    {
      country: "EU",
      kind: "flat_duty_up_to",
      value: money(15000, "EUR"),
      flat: money(300, "EUR"),
      effectiveFrom: "2026-07-01",
      source:
        "Council of the EU, 12 December 2025: fixed €3 customs duty per item (tariff subheading) in parcels up to €150 from 1 July 2026",
    },
    // UK: the seller charges VAT on consignments up to £135, which also have no customs duty.
    {
      country: "GB",
      kind: "seller_collects_up_to",
      value: money(13500, "GBP"),
      scheme: "UK_VAT",
      effectiveFrom: "2021-01-01",
      source: "HMRC, VAT and overseas goods sold directly to customers in the UK",
    },
    {
      country: "GB",
      kind: "duty_exempt_up_to",
      value: money(13500, "GBP"),
      effectiveFrom: "2021-01-01",
      source: "HMRC, low value consignment relief for customs duty up to £135",
    },
    // Norway: VOEC for goods under NOK 3,000 each (excluding shipping); 2,999.99 as "at most".
    {
      country: "NO",
      kind: "seller_collects_up_to",
      value: money(299999, "NOK"),
      perItem: true,
      scheme: "VOEC",
      effectiveFrom: "2020-04-01",
      source: "Skatteetaten, VAT on E-Commerce (VOEC): goods with a value below NOK 3,000",
    },
    {
      country: "NO",
      kind: "duty_exempt_up_to",
      value: money(299999, "NOK"),
      perItem: true,
      effectiveFrom: "2020-04-01",
      source: "Norwegian Customs (Tolletaten): goods sold under VOEC are cleared without customs duty",
    },
    // Switzerland: registered foreign sellers charge Swiss VAT; import VAT up to CHF 5 is waived.
    {
      country: "CH",
      kind: "seller_collects_up_to",
      value: null,
      scheme: "CH_VAT",
      effectiveFrom: "2019-01-01",
      source: "ESTV, mail-order rule (VAT Act art. 7 para. 3) from 2019-01-01",
    },
    {
      country: "CH",
      kind: "tax_exempt_up_to",
      value: money(500, "CHF"),
      basis: "tax_amount",
      effectiveFrom: "2019-01-01",
      source: "Federal Office for Customs and Border Security: import VAT of CHF 5 or less is not collected",
    },
    // Australia and New Zealand: GST on low-value goods collected by the seller, nothing at the border.
    {
      country: "AU",
      kind: "seller_collects_up_to",
      value: money(100000, "AUD"),
      scheme: "AU_GST",
      effectiveFrom: "2018-07-01",
      source: "ATO, GST on low value imported goods: A$1,000 or less, not in a consignment over A$1,000",
    },
    {
      country: "AU",
      kind: "duty_exempt_up_to",
      value: money(100000, "AUD"),
      effectiveFrom: "2018-07-01",
      source: "Australian Border Force, goods valued at A$1,000 or less",
    },
    {
      country: "AU",
      kind: "tax_exempt_up_to",
      value: money(100000, "AUD"),
      effectiveFrom: "2018-07-01",
      source: "Australian Border Force, goods valued at A$1,000 or less",
    },
    {
      country: "NZ",
      kind: "seller_collects_up_to",
      value: money(100000, "NZD"),
      scheme: "NZ_GST",
      effectiveFrom: "2019-12-01",
      source:
        "Inland Revenue NZ, GST on low-value imported goods: NZ$1,000 or less, not in a consignment over NZ$1,000",
    },
    {
      country: "NZ",
      kind: "duty_exempt_up_to",
      value: money(100000, "NZD"),
      effectiveFrom: "2019-12-01",
      source: "New Zealand Customs Service, low-value goods",
    },
    {
      country: "NZ",
      kind: "tax_exempt_up_to",
      value: money(100000, "NZD"),
      effectiveFrom: "2019-12-01",
      source: "New Zealand Customs Service, low-value goods",
    },
    // Singapore: overseas vendor registration for low-value goods up to S$400.
    {
      country: "SG",
      kind: "seller_collects_up_to",
      value: money(40000, "SGD"),
      scheme: "SG_OVR",
      effectiveFrom: "2023-01-01",
      source: "IRAS, GST on imported low-value goods (S$400 or less) from 2023-01-01",
    },
    {
      country: "SG",
      kind: "tax_exempt_up_to",
      value: money(40000, "SGD"),
      effectiveFrom: "2023-01-01",
      source: "Singapore Customs, import GST relief for goods up to S$400 by air or post",
    },
    // Japan: personal imports are valued at 60 % of the retail price; ¥10,000 or less is free of duty and tax.
    {
      country: "JP",
      kind: "valuation_factor",
      value: null,
      factor: "0.6",
      effectiveFrom: "2000-01-01",
      source:
        "Japan Customs, Customs Answer 1003: taxable value of personal-use imports is 60 % of the overseas retail price",
    },
    {
      country: "JP",
      kind: "duty_exempt_up_to",
      basis: "goods_and_shipping",
      value: money(10000, "JPY"),
      effectiveFrom: "2000-01-01",
      source: "Japan Customs, Customs Answer 1006: total taxable value of ¥10,000 or less is exempt",
    },
    {
      country: "JP",
      kind: "tax_exempt_up_to",
      basis: "goods_and_shipping",
      value: money(10000, "JPY"),
      effectiveFrom: "2000-01-01",
      source: "Japan Customs, Customs Answer 1006: total taxable value of ¥10,000 or less is exempt",
    },
    // Gulf: customs duty waived up to 1,000 in local currency; import VAT has no threshold.
    {
      country: "SA",
      kind: "duty_exempt_up_to",
      value: money(100000, "SAR"),
      effectiveFrom: "2020-01-01",
      source: "ZATCA, customs exemption for shipments of SAR 1,000 or less",
    },
    {
      country: "AE",
      kind: "duty_exempt_up_to",
      value: money(100000, "AED"),
      effectiveFrom: "2020-01-01",
      source:
        "UAE Federal Authority for Identity, Citizenship, Customs & Port Security: shipments up to AED 1,000",
    },
    // Indonesia: e-commerce consignments up to US$3 free of duty (PPN still due).
    {
      country: "ID",
      kind: "duty_exempt_up_to",
      value: money(300, "USD"),
      effectiveFrom: "2020-01-30",
      source: "PMK 199/PMK.010/2019 as amended by PMK 96/2023: de minimis FOB US$3",
    },
    // Canada: courier low-value shipments up to C$20 free of duty and tax (CUSMA-origin limits not modelled).
    {
      country: "CA",
      kind: "duty_exempt_up_to",
      value: money(2000, "CAD"),
      effectiveFrom: "2020-07-01",
      source: "CBSA, Memorandum D8-2-16: low value shipments C$20",
    },
    {
      country: "CA",
      kind: "tax_exempt_up_to",
      value: money(2000, "CAD"),
      effectiveFrom: "2020-07-01",
      source: "CBSA, Memorandum D8-2-16: low value shipments C$20",
    },
    {
      country: "CA",
      kind: "seller_collects_up_to",
      value: null,
      scheme: "CA_GST",
      effectiveFrom: "2021-07-01",
      source: "CRA, simplified GST/HST registration for non-resident vendors (2021-07-01)",
    },
    // United States: Section 321 de minimis (US$800) suspended for all countries from 2025-08-29.
    {
      country: "US",
      kind: "duty_exempt_up_to",
      value: money(80000, "USD"),
      effectiveFrom: "2016-03-10",
      effectiveTo: "2025-08-29",
      source:
        "19 U.S.C. 1321 as amended by the Trade Facilitation and Trade Enforcement Act 2015; suspended by Executive Order 14324 from 2025-08-29",
    },
  ].map((r) => importRuleOf(r as RuleInput));
}

/** RCEP entry into force per party (ASEAN Secretariat; DFAT). */
export function agreements(): TradeAgreement[] {
  const day1 = ["AU", "BN", "KH", "CN", "JP", "LA", "NZ", "SG", "TH", "VN"].map((country) => ({
    country,
    from: "2022-01-01",
  }));
  return [
    {
      code: "RCEP",
      name: "Regional Comprehensive Economic Partnership",
      members: [
        ...day1,
        { country: "KR", from: "2022-02-01" },
        { country: "MY", from: "2022-03-18" },
        { country: "ID", from: "2023-01-02" },
        { country: "PH", from: "2023-06-02" },
      ],
      source: "ASEAN Secretariat, RCEP entry into force per party",
    },
  ];
}

type DutyInput = Omit<
  DutyRateRule,
  "id" | "agreement" | "valueUpTo" | "deduction" | "specific" | "effectiveTo"
> &
  Partial<Pick<DutyRateRule, "agreement" | "valueUpTo" | "deduction" | "effectiveTo">>;

function dutyOf(d: DutyInput): DutyRateRule {
  const band = d.valueUpTo ? `_${d.valueUpTo.amount}` : "";
  return {
    id: `duty_${d.country}_${d.hsPrefix || "default"}_${d.agreement ?? "mfn"}${band}_${d.effectiveFrom}`,
    agreement: null,
    valueUpTo: null,
    deduction: null,
    specific: null,
    effectiveTo: null,
    ...d,
  };
}

/**
 * Duties beyond the EU, UK and US tariff rows: value bands of postal regimes, country defaults
 * (a default is an estimate an admin should refine: orders using it carry `duty.default_rate`),
 * and preferential rates.
 */
export function dutyRegimes(): DutyRateRule[] {
  const rows: DutyInput[] = [
    // Brazil, Remessa Conforme: II exempt up to US$50 until 2024-07-31, then 20 %; above US$50,
    // 60 % less US$20 (Lei 14.902/2024, Portaria MF 1.086/2024).
    {
      country: "BR",
      hsPrefix: "",
      rate: "0",
      valueUpTo: money(5000, "USD"),
      effectiveFrom: "2023-08-01",
      effectiveTo: "2024-08-01",
      source: "Portaria MF 612/2023 (Remessa Conforme): II 0 % up to US$50",
    },
    {
      country: "BR",
      hsPrefix: "",
      rate: "0.6",
      valueUpTo: money(300000, "USD"),
      effectiveFrom: "2023-08-01",
      effectiveTo: "2024-08-01",
      source: "Decreto-Lei 1.804/1980 simplified taxation: II 60 %",
    },
    {
      country: "BR",
      hsPrefix: "",
      rate: "0.2",
      valueUpTo: money(5000, "USD"),
      effectiveFrom: "2024-08-01",
      source: "Lei 14.902/2024 and Portaria MF 1.086/2024: II 20 % up to US$50",
    },
    {
      country: "BR",
      hsPrefix: "",
      rate: "0.6",
      valueUpTo: money(300000, "USD"),
      deduction: money(2000, "USD"),
      effectiveFrom: "2024-08-01",
      source: "Portaria MF 1.086/2024: II 60 % less US$20 from US$50.01 to US$3,000",
    },
    // Indonesia, e-commerce consignments US$3–1,500: flat 7.5 % import duty.
    {
      country: "ID",
      hsPrefix: "",
      rate: "0.075",
      valueUpTo: money(150000, "USD"),
      effectiveFrom: "2020-01-30",
      source: "PMK 199/PMK.010/2019 art. 13: flat 7.5 % duty for consignments above US$3 up to US$1,500",
    },
    // Switzerland abolished industrial tariffs (chapters 25–97) from 2024-01-01.
    ...Array.from({ length: 73 }, (_, i) => ({
      country: "CH",
      hsPrefix: String(25 + i),
      rate: "0",
      effectiveFrom: "2024-01-01",
      source: "SECO: abolition of industrial tariffs from 2024-01-01 (chapters 25–97)",
    })),
    {
      country: "SG",
      hsPrefix: "",
      rate: "0",
      effectiveFrom: "2000-01-01",
      source: "Singapore Customs: duties only on liquor, tobacco, motor vehicles and petroleum",
    },
    {
      country: "SA",
      hsPrefix: "",
      rate: "0.05",
      effectiveFrom: "2003-01-01",
      source: "GCC Common Customs Tariff: 5 % on most goods (default; refine per HS code)",
    },
    {
      country: "AE",
      hsPrefix: "",
      rate: "0.05",
      effectiveFrom: "2003-01-01",
      source: "GCC Common Customs Tariff: 5 % on most goods (default; refine per HS code)",
    },
    {
      country: "AU",
      hsPrefix: "",
      rate: "0.05",
      effectiveFrom: "1996-07-01",
      source: "Customs Tariff Act 1995, Schedule 3: general rate 5 % (default; refine per HS code)",
    },
    {
      country: "AU",
      hsPrefix: "",
      rate: "0",
      agreement: "RCEP",
      effectiveFrom: "2022-01-01",
      source: "RCEP Schedule of Tariff Commitments of Australia: originating goods free",
    },
    {
      country: "NZ",
      hsPrefix: "",
      rate: "0.05",
      effectiveFrom: "2000-01-01",
      source: "New Zealand Working Tariff (default; refine per HS code)",
    },
    {
      country: "NZ",
      hsPrefix: "",
      rate: "0",
      agreement: "RCEP",
      effectiveFrom: "2022-01-01",
      source: "RCEP Schedule of Tariff Commitments of New Zealand: originating goods free",
    },
    {
      country: "JP",
      hsPrefix: "",
      rate: "0.05",
      effectiveFrom: "2000-01-01",
      source: "Chuhai default estimate for Japan (refine with the Japan Customs tariff per HS code)",
    },
    {
      country: "NO",
      hsPrefix: "",
      rate: "0",
      effectiveFrom: "2000-01-01",
      source:
        "Norwegian Customs tariff: industrial goods mostly duty-free (default; textiles and food differ)",
    },
  ];
  return rows.map(dutyOf);
}
