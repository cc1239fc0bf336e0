import { StripeFake } from "../../../test/fakes/stripe-fake.ts";
import { describePaymentProviderContract } from "./provider-contract.ts";
import { StripePaymentProvider } from "./stripe.provider.ts";

describePaymentProviderContract("stripe", async () => {
  const fake = await StripeFake.start();
  const provider = new StripePaymentProvider({
    ...fake.providerOptions(),
    returnUrl: "http://localhost:3000",
  });
  return {
    provider,
    succeedCard: () => ({ paymentMethod: "pm_card_visa" }),
    declineCard: () => ({ paymentMethod: "pm_card_chargeDeclined" }),
    insufficientCard: () => ({ paymentMethod: "pm_card_chargeDeclinedInsufficientFunds" }),
    challengeCard: () => ({ paymentMethod: "pm_card_threeDSecure2Required" }),
    async completeAction(ref, outcome) {
      if (outcome === "succeed") fake.succeed(ref);
      else if (outcome === "fail") fake.fail(ref);
      else fake.expire(ref);
    },
    signedWebhookFor: async (ref, opts) => fake.sign(fake.lastEvent(ref), opts),
    attempts: async (paymentId) => fake.intentsFor(paymentId).length,
    cleanup: () => fake.close(),
  };
});
