-- The idempotency layer completes a record and commits in one round trip
-- ("UPDATE …; COMMIT"). This function stops that COMMIT when the UPDATE found
-- the record no longer held by the caller's attempt (its lease was taken
-- over): it raises, so the statement fails, the COMMIT is skipped and the
-- caller rolls the whole transaction back.
CREATE OR REPLACE FUNCTION public.idempotency_assert_lease_held(held boolean)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT held THEN
    RAISE EXCEPTION 'idempotency lease was taken over' USING ERRCODE = 'IK409';
  END IF;
  RETURN true;
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.idempotency_assert_lease_held(boolean) FROM PUBLIC, anon, authenticated;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.idempotency_assert_lease_held(boolean) TO service_role;
