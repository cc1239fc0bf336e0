/**
 * Customers: accounts and guests, sessions, email verification and password reset, the address
 * book with per-country address validation, and marketing consent per channel.
 * @example const guest = await findOrCreateGuest(tx, "ana@example.com")
 */

/**
 * Accounts and guests.
 * @example const result = await register(tx, { email, password }, "https://shop.example") // { outcome: "registered", customer, session }
 */
export {
  type Customer,
  findOrCreateGuest,
  getCustomer,
  guestCustomerPart,
  login,
  type RegisterInput,
  type Registration,
  register,
  type SignedIn,
  updateProfile,
} from "./accounts.service.ts";
/**
 * Validates and normalises an address for its country (also for checkout's shipping and billing
 * addresses); throws ValidationError "address.invalid" listing every problem.
 * @example validateAddress({ lastName: "Tanaka", line1: "1-1 Marunouchi", city: "Chiyoda-ku", province: "13", postalCode: "1000005", country: "JP" }).postalCode // "100-0005"
 */
export {
  type Address,
  type AddressInput,
  type AddressProblem,
  normalizePhone,
  validateAddress,
} from "./address.ts";
/**
 * The address book of a customer.
 * @example const saved = await addAddress(tx, customerId, { ...address, isDefaultShipping: true })
 */
export {
  addAddress,
  deleteAddress,
  listAddresses,
  type SavedAddress,
  updateAddress,
} from "./address-book.service.ts";
/**
 * Marketing consent per channel, with history (checkout records with source "checkout").
 * @example await recordConsents(tx, customerId, { email: true }, "checkout")
 */
export { type ConsentState, consentHistory, currentConsents, recordConsents } from "./consents.service.ts";
/**
 * Admin API routes.
 * @example await app.register(customersAdminRoutes)
 */
export { customersAdminRoutes } from "./customers.admin.routes.ts";
/**
 * Store API authentication: the hook (registered in the store plugin) and the guard for routes
 * that need a signed-in customer.
 * @example const { customerId } = requireCustomer(request)
 */
export { authenticateCustomer, requireCustomer } from "./customers.auth.ts";
/**
 * Event names and payloads: customer.registered, customer.email_verified, customer.password_reset.
 * @example const payload = event.payload as CustomerEvents["customer.registered"]
 */
export type { CustomerEvents } from "./customers.events.ts";
/**
 * Tables other modules may reference with a foreign key (e.g. orders.customer_id).
 * @example customerId: text("customer_id").references(() => customersTable.id)
 */
export { customers as customersTable } from "./customers.schema.ts";
/**
 * Store API routes; `storeUrl` is the storefront origin used in email links.
 * @example await app.register(customersStoreRoutes, { storeUrl: "https://shop.example" })
 */
export { customersStoreRoutes } from "./customers.store.routes.ts";
/**
 * Sessions: open one for a customer (e.g. when checkout creates an account), resolve a bearer
 * token, and delete expired sessions and old tokens (scheduled daily).
 * @example const { token, expiresAt } = await createSession(tx, customerId)
 */
export { createSession, purgeExpiredCredentials, resolveSession } from "./sessions.service.ts";
