import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeFake } from "../../../test/fakes/stripe-fake.ts";
import { loadConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { createTestDatabase } from "../../db/testing.ts";
import { newId } from "../../kernel/ids.ts";
import { createPaymentProviders } from "./providers.ts";

const KEYS = { STRIPE_SECRET_KEY: "sk_test_abc123", STRIPE_WEBHOOK_SECRET: "whsec_abc123" };

describe("Stripe configuration", () => {
  it("is off without a secret key", () => {
    expect(loadConfig({}).stripe).toBeUndefined();
  });

  it("reads the keys and a local API address", () => {
    const env = {
      ...KEYS,
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PORT: "12111",
      STRIPE_API_PROTOCOL: "http",
    };
    expect(loadConfig(env).stripe).toEqual({
      secretKey: "sk_test_abc123",
      webhookSecret: "whsec_abc123",
      apiHost: "127.0.0.1",
      apiPort: 12111,
      apiProtocol: "http",
    });
  });

  it.each([
    [{ STRIPE_WEBHOOK_SECRET: "whsec_abc123" }, "STRIPE_SECRET_KEY is not"],
    [{ ...KEYS, STRIPE_SECRET_KEY: "pk_test_abc123" }, "STRIPE_SECRET_KEY must be"],
    [{ STRIPE_SECRET_KEY: "sk_test_abc123" }, "STRIPE_WEBHOOK_SECRET"],
    [{ ...KEYS, STRIPE_API_PORT: "99999" }, "STRIPE_API_PORT"],
    [{ ...KEYS, STRIPE_API_PROTOCOL: "ftp" }, "STRIPE_API_PROTOCOL must be"],
    [
      { ...KEYS, STRIPE_API_HOST: "api.example.com", STRIPE_API_PROTOCOL: "http" },
      "only allowed with a local",
    ],
  ])("refuses %j", (env, problem) => {
    expect(() => loadConfig(env)).toThrow(problem);
  });
});

describe("createPaymentProviders with Stripe", () => {
  let database: Database;
  let fake: StripeFake;
  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await StripeFake.start();
  });
  afterAll(async () => {
    await fake.close();
    await database.close();
  });

  it("adds Stripe next to the test gateway and sends buyers back to the public URL", async () => {
    const providers = createPaymentProviders(database.db, {
      appSecret: "test-secret-0123456789",
      publicUrl: "https://shop.example",
      testProvider: true,
      stripe: fake.providerOptions(),
    });
    expect(providers.list().map((p) => p.id)).toEqual(["test", "stripe"]);
    const p = await providers.get("stripe").create({
      paymentId: newId("pay"),
      amount: 2500,
      currency: "EUR",
      method: "ideal",
      captureMode: "automatic",
      data: {},
      customer: { email: "eva@example.com", country: "NL" },
    });
    expect(p).toMatchObject({ status: "requires_action", nextAction: { type: "redirect" } });
    expect(fake.book.intent(p.ref).next_action).toMatchObject({
      redirect_to_url: { return_url: "https://shop.example" },
    });
  });

  it("leaves Stripe out when it is not configured", () => {
    const providers = createPaymentProviders(database.db, {
      appSecret: "test-secret-0123456789",
      publicUrl: "https://shop.example",
      testProvider: false,
    });
    expect(providers.has("stripe")).toBe(false);
  });
});
