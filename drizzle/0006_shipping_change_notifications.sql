-- The Store API serves shipping options, so shipping tables notify the store response cache on
-- every committed change, like the catalog tables in 0004.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['shipping_zones', 'shipping_methods', 'shipping_lanes']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION chuhai_notify_catalog()', t || '_notify_catalog', t);
  END LOOP;
END
$$;
