import type { FastifyInstance, FastifyRequest } from "fastify";
import Type from "typebox";
import { PageQuery, Ref } from "../../http/schemas.ts";
import { ValidationError } from "../../kernel/errors.ts";
import { negotiateLocale, parseAcceptLanguage, pickLocalized, requireLocale } from "../../kernel/locale.ts";
import { loadPricingContext } from "../pricing/index.ts";
import { type SearchParams, searchProducts } from "./search.service.ts";
import { getStoreProduct, pricingOf, type StoreScope, storeScope } from "./store.product.ts";
import { getCollection, listCategories, listCollections } from "./taxonomy.service.ts";

const ScopeQuery = {
  market: Type.Optional(
    Type.String({ minLength: 1, maxLength: 60, description: "Market code or id; default: the first market" }),
  ),
  locale: Type.Optional(
    Type.String({ minLength: 2, maxLength: 35, description: "BCP 47 tag; default: Accept-Language" }),
  ),
};

const SearchQuery = Type.Object({
  ...ScopeQuery,
  ...PageQuery,
  q: Type.Optional(Type.String({ maxLength: 200 })),
  collection: Type.Optional(Ref),
  category: Type.Optional(Ref),
  priceMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 })),
  priceMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 })),
  tag: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
  option: Type.Optional(
    Type.Array(Type.String({ pattern: "^[^:]{1,60}:.{1,120}$" }), {
      maxItems: 30,
      description: "Name:Value, e.g. Color:Black",
    }),
  ),
  inStock: Type.Optional(Type.Boolean()),
  sort: Type.Optional(
    Type.Union(["relevance", "newest", "price_asc", "price_desc", "title"].map((s) => Type.Literal(s))),
  ),
  facets: Type.Optional(Type.Boolean()),
});

async function scopeOf(
  request: FastifyRequest,
  query: { market?: string; locale?: string },
): Promise<StoreScope> {
  const pricing = await loadPricingContext(request.ctx, query.market);
  const requested = query.locale
    ? [requireLocale(query.locale)]
    : parseAcceptLanguage(request.headers["accept-language"]);
  return storeScope(pricing, negotiateLocale(requested, pricing.market.locales));
}

function optionFilters(pairs: string[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf(":");
    const name = pair.slice(0, at);
    out[name] = [...(out[name] ?? []), pair.slice(at + 1)];
  }
  return out;
}

/** Store API: catalog reads for a market and locale, with resolved prices and availability. */
export async function catalogStoreRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    "/products",
    { schema: { tags: ["store"], summary: "List and search products", querystring: SearchQuery } },
    async (request) => {
      const query = request.query as Type.Static<typeof SearchQuery>;
      if (query.priceMin !== undefined && query.priceMax !== undefined && query.priceMin > query.priceMax) {
        throw new ValidationError("search.price_range", "priceMin must not exceed priceMax");
      }
      const scope = await scopeOf(request, query);
      const params: SearchParams = {
        q: query.q,
        collection: query.collection,
        category: query.category,
        priceMin: query.priceMin,
        priceMax: query.priceMax,
        tags: query.tag,
        options: optionFilters(query.option),
        inStock: query.inStock,
        sort: query.sort as SearchParams["sort"],
        limit: query.limit,
        cursor: query.cursor,
        facets: query.facets,
      };
      const result = await searchProducts(request.ctx, scope, params);
      return { locale: scope.chain[0], pricing: pricingOf(scope), ...result };
    },
  );

  app.get(
    "/products/:ref",
    {
      schema: {
        tags: ["store"],
        summary: "Get a product by id, handle or localized slug",
        params: Type.Object({ ref: Ref }),
        querystring: Type.Object(ScopeQuery),
      },
    },
    async (request) => {
      const { ref } = request.params as { ref: string };
      const scope = await scopeOf(request, request.query as { market?: string; locale?: string });
      return { ...(await getStoreProduct(request.ctx, scope, ref)), pricing: pricingOf(scope) };
    },
  );

  app.get(
    "/categories",
    { schema: { tags: ["store"], summary: "The category tree", querystring: Type.Object(ScopeQuery) } },
    async (request) => {
      const scope = await scopeOf(request, request.query as { market?: string; locale?: string });
      const rows = await listCategories(request.ctx);
      return {
        items: rows.map((c) => ({
          id: c.id,
          handle: c.handle,
          parentId: c.parentId,
          name: pickLocalized(c.name, scope.chain),
        })),
      };
    },
  );

  app.get(
    "/collections",
    { schema: { tags: ["store"], summary: "All collections", querystring: Type.Object(ScopeQuery) } },
    async (request) => {
      const scope = await scopeOf(request, request.query as { market?: string; locale?: string });
      const rows = await listCollections(request.ctx);
      return {
        items: rows.map((c) => ({
          id: c.id,
          handle: c.handle,
          title: pickLocalized(c.title, scope.chain),
          description: pickLocalized(c.description, scope.chain),
        })),
      };
    },
  );

  app.get(
    "/collections/:ref",
    {
      schema: {
        tags: ["store"],
        summary: "A collection and its products",
        params: Type.Object({ ref: Ref }),
        querystring: Type.Object({ ...ScopeQuery, ...PageQuery }),
      },
    },
    async (request) => {
      const { ref } = request.params as { ref: string };
      const query = request.query as { market?: string; locale?: string; limit?: number; cursor?: string };
      const scope = await scopeOf(request, query);
      const collection = await getCollection(request.ctx, ref);
      const products = await searchProducts(request.ctx, scope, {
        collection: collection.id,
        limit: query.limit,
        cursor: query.cursor,
      });
      return {
        id: collection.id,
        handle: collection.handle,
        locale: scope.chain[0],
        pricing: pricingOf(scope),
        title: pickLocalized(collection.title, scope.chain),
        description: pickLocalized(collection.description, scope.chain),
        products,
      };
    },
  );
}
