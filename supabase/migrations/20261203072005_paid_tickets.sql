CREATE TABLE "order_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_amount" integer NOT NULL,
	CONSTRAINT "order_items_quantity_range" CHECK ("order_items"."quantity" between 1 and 10),
	CONSTRAINT "order_items_unit_amount_non_negative" CHECK ("order_items"."unit_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigserial NOT NULL,
	"event_id" uuid NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"token_hash" text NOT NULL,
	"currency" text NOT NULL,
	"total_amount" integer NOT NULL,
	"hold_expires_at" timestamp with time zone NOT NULL,
	"provider" text,
	"provider_session_id" text,
	"payment_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "orders_status_check" CHECK ("orders"."status" in ('pending_payment', 'confirmed', 'expired', 'cancelled', 'refunded')),
	CONSTRAINT "orders_locale_check" CHECK ("orders"."locale" in ('en', 'ru')),
	CONSTRAINT "orders_total_non_negative" CHECK ("orders"."total_amount" >= 0),
	CONSTRAINT "orders_currency_format" CHECK ("orders"."currency" ~ '^[a-z]{3}$'),
	CONSTRAINT "orders_name_length" CHECK (char_length("orders"."name") between 1 and 100),
	CONSTRAINT "orders_email_length" CHECK (char_length("orders"."email") between 3 and 254)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"provider_payment_id" text,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."amount" > 0),
	CONSTRAINT "payments_currency_format" CHECK ("payments"."currency" ~ '^[a-z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text NOT NULL,
	"provider_refund_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_amount_positive" CHECK ("refunds"."amount" > 0),
	CONSTRAINT "refunds_status_check" CHECK ("refunds"."status" in ('pending', 'succeeded', 'failed')),
	CONSTRAINT "refunds_reason_check" CHECK ("refunds"."reason" in ('organiser', 'guest', 'late_payment_no_seats', 'event_cancelled'))
);
--> statement-breakpoint
CREATE TABLE "ticket_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"price_amount" integer NOT NULL,
	"currency" text NOT NULL,
	"quantity" integer,
	"sold_count" integer DEFAULT 0 NOT NULL,
	"sales_end_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_types_name_length" CHECK (char_length("ticket_types"."name") between 1 and 100),
	CONSTRAINT "ticket_types_price_range" CHECK ("ticket_types"."price_amount" between 0 and 100000000),
	CONSTRAINT "ticket_types_currency_format" CHECK ("ticket_types"."currency" ~ '^[a-z]{3}$'),
	CONSTRAINT "ticket_types_quantity_positive" CHECK ("ticket_types"."quantity" is null or "ticket_types"."quantity" between 1 and 10000),
	CONSTRAINT "ticket_types_sold_within_quantity" CHECK ("ticket_types"."sold_count" >= 0 and ("ticket_types"."quantity" is null or "ticket_types"."sold_count" <= "ticket_types"."quantity"))
);
--> statement-breakpoint
DROP INDEX "registrations_event_email_live_key";--> statement-breakpoint
ALTER TABLE "payment_events" ADD COLUMN "order_id" uuid;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "order_id" uuid;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "ticket_type_id" uuid;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "order_items_order_type_key" ON "order_items" USING btree ("order_id","ticket_type_id");--> statement-breakpoint
CREATE INDEX "order_items_type_idx" ON "order_items" USING btree ("ticket_type_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_token_hash_key" ON "orders" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number_key" ON "orders" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_provider_session_key" ON "orders" USING btree ("provider","provider_session_id");--> statement-breakpoint
CREATE INDEX "orders_event_created_idx" ON "orders" USING btree ("event_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_pending_hold_idx" ON "orders" USING btree ("event_id","hold_expires_at") WHERE "orders"."status" = 'pending_payment';--> statement-breakpoint
CREATE INDEX "orders_hold_expiry_idx" ON "orders" USING btree ("hold_expires_at") WHERE "orders"."status" = 'pending_payment';--> statement-breakpoint
CREATE UNIQUE INDEX "payments_order_key" ON "payments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refunds_order_idx" ON "refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refunds_due_idx" ON "refunds" USING btree ("next_attempt_at") WHERE "refunds"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "ticket_types_event_idx" ON "ticket_types" USING btree ("event_id","created_at");--> statement-breakpoint
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "registrations_order_idx" ON "registrations" USING btree ("order_id") WHERE "registrations"."order_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_event_email_live_key" ON "registrations" USING btree ("event_id","email_normalized") WHERE "registrations"."status" <> 'cancelled' and "registrations"."order_id" is null;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_ticket_of_order" CHECK (("registrations"."order_id" is null) = ("registrations"."ticket_type_id" is null));--> statement-breakpoint

-- Hand-written below (issue 22): seats and money as database facts.

-- The seat counters follow every ticket too: a ticket is a registration with an
-- order and a ticket type, so a confirmed ticket moves events.confirmed_count
-- (CHECK events_confirmed_within_capacity) and its type's sold_count (CHECK
-- ticket_types_sold_within_quantity): no transaction can hold a confirmed seat
-- too many, of the event or of a type, whoever sends the SQL.
CREATE OR REPLACE FUNCTION public.registrations_keep_event_counts() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  confirmed_delta integer := 0;
  waitlisted_delta integer := 0;
  old_sold integer := 0;
  new_sold integer := 0;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.event_id IS DISTINCT FROM OLD.event_id THEN
    RAISE EXCEPTION 'a registration cannot move to another event'
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.ticket_type_id IS DISTINCT FROM OLD.ticket_type_id OR NEW.order_id IS DISTINCT FROM OLD.order_id) THEN
    RAISE EXCEPTION 'a ticket cannot move to another order or ticket type'
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.status = 'confirmed' THEN
      confirmed_delta := confirmed_delta - 1;
      IF OLD.ticket_type_id IS NOT NULL THEN old_sold := 1; END IF;
    ELSIF OLD.status = 'waitlisted' THEN waitlisted_delta := waitlisted_delta - 1;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.status = 'confirmed' THEN
      confirmed_delta := confirmed_delta + 1;
      IF NEW.ticket_type_id IS NOT NULL THEN new_sold := 1; END IF;
    ELSIF NEW.status = 'waitlisted' THEN waitlisted_delta := waitlisted_delta + 1;
    END IF;
  END IF;
  IF confirmed_delta <> 0 OR waitlisted_delta <> 0 THEN
    UPDATE public.events e
       SET confirmed_count = e.confirmed_count + confirmed_delta,
           waitlisted_count = e.waitlisted_count + waitlisted_delta
     WHERE e.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.event_id ELSE NEW.event_id END;
  END IF;
  IF new_sold <> old_sold THEN
    UPDATE public.ticket_types t
       SET sold_count = t.sold_count + new_sold - old_sold
     WHERE t.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.ticket_type_id ELSE NEW.ticket_type_id END;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS registrations_keep_event_counts ON public.registrations;--> statement-breakpoint
