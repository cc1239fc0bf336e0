import { ValidationError } from "./errors.ts";
import { canonicalLocale } from "./locale.ts";
import { isCurrency } from "./money.ts";

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** True for an assigned ISO 3166-1 alpha-2 code (as known to the runtime's ICU data). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && code !== "ZZ" && regionNames.of(code) !== undefined;
}

export function requireCountry(code: string, field = "country"): string {
  if (!isCountryCode(code))
    throw new ValidationError(
      "country.invalid",
      `${field}: "${code}" is not an ISO 3166-1 alpha-2 country code`,
    );
  return code;
}

export function requireCurrency(code: string, field = "currency"): string {
  if (!isCurrency(code))
    throw new ValidationError("currency.invalid", `${field}: "${code}" is not an active ISO 4217 currency`);
  return code;
}

/** Canonicalises a list of locale tags, rejecting invalid ones and duplicates. */
export function requireLocales(tags: readonly string[], field = "locales"): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const canonical = canonicalLocale(tag);
    if (!canonical)
      throw new ValidationError("locale.invalid", `${field}: "${tag}" is not a valid language tag`);
    if (out.includes(canonical))
      throw new ValidationError("locale.duplicate", `${field}: "${canonical}" is listed twice`);
    out.push(canonical);
  }
  return out;
}

/** A URL-safe handle: lowercase letters, digits and dashes. */
export const HANDLE_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$";
