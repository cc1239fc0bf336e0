import Type from "typebox";
import { CountryCode, CurrencyCode, MinorUnits } from "../../http/schemas.ts";
import { IMPORT_RULE_KINDS, TAX_CATEGORIES } from "./tax.types.ts";

/** Request schemas of the tax Admin API. */
const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD" });
const Rate = Type.String({
  pattern: "^\\d{1,3}(\\.\\d{1,6})?$",
  description: 'A decimal fraction: "0.19" is 19 %',
});
const Source = Type.String({
  minLength: 3,
  maxLength: 500,
  description: "The official source of the figure",
});
const Figure = Type.Object({ amount: MinorUnits, currency: CurrencyCode }, { additionalProperties: false });
const Jurisdiction = Type.String({
  pattern: "^([A-Z]{2}|EU)$",
  description: "A country or a customs union (EU)",
});
const Category = Type.Union(TAX_CATEGORIES.map((c) => Type.Literal(c)));
const Dated = {
  effectiveFrom: Day,
  effectiveTo: Type.Optional(Type.Union([Day, Type.Null()])),
  source: Source,
};

export const TaxRateBody = Type.Object(
  {
    country: CountryCode,
    region: Type.Optional(Type.Union([Type.String({ pattern: "^[A-Z0-9]{1,3}$" }), Type.Null()])),
    postalPrefix: Type.Optional(Type.Union([Type.String({ pattern: "^[A-Z0-9]{1,10}$" }), Type.Null()])),
    category: Category,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    rate: Rate,
    replacesNational: Type.Optional(Type.Boolean()),
    appliesToShipping: Type.Optional(Type.Boolean()),
    grossUp: Type.Optional(Type.Boolean()),
    ...Dated,
  },
  { additionalProperties: false },
);

export const DutyRateBody = Type.Object(
  {
    country: Jurisdiction,
    hsPrefix: Type.String({
      pattern: "^([0-9]{2}){0,3}$",
      description: '6, 4 or 2 digits; "" for the default',
    }),
    agreement: Type.Optional(Type.Union([Type.String({ pattern: "^[A-Z0-9_-]{2,20}$" }), Type.Null()])),
    rate: Rate,
    valueUpTo: Type.Optional(Type.Union([Figure, Type.Null()])),
    deduction: Type.Optional(Type.Union([Figure, Type.Null()])),
    specific: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    ...Dated,
  },
  { additionalProperties: false },
);

export const ImportRuleBody = Type.Object(
  {
    country: Jurisdiction,
    kind: Type.Union(IMPORT_RULE_KINDS.map((k) => Type.Literal(k))),
    value: Type.Union([Figure, Type.Null()]),
    basis: Type.Union([
      Type.Literal("goods"),
      Type.Literal("goods_and_shipping"),
      Type.Literal("tax_amount"),
    ]),
    perItem: Type.Optional(Type.Boolean()),
    scheme: Type.Optional(Type.Union([Type.String({ pattern: "^[A-Z0-9_-]{2,20}$" }), Type.Null()])),
    flat: Type.Optional(Type.Union([Figure, Type.Null()])),
    factor: Type.Optional(Type.Union([Rate, Type.Null()])),
    ...Dated,
  },
  { additionalProperties: false },
);

export const RegistrationBody = Type.Object(
  {
    jurisdiction: Type.String({
      pattern: "^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU)$",
      description: 'e.g. "GB", "US-NY", "EU"',
    }),
    scheme: Type.String({
      pattern: "^[A-Z0-9_-]{2,20}$",
      description: "IOSS, OSS, UK_VAT, VOEC, AU_GST, SALES_TAX …",
    }),
    number: Type.String({ minLength: 1, maxLength: 50 }),
    effectiveFrom: Day,
    effectiveTo: Type.Optional(Type.Union([Day, Type.Null()])),
  },
  { additionalProperties: false },
);

export const RuleListQuery = Type.Object({
  country: Type.Optional(Jurisdiction),
  on: Type.Optional(Day),
});

export const EndBody = Type.Object({ effectiveTo: Day }, { additionalProperties: false });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const VatIdBody = Type.Object(
  { vatId: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

export const QuoteBody = Type.Object(
  {
    date: Type.Optional(Day),
    currency: CurrencyCode,
    pricesIncludeTax: Type.Boolean(),
    dutyMode: Type.Union([Type.Literal("DDP"), Type.Literal("DDU")]),
    destination: Type.Object(
      {
        country: CountryCode,
        region: Type.Optional(Type.String({ pattern: "^[A-Z0-9]{1,3}$" })),
        postalCode: Type.Optional(Type.String({ maxLength: 20 })),
      },
      { additionalProperties: false },
    ),
    buyerVatId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    shipping: MinorUnits,
    lines: Type.Array(
      Type.Object(
        {
          id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          amount: MinorUnits,
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          hsCode: Type.Optional(Type.Union([Type.String({ pattern: "^[0-9]{4,10}$" }), Type.Null()])),
          originCountry: Type.Optional(Type.Union([CountryCode, Type.Null()])),
          taxCategory: Type.Optional(Category),
          shipFrom: CountryCode,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 250 },
    ),
  },
  { additionalProperties: false },
);

export const CountryParams = Type.Object({ country: CountryCode });
export const JurisdictionBody = Type.Object(
  {
    customsUnion: Type.Union([Type.String({ pattern: "^[A-Z]{2}$" }), Type.Null()]),
    rounding: Type.Union([Type.Literal("line"), Type.Literal("document")]),
    dutyOnShipping: Type.Boolean(),
    source: Source,
  },
  { additionalProperties: false },
);
export const AgreementParams = Type.Object({ code: Type.String({ pattern: "^[A-Z0-9_-]{2,20}$" }) });
export const AgreementBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    members: Type.Array(Type.Object({ country: CountryCode, from: Day }, { additionalProperties: false }), {
      minItems: 2,
      maxItems: 100,
    }),
    source: Source,
  },
  { additionalProperties: false },
);
