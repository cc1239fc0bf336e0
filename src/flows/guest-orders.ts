import type { EventHandler } from "../kernel/events.ts";
import { findOrCreateGuest } from "../modules/customers/index.ts";
import { attachCustomer } from "../modules/orders/index.ts";

interface OrderPlaced {
  orderId: string;
  customerId: string | null;
  email: string;
}

/**
 * A guest's order gets a customer record for its email (the existing account or guest, or a new
 * guest), after the checkout rather than inside it. When the guest later claims an account for
 * that email, the order is already in their history.
 */
export const linkGuestOrders: EventHandler = {
  name: "orders.link-guest-customer",
  events: ["order.placed"],
  async handle(ctx, event) {
    const placed = event.payload as OrderPlaced;
    if (placed.customerId) return;
    const customer = await findOrCreateGuest(ctx, placed.email);
    await attachCustomer(ctx, placed.orderId, customer.id);
  },
};
