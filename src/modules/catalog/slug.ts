/**
 * A URL slug from a title: accents removed, lowercase ASCII words joined by dashes. Returns ""
 * when nothing Latin remains (e.g. Japanese or Arabic titles); callers then fall back to the handle.
 * @example slugify("Crème Brûlée Set") // "creme-brulee-set"
 */
export function slugify(text: string): string {
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
