const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/u;

/**
 * A URL slug from a title: accents removed, lowercase ASCII words joined by dashes. Returns ""
 * for titles in other scripts (Japanese, Arabic, …), whose transliteration would be a guess;
 * callers then fall back to the handle.
 * @example slugify("Crème Brûlée Set") // "creme-brulee-set"
 */
export function slugify(text: string): string {
  if (NON_LATIN_LETTER.test(text)) return "";
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}
