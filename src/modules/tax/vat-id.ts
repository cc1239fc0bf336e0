import { ValidationError } from "../../kernel/errors.ts";

/**
 * Offline validation of business VAT identification numbers, used to decide B2B reverse charge at
 * checkout. It normalises the input, checks the per-country format and, where the issuing authority
 * uses one, the check digits. It cannot tell whether a number is actually registered: that takes an
 * online lookup (VIES, HMRC, the Brønnøysund or UID register).
 *
 * Sources: the European Commission's VIES format descriptions for the 27 member states and the
 * check-digit rules published by their tax administrations; HMRC's VAT registration number structure
 * (mod 97 and the 2009 "9755" restart) for GB and XI; the Brønnøysund Register Centre's organisation
 * number (mod 11) for NO; the Swiss Federal Statistical Office's UID (mod 11) for CH.
 */

export type VatIdProblem = "format" | "checksum" | "unknown_country";
export type VatIdCheck =
  | { valid: true; country: string; normalized: string }
  | { valid: false; problem: VatIdProblem; message: string };

interface Rule {
  /** ISO 3166-1 alpha-2 code of the registration, when it differs from the prefix. */
  country?: string;
  /** What follows the prefix, in words, for the format error message. */
  format: string;
  /** Matched against the input after the two-letter prefix, once separators are gone. */
  pattern: RegExp;
  /** The canonical part after the prefix, when it differs from the input. */
  canonical?: (body: string) => string;
  /** Verifies the check digits of the canonical body; absent where only the format is known. */
  check?: (body: string) => boolean;
}

const digitAt = (v: string, i: number): number => Number(v.at(i));

/** Σ digit × weight, pairing the weights with the leading digits. */
const weighted = (v: string, weights: readonly number[]): number =>
  weights.reduce((sum, w, i) => sum + w * digitAt(v, i), 0);

/** 11 − (weighted sum mod 11), in 1..11; each country maps 10 and 11 its own way. */
const elevenMinus = (v: string, weights: readonly number[]): number => 11 - (weighted(v, weights) % 11);

/** Digit sum with the digits at indices of the given parity doubled (and 9 cast out), as in Luhn. */
function luhnSum(v: string, doubledParity: number): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const d = digitAt(v, i) * (i % 2 === doubledParity ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return sum;
}

/** Luhn over a number whose last digit is the check digit. */
const luhn = (v: string): boolean => luhnSum(v, v.length % 2) % 10 === 0;

/** Remainder of a long alphanumeric string modulo m, letters counting as 10..35 (as in IBAN). */
function modAlphanumeric(v: string, m: number): number {
  let r = 0;
  for (const c of v) {
    const n = Number.parseInt(c, 36);
    r = (r * (n > 9 ? 100 : 10) + n) % m;
  }
  return r;
}

/** ISO 7064 MOD 11,10 (DE, HR). */
function hybridMod11(v: string): boolean {
  let product = 10;
  for (const c of v.slice(0, -1)) {
    const sum = (product + Number(c)) % 10 || 10;
    product = (sum * 2) % 11;
  }
  return (11 - product) % 10 === digitAt(v, -1);
}

/** Check digit 11 − (sum mod 11), where 11 means 0 and 10 cannot be issued (FI, NO, CH). */
const mod11 = (v: string, weights: readonly number[]): boolean =>
  elevenMinus(v, weights) % 11 === digitAt(v, weights.length);

