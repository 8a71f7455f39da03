-- Ticket references (docs/api.md, "Door check-in"): 8 characters of Crockford
-- base32 (0-9 and A-Z without I, L, O, U) that a guest can read out and a door
-- person can type, unique within the event. The app writes each new row's own
-- (lib/registrations/reference.ts, from node's crypto random, retried on the
-- unique index); this function is the backfill's generator and the column's
-- default for rows written by plain SQL. Its randomness is gen_random_uuid()'s
-- (the server's strong random): 8 of a v4 UUID's random bytes, each taken
-- modulo 32, which is exact for a byte (256 = 8 × 32). Byte 6 holds the version
-- nibble and is skipped.
CREATE OR REPLACE FUNCTION public.new_registration_reference() RETURNS text
  LANGUAGE sql
  VOLATILE
  SET search_path = ''
AS $$
  SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (get_byte(r.b, i.n) % 32) + 1, 1), '' ORDER BY i.ord)
    FROM (SELECT pg_catalog.uuid_send(pg_catalog.gen_random_uuid()) AS b) r,
         unnest(ARRAY[0, 1, 2, 3, 4, 5, 7, 8]) WITH ORDINALITY AS i(n, ord)
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.new_registration_reference() FROM anon, authenticated;--> statement-breakpoint
-- A volatile default is evaluated row by row: every existing registration gets its own reference here.
ALTER TABLE "registrations" ADD COLUMN "reference" text DEFAULT public.new_registration_reference() NOT NULL;--> statement-breakpoint
-- Two rows of one event drawing the same reference (about n² / 2^41 for an event of n rows): the later draws again until none do.
DO $$
BEGIN
  LOOP
    UPDATE public.registrations r
       SET reference = public.new_registration_reference()
     WHERE EXISTS (SELECT 1 FROM public.registrations o WHERE o.event_id = r.event_id AND o.reference = r.reference AND o.id < r.id);
    EXIT WHEN NOT FOUND;
  END LOOP;
END
$$;--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_event_reference_key" ON "registrations" USING btree ("event_id","reference");--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_reference_format" CHECK ("registrations"."reference" ~ '^[0-9A-HJKMNP-TV-Z]{8}$');
