import type { TaxRateRule } from "../tax.types.ts";

/**
 * VAT/GST rates shipped with Chuhai. Each period is [first day, standard rate, food rate, books
 * rate] in percent; a missing category rate means the standard rate applies to it. A period ends
 * where the next begins.
 *
 * EU standard and reduced rates and their history: the European Commission's "VAT rates applied
 * in the Member States", as compiled by ibericode/vat-rates (MIT, 2025-08-12). Which reduced rate
 * covers food (incl. tea) and printed books per member state: the Commission's Taxes in Europe
 * database (TEDB). Changes after that compilation are cited on their own line.
 */
type Period = [from: string, standard: number, food?: number | null, books?: number | null];

const EU_SOURCE =
  "European Commission, VAT rates applied in the Member States; TEDB (via ibericode/vat-rates)";

const EU: Record<string, Period[]> = {
  AT: [["2016-01-01", 20, 10, 10]],
  BE: [["2000-01-01", 21, 6, 6]],
  BG: [["2000-01-01", 20, null, 9]],
  CY: [["2000-01-01", 19, 5, 5]],
  CZ: [
    ["2013-01-01", 21, 15, 10],
    ["2024-01-01", 21, 12, 0],
  ],
  DE: [
    ["2007-01-01", 19, 7, 7],
    ["2020-07-01", 16, 5, 5],
    ["2021-01-01", 19, 7, 7],
  ],
  DK: [["2000-01-01", 25]],
  EE: [
    ["2009-07-01", 20, null, 9],
    ["2024-01-01", 22, null, 9],
    ["2025-07-01", 24, null, 13],
  ],
  ES: [["2012-09-01", 21, 10, 4]],
  FI: [
    ["2013-01-01", 24, 14, 10],
    ["2024-09-01", 25.5, 14, 10],
  ],
  FR: [["2014-01-01", 20, 5.5, 5.5]],
  GR: [["2016-06-01", 24, 13, 6]],
  HR: [["2013-01-01", 25, null, 5]],
  HU: [["2012-01-01", 27, null, 5]],
  IE: [
    ["2012-01-01", 23, 0, 0],
    ["2020-09-01", 21, 0, 0],
    ["2021-03-01", 23, 0, 0],
  ],
  IT: [["2013-10-01", 22, null, 4]],
  LT: [["2009-09-01", 21, null, 9]],
  LU: [
    ["2015-01-01", 17, 3, 3],
    ["2023-01-01", 16, 3, 3],
    ["2024-01-01", 17, 3, 3],
  ],
  LV: [["2011-01-01", 21]],
  MT: [["2000-01-01", 18, 0, 5]],
  NL: [
    ["2012-10-01", 21, 6, 6],
    ["2019-01-01", 21, 9, 9],
  ],
  PL: [["2011-01-01", 23, 5, 5]],
  PT: [["2011-07-01", 23, 6, 6]],
  RO: [
    ["2017-01-01", 19, 9, 5],
    ["2025-08-01", 21, 11, 11],
  ],
  SE: [["2000-01-01", 25, 12, 6]],
  SI: [["2013-07-01", 22, 9.5, 5]],
  SK: [
    ["2011-01-01", 20, null, 10],
    ["2025-01-01", 23, null, 5],
  ],
};

/** Later changes, each with its own source: [country, category, from, rate, source]. */
const EU_LATER: [string, "food" | "books", string, number, string][] = [
  ["FI", "food", "2026-01-01", 13.5, "Finnish Tax Administration (Vero), VAT on food 13.5 % from 2026-01-01"],
  [
    "SE",
    "food",
    "2026-04-01",
    6,
    "Swedish Tax Agency (Skatteverket), temporary food VAT 6 % 2026-04-01 – 2027-12-31",
  ],
  [
    "SE",
    "food",
    "2028-01-01",
    12,
    "Swedish Tax Agency (Skatteverket), temporary food VAT 6 % 2026-04-01 – 2027-12-31",
  ],
];

