/**
 * The one error shape every API returns: `{ error: { code, message, details } }`.
 * Codes are stable and machine-readable; messages are for humans.
 */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** An error with a stable code and the HTTP status it maps to. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** Bad input from a client. @example throw new ValidationError("market.unknown_currency", "…") */
export class ValidationError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

/** A missing resource. @example throw new NotFoundError("product", id) */
export class NotFoundError extends AppError {
  constructor(resource: string, id: string) {
    super(404, `${resource}.not_found`, `No ${resource} with id or handle "${id}"`, { resource, id });
  }
}

/** A request that conflicts with the current state (duplicate handle, stale version, …). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Authentication required") {
    super(401, "auth.unauthorized", message);
  }
}

/** PostgreSQL's unique_violation, raised by a concurrent insert that lost the race. */
export function isUniqueViolation(err: unknown): boolean {
  return pgErrorCode(err) === "23505";
}

export function isForeignKeyViolation(err: unknown): boolean {
  return pgErrorCode(err) === "23503";
}

/** The PostgreSQL SQLSTATE of an error or of any error in its cause chain. */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
