import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { requireIdempotencyKey } from "../http/idempotency.ts";
import { emptyBodyAsObject } from "../http/schemas.ts";
import { assertOrderVisible, getOrderRow } from "../modules/orders/index.ts";
import { paymentsOfOrder } from "../modules/payments/index.ts";
import { completeCheckout } from "./checkout.ts";
import { cancelOrderFlow } from "./orders.ts";
import { capturePayment, handlePaymentWebhook, syncPayment } from "./payments.ts";
import { refundOrder } from "./refunds.ts";

const OrderParams = Type.Object({ id: Type.String({ pattern: "^ord_[0-9A-Z]{26}$" }) });

function paymentView(p: Awaited<ReturnType<typeof paymentsOfOrder>>[number] | null) {
  if (!p) return null;
  return {
    id: p.id,
    provider: p.provider,
    method: p.method,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    nextAction: p.nextAction,
    failureCode: p.failureCode,
    expiresAt: p.expiresAt,
  };
}

/** Store API: completing a checkout and following its payment. */
export async function checkoutStoreRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["store: checkout"];
  app.post(
    "/carts/:id/complete",
    {
      preHandler: requireIdempotencyKey,
      schema: {
        tags,
        description:
          "Places the order and pays. Requires an Idempotency-Key; a retry returns the same order.",
        params: Type.Object({ id: Type.String({ pattern: "^cart_[0-9A-Z]{26}$" }) }),
        body: Type.Object(
          {
            payment: Type.Object(
              {
                provider: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
                method: Type.String({ minLength: 1, maxLength: 40 }),
                data: Type.Optional(Type.Record(Type.String({ maxLength: 60 }), Type.Unknown())),
                returnUrl: Type.Optional(Type.String({ format: "uri", maxLength: 1000 })),
              },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const result = await completeCheckout(
        request.ctx,
        instance.payments,
        request.params.id,
        request.body.payment,
      );
      return reply.status(result.payment?.status === "failed" ? 402 : 201).send({
        order: { ...result.order, status: result.orderStatus },
        payment: paymentView(result.payment),
      });
    },
  );
  app.post(
    "/orders/:id/payment/sync",
    {
      schema: {
        tags,
        params: OrderParams,
        description: "Asks the provider where the order's latest payment stands (after a redirect).",
      },
    },
    async (request) => {
      const order = await getOrderRow(request.ctx, request.params.id);
      assertOrderVisible(request.ctx, order);
      const attempts = await paymentsOfOrder(request.ctx, request.params.id);
      const last = attempts[attempts.length - 1];
      if (!last) return { payment: null };
      const outcome = await syncPayment(request.ctx, instance.payments, last.id);
      return { payment: paymentView(outcome.payment), orderStatus: outcome.orderStatus };
    },
  );
}

/** Admin API: cancelling, refunding and capturing. */
export async function orderActionsAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["admin: orders"];
  app.post(
    "/orders/:id/cancel",
    {
      schema: {
        tags,
        params: OrderParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      cancelOrderFlow(request.ctx, instance.payments, request.params.id, request.body.reason),
  );
  app.post(
    "/orders/:id/refunds",
    {
      preHandler: requireIdempotencyKey,
      schema: {
        tags,
        description:
          "Refunds through the order's payment. Requires an Idempotency-Key: a retry refunds nothing twice.",
        params: OrderParams,
        body: Type.Object(
          {
            amount: Type.Integer({ minimum: 1, maximum: 9_000_000_000_000 }),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await refundOrder(request.ctx, instance.payments, request.params.id, {
          ...request.body,
          key: request.idempotency!.key,
        }),
      ),
  );
  app.post(
    "/payments/:paymentId/capture",
    {
      preHandler: requireIdempotencyKey,
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        params: Type.Object({ paymentId: Type.String({ pattern: "^pay_[0-9A-Z]{26}$" }) }),
        body: Type.Object(
          { amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_000_000_000_000 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const outcome = await capturePayment(
        request.ctx,
        instance.payments,
        request.params.paymentId,
        request.body.amount,
      );
      return { payment: paymentView(outcome.payment), orderStatus: outcome.orderStatus };
    },
  );
}

/** Incoming payment-provider webhooks: the raw body is kept for signature verification. */
export async function paymentWebhookRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
  app.post(
    "/webhooks/payments/:provider",
    {
      schema: {
        tags: ["webhooks"],
        params: Type.Object({ provider: Type.String({ pattern: "^[a-z0-9-]{1,40}$" }) }),
        body: Type.String({ maxLength: 1_000_000 }),
      },
    },
    async (request) =>
      handlePaymentWebhook(
        request.ctx,
        instance.payments,
        request.params.provider,
        request.body,
        request.headers,
      ),
  );
}
