-- Every committed change to data the storefront shows sends a notification, so that each app
-- instance can drop its cached store responses. NOTIFY is delivered only after commit and
-- repeated identical payloads in one transaction are sent once.
CREATE OR REPLACE FUNCTION chuhai_notify_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('chuhai_catalog', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['shop', 'markets', 'market_countries', 'fx_rates', 'fx_overrides', 'rounding_rules',
    'price_lists', 'price_list_prices', 'categories', 'products', 'product_translations', 'variants', 'media',
    'product_market_exclusions', 'attribute_definitions', 'collections', 'collection_products', 'warehouses',
    'inventory_levels']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION chuhai_notify_catalog()', t || '_notify_catalog', t);
  END LOOP;
END
$$;
