import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../kernel/errors.ts";
import { type AddressInput, type AddressProblem, normalizePhone, validateAddress } from "./address.ts";

const base = { lastName: "Doe", line1: "1 Main Street", city: "Town" };

function problems(input: AddressInput): AddressProblem[] {
  try {
    validateAddress(input);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("address.invalid");
    expect((err as AppError).status).toBe(400);
    return ((err as AppError).details as { fields: AddressProblem[] }).fields;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be invalid`);
}

describe("postal codes per country", () => {
  // [country, as typed, as stored, province needed by the country]
  it.each([
    ["US", "94103", "94103", "CA"],
    ["US", "941031234", "94103-1234", "NY"],
    ["US", "94103 1234", "94103-1234", "us-tx"],
    ["CA", "k1a0b1", "K1A 0B1", "ON"],
    ["GB", "sw1a1aa", "SW1A 1AA", null],
    ["GB", "EC1A 1BB", "EC1A 1BB", null],
    ["GB", "m1 1ae", "M1 1AE", null],
    ["NL", "1012ab", "1012 AB", null],
    ["BR", "01310100", "01310-100", "SP"],
    ["BR", "01310-100", "01310-100", "RJ"],
    ["JP", "1000001", "100-0001", "13"],
    ["JP", "〒１００－０００１", "100-0001", "JP-13"],
    ["DE", "10115", "10115", null],
    ["FR", "75001", "75001", null],
    ["ES", "28013", "28013", null],
    ["IT", "00118", "00118", null],
    ["AT", "1010", "1010", null],
    ["BE", "1000", "1000", null],
    ["AU", "2000", "2000", "NSW"],
    ["SA", "12271", "12271", null],
    ["SA", "122713456", "12271-3456", null],
    ["ID", "10110", "10110", null],
    ["SG", "018956", "018956", null],
    ["KR", "03187", "03187", null],
    ["CN", "100000", "100000", null],
    ["IN", "110 001", "110001", null],
    ["MX", "06500", "06500", "CMX"],
    ["NO", "0150", "0150", null],
    ["CH", "8001", "8001", null],
    ["SE", "11351", "113 51", null],
    ["PL", "00950", "00-950", null],
    ["PT", "1000001", "1000-001", null],
    ["IE", "d02x285", "D02 X285", null],
    ["IE", "D6W 1234", "D6W 1234", null],
    ["NZ", "6011", "6011", null],
    ["CZ", "11000", "110 00", null],
  ])("%s %s → %s", (country, typed, stored, province) => {
    const address = validateAddress({ ...base, country, postalCode: typed, province });
    expect(address.postalCode).toBe(stored);
    expect(address.country).toBe(country);
  });

  it.each([
    ["US", "9410", "CA"],
    ["US", "94103-12", "CA"],
    ["CA", "D1A 0B1", "ON"], // D is never used in Canadian postal codes
    ["GB", "SW1A", null],
    ["NL", "0123 AB", null], // Dutch codes never start with 0
    ["BR", "1310-100", "SP"],
    ["JP", "100-001", "13"],
    ["DE", "1011", null],
    ["ES", "53001", null], // provinces run 01-52
    ["AT", "0100", null],
    ["AU", "20000", "NSW"],
    ["SG", "12345", null],
    ["IE", "B02 X285", null],
    ["PT", "1000-01", null],
  ])("%s rejects %s", (country, typed, province) => {
    expect(problems({ ...base, country, postalCode: typed, province })).toEqual([
      expect.objectContaining({ field: "postalCode", code: "format" }),
    ]);
  });

  it("requires a postal code where the post does, and not in Ireland or Saudi Arabia", () => {
    expect(problems({ ...base, country: "DE" })).toEqual([
      expect.objectContaining({ field: "postalCode", code: "required" }),
    ]);
    expect(validateAddress({ ...base, country: "IE" }).postalCode).toBeNull();
    expect(validateAddress({ ...base, country: "SA", postalCode: "" }).postalCode).toBeNull();
  });

  it("drops a postal code in countries without postal codes", () => {
    const address = validateAddress({ ...base, country: "AE", province: "DU", postalCode: "00000" });
    expect(address.postalCode).toBeNull();
    expect(address.province).toBe("DU");
  });

  it("is lenient for countries without a rule: street, city and country (and a name)", () => {
    expect(
      validateAddress({ lastName: "Okafor", line1: "5 Broad St", city: "Lagos", country: "ng" }),
    ).toEqual({
      firstName: null,
      lastName: "Okafor",
      company: null,
      line1: "5 Broad St",
      line2: null,
      city: "Lagos",
      province: null,
      postalCode: null,
      country: "NG",
      phone: null,
    });
    expect(validateAddress({ ...base, country: "NG", postalCode: " 100 001 " }).postalCode).toBe("100 001");
    expect(problems({ ...base, country: "NG", postalCode: "#?" })).toEqual([
      expect.objectContaining({ field: "postalCode", code: "format" }),
    ]);
  });
});

describe("provinces", () => {
  it.each([
    ["US", "ca", "CA"],
    ["US", "US-NY", "NY"],
    ["US", "PR", "PR"],
    ["CA", "qc", "QC"],
    ["AU", "vic", "VIC"],
    ["BR", "sp", "SP"],
    ["JP", "JP-01", "01"],
    ["JP", "7", "07"],
    ["MX", "JAL", "JAL"],
    ["AE", "ae-az", "AZ"],
  ])("%s %s → %s", (country, typed, stored) => {
    const postalCode = {
      US: "10001",
      CA: "H2X 1Y4",
      AU: "3000",
      BR: "01310-100",
      JP: "060-0001",
      MX: "44100",
    }[country];
    expect(validateAddress({ ...base, country, province: typed, postalCode }).province).toBe(stored);
  });

  it("rejects unknown codes and missing required provinces", () => {
    expect(problems({ ...base, country: "US", postalCode: "10001", province: "ZZ" })).toEqual([
      expect.objectContaining({ field: "province", code: "unknown_province" }),
    ]);
    expect(problems({ ...base, country: "JP", postalCode: "100-0001", province: "48" })).toEqual([
      expect.objectContaining({ field: "province", code: "unknown_province" }),
    ]);
    expect(problems({ ...base, country: "AU", postalCode: "2000" })).toEqual([
      expect.objectContaining({ field: "province", code: "required" }),
    ]);
  });

  it("keeps a free-text region where the country has no list", () => {
    expect(
      validateAddress({ ...base, country: "DE", postalCode: "80331", province: "Bayern" }).province,
    ).toBe("Bayern");
  });
});

describe("required fields and text", () => {
  it("lists every problem at once", () => {
    expect(
      problems({ country: "US", postalCode: "1", province: "XX", phone: "123", company: "x".repeat(201) }),
    ).toEqual([
      { field: "company", code: "too_long", message: "company is longer than 200 characters" },
      { field: "lastName", code: "required", message: "lastName is required" },
      { field: "line1", code: "required", message: "line1 is required" },
      { field: "city", code: "required", message: "city is required" },
      {
        field: "postalCode",
        code: "format",
        message: 'postalCode "1" is not a valid US postal code (e.g. 94103 or 94103-1234)',
      },
      {
        field: "province",
        code: "unknown_province",
        message: 'province "XX" is not a subdivision code of US',
      },
      { field: "phone", code: "invalid", message: 'phone "123" is not a valid phone number' },
    ]);
  });

  it("rejects unknown countries, control characters and non-strings", () => {
    expect(problems({ ...base, country: "XX" })).toEqual([
      expect.objectContaining({ field: "country", code: "invalid" }),
    ]);
    expect(problems({ ...base, country: "" })).toEqual([
      expect.objectContaining({ field: "country", code: "required" }),
    ]);
    expect(problems({ ...base, country: "DE", postalCode: "10115", line2: "a\u0000b" })).toEqual([
      expect.objectContaining({ field: "line2", code: "invalid_characters" }),
    ]);
    expect(problems({ ...base, country: "DE", postalCode: "10115", city: 5 as unknown as string })).toEqual([
      expect.objectContaining({ field: "city", code: "invalid" }),
      expect.objectContaining({ field: "city", code: "required" }),
    ]);
  });

  it("trims, collapses spaces, turns blanks into null and lets city-states omit the city", () => {
    const address = validateAddress({
      firstName: "  ",
      lastName: "  Tan   Wei ",
      line1: "1 Raffles Place",
      line2: "",
      city: null,
      postalCode: "048616",
      country: "sg",
    });
    expect(address).toMatchObject({
      firstName: null,
      lastName: "Tan Wei",
      line2: null,
      city: null,
      country: "SG",
    });
  });
});

describe("phone numbers", () => {
  it.each([
    ["DE", "030 901820", "+4930901820"],
    ["DE", "+49 (0)30 901820", "+4930901820"],
    ["US", "(650) 253-0000", "+16502530000"],
    ["JP", "03-3210-0000", "+81332100000"],
    ["JP", "090-1234-5678", "+819012345678"],
    ["BR", "(11) 91234-5678", "+5511912345678"],
    ["GB", "020 7925 0918", "+442079250918"],
    ["ID", "0812-3456-7890", "+6281234567890"],
    ["AE", "050 123 4567", "+971501234567"],
    ["FR", "+1 650 253 0000", "+16502530000"], // an international number wins over the address country
  ])("%s %s → %s", (country, typed, e164) => {
    expect(normalizePhone(typed, country)).toBe(e164);
  });

  it("rejects numbers that are not valid for the region, extensions and text", () => {
    expect(normalizePhone("030 12", "DE")).toBeNull();
    expect(normalizePhone("020 7925 091", "GB")).toBeNull(); // London numbers have 8 digits after 020
    expect(normalizePhone("+1 650 253 0000 ext. 12")).toBeNull();
    expect(normalizePhone("call me")).toBeNull();
    expect(normalizePhone("0301234567")).toBeNull(); // no country to read it in
  });

  it("stores the address phone in E.164", () => {
    const address = validateAddress({ ...base, country: "DE", postalCode: "10115", phone: "030 901820" });
    expect(address.phone).toBe("+4930901820");
  });
});

describe("any input", () => {
  const field = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: "binary", maxLength: 12 }),
    fc.constantFrom(
      "US",
      "JP",
      "GB",
      "BR",
      "AE",
      "CA",
      "NG",
      "13",
      "CA",
      "SW1A 1AA",
      "100-0001",
      "+1 650 253 0000",
    ),
  );
  const input = fc.record(
    Object.fromEntries(
      [
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
      ].map((k) => [k, field]),
    ),
    { requiredKeys: [] },
  ) as fc.Arbitrary<AddressInput>;

  it("either fails with address.invalid or gives an address that validates to itself", () => {
    fc.assert(
      fc.property(input, (raw) => {
        let address: ReturnType<typeof validateAddress>;
        try {
          address = validateAddress(raw);
        } catch (err) {
          expect((err as AppError).code).toBe("address.invalid");
          return;
        }
        expect(validateAddress(address)).toEqual(address);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
