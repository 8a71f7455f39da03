ALTER TABLE "profiles" ADD COLUMN "default_currency" text;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_default_currency_format" CHECK ("profiles"."default_currency" is null or "profiles"."default_currency" ~ '^[a-z]{3}$');
