CREATE TABLE "shipping_lanes" (
	"warehouse_id" text NOT NULL,
	"country" text NOT NULL,
	"cost" bigint NOT NULL,
	"cost_currency" text NOT NULL,
	"min_days" integer NOT NULL,
	"max_days" integer NOT NULL,
	CONSTRAINT "shipping_lanes_warehouse_id_country_pk" PRIMARY KEY("warehouse_id","country"),
	CONSTRAINT "shipping_lanes_cost" CHECK ("shipping_lanes"."cost" >= 0),
	CONSTRAINT "shipping_lanes_days" CHECK ("shipping_lanes"."min_days" >= 0 and "shipping_lanes"."max_days" >= "shipping_lanes"."min_days")
);
--> statement-breakpoint
CREATE TABLE "shipping_methods" (
	"id" text PRIMARY KEY NOT NULL,
	"zone_id" text NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"carrier" text NOT NULL,
	"rate_type" text NOT NULL,
	"rates" jsonb NOT NULL,
	"free_over" bigint,
	"extra_days" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipping_methods_zone_code" UNIQUE("zone_id","code"),
	CONSTRAINT "shipping_methods_rate_type" CHECK ("shipping_methods"."rate_type" in ('flat', 'weight_tiers', 'value_tiers')),
	CONSTRAINT "shipping_methods_free_over" CHECK ("shipping_methods"."free_over" >= 0),
	CONSTRAINT "shipping_methods_extra_days" CHECK ("shipping_methods"."extra_days" >= 0)
);
--> statement-breakpoint
CREATE TABLE "shipping_zones" (
	"id" text PRIMARY KEY NOT NULL,
	"market_id" text NOT NULL,
	"name" text NOT NULL,
	"countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shipping_lanes" ADD CONSTRAINT "shipping_lanes_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipping_methods" ADD CONSTRAINT "shipping_methods_zone_id_shipping_zones_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."shipping_zones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipping_zones" ADD CONSTRAINT "shipping_zones_market_id_markets_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."markets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "shipping_lanes_country" ON "shipping_lanes" USING btree ("country");--> statement-breakpoint
CREATE INDEX "shipping_zones_market" ON "shipping_zones" USING btree ("market_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipping_zones_one_catch_all" ON "shipping_zones" USING btree ("market_id") WHERE cardinality("shipping_zones"."countries") = 0;