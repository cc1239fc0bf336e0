import Type from "typebox";
import { CountryCode, CurrencyCode, MinorUnits } from "../../http/schemas.ts";

/** Request schemas of the shipping routes. The services check what JSON Schema cannot express. */

const Days = Type.Integer({ minimum: 0, maximum: 365 });
export const Grams = Type.Integer({ minimum: 0, maximum: 100_000_000, description: "Weight in grams" });
const Id = Type.String({ minLength: 1, maxLength: 100 });

export const IdParams = Type.Object({ id: Id });
export const LaneParams = Type.Object({
  warehouse: Type.String({ minLength: 1, maxLength: 100, description: "Warehouse id or code" }),
  country: CountryCode,
});

export const ZoneBody = Type.Object(
  {
    market: Type.String({ minLength: 1, maxLength: 100, description: "Market id or code" }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    countries: Type.Array(CountryCode, {
      maxItems: 250,
      description: "A subset of the market's countries; empty: all the market's other countries",
    }),
  },
  { additionalProperties: false },
);
export const ZonePatch = Type.Partial(Type.Omit(ZoneBody, ["market"]), { additionalProperties: false });

const Limit = (description: string) => Type.Union([MinorUnits, Type.Null()], { description });
const Rates = Type.Union([
  Type.Object({ amount: MinorUnits }, { additionalProperties: false }),
  Type.Array(
    Type.Object(
      {
        upToGrams: Limit("Up to and including this weight; null: the open-ended last tier"),
        amount: MinorUnits,
      },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 50 },
  ),
  Type.Array(
    Type.Object(
      {
        upToSubtotal: Limit("Up to and including this subtotal; null: the open-ended last tier"),
        amount: MinorUnits,
      },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 50 },
  ),
]);

const MethodFields = {
  code: Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,39}$" }),
  name: Type.Record(
    Type.String({ minLength: 2, maxLength: 35 }),
    Type.String({ minLength: 1, maxLength: 120 }),
    {
      description: "Name per locale",
    },
  ),
  carrier: Type.String({ minLength: 1, maxLength: 80 }),
  rateType: Type.Union([Type.Literal("flat"), Type.Literal("weight_tiers"), Type.Literal("value_tiers")]),
  rates: Rates,
  freeOver: Type.Optional(Type.Union([MinorUnits, Type.Null()])),
  extraDays: Type.Optional(Days),
  active: Type.Optional(Type.Boolean()),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
};
export const MethodBody = Type.Object({ zone: Id, ...MethodFields }, { additionalProperties: false });
export const MethodPatch = Type.Partial(Type.Object(MethodFields), { additionalProperties: false });

export const LaneBody = Type.Object(
  {
    cost: MinorUnits,
    costCurrency: CurrencyCode,
    minDays: Days,
    maxDays: Days,
  },
  { additionalProperties: false },
);

/** The basket a quote is for. */
export const QuoteFields = {
  market: Type.String({ minLength: 1, maxLength: 100, description: "Market code or id" }),
  country: CountryCode,
  weightGrams: Type.Optional(Grams),
  subtotal: Type.Optional(MinorUnits),
  locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35 })),
};
export const AdminQuoteQuery = Type.Object({
  ...QuoteFields,
  currency: Type.Optional(CurrencyCode),
  warehouse: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      maxItems: 50,
      description: "Warehouse ids or codes the order ships from",
    }),
  ),
});
export const StoreOptionsQuery = Type.Object(QuoteFields);
