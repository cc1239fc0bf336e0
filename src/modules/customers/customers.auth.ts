import type { FastifyRequest } from "fastify";
import { AppError, UnauthorizedError } from "../../kernel/errors.ts";
import { type ActiveSession, resolveSession } from "./sessions.service.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by authenticateCustomer when the request carries a valid customer session token. */
    customerSession?: ActiveSession;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{1,200})$/;

const invalid = () =>
  new AppError(401, "auth.invalid_session", "The session token is not valid or has expired; sign in again");

/**
 * Store API hook: a valid `Authorization: Bearer <session token>` makes the request's actor the
 * customer. Without the header the request stays anonymous; a header with an unknown, expired or
 * malformed token is a 401, so a client learns at once that its session ended.
 */
export async function authenticateCustomer(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  if (header === undefined || header === "") return;
  const token = BEARER.exec(header)?.[1];
  if (!token) throw invalid();
  const session = await resolveSession(request.ctx, token);
  if (!session) throw invalid();
  request.customerSession = session;
  request.ctx.actor = { kind: "customer", id: session.customerId };
}

/** The signed-in customer's session, or a 401 for anonymous requests. */
export function requireCustomer(request: FastifyRequest): ActiveSession {
  if (!request.customerSession)
    throw new UnauthorizedError("Sign in first: send Authorization: Bearer <session token>");
  return request.customerSession;
}
