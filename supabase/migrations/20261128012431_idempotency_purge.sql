-- Removes expired idempotency records in batches (so a big backlog never holds
-- one long lock) and returns how many it removed. An expired key is free again.
CREATE OR REPLACE FUNCTION public.purge_expired_idempotency_keys(batch_size integer DEFAULT 1000)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  removed bigint := 0;
  n bigint;
BEGIN
  LOOP
    DELETE FROM public.idempotency_keys
    WHERE id IN (
      SELECT id FROM public.idempotency_keys
      WHERE expires_at <= now()
      ORDER BY expires_at
      LIMIT batch_size
      FOR UPDATE SKIP LOCKED
    );
    GET DIAGNOSTICS n = ROW_COUNT;
    removed := removed + n;
    EXIT WHEN n < batch_size;
  END LOOP;
  RETURN removed;
END
$$;
--> statement-breakpoint
-- Daily purge through pg_cron where the extension exists (Supabase); nothing
-- happens on a Postgres without it (the cron route or npm script runs it there).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
    PERFORM cron.schedule('purge-expired-idempotency-keys', '17 3 * * *',
      'SELECT public.purge_expired_idempotency_keys()');
  END IF;
END
$$;
