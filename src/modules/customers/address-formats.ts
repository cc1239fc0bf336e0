/**
 * Per-country address rules: which fields are required, the postal-code format and how it is
 * written, and the valid province codes where a country's post requires one.
 *
 * Our own data, compiled from: the Universal Postal Union's "Postal addressing systems in member
 * countries" (upu.int, one page per country); USPS Publication 28; Canada Post Addressing
 * Guidelines; Royal Mail's Programmer's Guide to the PAF; Eircode (eircode.ie); PostNL; Deutsche
 * Post; La Poste; Correos; Poste Italiane; Japan Post (post.japanpost.jp); Correios (CEP);
 * Australia Post; Saudi National Address (SPL); ISO 3166-2 for subdivision codes.
 *
 * Province codes are ISO 3166-2 subdivision codes without the country prefix: US "CA", CA "QC",
 * AU "NSW", BR "SP", MX "CMX", AE "DU", JP "13" (Tokyo). Input may carry the prefix ("JP-13").
 */

export interface PostalRule {
  /** Matches the compact form: upper-case, without spaces and dashes. */
  compact: RegExp;
  /** Writes the compact form the way the national post does ("SW1A1AA" → "SW1A 1AA"). */
  write?: (compact: string) => string;
  example: string;
  /** Validated when given, but not required (Ireland's Eircode, Saudi postal codes). */
  optional?: boolean;
  /** Kept as typed (upper-cased, spaces collapsed) instead of rewritten from the compact form. */
  freeForm?: boolean;
}

export interface CountryRule {
  /** "none": the country has no postal codes; anything given is dropped. */
  postal: PostalRule | "none";
  province?: { required: boolean; codes: readonly string[] };
  /** City-states and territories where the city line is not used. */
  cityOptional?: boolean;
}

const split =
  (at: number, separator: string) =>
  (compact: string): string =>
    `${compact.slice(0, at)}${separator}${compact.slice(at)}`;
const digits = (n: number, example: string, extra: Partial<PostalRule> = {}): PostalRule => ({
  compact: new RegExp(`^\\d{${n}}$`),
  example,
  ...extra,
});
const codes = (list: string): readonly string[] => list.split(" ");

// USPS: states, DC, territories and the military "states" used for APO/FPO/DPO mail.
const US_STATES = codes(
  "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI UM AA AE AP",
);
const CA_PROVINCES = codes("AB BC MB NB NL NS NT NU ON PE QC SK YT");
const AU_STATES = codes("ACT NSW NT QLD SA TAS VIC WA");
const BR_STATES = codes("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO");
const MX_STATES = codes(
  "AGU BCN BCS CAM CHP CHH CMX COA COL DUR GUA GRO HID JAL MEX MIC MOR NAY NLE OAX PUE QUE ROO SLP SIN SON TAB TAM TLA VER YUC ZAC",
);
const AE_EMIRATES = codes("AZ AJ DU FU RK SH UQ");
const JP_PREFECTURES = Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, "0"));

// Canada Post: no D, F, I, O, Q, U anywhere; no W or Z in the first position.
const CA_POSTAL = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d$/;
// Royal Mail: outward code (A9, A99, AA9, AA99, A9A, AA9A) + inward code (9AA); GIR 0AA is Girobank.
const GB_POSTAL = /^(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\d[A-Z]{2}$/;
// Eircode: routing key (letter, digit, digit or the W of D6W) + four-character unique identifier.
const IE_POSTAL = /^[ACDEFHKNPRTVWXY]\d[\dW][\dACDEFHKNPRTVWXY]{4}$/;
const lastThreeApart = (c: string) => `${c.slice(0, -3)} ${c.slice(-3)}`;
const zipPlus4 = (c: string) => (c.length === 9 ? split(5, "-")(c) : c);

export const COUNTRY_RULES: Readonly<Record<string, CountryRule>> = {
  // The demo brand's markets.
  US: {
    postal: { compact: /^\d{5}(?:\d{4})?$/, write: zipPlus4, example: "94103 or 94103-1234" },
    province: { required: true, codes: US_STATES },
  },
  DE: { postal: digits(5, "10115") },
  FR: { postal: digits(5, "75001") },
  ES: { postal: { compact: /^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: "28013" } },
  IT: { postal: digits(5, "00118") },
  NL: { postal: { compact: /^[1-9]\d{3}[A-Z]{2}$/, write: split(4, " "), example: "1012 AB" } },
  AT: { postal: { compact: /^[1-9]\d{3}$/, example: "1010" } },
  BE: { postal: { compact: /^[1-9]\d{3}$/, example: "1000" } },
  GB: { postal: { compact: GB_POSTAL, write: lastThreeApart, example: "SW1A 1AA" } },
  JP: {
    postal: { compact: /^\d{7}$/, write: split(3, "-"), example: "100-0001" },
    province: { required: true, codes: JP_PREFECTURES },
  },
  BR: {
    postal: { compact: /^\d{8}$/, write: split(5, "-"), example: "01310-100" },
    province: { required: true, codes: BR_STATES },
  },
  SA: { postal: { compact: /^\d{5}(?:\d{4})?$/, write: zipPlus4, example: "12271", optional: true } },
  AE: { postal: "none", province: { required: true, codes: AE_EMIRATES } },
  ID: { postal: digits(5, "10110") },
  AU: { postal: digits(4, "2000"), province: { required: true, codes: AU_STATES } },
  // Further common destinations.
  CA: {
    postal: { compact: CA_POSTAL, write: split(3, " "), example: "K1A 0B1" },
    province: { required: true, codes: CA_PROVINCES },
  },
  MX: { postal: digits(5, "06500"), province: { required: true, codes: MX_STATES } },
  CH: { postal: { compact: /^[1-9]\d{3}$/, example: "8001" } },
  LU: { postal: digits(4, "1111") },
  IE: { postal: { compact: IE_POSTAL, write: split(3, " "), example: "D02 X285", optional: true } },
  SE: { postal: digits(5, "113 51", { write: split(3, " ") }) },
  NO: { postal: digits(4, "0150") },
  DK: { postal: digits(4, "1050") },
  FI: { postal: digits(5, "00100") },
  PL: { postal: digits(5, "00-950", { write: split(2, "-") }) },
  PT: { postal: digits(7, "1000-001", { write: split(4, "-") }) },
  CZ: { postal: digits(5, "110 00", { write: split(3, " ") }) },
  NZ: { postal: digits(4, "6011") },
  SG: { postal: digits(6, "018956"), cityOptional: true },
  HK: { postal: "none", cityOptional: true },
  KR: { postal: digits(5, "03187") },
  CN: { postal: digits(6, "100000") },
  TW: { postal: { compact: /^\d{3}(?:\d{2,3})?$/, example: "100 or 100006" } },
  IN: { postal: { compact: /^[1-9]\d{5}$/, example: "110001" } },
  TH: { postal: digits(5, "10200") },
  MY: { postal: digits(5, "50450") },
};

/** Countries without a rule: only the street line, the city and the country are required. */
export const DEFAULT_RULE: CountryRule = {
  postal: { compact: /^[A-Z0-9]{2,12}$/, example: "", optional: true, freeForm: true },
};
