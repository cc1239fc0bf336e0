CREATE TABLE "discount_customer_uses" (
	"discount_id" text NOT NULL,
	"customer_key" text NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "discount_customer_uses_discount_id_customer_key_pk" PRIMARY KEY("discount_id","customer_key"),
	CONSTRAINT "discount_customer_uses_non_negative" CHECK ("discount_customer_uses"."uses" >= 0)
);
--> statement-breakpoint
CREATE TABLE "discount_redemptions" (
	"discount_id" text NOT NULL,
	"order_id" text NOT NULL,
	"customer_key" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discount_redemptions_discount_id_order_id_pk" PRIMARY KEY("discount_id","order_id"),
	CONSTRAINT "discount_redemptions_amount" CHECK ("discount_redemptions"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "discounts" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"discount_class" text NOT NULL,
	"percentage" integer,
	"amounts" jsonb,
	"applies_to" jsonb DEFAULT '{"type":"all"}'::jsonb NOT NULL,
	"buy" jsonb,
	"get" jsonb,
	"max_uses_per_order" integer,
	"min_subtotal" jsonb,
	"market_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"usage_limit" integer,
	"per_customer_limit" integer,
	"combines_with_product" boolean DEFAULT false NOT NULL,
	"combines_with_order" boolean DEFAULT false NOT NULL,
	"combines_with_shipping" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"times_used" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discounts_code_unique" UNIQUE("code"),
	CONSTRAINT "discounts_code_upper" CHECK ("discounts"."code" = upper("discounts"."code")),
	CONSTRAINT "discounts_percentage" CHECK ("discounts"."percentage" between 1 and 10000),
	CONSTRAINT "discounts_kind_fields" CHECK (("discounts"."percentage" is not null) = ("discounts"."kind" in ('percentage', 'buy_x_get_y'))
        and ("discounts"."amounts" is not null) = ("discounts"."kind" = 'fixed_amount')
        and ("discounts"."buy" is not null) = ("discounts"."kind" = 'buy_x_get_y')
        and ("discounts"."get" is not null) = ("discounts"."kind" = 'buy_x_get_y')
        and ("discounts"."max_uses_per_order" is null or "discounts"."kind" = 'buy_x_get_y')),
	CONSTRAINT "discounts_kind_class" CHECK (("discounts"."kind" = 'free_shipping') = ("discounts"."discount_class" = 'shipping')
        and ("discounts"."kind" <> 'buy_x_get_y' or "discounts"."discount_class" = 'product')),
	CONSTRAINT "discounts_window" CHECK ("discounts"."ends_at" > "discounts"."starts_at"),
	CONSTRAINT "discounts_limits" CHECK ("discounts"."times_used" >= 0 and "discounts"."usage_limit" >= 1 and "discounts"."per_customer_limit" >= 1 and "discounts"."max_uses_per_order" >= 1)
);
--> statement-breakpoint
ALTER TABLE "discount_customer_uses" ADD CONSTRAINT "discount_customer_uses_discount_id_discounts_id_fk" FOREIGN KEY ("discount_id") REFERENCES "public"."discounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discount_redemptions" ADD CONSTRAINT "discount_redemptions_discount_id_discounts_id_fk" FOREIGN KEY ("discount_id") REFERENCES "public"."discounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "discount_redemptions_order" ON "discount_redemptions" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "discounts_automatic" ON "discounts" USING btree ("id") WHERE "discounts"."code" is null and "discounts"."active";