CREATE TABLE "connected_accounts" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"charges_enabled" boolean DEFAULT false NOT NULL,
	"payouts_enabled" boolean DEFAULT false NOT NULL,
	"details_submitted" boolean DEFAULT false NOT NULL,
	"requirements" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connected_accounts_provider_check" CHECK ("connected_accounts"."provider" in ('stripe', 'test'))
);
--> statement-breakpoint
DROP INDEX "payment_events_provider_event_key";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "fee_amount" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "destination_account" text;--> statement-breakpoint
ALTER TABLE "payment_events" ADD COLUMN "account" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "fee_amount" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "connected_accounts" ADD CONSTRAINT "connected_accounts_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "connected_accounts_provider_account_key" ON "connected_accounts" USING btree ("provider","provider_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_events_provider_account_event_key" ON "payment_events" USING btree ("provider","account","provider_event_id");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_fee_within_total" CHECK ("orders"."fee_amount" >= 0 and "orders"."fee_amount" <= "orders"."total_amount");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_fee_needs_destination" CHECK ("orders"."fee_amount" = 0 or "orders"."destination_account" is not null);--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_fee_within_amount" CHECK ("refunds"."fee_amount" >= 0 and "refunds"."fee_amount" <= "refunds"."amount");--> statement-breakpoint

-- Organiser payouts (docs/api.md, "Organiser payouts (Stripe Connect)").
--
-- An order's payout terms (its destination account and the platform's fee)
-- are frozen when it is placed: no later write changes them.
CREATE OR REPLACE FUNCTION public.orders_payout_terms_frozen() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NEW.fee_amount IS DISTINCT FROM OLD.fee_amount OR NEW.destination_account IS DISTINCT FROM OLD.destination_account THEN
    RAISE EXCEPTION 'order % payout terms cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER orders_payout_terms_frozen BEFORE UPDATE OF fee_amount, destination_account ON public.orders
  FOR EACH ROW EXECUTE FUNCTION public.orders_payout_terms_frozen();--> statement-breakpoint

-- The fee parts of an order's refunds (those not failed) never exceed the
-- order's fee, whoever writes; a refund's fee part is decided when it is
-- written and never changes (a retried refund is counted again). The order's
-- row lock serialises the sums (the app holds it already: the event, then the order).
CREATE OR REPLACE FUNCTION public.refunds_fee_within_order_fee() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  fee integer;
  returned bigint;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.fee_amount IS DISTINCT FROM OLD.fee_amount THEN
      RAISE EXCEPTION 'refund % fee part cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF NOT (OLD.status = 'failed' AND NEW.status = 'pending') THEN
      RETURN NEW;
    END IF;
  END IF;
  IF NEW.fee_amount = 0 THEN RETURN NEW; END IF;
  SELECT o.fee_amount INTO fee FROM public.orders o WHERE o.id = NEW.order_id FOR UPDATE;
  SELECT coalesce(sum(r.fee_amount), 0) INTO returned FROM public.refunds r
   WHERE r.order_id = NEW.order_id AND r.status <> 'failed' AND r.id <> NEW.id;
  IF returned + NEW.fee_amount > coalesce(fee, 0) THEN
    RAISE EXCEPTION 'fee parts of the refunds of order % would exceed its fee % (already %)', NEW.order_id, fee, returned USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER refunds_fee_within_order_fee BEFORE INSERT OR UPDATE ON public.refunds
  FOR EACH ROW EXECUTE FUNCTION public.refunds_fee_within_order_fee();--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.orders_payout_terms_frozen() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.refunds_fee_within_order_fee() FROM PUBLIC, anon, authenticated;--> statement-breakpoint

-- The money of every team, one line per payment and per succeeded refund:
-- the facts the payouts totals and CSV are sums and rows of. A payment brings
-- its gross and the order's fee; a refund takes back its amount and its part
-- of the fee (a negative fee). net = gross - fee - refunded, per line and in sum.
CREATE VIEW public.payout_lines WITH (security_invoker = true) AS
  SELECT 'payment'::text AS kind, p.id, o.id AS order_id, o.number AS order_number, e.id AS event_id, e.team_id AS team_id,
         p.provider, p.provider_payment_id AS provider_ref, o.destination_account, p.currency,
         p.amount::bigint AS gross, o.fee_amount::bigint AS fee, 0::bigint AS refunded, p.created_at AS at
    FROM public.payments p
    JOIN public.orders o ON o.id = p.order_id
    JOIN public.events e ON e.id = o.event_id
  UNION ALL
  SELECT 'refund'::text, r.id, o.id, o.number, e.id, e.team_id,
         p.provider, r.provider_refund_id, o.destination_account, p.currency,
         0::bigint, -r.fee_amount::bigint, r.amount::bigint, r.updated_at
    FROM public.refunds r
    JOIN public.payments p ON p.id = r.payment_id
    JOIN public.orders o ON o.id = r.order_id
    JOIN public.events e ON e.id = o.event_id
   WHERE r.status = 'succeeded';--> statement-breakpoint
REVOKE ALL ON TABLE public.payout_lines FROM anon, authenticated;--> statement-breakpoint

-- Row-level security as for every table: no policy, only the server reads and writes accounts.
ALTER TABLE public.connected_accounts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON TABLE public.connected_accounts FROM anon, authenticated;
