import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { transaction } from "../../kernel/context.ts";
import { quoteLandedCost } from "./quote.service.ts";
import * as admin from "./rules.admin.service.ts";
import {
  AgreementBody,
  AgreementParams,
  CountryParams,
  DutyRateBody,
  EndBody,
  IdParams,
  ImportRuleBody,
  JurisdictionBody,
  QuoteBody,
  RegistrationBody,
  RuleListQuery,
  TaxRateBody,
  VatIdBody,
} from "./tax.schemas.ts";
import { validateVatId } from "./vat-id.ts";

const tags = ["admin: tax"];

/**
 * Admin API: the tax and duty rules (dated versions with sources), the store's registrations,
 * a landed-cost calculator and a VAT number check.
 */
export async function taxAdminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.get("/tax/jurisdictions", { schema: { tags } }, async (request) => ({
    items: await admin.listJurisdictions(request.ctx),
  }));
  app.put(
    "/tax/jurisdictions/:country",
    { schema: { tags, params: CountryParams, body: JurisdictionBody } },
    async (request) =>
      transaction(request.ctx, (tx) => admin.putJurisdiction(tx, request.params.country, request.body)),
  );
  app.get("/tax/agreements", { schema: { tags } }, async (request) => ({
    items: await admin.listAgreements(request.ctx),
  }));
  app.put(
    "/tax/agreements/:code",
    { schema: { tags, params: AgreementParams, body: AgreementBody } },
    async (request) =>
      transaction(request.ctx, (tx) => admin.putAgreement(tx, request.params.code, request.body)),
  );

  const kinds = ["tax-rates", "duty-rates", "import-rules"] as const;
  for (const kind of kinds) {
    app.get(`/tax/${kind}`, { schema: { tags, querystring: RuleListQuery } }, async (request) => ({
      items: await admin.listRules(request.ctx, kind, request.query),
    }));
    app.get(`/tax/${kind}/:id`, { schema: { tags, params: IdParams } }, async (request) =>
      admin.getRule(request.ctx, kind, request.params.id),
    );
    app.post(`/tax/${kind}/:id/end`, { schema: { tags, params: IdParams, body: EndBody } }, async (request) =>
      transaction(request.ctx, (tx) => admin.endRule(tx, kind, request.params.id, request.body.effectiveTo)),
    );
    app.delete(`/tax/${kind}/:id`, { schema: { tags, params: IdParams } }, async (request, reply) => {
      await transaction(request.ctx, (tx) => admin.endRule(tx, kind, request.params.id));
      return reply.status(204).send();
    });
  }
  app.post("/tax/tax-rates", { schema: { tags, body: TaxRateBody } }, async (request, reply) =>
    reply.status(201).send(await transaction(request.ctx, (tx) => admin.createTaxRate(tx, request.body))),
  );
  app.post("/tax/duty-rates", { schema: { tags, body: DutyRateBody } }, async (request, reply) =>
    reply.status(201).send(await transaction(request.ctx, (tx) => admin.createDutyRate(tx, request.body))),
  );
  app.post("/tax/import-rules", { schema: { tags, body: ImportRuleBody } }, async (request, reply) =>
    reply.status(201).send(await transaction(request.ctx, (tx) => admin.createImportRule(tx, request.body))),
  );

  app.get("/tax/registrations", { schema: { tags } }, async (request) => ({
    items: await admin.listRegistrations(request.ctx),
  }));
  app.post("/tax/registrations", { schema: { tags, body: RegistrationBody } }, async (request, reply) =>
    reply
      .status(201)
      .send(await transaction(request.ctx, (tx) => admin.createRegistration(tx, request.body))),
  );
  app.delete("/tax/registrations/:id", { schema: { tags, params: IdParams } }, async (request, reply) => {
    await transaction(request.ctx, (tx) => admin.deleteRegistration(tx, request.params.id));
    return reply.status(204).send();
  });

  app.post("/tax/landed-cost", { schema: { tags, body: QuoteBody } }, async (request) =>
    quoteLandedCost(request.ctx, request.body),
  );
  app.post("/tax/vat-ids/validate", { schema: { tags, body: VatIdBody } }, async (request) =>
    validateVatId(request.body.vatId),
  );
}
