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
  applyProviderPaymentPart,
  claimWebhookEvent,
  findByProviderRef,
  findRefund,
  getPayment,
  insertPayment,
  type MarketPaymentMethod,
  marketMethods,
  type PaymentChange,
  type PaymentChangeRow,
  type PaymentJson,
  type PaymentRow,
  paymentChangeFrom,
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
