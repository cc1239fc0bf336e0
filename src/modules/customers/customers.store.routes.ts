import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { transaction } from "../../kernel/context.ts";
import { emailTaken, getCustomer, login, register, updateProfile } from "./accounts.service.ts";
import { addAddress, deleteAddress, listAddresses, updateAddress } from "./address-book.service.ts";
import { currentConsents, recordConsents } from "./consents.service.ts";
import { requireCustomer } from "./customers.auth.ts";
import {
  AddressBody,
  ConsentsBody,
  Email,
  IdParams,
  LoginBody,
  Password,
  ProfilePatch,
  RegisterBody,
  Token,
} from "./customers.schemas.ts";
import {
  changePassword,
  confirmPasswordReset,
  requestPasswordReset,
  resendVerification,
  verifyEmail,
} from "./recovery.service.ts";
import { revokeSession } from "./sessions.service.ts";

const tags = ["store: customers"];
export const DEFAULT_STORE_URL = "http://localhost:3000";

/** Bodies or responses of these routes hold passwords or session tokens: no Idempotency-Key storage. */
const secret = { idempotency: false } as const;

/** Store API: accounts, sessions, email verification, password reset. `storeUrl` is used in email links. */
export async function customersStoreRoutes(
  instance: FastifyInstance,
  opts: { storeUrl?: string },
): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const storeUrl = opts.storeUrl ?? DEFAULT_STORE_URL;
  // Answers for one customer must never be kept by a shared cache.
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("cache-control", "private, no-store");
    return payload;
  });

  app.post(
    "/customers",
    {
      config: secret,
      schema: {
        tags,
        summary:
          "Sign up; 409 customer.email_taken if the email is in use (a guest's owner is emailed a claim link)",
        body: RegisterBody,
      },
    },
    async (request, reply) => {
      const result = await transaction(request.ctx, (tx) => register(tx, request.body, storeUrl));
      // Raised after the commit, so that the claim link is queued.
      if (result.outcome === "claim_link_sent") throw emailTaken();
      const { outcome: _, ...signedIn } = result;
      return reply.status(201).send(signedIn);
    },
  );
  app.post("/customers/login", { config: secret, schema: { tags, body: LoginBody } }, async (request) =>
    transaction(request.ctx, (tx) => login(tx, request.body)),
  );
  app.post("/customers/logout", { schema: { tags } }, async (request, reply) => {
    await revokeSession(request.ctx, requireCustomer(request).id);
    return reply.status(204).send();
  });
  app.post(
    "/customers/verify-email",
    { schema: { tags, body: Type.Object({ token: Token }, { additionalProperties: false }) } },
    async (request) => {
      await transaction(request.ctx, (tx) => verifyEmail(tx, request.body.token));
      return { emailVerified: true };
    },
  );
  app.post(
    "/customers/password-reset",
    {
      schema: {
        tags,
        summary: "Email a reset link (always 202: the answer does not reveal whether the email is known)",
        body: Type.Object({ email: Email }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await transaction(request.ctx, (tx) => requestPasswordReset(tx, request.body.email, storeUrl));
      return reply.status(202).send({ accepted: true });
    },
  );
  app.post(
    "/customers/password-reset/confirm",
    {
      config: secret,
      schema: {
        tags,
        summary: "Set a new password with a reset token; ends every session of the customer",
        body: Type.Object({ token: Token, password: Password }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await transaction(request.ctx, (tx) =>
        confirmPasswordReset(tx, request.body.token, request.body.password),
      );
      return reply.status(204).send();
    },
  );

  app.get("/customers/me", { schema: { tags } }, async (request) =>
    getCustomer(request.ctx, requireCustomer(request).customerId),
  );
  app.patch("/customers/me", { schema: { tags, body: ProfilePatch } }, async (request) => {
    const { customerId } = requireCustomer(request);
    return transaction(request.ctx, (tx) => updateProfile(tx, customerId, request.body));
  });
  app.post(
    "/customers/me/password",
    {
      config: secret,
      schema: {
        tags,
        summary: "Change the password; other sessions end",
        body: Type.Object(
          { currentPassword: Password, newPassword: Password },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const session = requireCustomer(request);
      await transaction(request.ctx, (tx) =>
        changePassword(tx, session.customerId, session.id, request.body),
      );
      return reply.status(204).send();
    },
  );
  app.post("/customers/me/email-verification", { schema: { tags } }, async (request, reply) => {
    const { customerId } = requireCustomer(request);
    await transaction(request.ctx, (tx) => resendVerification(tx, customerId, storeUrl));
    return reply.status(202).send({ accepted: true });
  });

  app.get("/customers/me/addresses", { schema: { tags } }, async (request) => ({
    items: await listAddresses(request.ctx, requireCustomer(request).customerId),
  }));
  app.post("/customers/me/addresses", { schema: { tags, body: AddressBody } }, async (request, reply) => {
    const { customerId } = requireCustomer(request);
    return reply
      .status(201)
      .send(await transaction(request.ctx, (tx) => addAddress(tx, customerId, request.body)));
  });
  app.patch(
    "/customers/me/addresses/:id",
    { schema: { tags, params: IdParams, body: AddressBody } },
    async (request) => {
      const { customerId } = requireCustomer(request);
      return transaction(request.ctx, (tx) => updateAddress(tx, customerId, request.params.id, request.body));
    },
  );
  app.delete(
    "/customers/me/addresses/:id",
    { schema: { tags, params: IdParams } },
    async (request, reply) => {
      const { customerId } = requireCustomer(request);
      await transaction(request.ctx, (tx) => deleteAddress(tx, customerId, request.params.id));
      return reply.status(204).send();
    },
  );

  app.get("/customers/me/consents", { schema: { tags } }, async (request) => ({
    items: await currentConsents(request.ctx, requireCustomer(request).customerId),
  }));
  app.put("/customers/me/consents", { schema: { tags, body: ConsentsBody } }, async (request) => {
    const { customerId } = requireCustomer(request);
    return {
      items: await transaction(request.ctx, (tx) => recordConsents(tx, customerId, request.body, "account")),
    };
  });
}
