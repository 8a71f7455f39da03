CREATE TABLE "checkouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"pack_id" text NOT NULL,
	"credits" integer NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"provider" text NOT NULL,
	"provider_session_id" text,
	"url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	CONSTRAINT "checkouts_status_check" CHECK ("checkouts"."status" in ('open', 'paid', 'expired')),
	CONSTRAINT "checkouts_provider_check" CHECK ("checkouts"."provider" in ('stripe', 'test')),
	CONSTRAINT "checkouts_credits_positive" CHECK ("checkouts"."credits" > 0),
	CONSTRAINT "checkouts_amount_positive" CHECK ("checkouts"."amount" > 0),
	CONSTRAINT "checkouts_currency_format" CHECK ("checkouts"."currency" ~ '^[a-z]{3}$'),
	CONSTRAINT "checkouts_status_times" CHECK (("checkouts"."status" = 'paid') = ("checkouts"."paid_at" is not null) and ("checkouts"."status" = 'expired') = ("checkouts"."expired_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "payment_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_event_id" text NOT NULL,
	"type" text NOT NULL,
	"checkout_id" uuid,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_events_provider_check" CHECK ("payment_events"."provider" in ('stripe', 'test'))
);
--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD COLUMN "checkout_id" uuid;--> statement-breakpoint
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkouts_user_created_idx" ON "checkouts" USING btree ("user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "checkouts_provider_session_key" ON "checkouts" USING btree ("provider","provider_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_events_provider_event_key" ON "payment_events" USING btree ("provider","provider_event_id");--> statement-breakpoint
CREATE INDEX "payment_events_checkout_idx" ON "payment_events" USING btree ("checkout_id");--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credit_ledger_checkout_key" ON "credit_ledger" USING btree ("checkout_id") WHERE "credit_ledger"."checkout_id" is not null;--> statement-breakpoint

-- Hand-written below (issue 15): the database's side of "each payment grants
-- exactly once" and "a checkout ends once".

-- The ledger stays append-only with its new link: checkout_id may only be
-- cleared (its foreign key's SET NULL), like event_id and idempotency_key_id.
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
     OR (NEW.idempotency_key_id IS DISTINCT FROM OLD.idempotency_key_id AND NEW.idempotency_key_id IS NOT NULL)
     OR (NEW.checkout_id IS DISTINCT FROM OLD.checkout_id AND NEW.checkout_id IS NOT NULL) THEN
    RAISE EXCEPTION 'credit_ledger is append-only: row % cannot be changed', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint

-- A checkout's terms never change, and its status moves only from open: a paid
-- checkout never becomes expired, nor an expired one paid (SQLSTATE 23514).
CREATE OR REPLACE FUNCTION public.checkouts_transition() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id
     OR NEW.user_id IS DISTINCT FROM OLD.user_id
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
CREATE TRIGGER checkouts_transition
  BEFORE UPDATE ON public.checkouts
  FOR EACH ROW EXECUTE FUNCTION public.checkouts_transition();--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.checkouts_transition() FROM PUBLIC, anon, authenticated;--> statement-breakpoint

-- Row-level security, as for every table (20261128014748_rls.sql): an organiser
-- may read their own checkouts through the Data API; the inbox is the server's.
ALTER TABLE public.checkouts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.payment_events ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON TABLE public.checkouts, public.payment_events FROM anon, authenticated;--> statement-breakpoint
REVOKE ALL ON SEQUENCE public.payment_events_id_seq FROM anon, authenticated;--> statement-breakpoint
GRANT ALL ON TABLE public.checkouts, public.payment_events TO service_role;--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE public.payment_events_id_seq TO service_role;--> statement-breakpoint
GRANT SELECT ON TABLE public.checkouts TO authenticated;--> statement-breakpoint
CREATE POLICY checkouts_select_own ON public.checkouts
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()));
