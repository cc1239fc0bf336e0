/**
 * Domain events of the customers module. Payloads carry ids only: never a token, a password or
 * a hash, and no personal data beyond what a handler needs to look up.
 */
export interface CustomerEvents {
  /**
   * An account exists: by sign-up, or a guest record claimed through an emailed link (`fromGuest`).
   * Key: the customer id.
   */
  "customer.registered": { customerId: string; locale: string | null; fromGuest: boolean };
  /** The customer proved they read the email address. Key: the customer id. */
  "customer.email_verified": { customerId: string };
  /** The password was replaced through a reset link; all sessions were ended. Each reset is its own event. */
  "customer.password_reset": { customerId: string };
}

export type CustomerEventType = keyof CustomerEvents;
