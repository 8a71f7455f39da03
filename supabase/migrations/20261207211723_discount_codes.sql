CREATE TABLE "discount_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"code" text NOT NULL,
	"discount_percent" integer,
	"discount_amount" integer,
	"currency" text,
	"ticket_type_ids" uuid[],
	"unlocks" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"max_uses" integer,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discount_codes_code_format" CHECK ("discount_codes"."code" ~ '^[A-Z0-9_-]{3,32}$'),
	CONSTRAINT "discount_codes_status_check" CHECK ("discount_codes"."status" in ('active', 'disabled')),
	CONSTRAINT "discount_codes_discount_shape" CHECK (("discount_codes"."discount_percent" is null or "discount_codes"."discount_amount" is null) and ("discount_codes"."discount_percent" is null or "discount_codes"."discount_percent" between 1 and 100) and ("discount_codes"."discount_amount" is null or ("discount_codes"."discount_amount" between 1 and 100000000 and "discount_codes"."currency" ~ '^[a-z]{3}$'))),
	CONSTRAINT "discount_codes_max_uses_range" CHECK ("discount_codes"."max_uses" is null or "discount_codes"."max_uses" between 1 and 1000000),
	CONSTRAINT "discount_codes_validity_order" CHECK ("discount_codes"."valid_from" is null or "discount_codes"."valid_until" is null or "discount_codes"."valid_from" < "discount_codes"."valid_until")
);
--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "unit_discount" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "code_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "code_id" uuid;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "discount_codes_event_code_key" ON "discount_codes" USING btree ("event_id","code");--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_code_id_discount_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."discount_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_code_id_discount_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."discount_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_items_code_idx" ON "order_items" USING btree ("code_id") WHERE "order_items"."code_id" is not null;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_unit_discount_range" CHECK ("order_items"."unit_discount" >= 0 and "order_items"."unit_discount" <= "order_items"."unit_amount");--> statement-breakpoint
-- Hand-written below (issue 35): a code's uses as a database fact.

-- A use is one ticket. Uses are not stored: they are the confirmed tickets of
-- the order items bought with the code (and, for the app, the items of live
-- holds, judged by its one clock under the event's lock, as seats are). At
-- commit, whoever sends the SQL, a code's confirmed tickets never exceed its
-- max_uses, and an item's code belongs to its order's event. The code's row is
-- locked (FOR NO KEY UPDATE: the order items' foreign keys only take KEY SHARE)
-- so two transactions cannot each count the other's tickets out.
CREATE OR REPLACE FUNCTION public.discount_codes_within_max_uses() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  target uuid;
  limit_uses integer;
  used bigint;
BEGIN
  IF TG_TABLE_NAME = 'discount_codes' THEN
    target := NEW.id;
  ELSIF TG_TABLE_NAME = 'order_items' THEN
    target := NEW.code_id;
    IF NOT EXISTS (
      SELECT 1 FROM public.orders o JOIN public.discount_codes c ON c.event_id = o.event_id
       WHERE o.id = NEW.order_id AND c.id = NEW.code_id
    ) THEN
      RAISE EXCEPTION 'order item % names a code of another event', NEW.id USING ERRCODE = 'check_violation';
    END IF;
  ELSE
    SELECT i.code_id INTO target FROM public.order_items i
     WHERE i.order_id = NEW.order_id AND i.ticket_type_id = NEW.ticket_type_id;
  END IF;
  IF target IS NULL THEN RETURN NULL; END IF;
  SELECT c.max_uses INTO limit_uses FROM public.discount_codes c WHERE c.id = target FOR NO KEY UPDATE;
  IF limit_uses IS NULL THEN RETURN NULL; END IF;
  SELECT count(*) INTO used
    FROM public.registrations r
    JOIN public.order_items i ON i.order_id = r.order_id AND i.ticket_type_id = r.ticket_type_id
   WHERE i.code_id = target AND r.status = 'confirmed';
  IF used > limit_uses THEN
    RAISE EXCEPTION 'code % has % confirmed tickets, more than its % uses', target, used, limit_uses USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER registrations_within_code_uses
  AFTER INSERT OR UPDATE OF status ON public.registrations DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.order_id IS NOT NULL AND NEW.status = 'confirmed') EXECUTE FUNCTION public.discount_codes_within_max_uses();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER order_items_within_code_uses
  AFTER INSERT OR UPDATE ON public.order_items DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.code_id IS NOT NULL) EXECUTE FUNCTION public.discount_codes_within_max_uses();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER discount_codes_within_max_uses
  AFTER UPDATE OF max_uses ON public.discount_codes DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION public.discount_codes_within_max_uses();--> statement-breakpoint

-- A discounted ticket gives back what was charged for it: the money trigger
-- (20261207164112_money_paths.sql) now values a cancelled ticket at its price
-- less its discount.
CREATE OR REPLACE FUNCTION public.orders_paid_keep_seats_or_refund() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  target uuid;
  paid integer;
  cancelled_value bigint;
  succeeded bigint;
BEGIN
  IF TG_TABLE_NAME = 'orders' THEN
    target := NEW.id;
  ELSE
    target := NEW.order_id;
  END IF;
  IF target IS NULL THEN RETURN NULL; END IF;
  SELECT p.amount INTO paid FROM public.payments p WHERE p.order_id = target;
  IF paid IS NULL THEN RETURN NULL; END IF;
  SELECT coalesce(sum(i.unit_amount - i.unit_discount), 0) INTO cancelled_value
    FROM public.registrations r
    JOIN public.order_items i ON i.order_id = r.order_id AND i.ticket_type_id = r.ticket_type_id
   WHERE r.order_id = target AND r.status = 'cancelled';
  SELECT coalesce(sum(f.amount), 0) INTO succeeded FROM public.refunds f WHERE f.order_id = target AND f.status = 'succeeded';
  IF cancelled_value > succeeded THEN
    RAISE EXCEPTION 'order % is paid and has tickets cancelled without their money back', target USING ERRCODE = 'check_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM public.registrations r WHERE r.order_id = target AND r.status = 'confirmed') THEN RETURN NULL; END IF;
  IF (SELECT coalesce(sum(f.amount), 0) FROM public.refunds f WHERE f.order_id = target AND f.status <> 'failed') >= paid THEN RETURN NULL; END IF;
  RAISE EXCEPTION 'order % is paid and has neither its seats nor its money back', target USING ERRCODE = 'check_violation';
END
$$;--> statement-breakpoint

REVOKE EXECUTE ON FUNCTION public.discount_codes_within_max_uses() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.orders_paid_keep_seats_or_refund() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
-- Row-level security as for every table: no policy, only the server reads and writes codes.
ALTER TABLE public.discount_codes ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON TABLE public.discount_codes FROM anon, authenticated;