const OTHERS: Record<string, { name: string; source: string; periods: Period[] }> = {
  GB: {
    name: "VAT",
    source:
      "HMRC, VAT rates on different goods and services (gov.uk); zero rate for food, books, children's clothes",
    periods: [["2011-01-04", 20, 0, 0]],
  },
  NO: {
    name: "MVA",
    source: "Skatteetaten, merverdiavgift: 25 %, food 15 %, books 0 %",
    periods: [["2012-01-01", 25, 15, 0]],
  },
  CH: {
    name: "MWST",
    source: "Swiss Federal Tax Administration (ESTV), VAT rates: 8.1 % / reduced 2.6 % from 2024-01-01",
    periods: [
      ["2018-01-01", 7.7, 2.5, 2.5],
      ["2024-01-01", 8.1, 2.6, 2.6],
    ],
  },
  JP: {
    name: "Consumption tax",
    source: "National Tax Agency Japan: 10 %, reduced 8 % for food and beverages from 2019-10-01",
    periods: [
      ["2014-04-01", 8, 8, 8],
      ["2019-10-01", 10, 8, 10],
    ],
  },
  AU: {
    name: "GST",
    source: "Australian Taxation Office, GST: 10 %, basic food GST-free",
    periods: [["2000-07-01", 10, 0, 10]],
  },
  NZ: { name: "GST", source: "Inland Revenue NZ, GST 15 % from 2010-10-01", periods: [["2010-10-01", 15]] },
  SG: {
    name: "GST",
    source: "IRAS, GST rate change: 8 % from 2023-01-01, 9 % from 2024-01-01",
    periods: [
      ["2007-07-01", 7],
      ["2023-01-01", 8],
      ["2024-01-01", 9],
    ],
  },
  SA: {
    name: "VAT",
    source: "ZATCA, VAT rate 15 % from 2020-07-01",
    periods: [
      ["2018-01-01", 5],
      ["2020-07-01", 15],
    ],
  },
  AE: {
    name: "VAT",
    source: "UAE Federal Tax Authority, VAT 5 % from 2018-01-01",
    periods: [["2018-01-01", 5]],
  },
  // PMK 131/2024: 12 % on a base of 11/12 of the price for goods other than luxury goods, 11 % in effect.
  ID: {
    name: "PPN",
    source: "Ministry of Finance Indonesia, UU HPP 7/2021 (11 % from 2022-04-01) and PMK 131/2024",
    periods: [["2022-04-01", 11]],
  },
  MX: { name: "IVA", source: "SAT Mexico, Ley del IVA art. 1: 16 %", periods: [["2010-01-01", 16]] },
  KR: { name: "VAT", source: "National Tax Service Korea, VAT 10 %", periods: [["1977-07-01", 10]] },
  CA: {
    name: "GST",
    source: "Canada Revenue Agency, GST/HST rates; basic groceries zero-rated",
    periods: [["2008-01-01", 5, 0, 5]],
  },
};

/** Canadian provinces: HST replaces GST; PST/QST/RST add to it (and need their own registration). */
const CA_PROVINCES: [region: string, name: string, rate: number, replaces: boolean, from: string][] = [
  ["ON", "HST", 13, true, "2010-07-01"],
  ["NB", "HST", 15, true, "2016-07-01"],
  ["NL", "HST", 15, true, "2016-07-01"],
  ["PE", "HST", 15, true, "2016-10-01"],
  ["NS", "HST", 15, true, "2010-07-01"],
  ["BC", "PST", 7, false, "2013-04-01"],
  ["MB", "RST", 7, false, "2019-07-01"],
  ["SK", "PST", 6, false, "2017-03-23"],
  ["QC", "QST", 9.975, false, "2013-01-01"],
];
const NS_2025: [string, number, string] = [
  "2025-04-01",
  14,
  "Nova Scotia Finance, HST reduced to 14 % from 2025-04-01",
];

