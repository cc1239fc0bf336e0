import { resolve } from "node:path";

/** Typed application configuration, read once from the environment and validated at start-up. */
export interface Config {
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** Directory holding the embedded database and generated media. */
  dataDir: string;
  host: string;
  port: number;
  /** Secret for signing tokens; a fixed development value is used when unset outside production. */
  appSecret: string;
  /** Bearer token accepted by the Admin API until real admin accounts exist. */
  adminToken: string;
  /** Publishable key the storefront sends to the Store API. */
  publishableKey: string;
  logLevel: string;
  /** Seed the demo brand on start (idempotent). */
  seedDemo: boolean;
  /** Run background jobs (outbox relay, workers) in this process. */
  runJobs: boolean;
  /** The address buyers and payment providers reach this server at (redirects, webhooks, links). */
  publicUrl: string;
  /** Offer the built-in test payment gateway (default on, except in production). */
  testPayments: boolean;
  /** The storefront's origin, used in links sent by email (verification, password reset). */
  storeUrl: string;
  /** SMTP server for outgoing mail (`smtp://user:pass@host:587`); unset keeps mail queued in the outbox. */
  smtpUrl?: string;
  /** Sender of outgoing mail: `address` or `Name <address>`. */
  mailFrom: string;
  /** Stripe, offered as a payment provider when STRIPE_SECRET_KEY is set. */
  stripe?: StripeConfig;
  production: boolean;
}

export interface StripeConfig {
  secretKey: string;
  /** Signing secret of the webhook endpoint `/webhooks/payments/stripe` (whsec_…). */
  webhookSecret: string;
  /** Another API address (STRIPE_API_HOST/PORT/PROTOCOL), e.g. a local fake; Stripe's by default. */
  apiHost?: string;
  apiPort?: number;
  apiProtocol?: "http" | "https";
}

export class ConfigError extends Error {}

const DEV_SECRET = "chuhai-development-secret-change-me";

/**
 * Builds the configuration from `env`, throwing a ConfigError that lists every problem at once.
 * @example loadConfig({ PORT: "8080" }).port // 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === "production";

  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be 0-65535, got "${env.PORT}"`);

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL must start with postgres:// or postgresql://");
  }

  const appSecret = env.APP_SECRET ?? (production ? "" : DEV_SECRET);
  if (appSecret.length < 16)
    problems.push("APP_SECRET must be at least 16 characters (required in production)");

  const adminToken = env.ADMIN_TOKEN ?? (production ? "" : "dev-admin-token");
  if (adminToken.length < 12 && production)
    problems.push("ADMIN_TOKEN must be at least 12 characters in production");
  if (!adminToken) problems.push("ADMIN_TOKEN is required");

  const logLevel = env.LOG_LEVEL ?? "info";
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) {
    problems.push(`LOG_LEVEL "${logLevel}" is not a pino level`);
  }

  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/]+/.test(publicUrl))
    problems.push(`PUBLIC_URL must be an http(s) URL, got "${env.PUBLIC_URL}"`);
  const storeUrl = (env.STORE_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(storeUrl))
    problems.push(`STORE_URL must be an http(s) URL without query, got "${env.STORE_URL}"`);
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl))
    problems.push("SMTP_URL must start with smtp:// or smtps://");
  const mailFrom = env.MAIL_FROM ?? "Chuhai <no-reply@localhost>";
  if (!/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(mailFrom.trim()))
    problems.push(`MAIL_FROM must be "address" or "Name <address>", got "${mailFrom}"`);
  const stripe = stripeConfig(env, problems);

  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);

  return {
    databaseUrl,
    dataDir: resolve(env.DATA_DIR ?? ".chuhai"),
    host: env.HOST ?? "127.0.0.1",
    port,
    appSecret,
    adminToken,
    publishableKey: env.PUBLISHABLE_KEY ?? "pk_demo",
    logLevel,
    seedDemo: env.SEED_DEMO !== "false",
    runJobs: env.RUN_JOBS !== "false",
    publicUrl,
    testPayments: env.TEST_PAYMENTS ? env.TEST_PAYMENTS === "true" : !production,
    storeUrl,
    smtpUrl,
    mailFrom: mailFrom.trim(),
    stripe,
    production,
  };
}

function stripeConfig(env: NodeJS.ProcessEnv, problems: string[]): StripeConfig | undefined {
  const secretKey = env.STRIPE_SECRET_KEY?.trim();
  const {
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_HOST: apiHost,
    STRIPE_API_PROTOCOL: protocol,
  } = env;
  if (!secretKey) {
    if (webhookSecret || apiHost || env.STRIPE_API_PORT || protocol)
      problems.push("STRIPE_* settings are given but STRIPE_SECRET_KEY is not");
    return undefined;
  }
  if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(secretKey))
    problems.push("STRIPE_SECRET_KEY must be a secret or restricted key (sk_… or rk_…)");
  if (!webhookSecret?.startsWith("whsec_"))
    problems.push("STRIPE_WEBHOOK_SECRET (whsec_…) is required with Stripe");
  const apiPort = env.STRIPE_API_PORT ? Number(env.STRIPE_API_PORT) : undefined;
  if (apiPort !== undefined && !(Number.isInteger(apiPort) && apiPort > 0 && apiPort <= 65535))
    problems.push(`STRIPE_API_PORT must be 1-65535, got "${env.STRIPE_API_PORT}"`);
  if (protocol && protocol !== "http" && protocol !== "https")
    problems.push(`STRIPE_API_PROTOCOL must be http or https, got "${protocol}"`);
  // The key travels in every request: plain HTTP only to a fake on this machine.
  if (protocol === "http" && !["127.0.0.1", "localhost", "::1"].includes(apiHost ?? ""))
    problems.push("STRIPE_API_PROTOCOL=http is only allowed with a local STRIPE_API_HOST");
  return {
    secretKey,
    webhookSecret: webhookSecret ?? "",
    apiHost: apiHost || undefined,
    apiPort,
    apiProtocol: protocol === "http" || protocol === "https" ? protocol : undefined,
  };
}
