import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import { cached } from "../../kernel/config-cache.ts";
import type { Ctx } from "../../kernel/context.ts";
import { ValidationError } from "../../kernel/errors.ts";
import { resolveRate } from "../markets/index.ts";
import type { RuleSet } from "./rule-lookup.ts";
import type {
  DutyRateRule,
  ImportRule,
  Jurisdiction,
  MoneyFigure,
  Registration,
  TaxRateRule,
  TradeAgreement,
} from "./tax.types.ts";

interface Row {
  jurisdiction: Jurisdiction | null;
  tax_rates: TaxRateRule[];
  duties: DutyRateRule[];
  import_rules: ImportRule[];
  agreements: TradeAgreement[];
  registrations: Registration[];
}

const inForceOn = (table: string, date: string) => {
  const t = sql.raw(table);
  return sql`${t}.effective_from <= ${date}::date and (${t}.effective_to is null or ${t}.effective_to > ${date}::date)`;
};

/**
 * The rules in force for a destination on a day, in one statement, plus the exchange rates from
 * the cart's currency to the currencies its thresholds are set in. Cached per instance (the rule
 * tables notify on change) for Store API requests.
 * @example const rules = await loadRuleSet(ctx, "DE", "EUR", "2026-11-25")
 */
export async function loadRuleSet(
  ctx: Ctx,
  country: string,
  currency: string,
  date: string,
): Promise<RuleSet> {
  return cached(ctx, `tax:${country}:${currency}:${date}`, async () => {
    const [row] = await queryRows<Row>(
      ctx.db,
      sql`with j as (select * from tax_jurisdictions where country = ${country})
      select
        (select json_build_object('country', country, 'customsUnion', customs_union, 'rounding', rounding,
          'dutyOnShipping', duty_on_shipping, 'source', source) from j) as jurisdiction,
        coalesce((select json_agg(json_build_object('id', id, 'country', country, 'region', region,
          'postalPrefix', postal_prefix, 'category', category, 'name', name, 'rate', rate::text,
          'replacesNational', replaces_national, 'appliesToShipping', applies_to_shipping, 'grossUp', gross_up,
          'effectiveFrom', effective_from, 'effectiveTo', effective_to, 'source', source) order by id)
          from tax_rates where country = ${country} and ${inForceOn("tax_rates", date)}), '[]') as tax_rates,
        coalesce((select json_agg(json_build_object('id', id, 'country', country, 'hsPrefix', hs_prefix,
          'agreement', agreement, 'rate', rate::text, 'valueUpTo', value_up_to, 'deduction', deduction,
          'specific', specific, 'effectiveFrom', effective_from, 'effectiveTo', effective_to, 'source', source) order by id)
          from duty_rates where (country = ${country} or country = (select customs_union from j))
            and ${inForceOn("duty_rates", date)}), '[]') as duties,
        coalesce((select json_agg(json_build_object('id', id, 'country', country, 'kind', kind, 'value', value,
          'basis', basis, 'perItem', per_item, 'scheme', scheme, 'flat', flat, 'factor', factor::text,
          'effectiveFrom', effective_from, 'effectiveTo', effective_to, 'source', source) order by id)
          from import_rules where (country = ${country} or country = (select customs_union from j))
            and ${inForceOn("import_rules", date)}), '[]') as import_rules,
        coalesce((select json_agg(json_build_object('code', code, 'name', name, 'members', members,
          'source', source) order by code) from trade_agreements), '[]') as agreements,
        coalesce((select json_agg(json_build_object('id', id, 'jurisdiction', jurisdiction, 'scheme', scheme,
          'number', number, 'effectiveFrom', effective_from, 'effectiveTo', effective_to) order by id)
          from tax_registrations where ${inForceOn("tax_registrations", date)}), '[]') as registrations`,
    );
    const r = row!;
    const figures: (MoneyFigure | null)[] = [
      ...r.import_rules.flatMap((i) => [i.value, i.flat]),
      ...r.duties.flatMap((d) => [d.valueUpTo, d.deduction]),
    ];
    const fx: Record<string, string> = {};
    for (const quote of new Set(figures.flatMap((f) => (f ? [f.currency] : [])))) {
      if (quote === currency) continue;
      // A missing rate leaves the threshold unmet: the engine warns and charges rather than waives.
      const rate = await resolveRate(ctx, currency, quote, date).catch((err: unknown) => {
        if (err instanceof ValidationError) return null;
        throw err;
      });
      if (rate) fx[quote] = rate.rate;
    }
    return {
      country,
      date,
      jurisdiction: r.jurisdiction,
      taxRates: r.tax_rates,
      duties: r.duties,
      importRules: r.import_rules,
      agreements: r.agreements,
      registrations: r.registrations,
      fx,
    };
  });
}