CREATE TRIGGER registrations_keep_event_counts
  AFTER INSERT OR UPDATE OF status, event_id, order_id, ticket_type_id OR DELETE ON public.registrations
  FOR EACH ROW EXECUTE FUNCTION public.registrations_keep_event_counts();--> statement-breakpoint

-- sold_count is the trigger's alone (as the event's counters are), and a type
-- never moves to another event; all the types of an event share one currency.
CREATE OR REPLACE FUNCTION public.ticket_types_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.sold_count IS DISTINCT FROM OLD.sold_count AND pg_trigger_depth() < 2 THEN
      RAISE EXCEPTION 'the sold count of ticket type % follows its tickets and cannot be written', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.event_id IS DISTINCT FROM OLD.event_id THEN
      RAISE EXCEPTION 'a ticket type cannot move to another event' USING ERRCODE = 'check_violation';
    END IF;
  ELSIF NEW.sold_count <> 0 THEN
    RAISE EXCEPTION 'a new ticket type has sold nothing' USING ERRCODE = 'check_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM public.ticket_types t WHERE t.event_id = NEW.event_id AND t.id <> NEW.id AND t.currency <> NEW.currency) THEN
    RAISE EXCEPTION 'the ticket types of event % share one currency', NEW.event_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER ticket_types_guard
  BEFORE INSERT OR UPDATE ON public.ticket_types
  FOR EACH ROW EXECUTE FUNCTION public.ticket_types_guard();--> statement-breakpoint

-- An order's terms never change; its status moves only forward
-- (pending_payment → confirmed | expired | cancelled | refunded; a late payment
-- takes expired or cancelled to confirmed or refunded; confirmed → refunded,
-- or cancelled for a free order),
-- and its one payment session, once set, is never replaced.
CREATE OR REPLACE FUNCTION public.orders_transition() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id
     OR NEW.number IS DISTINCT FROM OLD.number
     OR NEW.event_id IS DISTINCT FROM OLD.event_id
     OR NEW.token_hash IS DISTINCT FROM OLD.token_hash
     OR NEW.currency IS DISTINCT FROM OLD.currency
     OR NEW.total_amount IS DISTINCT FROM OLD.total_amount
     OR NEW.hold_expires_at IS DISTINCT FROM OLD.hold_expires_at THEN
    RAISE EXCEPTION 'order % terms cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.provider_session_id IS NOT NULL AND NEW.provider_session_id IS DISTINCT FROM OLD.provider_session_id THEN
    RAISE EXCEPTION 'order % has its payment session already', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'pending_payment' AND NEW.status IN ('confirmed', 'expired', 'cancelled', 'refunded'))
    OR (OLD.status IN ('expired', 'cancelled') AND NEW.status IN ('confirmed', 'refunded'))
    OR (OLD.status = 'confirmed' AND NEW.status IN ('refunded', 'cancelled'))) THEN
    RAISE EXCEPTION 'order % is % and cannot become %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER orders_transition
  BEFORE UPDATE ON public.orders
  FOR EACH ROW EXECUTE FUNCTION public.orders_transition();--> statement-breakpoint

