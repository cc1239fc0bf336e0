import { createHash, randomBytes } from "node:crypto";
import { Algorithm, hash, verify } from "@node-rs/argon2";
import { ValidationError } from "../../kernel/errors.ts";

// OWASP's baseline for argon2id: 19 MiB, 2 passes, 1 lane (about 20-40 ms per hash here).
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

let dummyHash: Promise<string> | undefined;

/** NFKC so that the same password typed on different keyboards (full-width, composed) matches. */
const prepare = (password: string) => password.normalize("NFKC");

/** Rejects passwords outside 8-256 characters (counted in code points, after normalisation). */
export function checkPassword(password: string, field = "password"): void {
  const length = [...prepare(password)].length;
  if (length < PASSWORD_MIN)
    throw new ValidationError(
      "customer.password_too_short",
      `${field} must have at least ${PASSWORD_MIN} characters`,
    );
  if (length > PASSWORD_MAX)
    throw new ValidationError(
      "customer.password_too_long",
      `${field} must have at most ${PASSWORD_MAX} characters`,
    );
}

export function hashPassword(password: string): Promise<string> {
  return hash(prepare(password), ARGON2);
}

/**
 * Checks a password against a stored hash. Without a hash (unknown email, guest) it still runs a
 * verification against a throw-away hash, so the answer takes as long either way.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= hash(randomBytes(16).toString("hex"), ARGON2);
    await verify(await dummyHash, prepare(password));
    return false;
  }
  return verify(stored, prepare(password));
}

/** A random bearer secret (256 bits) with a recognisable prefix. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** What is stored instead of a secret: its SHA-256 in hex. Secrets are random, so no salt is needed. */
export function secretHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
