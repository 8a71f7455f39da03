CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_log_actor_type_check" CHECK ("audit_log"."actor_type" in ('user', 'api_key', 'device', 'system'))
);
--> statement-breakpoint
CREATE TABLE "door_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "door_devices_name_length" CHECK (char_length("door_devices"."name") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "team_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "team_invitations_role_check" CHECK ("team_invitations"."role" in ('owner', 'manager', 'finance', 'door')),
	CONSTRAINT "team_invitations_email_format" CHECK ("team_invitations"."email" = lower("team_invitations"."email") and char_length("team_invitations"."email") between 3 and 254)
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id"),
	CONSTRAINT "team_members_role_check" CHECK ("team_members"."role" in ('owner', 'manager', 'finance', 'door'))
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"plan" text DEFAULT 'free' NOT NULL,
	"personal_owner_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_plan_check" CHECK ("teams"."plan" in ('free', 'pro')),
	CONSTRAINT "teams_name_length" CHECK (char_length("teams"."name") between 1 and 100),
	CONSTRAINT "teams_personal_id" CHECK ("teams"."personal_owner_id" is null or "teams"."personal_owner_id" = "teams"."id")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_devices" ADD CONSTRAINT "door_devices_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_devices" ADD CONSTRAINT "door_devices_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_devices" ADD CONSTRAINT "door_devices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_personal_owner_id_users_id_fk" FOREIGN KEY ("personal_owner_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_team_idx" ON "audit_log" USING btree ("team_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "door_devices_token_hash_key" ON "door_devices" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "door_devices_event_idx" ON "door_devices" USING btree ("event_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "team_invitations_token_hash_key" ON "team_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "team_invitations_team_idx" ON "team_invitations" USING btree ("team_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "team_members_user_idx" ON "team_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_personal_owner_key" ON "teams" USING btree ("personal_owner_id");--> statement-breakpoint
-- Hand-written below (issue 37). Every user gets a personal team whose id is
-- the user's own id: the rows that named an organiser by user id (events,
-- credits, checkouts, the ledger, upgrades, API keys, webhook endpoints) name
-- that team already, so the columns are renamed and pointed at teams, and no
-- row is rewritten. Runs on plain Postgres and through `supabase db push` alike.
INSERT INTO public.teams (id, name, plan, personal_owner_id, created_at)
SELECT u.id,
       left(coalesce(nullif(btrim(p.name), ''), nullif(split_part(u.email, '@', 1), ''), 'Personal'), 100),
       coalesce(p.plan, 'free'),
       u.id,
       coalesce(p.created_at, now())
FROM auth.users u
LEFT JOIN public.profiles p ON p.user_id = u.id;--> statement-breakpoint
INSERT INTO public.team_members (team_id, user_id, role, joined_at)
SELECT t.id, t.personal_owner_id, 'owner', t.created_at FROM public.teams t;--> statement-breakpoint

ALTER TABLE "profiles" DROP CONSTRAINT "profiles_plan_check";--> statement-breakpoint
ALTER TABLE "profiles" DROP COLUMN "plan";--> statement-breakpoint

ALTER TABLE "events" DROP CONSTRAINT "events_owner_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "events" RENAME COLUMN "owner_id" TO "team_id";--> statement-breakpoint
ALTER INDEX "events_owner_created_idx" RENAME TO "events_team_created_idx";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

ALTER TABLE "credit_accounts" DROP CONSTRAINT "credit_accounts_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "credit_accounts" RENAME COLUMN "user_id" TO "team_id";--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD CONSTRAINT "credit_accounts_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

ALTER TABLE "credit_ledger" DROP CONSTRAINT "credit_ledger_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "credit_ledger" RENAME COLUMN "user_id" TO "team_id";--> statement-breakpoint
ALTER INDEX "credit_ledger_user_created_idx" RENAME TO "credit_ledger_team_created_idx";--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

ALTER TABLE "event_upgrades" DROP CONSTRAINT "event_upgrades_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "event_upgrades" RENAME COLUMN "user_id" TO "team_id";--> statement-breakpoint
ALTER TABLE "event_upgrades" ADD CONSTRAINT "event_upgrades_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

ALTER TABLE "checkouts" DROP CONSTRAINT "checkouts_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "checkouts" RENAME COLUMN "user_id" TO "team_id";--> statement-breakpoint
ALTER INDEX "checkouts_user_created_idx" RENAME TO "checkouts_team_created_idx";--> statement-breakpoint
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "api_keys" RENAME COLUMN "user_id" TO "team_id";--> statement-breakpoint
ALTER INDEX "api_keys_user_id_idx" RENAME TO "api_keys_team_idx";--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "created_by" uuid;--> statement-breakpoint
UPDATE "api_keys" SET "created_by" = "team_id";--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Keys made before scopes get all of them (docs/api.md).
ALTER TABLE "api_keys" ADD COLUMN "scopes" text[] DEFAULT array['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks']::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_known" CHECK ("api_keys"."scopes" <@ array['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks']::text[] and cardinality("api_keys"."scopes") > 0);--> statement-breakpoint

ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "webhook_endpoints_user_id_users_id_fk";--> statement-breakpoint
ALTER TABLE "webhook_endpoints" RENAME COLUMN "user_id" TO "team_id";--> statement-breakpoint
ALTER INDEX "webhook_endpoints_user_id_idx" RENAME TO "webhook_endpoints_team_idx";--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

ALTER TABLE "checkin_scans" ADD COLUMN "door_device_id" uuid;--> statement-breakpoint
ALTER TABLE "checkin_scans" ADD CONSTRAINT "checkin_scans_door_device_id_door_devices_id_fk" FOREIGN KEY ("door_device_id") REFERENCES "public"."door_devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint

-- The money invariants, now per team (same rules as 20261128144107 and 20261128153151).
CREATE OR REPLACE FUNCTION public.credit_balance_matches_ledger() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  stored integer;
  total bigint;
BEGIN
  SELECT a.balance INTO stored FROM public.credit_accounts a WHERE a.team_id = NEW.team_id;
  IF NOT FOUND THEN
    stored := 0;
  END IF;
  SELECT coalesce(sum(l.delta), 0) INTO total FROM public.credit_ledger l WHERE l.team_id = NEW.team_id;
  IF stored <> total THEN
    RAISE EXCEPTION 'credit balance % does not match the ledger sum % for %', stored, total, NEW.team_id
      USING ERRCODE = 'check_violation', HINT = 'change credit_accounts.balance only together with its credit_ledger row';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Rows are deleted only by ON DELETE CASCADE when their team is deleted.
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
    IF EXISTS (SELECT 1 FROM public.teams t WHERE t.id = OLD.team_id) THEN
      RAISE EXCEPTION 'credit_ledger is append-only: row % cannot be deleted', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id
     OR NEW.team_id IS DISTINCT FROM OLD.team_id
     OR NEW.delta IS DISTINCT FROM OLD.delta
     OR NEW.reason IS DISTINCT FROM OLD.reason
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR (NEW.event_id IS DISTINCT FROM OLD.event_id AND NEW.event_id IS NOT NULL)
     OR (NEW.idempotency_key_id IS DISTINCT FROM OLD.idempotency_key_id AND NEW.idempotency_key_id IS NOT NULL)
     OR (NEW.checkout_id IS DISTINCT FROM OLD.checkout_id AND NEW.checkout_id IS NOT NULL) THEN
    RAISE EXCEPTION 'credit_ledger is append-only: row % cannot be changed', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.checkouts_transition() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id
     OR NEW.team_id IS DISTINCT FROM OLD.team_id
     OR NEW.pack_id IS DISTINCT FROM OLD.pack_id
     OR NEW.credits IS DISTINCT FROM OLD.credits
     OR NEW.amount IS DISTINCT FROM OLD.amount
     OR NEW.currency IS DISTINCT FROM OLD.currency
     OR NEW.provider IS DISTINCT FROM OLD.provider THEN
    RAISE EXCEPTION 'checkout % terms cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND OLD.status <> 'open' THEN
    RAISE EXCEPTION 'checkout % is % and cannot become %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint

-- Every profile comes with its personal team (id = the user's), its owner
-- membership, and (through teams_open_credit_account) an empty credit account:
-- whoever writes the profile (local or Supabase sign-up, the demo seed).
DROP TRIGGER profiles_open_credit_account ON public.profiles;--> statement-breakpoint
DROP FUNCTION public.open_credit_account();--> statement-breakpoint
CREATE FUNCTION public.open_personal_team() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
DECLARE
  mail text;
BEGIN
  SELECT u.email INTO mail FROM auth.users u WHERE u.id = NEW.user_id;
  INSERT INTO public.teams (id, name, personal_owner_id)
  VALUES (NEW.user_id, left(coalesce(nullif(btrim(NEW.name), ''), nullif(split_part(mail, '@', 1), ''), 'Personal'), 100), NEW.user_id)
  ON CONFLICT (id) DO NOTHING;
  INSERT INTO public.team_members (team_id, user_id, role) VALUES (NEW.user_id, NEW.user_id, 'owner')
  ON CONFLICT (team_id, user_id) DO NOTHING;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER profiles_open_personal_team
  AFTER INSERT ON public.profiles
  FOR EACH ROW EXECUTE FUNCTION public.open_personal_team();--> statement-breakpoint
CREATE FUNCTION public.open_team_credit_account() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.credit_accounts (team_id, balance) VALUES (NEW.id, 0) ON CONFLICT (team_id) DO NOTHING;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER teams_open_credit_account
  AFTER INSERT ON public.teams
  FOR EACH ROW EXECUTE FUNCTION public.open_team_credit_account();--> statement-breakpoint
-- Personal teams of users who had no credit account yet.
INSERT INTO public.credit_accounts (team_id, balance) SELECT t.id, 0 FROM public.teams t ON CONFLICT (team_id) DO NOTHING;--> statement-breakpoint

-- A team always keeps an owner (409 LAST_OWNER is the app's answer; this is
-- the database's), checked at commit, so a transfer may add the new owner and
-- demote the old one in either order. Deleting the user (or the team) itself
-- is let through: ON DELETE CASCADE takes their rows.
CREATE FUNCTION public.teams_keep_an_owner() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.teams t WHERE t.id = OLD.team_id) THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM auth.users u WHERE u.id = OLD.user_id) THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.team_members m WHERE m.team_id = OLD.team_id AND m.role = 'owner') THEN
    RAISE EXCEPTION 'team % would have no owner', OLD.team_id
      USING ERRCODE = 'check_violation', HINT = 'make another member owner first';
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER team_members_keep_an_owner
  AFTER UPDATE OF role OR DELETE ON public.team_members
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION public.teams_keep_an_owner();--> statement-breakpoint

