import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import Type from "typebox";
import { CountryCode } from "../../http/schemas.ts";
import { transaction } from "../../kernel/context.ts";
import { fallbackChain, parseAcceptLanguage, requireLocale } from "../../kernel/locale.ts";
import * as lanes from "./lanes.service.ts";
import * as methods from "./methods.service.ts";
import { shippingOptions } from "./options.service.ts";
import {
  AdminQuoteQuery,
  IdParams,
  LaneBody,
  LaneParams,
  MethodBody,
  MethodPatch,
  StoreOptionsQuery,
  ZoneBody,
  ZonePatch,
} from "./shipping.schemas.ts";
import * as zones from "./zones.service.ts";

const tags = ["admin: shipping"];

/** The requested locale (or Accept-Language) with its truncations: de-AT → de-AT, de. */
function localesOf(request: FastifyRequest, locale: string | undefined): string[] {
  const requested = locale
    ? [requireLocale(locale)]
    : parseAcceptLanguage(request.headers["accept-language"]);
  return requested.flatMap((tag) => fallbackChain(tag, tag));
}

/** Admin API: shipping zones, methods and rates, warehouse lanes, and a quote explainer. */
export async function shippingAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/shipping/zones",
    {
      schema: {
        tags,
        querystring: Type.Object({ market: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
      },
    },
    async (request) => ({ items: await zones.listZones(request.ctx, request.query.market) }),
  );
  app.post("/shipping/zones", { schema: { tags, body: ZoneBody } }, async (request, reply) =>
    reply.status(201).send(await transaction(request.ctx, (tx) => zones.createZone(tx, request.body))),
  );
  app.get("/shipping/zones/:id", { schema: { tags, params: IdParams } }, async (request) => {
    const zone = await zones.getZone(request.ctx, request.params.id);
    return { ...zone, methods: await methods.listMethods(request.ctx, zone.id) };
  });
  app.patch("/shipping/zones/:id", { schema: { tags, params: IdParams, body: ZonePatch } }, async (request) =>
    transaction(request.ctx, (tx) => zones.updateZone(tx, request.params.id, request.body)),
  );
  app.delete("/shipping/zones/:id", { schema: { tags, params: IdParams } }, async (request, reply) => {
    await transaction(request.ctx, (tx) => zones.deleteZone(tx, request.params.id));
    return reply.status(204).send();
  });

  app.get(
    "/shipping/methods",
    {
      schema: {
        tags,
        querystring: Type.Object({ zone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
      },
    },
    async (request) => ({ items: await methods.listMethods(request.ctx, request.query.zone) }),
  );
  app.post("/shipping/methods", { schema: { tags, body: MethodBody } }, async (request, reply) =>
    reply.status(201).send(await transaction(request.ctx, (tx) => methods.createMethod(tx, request.body))),
  );
  app.get("/shipping/methods/:id", { schema: { tags, params: IdParams } }, async (request) =>
    methods.getMethod(request.ctx, request.params.id),
  );
  app.patch(
    "/shipping/methods/:id",
    { schema: { tags, params: IdParams, body: MethodPatch } },
    async (request) =>
      transaction(request.ctx, (tx) => methods.updateMethod(tx, request.params.id, request.body)),
  );
  app.delete("/shipping/methods/:id", { schema: { tags, params: IdParams } }, async (request, reply) => {
    await transaction(request.ctx, (tx) => methods.deleteMethod(tx, request.params.id));
    return reply.status(204).send();
  });

  app.get(
    "/shipping/lanes",
    {
      schema: {
        tags,
        querystring: Type.Object({
          warehouse: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          country: Type.Optional(CountryCode),
        }),
      },
    },
    async (request) => ({ items: await lanes.listLanes(request.ctx, request.query) }),
  );
  app.get("/shipping/lanes/:warehouse/:country", { schema: { tags, params: LaneParams } }, async (request) =>
    lanes.getLane(request.ctx, request.params.warehouse, request.params.country),
  );
  app.put(
    "/shipping/lanes/:warehouse/:country",
    { schema: { tags, summary: "Create or replace a lane", params: LaneParams, body: LaneBody } },
    async (request) =>
      transaction(request.ctx, (tx) =>
        lanes.setLane(tx, request.params.warehouse, request.params.country, request.body),
      ),
  );
  app.delete(
    "/shipping/lanes/:warehouse/:country",
    { schema: { tags, params: LaneParams } },
    async (request, reply) => {
      await transaction(request.ctx, (tx) =>
        lanes.deleteLane(tx, request.params.warehouse, request.params.country),
      );
      return reply.status(204).send();
    },
  );

  app.get(
    "/shipping/quote",
    {
      schema: {
        tags,
        summary: "The shipping options for a basket, as checkout sees them",
        querystring: AdminQuoteQuery,
      },
    },
    async (request) => {
      const q = request.query;
      return {
        items: await shippingOptions(request.ctx, {
          marketId: q.market,
          country: q.country,
          currency: q.currency,
          weightGrams: q.weightGrams ?? 0,
          subtotal: q.subtotal ?? 0,
          warehouseIds: q.warehouse,
          locales: localesOf(request, q.locale),
        }),
      };
    },
  );
}

/** Store API: shipping options for a destination and basket (the cart offers its own later). */
export async function shippingStoreRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/shipping/options",
    {
      schema: {
        tags: ["store"],
        summary: "Shipping methods, prices and delivery estimates",
        querystring: StoreOptionsQuery,
      },
    },
    async (request) => {
      const q = request.query;
      return {
        items: await shippingOptions(request.ctx, {
          marketId: q.market,
          country: q.country,
          weightGrams: q.weightGrams ?? 0,
          subtotal: q.subtotal ?? 0,
          locales: localesOf(request, q.locale),
          activeMarketOnly: true,
        }),
      };
    },
  );
}
