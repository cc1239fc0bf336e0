import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { AppError, UnauthorizedError } from "../kernel/errors.ts";

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Admin API guard: `Authorization: Bearer <ADMIN_TOKEN>` until admin accounts exist. */
export function requireAdmin(adminToken: string) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!token || !safeEqual(token, adminToken))
      throw new UnauthorizedError("A valid admin token is required");
    request.ctx.actor = { kind: "admin", id: "bootstrap" };
  };
}

/** Store API guard: the publishable key in `x-publishable-key` (or `?key=` for plain links). */
export function requirePublishableKey(publishableKey: string) {
  return async (request: FastifyRequest) => {
    const fromQuery = (request.query as Record<string, unknown> | undefined)?.key;
    const key =
      request.headers["x-publishable-key"] ?? (typeof fromQuery === "string" ? fromQuery : undefined);
    if (typeof key !== "string" || !safeEqual(key, publishableKey)) {
      throw new AppError(
        401,
        "auth.publishable_key",
        "A valid publishable key is required (x-publishable-key)",
      );
    }
  };
}
