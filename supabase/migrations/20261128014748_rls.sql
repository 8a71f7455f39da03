-- Row-level security on every table in public.
--
-- Why: on Supabase the Data API (PostgREST) serves the public schema to anyone
-- holding the anon key, which is public by design (it ships to browsers), with
-- the caller's own JWT as `authenticated`. These grants and policies are what
-- keeps one organiser out of another's rows there.
--
-- The app itself connects as the tables' owner (postgres). RLS does not apply
-- to the owner unless FORCE is set (it is not), and service_role bypasses RLS,
-- so the app's queries are unchanged by this file.
--
-- What a signed-in organiser may do through the Data API: read their own rows,
-- change their profile's name, read published public events. Everything else
-- (events, credits, ledger, upgrades, idempotency records) is written only by
-- the server, because the rules live there: plan limits and credit charges,
-- status transitions, the version behind If-Match, and idempotency. Granting
-- organisers direct writes on events would let a free plan set
-- max_participants to 1000 without spending a credit.

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.sessions ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.auth_rate_limits ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.idempotency_keys ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.events ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.credit_accounts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.credit_ledger ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.event_upgrades ENABLE ROW LEVEL SECURITY;--> statement-breakpoint

-- Start from nothing: Supabase's default privileges give anon and authenticated
-- ALL on every new table in public. Only what the policies below cover is
-- granted back, so a missing policy means "no", twice over.
REVOKE ALL ON TABLE
  public.profiles, public.sessions, public.auth_rate_limits, public.idempotency_keys,
  public.events, public.credit_accounts, public.credit_ledger, public.event_upgrades
FROM anon, authenticated;--> statement-breakpoint
REVOKE ALL ON SEQUENCE public.credit_ledger_id_seq FROM anon, authenticated;--> statement-breakpoint
GRANT ALL ON TABLE
  public.profiles, public.sessions, public.auth_rate_limits, public.idempotency_keys,
  public.events, public.credit_accounts, public.credit_ledger, public.event_upgrades
TO service_role;--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE public.credit_ledger_id_seq TO service_role;--> statement-breakpoint

-- Tables added by later migrations start closed too; each one grants what its
-- policies allow. (Affects only objects the migrating role creates in public.)
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM anon, authenticated;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM anon, authenticated;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON FUNCTIONS FROM anon, authenticated;--> statement-breakpoint

-- The purge deletes other organisers' records: the server's job (pg_cron, the
-- cron route, the npm script), not something /rest/v1/rpc should offer.
REVOKE EXECUTE ON FUNCTION public.purge_expired_idempotency_keys(integer) FROM PUBLIC, anon, authenticated;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.purge_expired_idempotency_keys(integer) TO service_role;--> statement-breakpoint

-- profiles: one's own row; the name may change, the plan may not.
GRANT SELECT, UPDATE (name) ON TABLE public.profiles TO authenticated;--> statement-breakpoint
CREATE POLICY profiles_select_own ON public.profiles
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()));--> statement-breakpoint
CREATE POLICY profiles_update_own ON public.profiles
  FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid()))
  WITH CHECK (user_id = (SELECT auth.uid()));--> statement-breakpoint

-- events: the owner reads all of theirs; anyone reads published public ones.
-- Unlisted events are reachable by link in the app, but the Data API can list
-- a table, so they stay out of the anonymous policy.
GRANT SELECT ON TABLE public.events TO anon, authenticated;--> statement-breakpoint
CREATE POLICY events_select_own ON public.events
  FOR SELECT TO authenticated
  USING (owner_id = (SELECT auth.uid()));--> statement-breakpoint
CREATE POLICY events_select_published ON public.events
  FOR SELECT TO anon, authenticated
  USING (status = 'published' AND visibility = 'public');--> statement-breakpoint

-- Money and idempotency: the owner may read their own rows; only the server writes.
GRANT SELECT ON TABLE public.credit_accounts, public.credit_ledger, public.event_upgrades, public.idempotency_keys
  TO authenticated;--> statement-breakpoint
CREATE POLICY credit_accounts_select_own ON public.credit_accounts
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()));--> statement-breakpoint
CREATE POLICY credit_ledger_select_own ON public.credit_ledger
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()));--> statement-breakpoint
CREATE POLICY event_upgrades_select_own ON public.event_upgrades
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()));--> statement-breakpoint
CREATE POLICY idempotency_keys_select_own ON public.idempotency_keys
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()));

-- sessions and auth_rate_limits: RLS on, no grants, no policies: server only.
