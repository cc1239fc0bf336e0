import type { FastifyInstance } from "fastify";
import { checkoutStoreRoutes, orderActionsAdminRoutes, paymentWebhookRoutes } from "../flows/flows.routes.ts";
import { returnActionsAdminRoutes, returnsStoreRoutes } from "../flows/returns.routes.ts";
import { cartStoreRoutes } from "./cart/cart.routes.ts";
import { landedCostStoreRoutes } from "./cart/landed.routes.ts";
import { catalogAdminRoutes } from "./catalog/catalog.admin.routes.ts";
import { catalogImportRoutes } from "./catalog/catalog.import.routes.ts";
import { catalogStoreRoutes } from "./catalog/catalog.store.routes.ts";
import { customersAdminRoutes, customersStoreRoutes } from "./customers/index.ts";
import { discountsAdminRoutes } from "./discounts/discounts.routes.ts";
import { inventoryAdminRoutes } from "./inventory/inventory.routes.ts";
import { marketsAdminRoutes, marketsStoreRoutes } from "./markets/markets.routes.ts";
import { messagingAdminRoutes } from "./messaging/index.ts";
import { ordersAdminRoutes, ordersStoreRoutes } from "./orders/orders.routes.ts";
import { paymentsAdminRoutes } from "./payments/payments.routes.ts";
import { testGatewayRoutes } from "./payments/test-gateway.routes.ts";
import { pricingAdminRoutes } from "./pricing/pricing.routes.ts";
import { returnsAdminRoutes } from "./returns/returns.routes.ts";
import { shippingAdminRoutes, shippingStoreRoutes } from "./shipping/shipping.routes.ts";
import { taxAdminRoutes } from "./tax/tax.admin.routes.ts";
import { taxReportsAdminRoutes } from "./tax/tax.reports.routes.ts";

/** Every module's HTTP routes, mounted by the app under /store/v1, /admin/v1 and at the root. */
export const registerModuleRoutes = {
  /** Store reads that are the same for every shopper (cached per instance). */
  async storeCatalog(app: FastifyInstance): Promise<void> {
    await app.register(marketsStoreRoutes);
    await app.register(catalogStoreRoutes);
    await app.register(shippingStoreRoutes);
    await app.register(landedCostStoreRoutes);
  },
  async store(app: FastifyInstance, opts: { storeUrl?: string } = {}): Promise<void> {
    await app.register(customersStoreRoutes, { storeUrl: opts.storeUrl });
    await app.register(cartStoreRoutes);
    await app.register(checkoutStoreRoutes);
    await app.register(ordersStoreRoutes);
    await app.register(returnsStoreRoutes);
  },
  async admin(app: FastifyInstance): Promise<void> {
    await app.register(marketsAdminRoutes);
    await app.register(pricingAdminRoutes);
    await app.register(catalogAdminRoutes);
    await app.register(catalogImportRoutes);
    await app.register(inventoryAdminRoutes);
    await app.register(ordersAdminRoutes);
    await app.register(orderActionsAdminRoutes);
    await app.register(paymentsAdminRoutes);
    await app.register(shippingAdminRoutes);
    await app.register(returnsAdminRoutes);
    await app.register(returnActionsAdminRoutes);
    await app.register(discountsAdminRoutes);
    await app.register(customersAdminRoutes);
    await app.register(messagingAdminRoutes);
    await app.register(taxAdminRoutes);
    await app.register(taxReportsAdminRoutes);
  },
  /** Routes outside the two APIs: provider webhooks and the test gateway's hosted pages. */
  async public(app: FastifyInstance): Promise<void> {
    await app.register(paymentWebhookRoutes);
    await app.register(testGatewayRoutes);
  },
};