function bulgaria(v: string): boolean {
  const last = digitAt(v, -1);
  if (v.length === 9) {
    let r = weighted(v, [1, 2, 3, 4, 5, 6, 7, 8]) % 11;
    if (r === 10) r = weighted(v, [3, 4, 5, 6, 7, 8, 9, 10]) % 11;
    return r % 10 === last;
  }
  // Ten digits: a citizen's EGN, a foreigner's LNCh or another taxpayer's number, each with its own weights.
  return (
    (weighted(v, [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11) % 10 === last ||
    weighted(v, [21, 19, 17, 13, 11, 9, 7, 3, 1]) % 10 === last ||
    elevenMinus(v, [4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11 === last
  );
}

const CY_ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
function cyprus(v: string): boolean {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += i % 2 === 0 ? CY_ODD_VALUES[digitAt(v, i)]! : digitAt(v, i);
  return String.fromCharCode(65 + (sum % 26)) === v[8];
}

function czechia(v: string): boolean {
  const last = digitAt(v, -1);
  if (v.length === 8) return elevenMinus(v, [8, 7, 6, 5, 4, 3, 2]) % 10 === last;
  if (v.length === 10) {
    // Birth number: divisible by 11, except that a remainder of 10 on the first nine digits gives 0.
    return Number(v) % 11 === 0 || (Number(v.slice(0, 9)) % 11 === 10 && last === 0);
  }
  if (v[0] === "6") {
    return (8 + (weighted(v.slice(1), [8, 7, 6, 5, 4, 3, 2]) % 11)) % 10 === last;
  }
  return true; // nine-digit birth numbers from before 1954 carry no check digit
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
const dniLetter = (digits: string): string | undefined => DNI_LETTERS[Number(digits) % 23];

function spain(v: string): boolean {
  const first = v[0]!;
  const last = v[8];
  if (/\d/.test(first)) return dniLetter(v.slice(0, 8)) === last;
  if ("XYZ".includes(first)) return dniLetter("XYZ".indexOf(first) + v.slice(1, 8)) === last;
  if ("KLM".includes(first)) return dniLetter(v.slice(1, 8)) === last;
  // Companies (CIF). Sources disagree on which entity types use the letter form, so both are accepted.
  const c = (10 - (luhnSum(v.slice(1, 8), 0) % 10)) % 10;
  return last === String(c) || last === "JABCDEFGHI"[c];
}

const IE_LETTERS = "WABCDEFGHIJKLMNOPQRSTUV";
function ireland(v: string): boolean {
  // Old form (digit, letter, + or *, 5 digits, letter): read as 0, the 5 digits, the first digit, the letter.
  const n = /^\d[A-Z+*]/.test(v) ? `0${v.slice(2, 7)}${v[0]}${v[7]}` : v;
  const extra = n.length === 9 ? IE_LETTERS.indexOf(n[8]!) * 9 : 0;
  return IE_LETTERS[(weighted(n, [8, 7, 6, 5, 4, 3, 2]) + extra) % 23] === n[7];
}

function lithuania(v: string): boolean {
  const weights = (shift: number) => Array.from({ length: v.length - 1 }, (_, i) => 1 + ((i + shift) % 9));
  let r = weighted(v, weights(0)) % 11;
  if (r === 10) r = weighted(v, weights(2)) % 11;
  return r % 10 === digitAt(v, -1);
}

function unitedKingdom(v: string): boolean {
  if (v.startsWith("G") || v.startsWith("H")) return true; // GD/HA numbers have no check digits
  const r = (weighted(v, [8, 7, 6, 5, 4, 3, 2]) + Number(v.slice(7, 9))) % 97;
  return r === 0 || r === 42; // 42: numbers issued since the 2009 restart, whose total + 55 is divisible by 97
}

const GB_RULE: Rule = {
  country: "GB",
  format: "9 digits, 12 digits (branch), GD and 3 digits below 500, or HA and 3 digits from 500",
  pattern: /^(\d{9}|\d{12}|GD[0-4]\d\d|HA[5-9]\d\d)$/,
  check: unitedKingdom,
};

const RULES: Record<string, Rule> = {
  AT: {
    format: "U and 8 digits",
    pattern: /^U\d{8}$/,
    check: (v) => (10 - ((luhnSum(v.slice(1, 8), 1) + 4) % 10)) % 10 === digitAt(v, 8),
  },
  BE: {
    format: "10 digits starting with 0 or 1",
    pattern: /^[01]\d{9}$/,
    check: (v) => 97 - (Number(v.slice(0, 8)) % 97) === Number(v.slice(8)),
  },
  BG: { format: "9 or 10 digits", pattern: /^\d{9,10}$/, check: bulgaria },
  CY: { format: "8 digits and a letter", pattern: /^\d{8}[A-Z]$/, check: cyprus },
  CZ: { format: "8, 9 or 10 digits", pattern: /^(?!9\d{7}$)\d{8,10}$/, check: czechia },
  DE: { format: "9 digits not starting with 0", pattern: /^[1-9]\d{8}$/, check: hybridMod11 },
  DK: {
    format: "8 digits not starting with 0",
    pattern: /^[1-9]\d{7}$/,
    check: (v) => weighted(v, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0,
  },
  EE: {
    format: "9 digits starting with 10",
    pattern: /^10\d{7}$/,
    check: (v) => (10 - (weighted(v, [3, 7, 1, 3, 7, 1, 3, 7]) % 10)) % 10 === digitAt(v, 8),
  },
  EL: {
    country: "GR",
    format: "9 digits",
    pattern: /^\d{9}$/,
    check: (v) => (weighted(v, [256, 128, 64, 32, 16, 8, 4, 2]) % 11) % 10 === digitAt(v, 8),
  },
  ES: {
    format: "9 characters: a letter or digit, 7 digits and a letter or digit",
    pattern: /^(\d{8}[A-Z]|[KLMXYZ]\d{7}[A-Z]|[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J])$/,
    check: spain,
  },
  FI: { format: "8 digits", pattern: /^\d{8}$/, check: (v) => mod11(v, [7, 9, 10, 5, 8, 4, 2]) },
  FR: {
    format: "a 2-character key and the 9-digit SIREN",
    pattern: /^[0-9A-HJ-NP-Z]{2}\d{9}$/,
    // Numeric keys are computed from the SIREN; the rarer alphanumeric keys have no public algorithm.
    check: (v) => !/^\d\d/.test(v) || Number(v.slice(0, 2)) === (12 + 3 * (Number(v.slice(2)) % 97)) % 97,
  },
  HR: { format: "11 digits", pattern: /^\d{11}$/, check: hybridMod11 },
  HU: {
    format: "8 digits",
    pattern: /^\d{8}$/,
    check: (v) => (10 - (weighted(v, [9, 7, 3, 1, 9, 7, 3]) % 10)) % 10 === digitAt(v, 7),
  },
  IE: {
    format: "7 digits and 1 or 2 letters, or a digit, a letter, 5 digits and a letter",
    pattern: /^(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/,
    check: ireland,
  },
  IT: { format: "11 digits", pattern: /^\d{11}$/, check: luhn },
  LT: { format: "9 or 12 digits", pattern: /^(\d{7}1\d|\d{10}1\d)$/, check: lithuania },
  LU: {
    format: "8 digits",
    pattern: /^\d{8}$/,
    check: (v) => Number(v.slice(0, 6)) % 89 === Number(v.slice(6)),
  },
  LV: {
    format: "11 digits",
    pattern: /^\d{11}$/,
    // Legal entities (first digit above 3) only: personal codes have no confirmed public algorithm.
    check: (v) => digitAt(v, 0) <= 3 || weighted(v, [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 === 3,
  },
  MT: {
    format: "8 digits not starting with 0",
    pattern: /^[1-9]\d{7}$/,
    check: (v) => 37 - (weighted(v, [3, 4, 6, 7, 8, 9]) % 37) === Number(v.slice(6)),
  },
  NL: {
    format: "9 digits, B and 2 digits",
    pattern: /^\d{9}B\d\d$/,
    // Companies use the 11-test; the btw-id of sole traders (since 2020) is "NL…" mod 97 = 1, as an IBAN.
    check: (v) =>
      weighted(v, [9, 8, 7, 6, 5, 4, 3, 2]) % 11 === digitAt(v, 8) || modAlphanumeric(`NL${v}`, 97) === 1,
  },
  PL: {
    format: "10 digits",
    pattern: /^\d{10}$/,
    check: (v) => weighted(v, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 === digitAt(v, 9),
  },
  PT: {
    format: "9 digits not starting with 0",
    pattern: /^[1-9]\d{8}$/,
    check: (v) => (elevenMinus(v, [9, 8, 7, 6, 5, 4, 3, 2]) % 11) % 10 === digitAt(v, 8),
  },
  RO: {
    format: "2 to 10 digits not starting with 0",
    pattern: /^[1-9]\d{1,9}$/,
    check: (v) => {
      const padded = v.padStart(10, "0");
      return ((weighted(padded, [7, 5, 3, 2, 1, 7, 5, 3, 2]) * 10) % 11) % 10 === digitAt(padded, 9);
    },
  },
  SE: { format: "10 digits and 01", pattern: /^\d{10}01$/, check: (v) => luhn(v.slice(0, 10)) },
  SI: {
    format: "8 digits not starting with 0",
    pattern: /^[1-9]\d{7}$/,
    check: (v) => {
      const c = elevenMinus(v, [8, 7, 6, 5, 4, 3, 2]);
      return c !== 11 && c % 10 === digitAt(v, 7);
    },
  },
  SK: {
    format: "10 digits",
    pattern: /^[1-9]\d[2-47-9]\d{7}$/,
    check: (v) => Number(v) % 11 === 0,
  },
  GB: GB_RULE,
  XI: GB_RULE,
  NO: {
    format: "9 digits, optionally followed by MVA",
    pattern: /^\d{9}(MVA)?$/,
    canonical: (v) => `${v.slice(0, 9)}MVA`,
    check: (v) => mod11(v, [3, 2, 7, 6, 5, 4, 3, 2]),
  },
  CH: {
    format: "E and 9 digits, optionally followed by MWST, TVA, IVA or TPV",
    pattern: /^E\d{9}(MWST|TVA|IVA|TPV)?$/,
    canonical: (v) => v.slice(0, 10),
    check: (v) => mod11(v.slice(1), [5, 4, 3, 2, 7, 6, 5, 4]),
  },
};

const invalid = (problem: VatIdProblem, message: string): VatIdCheck => ({ valid: false, problem, message });

/** Validates format and check digits of a VAT number with its country prefix (e.g. "DE 136 695 976", "EL094259216", "CHE-116.281.710 MWST"). */
export function validateVatId(input: string): VatIdCheck {
  const compact = input.toUpperCase().replace(/[\s.-]/g, "");
  if (compact === "") {
    return invalid("format", "Enter a VAT number with its country prefix, e.g. DE136695976.");
  }
  const prefix = compact.slice(0, 2);
  if (!/^[A-Z]{2}$/.test(prefix)) {
    return invalid("format", "A VAT number starts with a two-letter country prefix, e.g. DE136695976.");
  }
  const rule = RULES[prefix];
  if (rule === undefined) {
    const hint = prefix === "GR" ? " Greek VAT numbers use the prefix EL." : "";
    return invalid("unknown_country", `${prefix} is not a supported VAT number prefix.${hint}`);
  }
  const body = compact.slice(2);
  if (!rule.pattern.test(body)) {
    return invalid("format", `A ${prefix} VAT number is ${prefix} followed by ${rule.format}.`);
  }
  const canonical = rule.canonical?.(body) ?? body;
  if (rule.check !== undefined && !rule.check(canonical)) {
    return invalid(
      "checksum",
      `The check digits of this ${prefix} VAT number do not match; check for typos.`,
    );
  }
  return { valid: true, country: rule.country ?? prefix, normalized: prefix + canonical };
}

/**
 * A VAT number that must be valid: its check, or a 400 with the given code and the reason.
 * @example requireVatId("FR40303265045", "cart.invalid_vat_id").normalized // "FR40303265045"
 */
export function requireVatId(input: string, code: string): { country: string; normalized: string } {
  const check = validateVatId(input);
  if (!check.valid) throw new ValidationError(code, check.message, { problem: check.problem });
  return check;
}
