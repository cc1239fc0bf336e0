CREATE TABLE "duty_rates" (
	"id" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"hs_prefix" text NOT NULL,
	"agreement" text,
	"rate" numeric NOT NULL,
	"value_up_to" jsonb,
	"deduction" jsonb,
	"specific" text,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_rates_hs" CHECK ("duty_rates"."hs_prefix" ~ '^([0-9]{2}){0,3}$'),
	CONSTRAINT "duty_rates_rate" CHECK ("duty_rates"."rate" >= 0 and "duty_rates"."rate" <= 10),
	CONSTRAINT "duty_rates_period" CHECK ("duty_rates"."effective_to" is null or "duty_rates"."effective_to" > "duty_rates"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "import_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"kind" text NOT NULL,
	"value" jsonb,
	"basis" text NOT NULL,
	"per_item" boolean DEFAULT false NOT NULL,
	"scheme" text,
	"flat" jsonb,
	"factor" numeric,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_rules_period" CHECK ("import_rules"."effective_to" is null or "import_rules"."effective_to" > "import_rules"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "order_tax_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"regime" text NOT NULL,
	"scheme" text,
	"jurisdiction" text NOT NULL,
	"name" text NOT NULL,
	"rate" numeric NOT NULL,
	"currency" text NOT NULL,
	"taxable" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"collected_by" text NOT NULL,
	"ship_from" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"refund_id" text,
	"corrects_id" text
);
--> statement-breakpoint
CREATE TABLE "sales_tax_nexus" (
	"country" text NOT NULL,
	"region" text NOT NULL,
	"sales" bigint NOT NULL,
	"transactions" integer,
	"requires_both" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "sales_tax_nexus_country_region_pk" PRIMARY KEY("country","region")
);
--> statement-breakpoint
CREATE TABLE "tax_jurisdictions" (
	"country" text PRIMARY KEY NOT NULL,
	"customs_union" text,
	"rounding" text NOT NULL,
	"duty_on_shipping" boolean NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tax_rates" (
	"id" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"region" text,
	"postal_prefix" text,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"rate" numeric NOT NULL,
	"replaces_national" boolean DEFAULT false NOT NULL,
	"applies_to_shipping" boolean DEFAULT true NOT NULL,
	"gross_up" boolean DEFAULT false NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_rates_rate" CHECK ("tax_rates"."rate" >= 0 and "tax_rates"."rate" < 1),
	CONSTRAINT "tax_rates_period" CHECK ("tax_rates"."effective_to" is null or "tax_rates"."effective_to" > "tax_rates"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "tax_registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"scheme" text NOT NULL,
	"number" text NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_registrations_period" CHECK ("tax_registrations"."effective_to" is null or "tax_registrations"."effective_to" > "tax_registrations"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "trade_agreements" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"members" jsonb NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "carts" ADD COLUMN "buyer_vat_id" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "tax_category" text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "duty" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_tax_lines" ADD CONSTRAINT "order_tax_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "duty_rates_version" ON "duty_rates" USING btree ("country","hs_prefix",coalesce("agreement", ''),coalesce(("value_up_to"->>'amount')::bigint, -1),"effective_from");--> statement-breakpoint
CREATE UNIQUE INDEX "import_rules_version" ON "import_rules" USING btree ("country","kind","effective_from");--> statement-breakpoint
CREATE INDEX "order_tax_lines_order" ON "order_tax_lines" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_tax_lines_placed" ON "order_tax_lines" USING btree ("placed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tax_rates_version" ON "tax_rates" USING btree ("country",coalesce("region", ''),coalesce("postal_prefix", ''),"category","effective_from");--> statement-breakpoint
CREATE UNIQUE INDEX "tax_registrations_scheme" ON "tax_registrations" USING btree ("jurisdiction","scheme","effective_from");--> statement-breakpoint
CREATE INDEX "orders_paid" ON "orders" USING btree ("paid_at");--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tax_category" CHECK ("products"."tax_category" in ('standard', 'food', 'books', 'children_clothing', 'medical'));--> statement-breakpoint
-- Tax rules and registrations are store configuration cached per instance: notify on change.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tax_jurisdictions', 'tax_rates', 'duty_rates', 'import_rules', 'trade_agreements', 'tax_registrations'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION chuhai_notify_catalog()', t || '_notify_catalog', t);
  END LOOP;
END $$;
