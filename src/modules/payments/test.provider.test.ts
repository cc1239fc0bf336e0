import { eq } from "drizzle-orm";
import { createTestDatabase } from "../../db/testing.ts";
import { newId } from "../../kernel/ids.ts";
import { describePaymentProviderContract } from "./provider-contract.ts";
import { TEST_CARDS, TestPaymentProvider } from "./test.provider.ts";
import { testGatewayPayments } from "./test-gateway.schema.ts";

describePaymentProviderContract("test gateway", async () => {
  const database = await createTestDatabase();
  const opts = { secret: "contract-test-secret-0123456789", publicUrl: "http://localhost:3000" };
  const provider = new TestPaymentProvider(database.db, opts);
  return {
    provider,
    succeedCard: () => ({ cardNumber: TEST_CARDS.success }),
    declineCard: () => ({ cardNumber: TEST_CARDS.declined }),
    insufficientCard: () => ({ cardNumber: TEST_CARDS.insufficientFunds }),
    challengeCard: () => ({ cardNumber: TEST_CARDS.threeDSecure }),
    async completeAction(ref, outcome) {
      if (outcome !== "expire") {
        await provider.complete(ref, outcome);
        return;
      }
      // The gateway expires a payment when it is next read after its expiry time.
      await database.db
        .update(testGatewayPayments)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(testGatewayPayments.ref, ref));
    },
    async signedWebhookFor(ref, o = {}) {
      const signer = o.secret
        ? new TestPaymentProvider(database.db, { ...opts, secret: o.secret })
        : provider;
      return signer.sign(
        { id: newId("tge"), type: "payment.updated", payment: await provider.retrieve(ref) },
        o.timestamp,
      );
    },
    async attempts(paymentId) {
      const rows = await database.db
        .select({ ref: testGatewayPayments.ref })
        .from(testGatewayPayments)
        .where(eq(testGatewayPayments.merchantReference, paymentId));
      return rows.length;
    },
    cleanup: () => database.close(),
  };
});
