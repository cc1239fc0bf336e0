import type { FastifyInstance } from "fastify";
import { catalogAdminRoutes } from "./catalog/catalog.admin.routes.ts";
import { catalogImportRoutes } from "./catalog/catalog.import.routes.ts";
import { catalogStoreRoutes } from "./catalog/catalog.store.routes.ts";
import { customersAdminRoutes, customersStoreRoutes } from "./customers/index.ts";
import { inventoryAdminRoutes } from "./inventory/inventory.routes.ts";
import { marketsAdminRoutes, marketsStoreRoutes } from "./markets/markets.routes.ts";
import { messagingAdminRoutes } from "./messaging/index.ts";
import { pricingAdminRoutes } from "./pricing/pricing.routes.ts";

/** Every module's HTTP routes, mounted by the app under /store/v1 and /admin/v1. */
export const registerModuleRoutes = {
  async store(app: FastifyInstance, opts: { storeUrl?: string } = {}): Promise<void> {
    await app.register(marketsStoreRoutes);
    await app.register(catalogStoreRoutes);
    await app.register(customersStoreRoutes, { storeUrl: opts.storeUrl });
  },
  async admin(app: FastifyInstance): Promise<void> {
    await app.register(marketsAdminRoutes);
    await app.register(pricingAdminRoutes);
    await app.register(catalogAdminRoutes);
    await app.register(catalogImportRoutes);
    await app.register(inventoryAdminRoutes);
    await app.register(customersAdminRoutes);
    await app.register(messagingAdminRoutes);
  },
};
