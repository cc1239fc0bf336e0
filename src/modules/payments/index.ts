/**
 * Payments: the provider contract, the built-in test gateway, Stripe, payment attempts and
 * refunds, webhook replay protection and the payment methods each market offers.
 * @example const providers = createPaymentProviders(db, { appSecret, publicUrl, testProvider: true })
 */
export type {
  CreatePaymentRequest,
  NextAction,
  PaymentProvider,
  PaymentStatus,
  ProviderPayment,
  ProviderRefund,
  ProviderWebhookEvent,
} from "./payment-provider.ts";
export {
  applyProviderPayment,
  claimWebhookEvent,
  findByProviderRef,
  findRefund,
  getPayment,
  insertPayment,
  type MarketPaymentMethod,
  marketMethods,
  type PaymentChange,
  type PaymentJson,
  type PaymentRow,
  paymentFromJson,
  paymentInsertPart,
  paymentStats,
  paymentsOfOrder,
  type RefundRow,
  recordRefund,
  setMarketMethods,
  settledPaymentOf,
  stalePendingPayments,
} from "./payments.service.ts";
export {
  createPaymentProviders,
  type PaymentConfig,
  PaymentProviders,
  testGatewaySecret,
} from "./providers.ts";
export { StripePaymentProvider, type StripeProviderOptions } from "./stripe.provider.ts";
export { TEST_CARDS, TestPaymentProvider } from "./test.provider.ts";
