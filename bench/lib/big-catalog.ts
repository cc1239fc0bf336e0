import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";

const NOUNS = {
  en: ["Jacket", "Tent", "Mug", "Lamp", "Backpack", "Teapot", "Sleeping Bag", "Hoodie", "Bottle", "Knife"],
  de: [
    "Jacke",
    "Zelt",
    "Becher",
    "Lampe",
    "Rucksack",
    "Teekanne",
    "Schlafsack",
    "Kapuzenpulli",
    "Flasche",
    "Messer",
  ],
  ja: ["ジャケット", "テント", "マグ", "ランプ", "リュック", "急須", "寝袋", "パーカー", "ボトル", "ナイフ"],
};
const ADJECTIVES = {
  en: [
    "Waterproof",
    "Ultralight",
    "Insulated",
    "Compact",
    "Classic",
    "Recycled",
    "Travel",
    "Alpine",
    "Urban",
    "Ceramic",
  ],
  de: [
    "Wasserdichte",
    "Ultraleichte",
    "Isolierte",
    "Kompakte",
    "Klassische",
    "Recycelte",
    "Reise",
    "Alpine",
    "Urbane",
    "Keramik",
  ],
  ja: [
    "防水",
    "超軽量",
    "保温",
    "コンパクト",
    "クラシック",
    "リサイクル",
    "トラベル",
    "アルパイン",
    "アーバン",
    "陶器",
  ],
};

const arr = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/**
 * Inserts `count` active products (3 variants each, content in en/de/ja, stock in every
 * warehouse) with set-based SQL, for search and list benchmarks at catalog scale.
 */
export async function insertBigCatalog(db: Db, count: number): Promise<void> {
  await db.execute(sql`insert into products (id, handle, status, vendor, product_type, tags, hs_code, origin_country, options)
    select 'prod_bench' || lpad(g::text, 8, '0'), 'bench-' || g, 'active', 'Yunshan',
      (${arr(NOUNS.en)})[1 + g % 10], array['bench', 'tag' || (g % 50)], '620293', 'CN',
      '[{"name":"Size","values":["S","M","L"]}]'::jsonb
    from generate_series(1, ${count}) g`);
  for (const locale of ["en", "de", "ja"] as const) {
    const sep = locale === "ja" ? "" : " ";
    await db.execute(sql`insert into product_translations (product_id, locale, title, description, slug)
      select 'prod_bench' || lpad(g::text, 8, '0'), ${locale},
        (${arr(ADJECTIVES[locale])})[1 + (g / 10) % 10] || ${sep} || (${arr(NOUNS[locale])})[1 + g % 10] || ' ' || g,
        (${arr(ADJECTIVES[locale])})[1 + (g / 7) % 10] || ${sep} || (${arr(NOUNS[locale])})[1 + (g / 3) % 10] || ' — '
          || (${arr(ADJECTIVES[locale])})[1 + g % 10] || ${sep} || (${arr(NOUNS[locale])})[1 + (g / 13) % 10],
        'bench-' || g
      from generate_series(1, ${count}) g`);
  }
  await db.execute(sql`insert into variants (id, product_id, position, sku, options, price, weight_grams)
    select 'var_bench' || lpad(g::text, 8, '0') || s.i, 'prod_bench' || lpad(g::text, 8, '0'), s.i,
      'BENCH-' || g || '-' || s.size, jsonb_build_object('Size', s.size), 900 + (g * 37) % 40000 + s.i * 200, 500
    from generate_series(1, ${count}) g cross join (values (0, 'S'), (1, 'M'), (2, 'L')) s(i, size)`);
  await db.execute(sql`insert into inventory_levels (variant_id, warehouse_id, on_hand)
    select v.id, w.id, (hashtext(v.id || w.id) & 63) from variants v cross join warehouses w where v.id like 'var_bench%'`);
  await db.execute(sql`analyze`);
}
