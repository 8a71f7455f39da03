-- Public event pages and registrations (issue 13): events get a slug, a
-- waitlist flag and trigger-kept seat counters; registrations hold one live
-- registration per (event, lower(email)); confirmed never exceeds capacity.

CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"seq" bigserial NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_normalized" text GENERATED ALWAYS AS (lower(email)) STORED NOT NULL,
	"status" text NOT NULL,
	"token_hash" text NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"checked_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "registrations_status_check" CHECK ("registrations"."status" in ('confirmed', 'waitlisted', 'cancelled')),
	CONSTRAINT "registrations_locale_check" CHECK ("registrations"."locale" in ('en', 'ru')),
	CONSTRAINT "registrations_cancelled_at_check" CHECK (("registrations"."status" = 'cancelled') = ("registrations"."cancelled_at" is not null)),
	CONSTRAINT "registrations_name_length" CHECK (char_length("registrations"."name") between 1 and 100),
	CONSTRAINT "registrations_email_length" CHECK (char_length("registrations"."email") between 3 and 254)
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "slug" text DEFAULT ('e-' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12)) NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "waitlist" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "confirmed_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "waitlisted_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Existing events get a readable slug: their title in lower-case ASCII words
-- (at most 40 characters) and 8 hex characters of their id's digest, which
-- keeps them unique; a title with no ASCII letter or digit gives "event-…".
-- (The column default already gave each row a random "e-…" slug above.)
UPDATE "events" SET "slug" = coalesce(
    nullif(trim(both '-' from substr(regexp_replace(lower("title"), '[^a-z0-9]+', '-', 'g'), 1, 40)), ''),
    'event'
  ) || '-' || substr(md5("id"::text), 1, 8);--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_token_hash_key" ON "registrations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_event_email_live_key" ON "registrations" USING btree ("event_id","email_normalized") WHERE "registrations"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "registrations_event_status_seq_idx" ON "registrations" USING btree ("event_id","status","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "events_slug_key" ON "events" USING btree ("slug");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_slug_format" CHECK ("events"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length("events"."slug") <= 80);--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_confirmed_within_capacity" CHECK ("events"."confirmed_count" >= 0 and "events"."confirmed_count" <= "events"."max_participants");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_waitlisted_non_negative" CHECK ("events"."waitlisted_count" >= 0);--> statement-breakpoint

-- Row-level security as for every table: no policy, so only the server (the
-- table owner) reads and writes registrations; attendee data never reaches
-- the Data API.
ALTER TABLE "registrations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint

-- The seat counters on events follow every registration insert, status change
-- and delete. The counter UPDATE takes the event's row lock and meets the
-- CHECK events_confirmed_within_capacity, so no transaction, whoever sends the
-- SQL and from however many instances, can commit (or even hold, at any
-- instant) more confirmed registrations than the event's capacity.
CREATE OR REPLACE FUNCTION public.registrations_keep_event_counts() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  confirmed_delta integer := 0;
  waitlisted_delta integer := 0;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.event_id IS DISTINCT FROM OLD.event_id THEN
    RAISE EXCEPTION 'a registration cannot move to another event'
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.status = 'confirmed' THEN confirmed_delta := confirmed_delta - 1;
    ELSIF OLD.status = 'waitlisted' THEN waitlisted_delta := waitlisted_delta - 1;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.status = 'confirmed' THEN confirmed_delta := confirmed_delta + 1;
    ELSIF NEW.status = 'waitlisted' THEN waitlisted_delta := waitlisted_delta + 1;
    END IF;
  END IF;
  IF confirmed_delta <> 0 OR waitlisted_delta <> 0 THEN
    UPDATE public.events e
       SET confirmed_count = e.confirmed_count + confirmed_delta,
           waitlisted_count = e.waitlisted_count + waitlisted_delta
     WHERE e.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.event_id ELSE NEW.event_id END;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER registrations_keep_event_counts
  AFTER INSERT OR UPDATE OF status, event_id OR DELETE ON public.registrations
  FOR EACH ROW EXECUTE FUNCTION public.registrations_keep_event_counts();--> statement-breakpoint

-- A slug never changes: links to /e/<slug> stay valid.
CREATE OR REPLACE FUNCTION public.events_slug_immutable() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NEW.slug IS DISTINCT FROM OLD.slug THEN
    RAISE EXCEPTION 'the slug of event % cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER events_slug_immutable
  BEFORE UPDATE OF slug ON public.events
  FOR EACH ROW EXECUTE FUNCTION public.events_slug_immutable();--> statement-breakpoint

-- The seat counters are the registrations trigger's alone: a direct write of
-- confirmed_count or waitlisted_count (trigger depth 1) is refused, so the
-- counters always equal the registrations they count and the capacity CHECK
-- above holds for the rows themselves, whoever sends the SQL.
CREATE OR REPLACE FUNCTION public.events_counts_follow_registrations() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF (NEW.confirmed_count IS DISTINCT FROM OLD.confirmed_count OR NEW.waitlisted_count IS DISTINCT FROM OLD.waitlisted_count)
     AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'the seat counters of event % follow its registrations and cannot be written', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER events_counts_follow_registrations
  BEFORE UPDATE OF confirmed_count, waitlisted_count ON public.events
  FOR EACH ROW EXECUTE FUNCTION public.events_counts_follow_registrations();--> statement-breakpoint

-- Trigger functions only: nothing to call through /rest/v1/rpc.
REVOKE EXECUTE ON FUNCTION public.registrations_keep_event_counts() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.events_slug_immutable() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.events_counts_follow_registrations() FROM PUBLIC, anon, authenticated;