/**
 * Brazil's ICMS on goods bought abroad through the Remessa Conforme programme: 17 % in every
 * state (Convênio ICMS 81/2023), 20 % in ten states from 2025-04-01. Computed "por dentro": the
 * tax is part of its own base.
 */
const BR_ICMS_20 = ["AC", "AL", "BA", "CE", "MG", "PB", "PI", "RN", "RR", "SE"];

function pct(n: number): string {
  return String(Math.round(n * 1000) / 100000);
}

function rule(
  country: string,
  category: TaxRateRule["category"],
  from: string,
  to: string | null,
  rate: number,
  name: string,
  source: string,
  extra: Partial<TaxRateRule> = {},
): TaxRateRule {
  const region = extra.region ?? null;
  return {
    id: `rate_${country}${region ? `-${region}` : ""}_${category}_${from}`,
    country,
    region,
    postalPrefix: null,
    category,
    name,
    rate: pct(rate),
    replacesNational: false,
    appliesToShipping: true,
    grossUp: false,
    effectiveFrom: from,
    effectiveTo: to,
    source,
    ...extra,
  };
}

function periodRules(country: string, name: string, source: string, periods: Period[]): TaxRateRule[] {
  return periods.flatMap(([from, standard, food, books], i) => {
    const to = periods[i + 1]?.[0] ?? null;
    const out = [rule(country, "standard", from, to, standard, name, source)];
    if (food !== undefined && food !== null) out.push(rule(country, "food", from, to, food, name, source));
    if (books !== undefined && books !== null)
      out.push(rule(country, "books", from, to, books, name, source));
    if (country === "GB" || country === "IE")
      out.push(rule(country, "children_clothing", from, to, 0, name, source));
    return out;
  });
}

function withLaterChanges(rules: TaxRateRule[]): TaxRateRule[] {
  for (const [country, category, from, rate, source] of EU_LATER) {
    const open = rules.find(
      (r) => r.country === country && r.category === category && r.region === null && r.effectiveTo === null,
    );
    if (open) open.effectiveTo = from;
    rules.push(rule(country, category, from, null, rate, "VAT", source));
  }
  return rules;
}

export function vatRules(): TaxRateRule[] {
  const eu = Object.entries(EU).flatMap(([c, periods]) => periodRules(c, "VAT", EU_SOURCE, periods));
  const others = Object.entries(OTHERS).flatMap(([c, o]) => periodRules(c, o.name, o.source, o.periods));
  const caSource = "Canada Revenue Agency, GST/HST rates; provincial finance ministries for PST/QST/RST";
  const ca = CA_PROVINCES.flatMap(([region, name, rate, replaces, from]) => {
    const to = region === "NS" ? NS_2025[0] : null;
    const base = { region, replacesNational: replaces };
    return [
      rule("CA", "standard", from, to, rate, name, caSource, base),
      rule("CA", "food", from, to, 0, name, caSource, base),
    ];
  });
  ca.push(
    rule("CA", "standard", NS_2025[0], null, NS_2025[1], "HST", NS_2025[2], {
      region: "NS",
      replacesNational: true,
    }),
    rule("CA", "food", NS_2025[0], null, 0, "HST", NS_2025[2], { region: "NS", replacesNational: true }),
  );
  const icmsSource = "CONFAZ Convênio ICMS 81/2023: 17 % on Remessa Conforme imports";
  const br = [
    rule("BR", "standard", "2023-08-01", null, 17, "ICMS", icmsSource, { grossUp: true }),
    ...BR_ICMS_20.map((region) =>
      rule(
        "BR",
        "standard",
        "2025-04-01",
        null,
        20,
        "ICMS",
        "Comsefaz: ICMS 20 % on international purchases from 2025-04-01",
        {
          region,
          grossUp: true,
          replacesNational: true,
        },
      ),
    ),
  ];
  return withLaterChanges([...eu, ...others, ...ca, ...br]);
}
