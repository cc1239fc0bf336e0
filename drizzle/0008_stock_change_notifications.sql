-- Reservations and sales update inventory_levels on every checkout. The storefront caches only
-- need to hear when a level starts or stops having stock to sell (in-stock flags, filters), so
-- row updates notify only when on_hand > reserved flips; inserts and deletes still notify.
DROP TRIGGER IF EXISTS inventory_levels_notify_catalog ON inventory_levels;
--> statement-breakpoint
CREATE TRIGGER inventory_levels_notify_catalog AFTER INSERT OR DELETE OR TRUNCATE ON inventory_levels
  FOR EACH STATEMENT EXECUTE FUNCTION chuhai_notify_catalog();
--> statement-breakpoint
CREATE TRIGGER inventory_levels_notify_stock_state AFTER UPDATE ON inventory_levels
  FOR EACH ROW WHEN ((OLD.on_hand > OLD.reserved) IS DISTINCT FROM (NEW.on_hand > NEW.reserved))
  EXECUTE FUNCTION chuhai_notify_catalog();
--> statement-breakpoint
-- Payment methods per market are cached per instance like the rest of the store configuration.
CREATE TRIGGER market_payment_methods_notify_catalog AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON market_payment_methods
  FOR EACH STATEMENT EXECUTE FUNCTION chuhai_notify_catalog();
