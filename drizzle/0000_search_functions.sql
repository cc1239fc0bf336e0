-- Full-text search helpers used by generated columns and by search queries.

-- The text-search configuration (stemming dictionary) for a locale; "simple" where PostgreSQL
-- has no stemmer. Languages written without spaces (ja, zh, ko, th) go through chuhai_search_text.
CREATE OR REPLACE FUNCTION chuhai_ts_config(locale text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE split_part(lower(locale), '-', 1)
    WHEN 'en' THEN 'pg_catalog.english' WHEN 'de' THEN 'pg_catalog.german'
    WHEN 'fr' THEN 'pg_catalog.french' WHEN 'es' THEN 'pg_catalog.spanish'
    WHEN 'it' THEN 'pg_catalog.italian' WHEN 'nl' THEN 'pg_catalog.dutch'
    WHEN 'pt' THEN 'pg_catalog.portuguese' WHEN 'id' THEN 'pg_catalog.indonesian'
    WHEN 'ar' THEN 'pg_catalog.arabic' WHEN 'da' THEN 'pg_catalog.danish'
    WHEN 'fi' THEN 'pg_catalog.finnish' WHEN 'nb' THEN 'pg_catalog.norwegian'
    WHEN 'no' THEN 'pg_catalog.norwegian' WHEN 'sv' THEN 'pg_catalog.swedish'
    WHEN 'ru' THEN 'pg_catalog.russian' WHEN 'tr' THEN 'pg_catalog.turkish'
    WHEN 'hu' THEN 'pg_catalog.hungarian' WHEN 'ro' THEN 'pg_catalog.romanian'
    WHEN 'el' THEN 'pg_catalog.greek' WHEN 'ga' THEN 'pg_catalog.irish'
    WHEN 'lt' THEN 'pg_catalog.lithuanian'
    ELSE 'pg_catalog.simple' END)::regconfig
$$;
--> statement-breakpoint

-- For ja/zh/ko/th, rewrites runs of CJK/Thai characters as n-grams so the "simple" parser can
-- index them: documents get unigrams and bigrams, queries get bigrams (a unigram for a single
-- character), so every query bigram must appear in the document. Other locales pass through.
CREATE OR REPLACE FUNCTION chuhai_search_text(locale text, body text, for_query boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  result text := '';
  run text := '';
  ch text;
  n int;
  i int;
BEGIN
  IF body IS NULL THEN RETURN ''; END IF;
  IF split_part(lower(locale), '-', 1) NOT IN ('ja', 'zh', 'ko', 'th') THEN RETURN body; END IF;
  FOR i IN 1 .. char_length(body) + 1 LOOP
    ch := substr(body, i, 1);
    IF ch <> '' AND ch ~ '[ぁ-ヿ㐀-鿿豈-﫿가-힯ก-๛ｦ-ﾟ]' THEN
      run := run || ch;
    ELSE
      n := char_length(run);
      IF n = 1 THEN
        result := result || ' ' || run || ' ';
      ELSIF n > 1 THEN
        IF NOT for_query THEN
          FOR j IN 1 .. n LOOP result := result || ' ' || substr(run, j, 1); END LOOP;
        END IF;
        FOR j IN 1 .. n - 1 LOOP result := result || ' ' || substr(run, j, 2); END LOOP;
        result := result || ' ';
      END IF;
      run := '';
      result := result || ch;
    END IF;
  END LOOP;
  RETURN result;
END
$$;
