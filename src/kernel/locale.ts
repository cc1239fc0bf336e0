import { ValidationError } from "./errors.ts";

/**
 * Canonical BCP 47 form of a tag, or undefined when it is not a valid tag.
 * @example canonicalLocale("pt-br") // "pt-BR"
 */
export function canonicalLocale(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

export function requireLocale(tag: string): string {
  const canonical = canonicalLocale(tag);
  if (!canonical) throw new ValidationError("locale.invalid", `"${tag}" is not a valid language tag`);
  return canonical;
}

/**
 * The tags to try, most specific first, ending with the default locale.
 * @example fallbackChain("de-AT", "en") // ["de-AT", "de", "en"]
 */
export function fallbackChain(tag: string, defaultLocale = "en"): string[] {
  const chain: string[] = [];
  for (const t of [tag, defaultLocale]) {
    for (const candidate of truncations(t)) if (!chain.includes(candidate)) chain.push(candidate);
  }
  return chain;
}

/** "zh-Hant-TW" → ["zh-Hant-TW", "zh-Hant", "zh"]; single-letter extension markers are never left dangling. */
function truncations(tag: string): string[] {
  const parts = canonicalLocale(tag)?.split("-") ?? [];
  const out: string[] = [];
  for (let n = parts.length; n > 0; n--) {
    if (parts[n - 1]!.length > 1) out.push(parts.slice(0, n).join("-"));
  }
  return out;
}

/** Parses an Accept-Language header into tags ordered by quality. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      // "q" is case-insensitive; a malformed weight drops the entry instead of ranking it first.
      const weight = params
        .find((p) => /^\s*q\s*=/i.test(p))
        ?.replace(/^\s*q\s*=/i, "")
        .trim();
      const q =
        weight === undefined ? 1 : /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(weight) ? Number(weight) : 0;
      return { tag: canonicalLocale(tag.trim()), q, index };
    })
    .filter((x): x is { tag: string; q: number; index: number } => !!x.tag && x.tag !== "*" && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((x) => x.tag);
}

/**
 * Picks the best supported locale for the requested tags: an exact match, then a match after
 * dropping subtags (de-AT → de), then a supported regional variant of the language (pt → pt-BR),
 * and finally the first supported locale.
 * @example negotiateLocale(["de-AT", "en"], ["en", "de"]) // "de"
 */
export function negotiateLocale(requested: readonly string[], supported: readonly string[]): string {
  if (supported.length === 0) throw new Error("negotiateLocale needs at least one supported locale");
  const lower = new Map(supported.map((s) => [s.toLowerCase(), s]));
  for (const tag of requested) {
    for (const candidate of fallbackChain(tag, tag)) {
      const hit = lower.get(candidate.toLowerCase());
      if (hit) return hit;
    }
    const language = tag.split("-")[0]!.toLowerCase();
    const regional = supported.find((s) => s.toLowerCase().split("-")[0] === language);
    if (regional) return regional;
  }
  return supported[0]!;
}

/**
 * The text for the first locale of `chain` that has one, else any text, else "".
 * @example pickLocalized({ en: "Tea", ja: "お茶" }, ["ja", "en"]) // "お茶"
 */
export function pickLocalized(text: Record<string, string>, chain: readonly string[]): string {
  for (const locale of chain) if (text[locale]) return text[locale];
  return Object.values(text)[0] ?? "";
}
