import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { type Ctx, systemCtx } from "../../kernel/context.ts";
import { ValidationError } from "../../kernel/errors.ts";
import {
  crossRate,
  deleteFxOverride,
  importEcbRates,
  parseEcbXml,
  resolveRate,
  setFxOverride,
} from "./fx.service.ts";

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>`;
const TAIL = `
	</Cube>
</gesmes:Envelope>`;

function day(time: string, rates: Record<string, string>): string {
  const cubes = Object.entries(rates)
    .map(([c, r]) => `\n\t\t\t<Cube currency='${c}' rate='${r}'/>`)
    .join("");
  return `\n\t\t<Cube time='${time}'>${cubes}\n\t\t</Cube>`;
}
const ecbFile = (...days: string[]) => HEAD + days.join("") + TAIL;

const DAILY_RATES = {
  USD: "1.0455",
  JPY: "161.25",
  CZK: "25.123",
  DKK: "7.4581",
  GBP: "0.83245",
  HUF: "409.15",
  PLN: "4.3285",
  SEK: "11.4875",
  CHF: "0.9312",
  NOK: "11.702",
  AUD: "1.6123",
};
const DAILY = ecbFile(day("2026-11-20", DAILY_RATES));
const HISTORY = ecbFile(
  day("2026-11-20", { USD: "1.0455", JPY: "161.25", GBP: "0.83245" }),
  day("2026-11-19", { USD: "1.0512", JPY: "161.87", GBP: "0.8331" }),
  day("2026-11-18", { USD: "1.0498", JPY: "160.9", GBP: "0.83405" }),
);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).code;
  }
  return undefined;
}

describe("parseEcbXml", () => {
  it("reads the daily file", () => {
    expect(parseEcbXml(DAILY)).toEqual([{ date: "2026-11-20", rates: DAILY_RATES }]);
  });

  it("reads a history file with several days, keeping rates as exact strings", () => {
    const days = parseEcbXml(HISTORY);
    expect(days.map((d) => d.date)).toEqual(["2026-11-20", "2026-11-19", "2026-11-18"]);
    expect(days[1]!.rates).toEqual({ USD: "1.0512", JPY: "161.87", GBP: "0.8331" });
    expect(days[2]!.rates.JPY).toBe("160.9");
  });

  it("reads a day with a single rate", () => {
    expect(parseEcbXml(ecbFile(day("2026-11-20", { USD: "1.05" })))).toEqual([
      { date: "2026-11-20", rates: { USD: "1.05" } },
    ]);
  });

  it("rejects malformed and truncated XML", () => {
    expect(codeOf(() => parseEcbXml("<gesmes:Envelope><Cube><Cube time='2026-11-20'>"))).toBe(
      "fx.invalid_xml",
    );
    expect(codeOf(() => parseEcbXml(DAILY.slice(0, DAILY.indexOf("CHF"))))).toBe("fx.invalid_xml");
    expect(codeOf(() => parseEcbXml("<a><b></a>"))).toBe("fx.invalid_xml");
  });

  it("rejects a document that is not an ECB envelope", () => {
    expect(codeOf(() => parseEcbXml("<rates><Cube><Cube time='2026-11-20'/></Cube></rates>"))).toBe(
      "fx.not_ecb",
    );
    expect(codeOf(() => parseEcbXml(`${HEAD}${TAIL}`))).toBe("fx.not_ecb");
    expect(codeOf(() => parseEcbXml(""))).toMatch(/^fx\./);
  });

  it("rejects a day without a valid time", () => {
    const noTime = ecbFile(`<Cube><Cube currency='USD' rate='1.05'/></Cube>`);
    expect(codeOf(() => parseEcbXml(noTime))).toBe("fx.invalid_date");
    expect(codeOf(() => parseEcbXml(ecbFile(day("20.11.2026", { USD: "1.05" }))))).toBe("fx.invalid_date");
    expect(codeOf(() => parseEcbXml(ecbFile(day("2026-02-30", { USD: "1.05" }))))).toBe("fx.invalid_date");
    expect(codeOf(() => parseEcbXml(ecbFile(day("2026-13-01", { USD: "1.05" }))))).toBe("fx.invalid_date");
  });

  it("rejects bad rates, unknown currencies and empty days", () => {
    for (const bad of ["abc", "0", "-1.05", "1,05", ""]) {
      expect(
        codeOf(() => parseEcbXml(ecbFile(day("2026-11-20", { USD: bad })))),
        bad,
      ).toBe("fx.invalid_rate");
    }
    expect(codeOf(() => parseEcbXml(ecbFile(day("2026-11-20", { USD: "1.05", XYZ: "2" }))))).toBe(
      "currency.invalid",
    );
    expect(codeOf(() => parseEcbXml(ecbFile(day("2026-11-20", {}))))).toBe("fx.empty_day");
  });
});

describe("crossRate", () => {
  const usd = { rate: "1.0455", date: "2026-11-20" };
  const jpy = { rate: "161.25", date: "2026-11-19" };

  it("is 1 for the same currency, even with an override or no rates", () => {
    expect(crossRate("JPY", "JPY", "2", null, null)).toEqual({
      base: "JPY",
      quote: "JPY",
      rate: "1",
      rateDate: null,
      source: "identity",
    });
  });

  it("lets an override win over reference rates", () => {
    expect(crossRate("USD", "JPY", "150.5", usd, jpy)).toEqual({
      base: "USD",
      quote: "JPY",
      rate: "150.5",
      rateDate: null,
      source: "manual",
    });
  });

  it("uses the EUR-based rate directly from and inverted to EUR", () => {
    expect(crossRate("EUR", "JPY", null, null, jpy)).toEqual({
      base: "EUR",
      quote: "JPY",
      rate: "161.25",
      rateDate: "2026-11-19",
      source: "ecb",
    });
    expect(crossRate("USD", "EUR", null, usd, undefined)).toMatchObject({
      rate: "0.956480153",
      rateDate: "2026-11-20",
    });
  });

  it("crosses through EUR to 10 decimals, dated by the older rate", () => {
    expect(crossRate("USD", "JPY", null, usd, jpy)).toEqual({
      base: "USD",
      quote: "JPY",
      rate: "154.2324246772",
      rateDate: "2026-11-19",
      source: "ecb",
    });
    expect(crossRate("USD", "GBP", null, usd, { rate: "0.83245", date: "2026-11-20" })?.rate).toBe(
      "0.7962219034",
    );
  });

  it("is null when a needed rate is missing", () => {
    expect(crossRate("USD", "JPY", null, usd, null)).toBeNull();
    expect(crossRate("USD", "JPY", null, undefined, jpy)).toBeNull();
    expect(crossRate("EUR", "JPY", null, usd, null)).toBeNull();
  });
});

describe(`importEcbRates and resolveRate on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  let database: Database;
  let ctx: Ctx;
  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = systemCtx(database.db, "fx-test");
  });
  afterAll(() => database?.close());

  const rateCount = async (date: string) =>
    (
      await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from fx_rates where rate_date = ${date}`,
      )
    )[0]!.n;

  it("uses the latest rate on or before the date and changes after a later import", async () => {
    expect(await importEcbRates(ctx, ecbFile(day("2026-11-18", { USD: "1.04", JPY: "160" })))).toEqual({
      days: ["2026-11-18"],
      rates: 2,
    });
    await expect(resolveRate(ctx, "EUR", "USD", "2026-11-17")).rejects.toMatchObject({
      code: "fx.rate_missing",
    });
    expect(await resolveRate(ctx, "EUR", "USD", "2026-11-20")).toEqual({
      base: "EUR",
      quote: "USD",
      rate: "1.04",
      rateDate: "2026-11-18",
      source: "ecb",
    });
    expect((await resolveRate(ctx, "USD", "JPY", "2026-11-20")).rate).toBe("153.8461538462");

    await importEcbRates(ctx, ecbFile(day("2026-11-20", { JPY: "161.25" })));
    // JPY moved on the 20th while USD still comes from the 18th; the quote is dated by the older.
    expect(await resolveRate(ctx, "USD", "JPY", "2026-11-20")).toMatchObject({
      rate: "155.0480769231",
      rateDate: "2026-11-18",
      source: "ecb",
    });
    expect((await resolveRate(ctx, "USD", "JPY", "2026-11-19")).rate).toBe("153.8461538462");
    await expect(resolveRate(ctx, "USD", "CHF", "2026-11-20")).rejects.toMatchObject({
      code: "fx.rate_missing",
    });
  });

  it("imports a history file and a re-import of the same day replaces its values", async () => {
    expect(await importEcbRates(ctx, HISTORY)).toEqual({
      days: ["2026-11-20", "2026-11-19", "2026-11-18"],
      rates: 9,
    });
    expect(await resolveRate(ctx, "EUR", "USD", "2026-11-19")).toMatchObject({
      rate: "1.0512",
      rateDate: "2026-11-19",
    });
    expect((await resolveRate(ctx, "USD", "JPY", "2026-11-20")).rate).toBe("154.2324246772");
    expect(await rateCount("2026-11-20")).toBe(3);

    await importEcbRates(ctx, ecbFile(day("2026-11-20", { USD: "1.0512", JPY: "161.87", GBP: "0.84" })));
    expect(await rateCount("2026-11-20")).toBe(3);
    expect((await resolveRate(ctx, "EUR", "GBP", "2026-11-20")).rate).toBe("0.84");
    expect((await resolveRate(ctx, "USD", "JPY", "2026-11-20")).rate).toBe("153.9859208524");
  });

  it("stores nothing from a file that fails validation", async () => {
    const bad = ecbFile(day("2026-11-21", { USD: "1.1" }), day("2026-11-22", { USD: "-1" }));
    await expect(importEcbRates(ctx, bad)).rejects.toBeInstanceOf(ValidationError);
    expect(await rateCount("2026-11-21")).toBe(0);
  });

  it("lets an override win until it is deleted", async () => {
    await setFxOverride(ctx, "USD", "JPY", "150.5", "promo");
    expect(await resolveRate(ctx, "USD", "JPY", "2026-11-20")).toEqual({
      base: "USD",
      quote: "JPY",
      rate: "150.5",
      rateDate: null,
      source: "manual",
    });
    // Only the overridden direction changes, and an override needs no reference rate.
    expect((await resolveRate(ctx, "JPY", "USD", "2026-11-20")).source).toBe("ecb");
    expect((await resolveRate(ctx, "USD", "JPY", "2000-01-01")).rate).toBe("150.5");

    await setFxOverride(ctx, "USD", "JPY", "151");
    expect((await resolveRate(ctx, "USD", "JPY", "2026-11-20")).rate).toBe("151");

    await deleteFxOverride(ctx, "USD", "JPY");
    expect(await resolveRate(ctx, "USD", "JPY", "2026-11-20")).toMatchObject({
      rate: "153.9859208524",
      source: "ecb",
    });
    await expect(deleteFxOverride(ctx, "USD", "JPY")).rejects.toMatchObject({
      code: "fx_override.not_found",
    });
    await expect(setFxOverride(ctx, "USD", "JPY", "0")).rejects.toMatchObject({ code: "fx.invalid_rate" });
  });
});