-- The audit log is append-only: rows go only with their team.
CREATE FUNCTION public.audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM public.teams t WHERE t.id = OLD.team_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON public.audit_log
  FOR EACH ROW EXECUTE FUNCTION public.audit_log_append_only();--> statement-breakpoint

REVOKE EXECUTE ON FUNCTION public.open_personal_team() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.open_team_credit_account() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.teams_keep_an_owner() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.audit_log_append_only() FROM PUBLIC, anon, authenticated;--> statement-breakpoint

-- Row-level security follows membership (Supabase's Data API): a member reads
-- their teams' rows; only the server writes. is_team_member runs as its owner
-- so the policies on team_members do not recurse into themselves.
CREATE FUNCTION public.is_team_member(team uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT EXISTS (SELECT 1 FROM public.team_members m WHERE m.team_id = team AND m.user_id = (SELECT auth.uid()));
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.is_team_member(uuid) FROM PUBLIC, anon;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.is_team_member(uuid) TO authenticated, service_role;--> statement-breakpoint
DROP POLICY events_select_own ON public.events;--> statement-breakpoint
CREATE POLICY events_select_member ON public.events
  FOR SELECT TO authenticated
  USING ((SELECT public.is_team_member(team_id)));--> statement-breakpoint
DROP POLICY credit_accounts_select_own ON public.credit_accounts;--> statement-breakpoint
CREATE POLICY credit_accounts_select_member ON public.credit_accounts
  FOR SELECT TO authenticated
  USING ((SELECT public.is_team_member(team_id)));--> statement-breakpoint
DROP POLICY credit_ledger_select_own ON public.credit_ledger;--> statement-breakpoint
CREATE POLICY credit_ledger_select_member ON public.credit_ledger
  FOR SELECT TO authenticated
  USING ((SELECT public.is_team_member(team_id)));--> statement-breakpoint
DROP POLICY event_upgrades_select_own ON public.event_upgrades;--> statement-breakpoint
CREATE POLICY event_upgrades_select_member ON public.event_upgrades
  FOR SELECT TO authenticated
  USING ((SELECT public.is_team_member(team_id)));--> statement-breakpoint
DROP POLICY checkouts_select_own ON public.checkouts;--> statement-breakpoint
CREATE POLICY checkouts_select_member ON public.checkouts
  FOR SELECT TO authenticated
  USING ((SELECT public.is_team_member(team_id)));--> statement-breakpoint
ALTER TABLE public.teams ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.team_members ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.team_invitations ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.door_devices ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON TABLE public.teams, public.team_members, public.team_invitations, public.door_devices, public.audit_log FROM anon, authenticated;--> statement-breakpoint
REVOKE ALL ON SEQUENCE public.audit_log_id_seq FROM anon, authenticated;--> statement-breakpoint
GRANT ALL ON TABLE public.teams, public.team_members, public.team_invitations, public.door_devices, public.audit_log TO service_role;--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE public.audit_log_id_seq TO service_role;--> statement-breakpoint
GRANT SELECT ON TABLE public.teams, public.team_members TO authenticated;--> statement-breakpoint
CREATE POLICY teams_select_member ON public.teams
  FOR SELECT TO authenticated
  USING ((SELECT public.is_team_member(id)));--> statement-breakpoint
CREATE POLICY team_members_select_member ON public.team_members
  FOR SELECT TO authenticated
  USING ((SELECT public.is_team_member(team_id)));
