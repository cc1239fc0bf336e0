import Type from "typebox";

/** Request schemas of the customer routes. Services do the detailed checks with stable codes. */
const NO_CONTROLS = "^[^\\p{Cc}]*$";
const Text = (maxLength: number) => Type.String({ maxLength, pattern: NO_CONTROLS });
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Text(maxLength), Type.Null()]));

export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: NO_CONTROLS });
/** Length rules (8-256 characters) are checked by the service, with their own error codes. */
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const Token = Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9_-]+$" });

const Channels = {
  email: Type.Optional(Type.Boolean()),
  sms: Type.Optional(Type.Boolean()),
  whatsapp: Type.Optional(Type.Boolean()),
};
export const ConsentsBody = Type.Object(Channels, { additionalProperties: false, minProperties: 1 });

const Profile = {
  firstName: OptionalText(200),
  lastName: OptionalText(200),
  phone: OptionalText(60),
  locale: OptionalText(35),
};
export const ProfilePatch = Type.Object(Profile, { additionalProperties: false });

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    ...Profile,
    marketing: Type.Optional(Type.Object(Channels, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });

export const AddressBody = Type.Object(
  {
    firstName: OptionalText(300),
    lastName: OptionalText(300),
    company: OptionalText(300),
    line1: OptionalText(300),
    line2: OptionalText(300),
    city: OptionalText(300),
    province: OptionalText(300),
    postalCode: OptionalText(300),
    country: OptionalText(300),
    phone: OptionalText(300),
    isDefaultShipping: Type.Optional(Type.Boolean()),
    isDefaultBilling: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
