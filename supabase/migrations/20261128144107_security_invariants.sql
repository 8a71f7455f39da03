-- Security hardening (issue 12, item 8): the money invariants and the columns
-- `authenticated` may write are enforced by the database itself, not only by
-- the application code. Applies on plain Postgres and on Supabase alike.

-- profiles.name is the one column `authenticated` may UPDATE through RLS
-- (Supabase's Data API), past the app's zod schema: bound it here too.
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_name_length" CHECK ("profiles"."name" is null or char_length("profiles"."name") <= 100);--> statement-breakpoint

-- Drizzle's snapshot learns the ON UPDATE SET NULL that 20261128030923 set by hand
-- (the same foreign key, recreated).
ALTER TABLE "credit_ledger" DROP CONSTRAINT "credit_ledger_idempotency_key_id_idempotency_keys_id_fk";--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_idempotency_key_id_idempotency_keys_id_fk" FOREIGN KEY ("idempotency_key_id") REFERENCES "public"."idempotency_keys"("id") ON DELETE set null ON UPDATE set null;--> statement-breakpoint

-- credit_accounts.balance equals the sum of the organiser's ledger, checked at
-- commit (a deferred constraint trigger), whichever of the two rows was written
-- first in the transaction. A balance change without its ledger row, or a
-- ledger row without its balance change, fails the commit (SQLSTATE 23514).
-- Every writer of either table queues on the account's row lock (the balance
-- UPDATE), so the check sees every committed row it has to.
CREATE OR REPLACE FUNCTION public.credit_balance_matches_ledger() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  stored integer;
  total bigint;
BEGIN
  SELECT a.balance INTO stored FROM public.credit_accounts a WHERE a.user_id = NEW.user_id;
  IF NOT FOUND THEN
    stored := 0;
  END IF;
  SELECT coalesce(sum(l.delta), 0) INTO total FROM public.credit_ledger l WHERE l.user_id = NEW.user_id;
  IF stored <> total THEN
    RAISE EXCEPTION 'credit balance % does not match the ledger sum % for %', stored, total, NEW.user_id
      USING ERRCODE = 'check_violation', HINT = 'change credit_accounts.balance only together with its credit_ledger row';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER credit_accounts_balance_matches_ledger
  AFTER INSERT OR UPDATE OF balance ON public.credit_accounts
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION public.credit_balance_matches_ledger();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER credit_ledger_matches_balance
  AFTER INSERT ON public.credit_ledger
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION public.credit_balance_matches_ledger();--> statement-breakpoint

-- The ledger is append-only: amounts, owners, reasons and times never change,
-- and rows are never deleted, except by ON DELETE CASCADE when the organiser's
-- auth.users row itself is deleted. The links to an event and to an
-- idempotency record may only be cleared (their foreign keys' SET NULL).
CREATE OR REPLACE FUNCTION public.credit_ledger_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'credit_ledger is append-only: it cannot be truncated'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM auth.users u WHERE u.id = OLD.user_id) THEN
      RAISE EXCEPTION 'credit_ledger is append-only: row % cannot be deleted', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id
     OR NEW.user_id IS DISTINCT FROM OLD.user_id
     OR NEW.delta IS DISTINCT FROM OLD.delta
     OR NEW.reason IS DISTINCT FROM OLD.reason
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR (NEW.event_id IS DISTINCT FROM OLD.event_id AND NEW.event_id IS NOT NULL)
     OR (NEW.idempotency_key_id IS DISTINCT FROM OLD.idempotency_key_id AND NEW.idempotency_key_id IS NOT NULL) THEN
    RAISE EXCEPTION 'credit_ledger is append-only: row % cannot be changed', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER credit_ledger_append_only
  BEFORE UPDATE OR DELETE ON public.credit_ledger
  FOR EACH ROW EXECUTE FUNCTION public.credit_ledger_append_only();--> statement-breakpoint
CREATE TRIGGER credit_ledger_no_truncate
  BEFORE TRUNCATE ON public.credit_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION public.credit_ledger_append_only();--> statement-breakpoint

-- Trigger functions only: nothing to call through /rest/v1/rpc.
REVOKE EXECUTE ON FUNCTION public.credit_balance_matches_ledger() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.credit_ledger_append_only() FROM PUBLIC, anon, authenticated;
