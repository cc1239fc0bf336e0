-- The automatic discounts are cached per instance for the Store API. A cached copy must learn of
-- every change of a definition and of a discount reaching or leaving its usage limit, but not of
-- every use (each order with a discount raises times_used).
CREATE TRIGGER discounts_notify_catalog AFTER INSERT OR DELETE OR TRUNCATE ON discounts
  FOR EACH STATEMENT EXECUTE FUNCTION chuhai_notify_catalog();
--> statement-breakpoint
CREATE TRIGGER discounts_notify_changes AFTER UPDATE ON discounts
  FOR EACH ROW WHEN (
    (to_jsonb(OLD) - 'times_used' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'times_used' - 'updated_at')
    OR (OLD.usage_limit IS NOT NULL AND OLD.times_used >= OLD.usage_limit)
      IS DISTINCT FROM (NEW.usage_limit IS NOT NULL AND NEW.times_used >= NEW.usage_limit)
  )
  EXECUTE FUNCTION chuhai_notify_catalog();
