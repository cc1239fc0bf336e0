import { ValidationError } from "../../kernel/errors.ts";
import { canonicalLocale } from "../../kernel/locale.ts";
import { normalizePhone } from "./address.ts";

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
// Deliberately loose: one @, a dot in the domain, nothing that breaks a mail header.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;

/**
 * An email address as stored: trimmed and lower-cased, so that uniqueness and look-ups are
 * case-insensitive.
 */
export function normalizeEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (value.length > 254 || CONTROL.test(value) || !EMAIL.test(value))
    throw new ValidationError("customer.invalid_email", `"${email.slice(0, 100)}" is not an email address`);
  return value;
}

/** A name or other short text: trimmed, NFC, at most `max` characters; blank becomes null. */
export function cleanText(value: string | null | undefined, field: string, max = 100): string | null {
  if (value === undefined || value === null) return null;
  const text = value.normalize("NFC").replace(/\s+/g, " ").trim();
  if (CONTROL.test(text))
    throw new ValidationError("customer.invalid_text", `${field} contains control characters`);
  if (text.length > max)
    throw new ValidationError("customer.invalid_text", `${field} is longer than ${max} characters`);
  return text || null;
}

export function cleanLocale(value: string | null | undefined): string | null {
  if (!value) return null;
  const locale = canonicalLocale(value);
  if (!locale)
    throw new ValidationError("locale.invalid", `"${value.slice(0, 40)}" is not a valid language tag`);
  return locale;
}

/** A profile phone number needs its country calling code ("+81 90 …"); stored as E.164. */
export function cleanPhone(value: string | null | undefined): string | null {
  if (!value?.trim()) return null;
  const phone = normalizePhone(value);
  if (!phone)
    throw new ValidationError(
      "customer.invalid_phone",
      `"${value.slice(0, 40)}" is not a valid phone number with its country code (e.g. +49 30 901820)`,
    );
  return phone;
}
