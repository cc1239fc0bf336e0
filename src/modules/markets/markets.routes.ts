import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { CountryCode, CurrencyCode, Decimal, RefParams } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import { ValidationError } from "../../kernel/errors.ts";
import {
  deleteFxOverride,
  importEcbRates,
  listEcbRates,
  listFxOverrides,
  resolveRate,
  setFxOverride,
} from "./fx.service.ts";
import {
  createMarket,
  deleteMarket,
  getMarket,
  getShop,
  listMarkets,
  updateMarket,
  upsertShop,
} from "./markets.service.ts";

const tags = ["admin: markets"];

const MarketInputSchema = Type.Object(
  {
    code: Type.String({ pattern: "^[a-z0-9-]{2,30}$" }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    currency: CurrencyCode,
    locales: Type.Array(Type.String({ minLength: 2, maxLength: 35 }), { minItems: 1, maxItems: 40 }),
    countries: Type.Array(CountryCode, { minItems: 1, maxItems: 250 }),
    taxInclusive: Type.Boolean(),
    dutyMode: Type.Union([Type.Literal("DDP"), Type.Literal("DDU")]),
    urlPrefix: Type.String({ pattern: "^/[a-z0-9-]{1,30}$" }),
    active: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

const PairParams = Type.Object({ base: CurrencyCode, quote: CurrencyCode });

/** Largest ECB file accepted over a URL (the full history is about 6 MB). */
const MAX_FX_BYTES = 16 * 1024 * 1024;

async function fetchText(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new ValidationError("fx.fetch_failed", `Could not fetch ${url}: ${(err as Error).message}`);
  }
  if (!response.ok)
    throw new ValidationError("fx.fetch_failed", `Fetching ${url} returned HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_FX_BYTES) throw new ValidationError("fx.too_large", "The rate file is too large");
  return text;
}

/** Admin API: shop settings, markets, exchange rates. */
export async function marketsAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/shop", { schema: { tags } }, async (request) => getShop(request.ctx));
  app.put(
    "/shop",
    {
      schema: {
        tags,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 120 }),
            baseCurrency: CurrencyCode,
            defaultLocale: Type.String(),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => upsertShop(request.ctx, request.body),
  );

  app.get("/markets", { schema: { tags } }, async (request) => ({ items: await listMarkets(request.ctx) }));
  app.post("/markets", { schema: { tags, body: MarketInputSchema } }, async (request, reply) =>
    reply.status(201).send(await transaction(request.ctx, (tx) => createMarket(tx, request.body))),
  );
  app.get("/markets/:ref", { schema: { tags, params: RefParams } }, async (request) =>
    getMarket(request.ctx, request.params.ref),
  );
  app.patch(
    "/markets/:ref",
    {
      schema: {
        tags,
        params: RefParams,
        body: Type.Partial(MarketInputSchema, { additionalProperties: false }),
      },
    },
    async (request) => transaction(request.ctx, (tx) => updateMarket(tx, request.params.ref, request.body)),
  );
  app.delete("/markets/:ref", { schema: { tags, params: RefParams } }, async (request, reply) => {
    await transaction(request.ctx, (tx) => deleteMarket(tx, request.params.ref));
    return reply.status(204).send();
  });

  app.post(
    "/fx/ecb",
    {
      schema: {
        tags,
        summary: "Import ECB euro reference rates (XML in `xml`, or fetched from `url`)",
        body: Type.Union([
          Type.Object({ xml: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
          Type.Object({ url: Type.String({ pattern: "^https?://" }) }, { additionalProperties: false }),
        ]),
      },
    },
    async (request) => {
      const body = request.body as { xml?: string; url?: string };
      const xml = body.xml ?? (await fetchText(body.url!));
      return transaction(request.ctx, (tx) => importEcbRates(tx, xml));
    },
  );
  app.get(
    "/fx/rates",
    {
      schema: {
        tags,
        summary: "ECB reference rates of a day (default: the latest)",
        querystring: Type.Object({ date: Type.Optional(Type.String({ format: "date" })) }),
      },
    },
    async (request) => listEcbRates(request.ctx, request.query.date),
  );
  app.get(
    "/fx/rates/:base/:quote",
    {
      schema: {
        tags,
        params: PairParams,
        querystring: Type.Object({ date: Type.Optional(Type.String({ format: "date" })) }),
      },
    },
    async (request) =>
      resolveRate(request.ctx, request.params.base, request.params.quote, request.query.date),
  );
  app.get("/fx/overrides", { schema: { tags } }, async (request) => ({
    items: await listFxOverrides(request.ctx),
  }));
  app.put(
    "/fx/overrides/:base/:quote",
    {
      schema: {
        tags,
        params: PairParams,
        body: Type.Object(
          { rate: Decimal, note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      transaction(request.ctx, (tx) =>
        setFxOverride(tx, request.params.base, request.params.quote, request.body.rate, request.body.note),
      ),
  );
  app.delete(
    "/fx/overrides/:base/:quote",
    { schema: { tags, params: PairParams } },
    async (request, reply) => {
      await deleteFxOverride(request.ctx, request.params.base, request.params.quote);
      return reply.status(204).send();
    },
  );
}

/** Store API: the markets a storefront can offer (country/currency/language pickers). */
export async function marketsStoreRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get("/markets", { schema: { tags: ["store"] } }, async (request) => ({
    items: (await listMarkets(request.ctx))
      .filter((m) => m.active)
      .map(({ code, name, currency, locales, countries, taxInclusive, dutyMode, urlPrefix }) => ({
        code,
        name,
        currency,
        locales,
        countries,
        taxInclusive,
        dutyMode,
        urlPrefix,
      })),
  }));
}