-- Payments are never edited nor deleted (but with their order, by cascade).
CREATE OR REPLACE FUNCTION public.payments_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM public.orders o WHERE o.id = OLD.order_id) THEN
      RAISE EXCEPTION 'payment % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'payment % cannot be changed', OLD.id USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER payments_append_only
  BEFORE UPDATE OR DELETE ON public.payments
  FOR EACH ROW EXECUTE FUNCTION public.payments_append_only();--> statement-breakpoint

-- A refund never takes back more than its payment: the payment's row is locked
-- first, so concurrent refunds of one payment queue here and each sees the
-- ones committed before it (SQLSTATE 23514 beyond). A refund's terms never
-- change, and its status moves only from pending.
CREATE OR REPLACE FUNCTION public.refunds_within_payment() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  paid integer;
  paid_order uuid;
  returned integer;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.order_id IS DISTINCT FROM OLD.order_id OR NEW.payment_id IS DISTINCT FROM OLD.payment_id
       OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.reason IS DISTINCT FROM OLD.reason THEN
      RAISE EXCEPTION 'refund % terms cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND OLD.status <> 'pending' THEN
      RAISE EXCEPTION 'refund % is % and cannot become %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  SELECT p.amount, p.order_id INTO paid, paid_order FROM public.payments p WHERE p.id = NEW.payment_id FOR UPDATE;
  IF paid_order IS DISTINCT FROM NEW.order_id THEN
    RAISE EXCEPTION 'refund of order % names a payment of another order', NEW.order_id USING ERRCODE = 'check_violation';
  END IF;
  SELECT coalesce(sum(r.amount), 0) INTO returned FROM public.refunds r WHERE r.payment_id = NEW.payment_id AND r.status <> 'failed';
  IF returned + NEW.amount > paid THEN
    RAISE EXCEPTION 'refunds of payment % would exceed % (already %)', NEW.payment_id, paid, returned USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER refunds_within_payment
  BEFORE INSERT OR UPDATE ON public.refunds
  FOR EACH ROW EXECUTE FUNCTION public.refunds_within_payment();--> statement-breakpoint

-- A paid order ends with its seats or with its money back: at commit, an order
-- with a payment has a confirmed ticket or refunds (any not failed, or one
-- failed at the provider, which an operator must see to) covering the payment.
CREATE OR REPLACE FUNCTION public.orders_paid_keep_seats_or_refund() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  target uuid;
  paid integer;
BEGIN
  IF TG_TABLE_NAME = 'orders' THEN
    target := NEW.id;
  ELSE
    target := NEW.order_id;
  END IF;
  IF target IS NULL THEN RETURN NULL; END IF;
  SELECT p.amount INTO paid FROM public.payments p WHERE p.order_id = target;
  IF paid IS NULL THEN RETURN NULL; END IF;
  IF EXISTS (SELECT 1 FROM public.registrations r WHERE r.order_id = target AND r.status = 'confirmed') THEN RETURN NULL; END IF;
  IF (SELECT coalesce(sum(r.amount), 0) FROM public.refunds r WHERE r.order_id = target) >= paid THEN RETURN NULL; END IF;
  RAISE EXCEPTION 'order % is paid and has neither its seats nor its money back', target USING ERRCODE = 'check_violation';
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER payments_keep_seats_or_refund
  AFTER INSERT ON public.payments DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION public.orders_paid_keep_seats_or_refund();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER registrations_keep_seats_or_refund
  AFTER UPDATE OF status ON public.registrations DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.order_id IS NOT NULL) EXECUTE FUNCTION public.orders_paid_keep_seats_or_refund();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER orders_keep_seats_or_refund
  AFTER UPDATE OF status ON public.orders DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION public.orders_paid_keep_seats_or_refund();--> statement-breakpoint

REVOKE EXECUTE ON FUNCTION public.ticket_types_guard() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.orders_transition() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.payments_append_only() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.refunds_within_payment() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.orders_paid_keep_seats_or_refund() FROM PUBLIC, anon, authenticated;--> statement-breakpoint

-- Row-level security as for every table: no policy, only the server reads and
-- writes tickets, orders and money.
ALTER TABLE public.ticket_types ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.order_items ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.payments ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.refunds ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON TABLE public.ticket_types, public.orders, public.order_items, public.payments, public.refunds FROM anon, authenticated;--> statement-breakpoint
REVOKE ALL ON SEQUENCE public.orders_number_seq FROM anon, authenticated;
