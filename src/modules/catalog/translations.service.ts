import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import type { Ctx } from "../../kernel/context.ts";

export interface LocaleCoverage {
  locale: string;
  /** Products with content in this exact locale. */
  translated: number;
  total: number;
  percent: number;
  /** Of those, how many also have SEO title and description. */
  withSeo: number;
  /** A few products still missing this locale (handles). */
  missing: string[];
  /** Markets that show this locale. */
  markets: string[];
}

/** How much of the catalog is translated into each locale that a market offers. */
export async function translationCoverage(
  ctx: Ctx,
): Promise<{ totalProducts: number; locales: LocaleCoverage[] }> {
  const rows = await queryRows<{
    locale: string;
    total: number;
    translated: number;
    with_seo: number;
    missing: string[] | null;
    markets: string[];
  }>(
    ctx.db,
    sql`with locales as (select l as locale, array_agg(m.code order by m.code) as markets
          from markets m cross join unnest(m.locales) l group by l),
        total as (select count(*)::int n from products where status <> 'archived')
      select l.locale, l.markets, (select n from total) as total,
        (select count(*)::int from product_translations t join products p on p.id = t.product_id
          where t.locale = l.locale and p.status <> 'archived') as translated,
        (select count(*)::int from product_translations t join products p on p.id = t.product_id
          where t.locale = l.locale and p.status <> 'archived' and t.seo_title is not null and t.seo_description is not null) as with_seo,
        (select array_agg(handle) from (select p.handle from products p where p.status <> 'archived' and not exists
          (select 1 from product_translations t where t.product_id = p.id and t.locale = l.locale) order by p.handle limit 10) x) as missing
      from locales l order by l.locale`,
  );
  const totalProducts = rows[0]?.total ?? 0;
  return {
    totalProducts,
    locales: rows.map((r) => ({
      locale: r.locale,
      translated: r.translated,
      total: r.total,
      percent: r.total ? Math.round((r.translated / r.total) * 1000) / 10 : 100,
      withSeo: r.with_seo,
      missing: r.missing ?? [],
      markets: r.markets,
    })),
  };
}
