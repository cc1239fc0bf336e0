import { describe, expect, it } from "vitest";
import { slugify } from "./slug.ts";

describe("slugify", () => {
  it.each([
    ["Crème Brûlée Set", "creme-brulee-set"],
    ["Große Straßen-Jacke", "grosse-strassen-jacke"],
    ["  --Trail   Vest 2.0-- ", "trail-vest-2-0"],
    ["青磁 ディナープレート 2枚組", ""],
    ["طقم أطباق سيلادون", ""],
    ["Набор", ""],
  ])("%s → %s", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
});
