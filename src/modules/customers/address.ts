import parsePhoneNumber, { isSupportedCountry } from "libphonenumber-js/max";
import { ValidationError } from "../../kernel/errors.ts";
import { isCountryCode } from "../../kernel/validate.ts";
import { COUNTRY_RULES, type CountryRule, DEFAULT_RULE } from "./address-formats.ts";

const FIELDS = [
  "firstName",
  "lastName",
  "company",
  "line1",
  "line2",
  "city",
  "province",
  "postalCode",
  "country",
  "phone",
] as const;
export type AddressField = (typeof FIELDS)[number];

/** An address as a client sends it: any field may be missing, blank or badly formatted. */
export type AddressInput = { [K in AddressField]?: string | null };

/** A validated, normalised address. Optional parts are null. */
export interface Address {
  firstName: string | null;
  lastName: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string | null;
  /** ISO 3166-2 subdivision code without the country prefix where the country has a list. */
  province: string | null;
  /** In the national written form ("SW1A 1AA", "100-0001"). */
  postalCode: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** E.164 ("+4930901820"). */
  phone: string | null;
}

export interface AddressProblem {
  field: AddressField;
  code: "required" | "too_long" | "invalid_characters" | "invalid" | "format" | "unknown_province";
  message: string;
}

const MAX_LENGTH: Record<AddressField, number> = {
  firstName: 100,
  lastName: 100,
  company: 200,
  line1: 200,
  line2: 200,
  city: 100,
  province: 100,
  postalCode: 20,
  country: 2,
  phone: 40,
};
// C0/C1 controls (PostgreSQL text cannot hold NUL) and the Unicode line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const DASHES = /[\u2010-\u2015\u2212\u30fc\uff0d]/g;

/** The rule used for a country: its own, or the lenient default. */
export function addressRuleFor(country: string): CountryRule {
  return COUNTRY_RULES[country] ?? DEFAULT_RULE;
}

/**
 * Validates and normalises an address for its country, listing every problem at once.
 * Throws ValidationError "address.invalid" with `details.fields: AddressProblem[]`.
 */
export function validateAddress(input: AddressInput): Address {
  const problems: AddressProblem[] = [];
  const report = (field: AddressField, code: AddressProblem["code"], message: string) =>
    problems.push({ field, code, message });

  const clean = {} as Record<AddressField, string | null>;
  for (const field of FIELDS) {
    const raw: unknown = (input as Record<string, unknown>)[field];
    if (raw !== undefined && raw !== null && typeof raw !== "string") {
      report(field, "invalid", `${field} must be a string`);
      clean[field] = null;
      continue;
    }
    const value = (raw ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
    if (CONTROL.test(value)) report(field, "invalid_characters", `${field} contains control characters`);
    else if (value.length > MAX_LENGTH[field])
      report(field, "too_long", `${field} is longer than ${MAX_LENGTH[field]} characters`);
    clean[field] = value === "" ? null : value;
  }

  const country = clean.country?.toUpperCase() ?? null;
  if (!country) report("country", "required", "country is required");
  else if (!isCountryCode(country))
    report("country", "invalid", `"${country}" is not an ISO 3166-1 alpha-2 country code`);
  const known = country && isCountryCode(country) ? country : null;
  const rule = addressRuleFor(known ?? "");

  if (!clean.lastName) report("lastName", "required", "lastName is required");
  if (!clean.line1) report("line1", "required", "line1 is required");
  if (!clean.city && !rule.cityOptional) report("city", "required", "city is required");

  const postalCode = known ? checkPostalCode(clean.postalCode, known, rule, report) : clean.postalCode;
  const province = known ? checkProvince(clean.province, known, rule, report) : clean.province;
  const phone = clean.phone ? checkPhone(clean.phone, known, report) : null;

  if (problems.length) {
    throw new ValidationError("address.invalid", problems.map((p) => p.message).join("; "), {
      fields: problems,
    });
  }
  return {
    firstName: clean.firstName,
    lastName: clean.lastName!,
    company: clean.company,
    line1: clean.line1!,
    line2: clean.line2,
    city: clean.city,
    province,
    postalCode,
    country: known!,
    phone,
  };
}

type Report = (field: AddressField, code: AddressProblem["code"], message: string) => void;

function checkPostalCode(
  value: string | null,
  country: string,
  rule: CountryRule,
  report: Report,
): string | null {
  if (rule.postal === "none") return null;
  const postal = rule.postal;
  if (!value) {
    if (!postal.optional) report("postalCode", "required", `postalCode is required (e.g. ${postal.example})`);
    return null;
  }
  // Full-width digits and Japanese dashes become ASCII; the 〒 mark is dropped.
  const typed = value
    .normalize("NFKC")
    .toUpperCase()
    .replace(DASHES, "-")
    .replace(/^〒\s*/, "");
  const compact = typed.replace(/[\s-]/g, "");
  if (!postal.compact.test(compact)) {
    const hint = postal.example ? ` (e.g. ${postal.example})` : "";
    report("postalCode", "format", `postalCode "${value}" is not a valid ${country} postal code${hint}`);
    return null;
  }
  if (postal.freeForm) return typed;
  return postal.write ? postal.write(compact) : compact;
}

function checkProvince(value: string | null, country: string, rule: CountryRule, report: Report) {
  const list = rule.province;
  if (!list) return value;
  if (!value) {
    if (list.required) report("province", "required", "province is required");
    return null;
  }
  let code = value.normalize("NFKC").toUpperCase();
  if (code.startsWith(`${country}-`)) code = code.slice(country.length + 1);
  if (country === "JP" && /^\d$/.test(code)) code = `0${code}`;
  if (!list.codes.includes(code)) {
    report("province", "unknown_province", `province "${value}" is not a subdivision code of ${country}`);
    return null;
  }
  return code;
}

function checkPhone(value: string, country: string | null, report: Report): string | null {
  const normalized = normalizePhone(value, country ?? undefined);
  if (!normalized) report("phone", "invalid", `phone "${value}" is not a valid phone number`);
  return normalized;
}

/**
 * A phone number in E.164, or null when it is not a valid number. Numbers without a country
 * calling code are read as numbers of `country`. Extensions are not accepted (E.164 has none).
 */
export function normalizePhone(value: string, country?: string): string | null {
  const region = country && isSupportedCountry(country) ? country : undefined;
  const parsed = parsePhoneNumber(value, region ? { defaultCountry: region } : {});
  if (!parsed?.isValid() || parsed.ext) return null;
  return parsed.number;
}
