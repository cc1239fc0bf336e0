import { createHmac } from "node:crypto";
import type { Db } from "../../db/client.ts";
import { NotFoundError } from "../../kernel/errors.ts";
import type { PaymentProvider } from "./payment-provider.ts";
import { StripePaymentProvider, type StripeProviderOptions } from "./stripe.provider.ts";
import { TestPaymentProvider } from "./test.provider.ts";

/** The payment providers this installation can use, by id. */
export class PaymentProviders {
  private readonly byId = new Map<string, PaymentProvider>();

  constructor(providers: readonly PaymentProvider[]) {
    for (const p of providers) this.byId.set(p.id, p);
  }

  get(id: string): PaymentProvider {
    const provider = this.byId.get(id);
    if (!provider) throw new NotFoundError("payment_provider", id);
    return provider;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  list(): PaymentProvider[] {
    return [...this.byId.values()];
  }

  /** The built-in test gateway, when it is enabled. */
  testGateway(): TestPaymentProvider | undefined {
    const p = this.byId.get("test");
    return p instanceof TestPaymentProvider ? p : undefined;
  }
}

export interface PaymentConfig {
  appSecret: string;
  publicUrl: string;
  /** The simulated gateway; on unless turned off (production shops turn it off). */
  testProvider: boolean;
  /** Stripe, when configured; buyers return to `publicUrl` after a redirect the checkout gave no URL for. */
  stripe?: Omit<StripeProviderOptions, "returnUrl">;
}

/** The webhook secret of the test gateway, derived from the app secret. */
export function testGatewaySecret(appSecret: string): string {
  return createHmac("sha256", appSecret).update("chuhai test gateway webhooks").digest("hex");
}

/**
 * Builds the providers from configuration.
 * @example const providers = createPaymentProviders(database.db, { appSecret, publicUrl, testProvider: true })
 */
export function createPaymentProviders(
  db: Db,
  config: PaymentConfig,
  extra: PaymentProvider[] = [],
): PaymentProviders {
  const list: PaymentProvider[] = [...extra];
  if (config.testProvider)
    list.push(
      new TestPaymentProvider(db, {
        secret: testGatewaySecret(config.appSecret),
        publicUrl: config.publicUrl,
      }),
    );
  if (config.stripe) list.push(new StripePaymentProvider({ ...config.stripe, returnUrl: config.publicUrl }));
  return new PaymentProviders(list);
}
