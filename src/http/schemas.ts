import Type from "typebox";
import { HANDLE_PATTERN } from "../kernel/validate.ts";

/** Shared request-schema pieces: every route validates its input with these. */
export const Handle = Type.String({ pattern: HANDLE_PATTERN, minLength: 1, maxLength: 120 });
export const Ref = Type.String({ minLength: 1, maxLength: 200, description: "An id or a handle" });
export const LocalizedText = Type.Record(Type.String({ maxLength: 35 }), Type.String({ maxLength: 10_000 }));
export const MinorUnits = Type.Integer({
  minimum: 0,
  maximum: 9_000_000_000_000,
  description: "Amount in minor units",
});
export const CountryCode = Type.String({ pattern: "^[A-Z]{2}$" });
export const CurrencyCode = Type.String({ pattern: "^[A-Z]{3}$" });
export const Decimal = Type.String({ pattern: "^\\d{1,12}(\\.\\d{1,12})?$" });

export const RefParams = Type.Object({ ref: Ref });
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

/**
 * preValidation for routes whose whole body is optional: a request without one is validated
 * (and handled) as `{}`.
 * @example app.post("/x", { preValidation: emptyBodyAsObject, schema: { body: Type.Object({ a: Type.Optional(…) }) } }, …)
 */
export async function emptyBodyAsObject(request: { body: unknown }): Promise<void> {
  request.body ??= {};
}
