import type { FastifyError, FastifyInstance } from "fastify";
import { AppError, type ErrorBody, isForeignKeyViolation, isUniqueViolation } from "../kernel/errors.ts";

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, details } };
}

/** Maps every failure to the one error shape; clients never see a stack trace. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send(err.toBody());
    if (err.validation) {
      const details = err.validation.map((v) => ({
        path: `${err.validationContext ?? ""}${v.instancePath}`,
        message: v.message,
        params: v.params,
      }));
      return reply.status(400).send(body("validation.failed", err.message, details));
    }
    if (isUniqueViolation(err))
      return reply.status(409).send(body("conflict.duplicate", "A record with this key exists"));
    if (isForeignKeyViolation(err)) {
      return reply
        .status(409)
        .send(body("conflict.reference", "A referenced record does not exist or is in use"));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = err.code ? `http.${err.code.replace(/^FST_ERR_/, "").toLowerCase()}` : "http.bad_request";
      return reply.status(status).send(body(code, err.message));
    }
    request.log.error({ err }, "unhandled error");
    return reply
      .status(500)
      .send(body("internal", "Something went wrong; the request id identifies it in the logs"));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(body("route.not_found", `No route ${request.method} ${request.url.split("?")[0]}`)),
  );
}
