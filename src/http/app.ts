import { mkdirSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import { sql } from "drizzle-orm";
import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { ConfigCache } from "../kernel/config-cache.ts";
import type { Ctx } from "../kernel/context.ts";
import { newId } from "../kernel/ids.ts";
import { authenticateCustomer } from "../modules/customers/index.ts";
import { createPaymentProviders, type PaymentProviders } from "../modules/payments/index.ts";
import { registerModuleRoutes } from "../modules/routes.ts";
import { requireAdmin, requirePublishableKey } from "./auth.ts";
import { registerErrorHandling } from "./errors.ts";
import { registerIdempotency } from "./idempotency.ts";
import { registerMetrics } from "./metrics.ts";
import { ResponseCache } from "./response-cache.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The payment providers this installation uses. */
    payments: PaymentProviders;
  }
  interface FastifyRequest {
    ctx: Ctx;
    /** Set when the request claimed an Idempotency-Key. */
    idempotency?: { scope: string; key: string };
  }
}

export type App = FastifyInstance;

export interface AppDeps {
  config: Pick<
    Config,
    "adminToken" | "publishableKey" | "logLevel" | "dataDir" | "appSecret" | "publicUrl" | "testPayments"
  > &
    Partial<Pick<Config, "storeUrl" | "stripe">>;
  database: Database;
  /** Payment providers; by default built from the config (the test gateway when enabled). */
  payments?: PaymentProviders;
  /** Extra pino options (tests pass `{ level: "silent" }`). */
  logger?: boolean | object;
  /** Store API response cache; on by default, `false` turns it off. */
  responseCache?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the HTTP application: Store API, Admin API, docs, health and metrics.
 * @example const app = await buildApp({ config, database }); await app.listen({ port: 3000 })
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? {
      level: deps.config.logLevel,
      redact: ["req.headers.authorization", "req.headers.cookie", "req.headers['x-publishable-key']"],
      // Only method and path: query strings and bodies may carry personal data.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split("?")[0] }),
      },
    },
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : newId("req");
    },
    bodyLimit: 20 * 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox compiles route schemas several times faster than Ajv (start-up time) and converts
  // query strings, params and headers to the schema's types.
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // An empty JSON body is no body, so optional bodies may be left out by clients that always
  // send a JSON content type; anything else goes through Fastify's (poisoning-safe) parser.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) =>
    body === "" ? done(null, undefined) : parseJson(request, body as string, done),
  );

  app.decorate(
    "payments",
    deps.payments ??
      createPaymentProviders(deps.database.db, {
        appSecret: deps.config.appSecret,
        publicUrl: deps.config.publicUrl,
        testProvider: deps.config.testPayments,
        stripe: deps.config.stripe,
      }),
  );
  app.decorateRequest("ctx", null as unknown as Ctx);
  app.addHook("onRequest", async (request, reply) => {
    request.ctx = { db: deps.database.db, actor: { kind: "anonymous" }, requestId: request.id };
    reply.header("x-request-id", request.id);
  });

  registerErrorHandling(app);
  registerIdempotency(app);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Chuhai API",
        version: "1",
        description: "Store API (/store/v1) and Admin API (/admin/v1)",
      },
      components: {
        securitySchemes: {
          adminToken: { type: "http", scheme: "bearer" },
          publishableKey: { type: "apiKey", in: "header", name: "x-publishable-key" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  registerMetrics(app);

  app.get("/", { schema: { hide: true } }, async (_request, reply) => reply.redirect("/docs"));
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    try {
      await deps.database.db.execute(sql`select 1`);
      return { status: "ready" };
    } catch {
      return reply.status(503).send({ error: { code: "not_ready", message: "Database unavailable" } });
    }
  });
  if (deps.config.dataDir !== "memory://") {
    const root = join(deps.config.dataDir, "media");
    mkdirSync(root, { recursive: true });
    await app.register(fastifyStatic, {
      root,
      prefix: "/media/",
      maxAge: "7d",
      immutable: true,
      index: false,
    });
  }
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const cache = deps.responseCache === false ? undefined : new ResponseCache();
  const configCache = cache ? new ConfigCache(() => cache.healthy) : undefined;
  if (cache) {
    await cache.start(deps.database, () => configCache?.invalidate());
    app.addHook("onClose", () => cache.stop());
    // Read-your-writes on this instance for catalog edits, without waiting for the notification.
    app.addHook("onSend", async (request, reply, payload) => {
      if (
        request.method !== "GET" &&
        request.method !== "HEAD" &&
        reply.statusCode < 400 &&
        request.url.startsWith("/admin/")
      ) {
        cache.invalidate();
        configCache?.invalidate();
      }
      return payload;
    });
  }
  await app.register(
    async (store) => {
      store.addHook("onRequest", requirePublishableKey(deps.config.publishableKey));
      store.addHook("onRequest", authenticateCustomer);
      if (configCache)
        store.addHook("onRequest", async (request) => {
          request.ctx.cache = configCache;
        });
      // Only the catalog reads are shared by every shopper; carts, orders and accounts are not cached.
      await store.register(async (catalog) => {
        cache?.register(catalog);
        await registerModuleRoutes.storeCatalog(catalog);
      });
      await registerModuleRoutes.store(store, { storeUrl: deps.config.storeUrl });
    },
    { prefix: "/store/v1" },
  );
  await registerModuleRoutes.public(app);
  await app.register(
    async (admin) => {
      admin.addHook("onRequest", requireAdmin(deps.config.adminToken));
      await registerModuleRoutes.admin(admin);
    },
    { prefix: "/admin/v1" },
  );
  return app;
}
