import { describe, expect, it } from "vitest";
import {
  canonicalLocale,
  fallbackChain,
  negotiateLocale,
  parseAcceptLanguage,
  requireLocale,
} from "./locale.ts";

describe("canonicalLocale and requireLocale", () => {
  it("canonicalises case and rejects invalid tags", () => {
    expect(canonicalLocale("pt-br")).toBe("pt-BR");
    expect(canonicalLocale("ZH-hant-tw")).toBe("zh-Hant-TW");
    expect(canonicalLocale("en_US")).toBeUndefined();
    expect(canonicalLocale("")).toBeUndefined();
    expect(requireLocale("de-at")).toBe("de-AT");
    expect(() => requireLocale("not a tag")).toThrow(expect.objectContaining({ code: "locale.invalid" }));
  });
});

describe("fallbackChain", () => {
  it("drops subtags one at a time and ends with the default locale", () => {
    expect(fallbackChain("de-AT")).toEqual(["de-AT", "de", "en"]);
    expect(fallbackChain("de-AT", "en")).toEqual(["de-AT", "de", "en"]);
    expect(fallbackChain("en-GB")).toEqual(["en-GB", "en"]);
    expect(fallbackChain("en")).toEqual(["en"]);
  });

  it("keeps the script subtag level for zh-Hant-TW", () => {
    expect(fallbackChain("zh-Hant-TW")).toEqual(["zh-Hant-TW", "zh-Hant", "zh", "en"]);
    expect(fallbackChain("zh-hant-tw")).toEqual(["zh-Hant-TW", "zh-Hant", "zh", "en"]);
  });

  it("falls back to the default chain alone for invalid tags", () => {
    expect(fallbackChain("not a tag")).toEqual(["en"]);
    expect(fallbackChain("")).toEqual(["en"]);
    expect(fallbackChain("en_US", "fr")).toEqual(["fr"]);
  });

  it("expands a default locale with a region and does not repeat tags", () => {
    expect(fallbackChain("de", "pt-BR")).toEqual(["de", "pt-BR", "pt"]);
    expect(fallbackChain("pt-PT", "pt-BR")).toEqual(["pt-PT", "pt", "pt-BR"]);
    expect(fallbackChain("pt-BR", "pt-BR")).toEqual(["pt-BR", "pt"]);
    expect(fallbackChain("PT-br", "pt")).toEqual(["pt-BR", "pt"]);
  });

  it("never leaves a single-letter extension or private-use marker dangling", () => {
    const chain = fallbackChain("en-US-u-ca-gregory");
    expect(chain[0]).toBe("en-US-u-ca-gregory");
    expect(chain.slice(-2)).toEqual(["en-US", "en"]);
    expect(fallbackChain("en-x-foo")).toEqual(["en-x-foo", "en"]);
    for (const t of [...chain, ...fallbackChain("de-CH-x-phonebk")]) expect(t).not.toMatch(/-[a-z]$/i);
  });
});

describe("parseAcceptLanguage", () => {
  it("orders by q-value, keeping header order on ties", () => {
    expect(parseAcceptLanguage("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5")).toEqual([
      "fr-CH",
      "fr",
      "en",
      "de",
    ]);
    expect(parseAcceptLanguage("en;q=0.5, de, ja;q=0.5, pt-br;q=0.7")).toEqual(["de", "pt-BR", "en", "ja"]);
    expect(parseAcceptLanguage("da, en-gb;q=0.8, en;q=0.8")).toEqual(["da", "en-GB", "en"]);
  });

  it("reads q case-insensitively and with whitespace", () => {
    expect(parseAcceptLanguage("en;Q=0.1, de;q=0.9")).toEqual(["de", "en"]);
    expect(parseAcceptLanguage("en ; q = 0.2 , de;q=0.3")).toEqual(["de", "en"]);
  });

  it("drops invalid tags, malformed weights, q=0 and the wildcard", () => {
    expect(parseAcceptLanguage("en;q=0.5, xx_YY, !!, , ja;q=0, de")).toEqual(["de", "en"]);
    expect(parseAcceptLanguage("en;q=abc, de;q=0.9")).toEqual(["de"]);
    expect(parseAcceptLanguage("en;q=2, fr;q=0.1")).toEqual(["fr"]);
    expect(parseAcceptLanguage("*")).toEqual([]);
    expect(parseAcceptLanguage("*;q=1, it;q=0.4")).toEqual(["it"]);
  });

  it("returns nothing for a missing or empty header", () => {
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage("")).toEqual([]);
    expect(parseAcceptLanguage(" , ;q=1")).toEqual([]);
  });
});

describe("negotiateLocale", () => {
  it("prefers an exact match, case-insensitively, answering in the supported spelling", () => {
    expect(negotiateLocale(["de-AT"], ["en", "de", "de-AT"])).toBe("de-AT");
    expect(negotiateLocale(["DE-at"], ["en", "de-AT"])).toBe("de-AT");
    expect(negotiateLocale(["pt-BR"], ["pt-PT", "pt-BR"])).toBe("pt-BR");
  });

  it("truncates requested tags before trying regional variants", () => {
    expect(negotiateLocale(["de-AT", "en"], ["en", "de"])).toBe("de");
    expect(negotiateLocale(["zh-Hant-TW"], ["en", "zh-Hans", "zh-Hant"])).toBe("zh-Hant");
    expect(negotiateLocale(["pt-BR"], ["en", "pt-PT", "pt"])).toBe("pt");
  });

  it("uses a supported regional variant of the language (pt → pt-BR)", () => {
    expect(negotiateLocale(["pt"], ["en", "pt-BR"])).toBe("pt-BR");
    expect(negotiateLocale(["pt-AO"], ["en", "pt-BR"])).toBe("pt-BR");
  });

  it("honours the order of the requested tags", () => {
    expect(negotiateLocale(["ja", "fr", "de"], ["en", "de", "fr"])).toBe("fr");
    expect(negotiateLocale(parseAcceptLanguage("it, de;q=0.5, fr;q=0.8"), ["en", "de", "fr"])).toBe("fr");
  });

  it("falls back to the first supported locale", () => {
    expect(negotiateLocale(["ja"], ["en", "de"])).toBe("en");
    expect(negotiateLocale([], ["fr", "en"])).toBe("fr");
    expect(negotiateLocale(["!!"], ["de-CH", "en"])).toBe("de-CH");
    expect(() => negotiateLocale(["en"], [])).toThrow();
  });
});
