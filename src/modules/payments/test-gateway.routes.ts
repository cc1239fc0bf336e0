import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { formatMoney, money } from "../../kernel/money.ts";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The test gateway's hosted pages: where a buyer passes a 3-D Secure challenge, approves a
 * wallet redirect or "pays" a Pix code or voucher. Completing one sends the signed webhook to
 * this server, as the real gateway would.
 */
export async function testGatewayRoutes(instance: FastifyInstance): Promise<void> {
  const gateway = instance.payments.testGateway();
  if (!gateway) return;
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const Params = Type.Object({ ref: Type.String({ pattern: "^tgp_[0-9A-Z]{26}$" }) });
  app.get(
    "/test-gateway/payments/:ref",
    { schema: { hide: true, params: Params } },
    async (request, reply) => {
      const p = await gateway.describe(request.params.ref);
      const amount = formatMoney(money(p.amount, p.currency), "en");
      const open = p.status === "pending" || p.status === "requires_action";
      const action = `/test-gateway/payments/${p.ref}/complete`;
      const buttons = open
        ? `<form method="post" action="${action}"><input type="hidden" name="outcome" value="succeed"><button>Approve</button></form>
         <form method="post" action="${action}"><input type="hidden" name="outcome" value="fail"><button>Decline</button></form>`
        : `<p>This payment is ${escapeHtml(p.status)}.</p>`;
      return reply
        .type("text/html; charset=utf-8")
        .header("content-security-policy", "default-src 'none'; form-action 'self'")
        .send(
          `<!doctype html><html lang="en"><meta charset="utf-8"><title>Test gateway</title>
         <h1>Test gateway: ${escapeHtml(p.method)} payment</h1><p>${escapeHtml(amount)}${p.cardLast4 ? ` · card ending ${escapeHtml(p.cardLast4)}` : ""}</p>${buttons}</html>`,
        );
    },
  );
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.post(
    "/test-gateway/payments/:ref/complete",
    {
      schema: {
        hide: true,
        params: Params,
        body: Type.Object({ outcome: Type.Union([Type.Literal("succeed"), Type.Literal("fail")]) }),
      },
    },
    async (request, reply) => {
      const { payment, webhook } = await gateway.complete(request.params.ref, request.body.outcome);
      const delivery = await instance.inject({
        method: "POST",
        url: "/webhooks/payments/test",
        headers: webhook.headers,
        payload: webhook.body,
      });
      const described = await gateway.describe(request.params.ref);
      const form = request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded");
      if (form && described.returnUrl) return reply.redirect(described.returnUrl, 303);
      return { payment, webhook: { status: delivery.statusCode } };
    },
  );
}
