import Type from "typebox";
import { MinorUnits, PageQuery } from "../../http/schemas.ts";

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 200 });
const Ids = Type.Array(Id, { minItems: 1, maxItems: 1000 });
const Count = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
const Timestamp = Nullable(Type.String({ format: "date-time" }));

/** Currency → minor units; currencies are checked against ISO 4217 by the service. */
const CurrencyAmounts = Type.Record(Type.String({ pattern: "^[A-Z]{3}$" }), MinorUnits, {
  minProperties: 1,
  maxProperties: 200,
});

export const BasisPoints = Type.Integer({
  minimum: 1,
  maximum: 10_000,
  description: "Basis points: 1500 = 15 %, 10000 = free",
});

const Target = Type.Union([
  Type.Object({ type: Type.Literal("all") }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal("products"), productIds: Ids },
    { additionalProperties: false, description: "Product ids or handles" },
  ),
  Type.Object(
    { type: Type.Literal("collections"), collectionIds: Ids },
    { additionalProperties: false, description: "Collection ids or handles" },
  ),
]);

const Side = Type.Object(
  { quantity: Type.Integer({ minimum: 1, maximum: 1000 }), target: Target },
  { additionalProperties: false },
);

const Kind = Type.Union([
  Type.Literal("percentage"),
  Type.Literal("fixed_amount"),
  Type.Literal("free_shipping"),
  Type.Literal("buy_x_get_y"),
]);
const Class = Type.Union([Type.Literal("product"), Type.Literal("order"), Type.Literal("shipping")]);

const fields = {
  code: Type.Optional(
    Nullable(
      Type.String({
        pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
        description: "Letters, digits, - and _; stored upper-case; null for an automatic discount",
      }),
    ),
  ),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Kind,
  class: Type.Optional(Class),
  percentage: Type.Optional(Nullable(BasisPoints)),
  amounts: Type.Optional(Nullable(CurrencyAmounts)),
  appliesTo: Type.Optional(Target),
  buy: Type.Optional(Nullable(Side)),
  get: Type.Optional(Nullable(Side)),
  maxUsesPerOrder: Type.Optional(Nullable(Count)),
  minSubtotal: Type.Optional(Nullable(CurrencyAmounts)),
  marketIds: Type.Optional(
    Type.Array(Id, { maxItems: 100, description: "Market ids or codes; empty = every market" }),
  ),
  startsAt: Type.Optional(Timestamp),
  endsAt: Type.Optional(Timestamp),
  usageLimit: Type.Optional(Nullable(Count)),
  perCustomerLimit: Type.Optional(Nullable(Count)),
  combinesWith: Type.Optional(
    Type.Object(
      {
        product: Type.Optional(Type.Boolean()),
        order: Type.Optional(Type.Boolean()),
        shipping: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
  ),
  active: Type.Optional(Type.Boolean()),
};

export const DiscountCreateSchema = Type.Object(fields, { additionalProperties: false });
export const DiscountPatchSchema = Type.Partial(DiscountCreateSchema, { additionalProperties: false });

export const DiscountListQuery = Type.Object({
  ...PageQuery,
  code: Type.Optional(Type.String({ maxLength: 64 })),
  active: Type.Optional(Type.Boolean()),
  kind: Type.Optional(Kind),
  automatic: Type.Optional(Type.Boolean()),
});

export const PreviewSchema = Type.Object(
  {
    market: Type.String({ minLength: 1, maxLength: 200, description: "Market id or code" }),
    codes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })),
    customerKey: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
    at: Type.Optional(
      Type.String({ format: "date-time", description: "Evaluate at this time (default now)" }),
    ),
    shippingAmount: Type.Optional(MinorUnits),
    lines: Type.Array(
      Type.Object(
        {
          lineId: Type.String({ minLength: 1, maxLength: 100 }),
          productId: Id,
          variantId: Type.Optional(Id),
          collectionIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          unitPrice: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
