ALTER TABLE "events" ADD COLUMN "cover_name" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "cover_width" integer;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "cover_height" integer;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_cover_check" CHECK (("events"."cover_name" is null and "events"."cover_width" is null and "events"."cover_height" is null) or ("events"."cover_name" is not null and "events"."cover_width" > 0 and "events"."cover_height" > 0));