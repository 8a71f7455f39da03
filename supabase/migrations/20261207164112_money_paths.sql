ALTER TABLE "refunds" DROP CONSTRAINT "refunds_reason_check";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "hold_extended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "registration_id" uuid;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "retries" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refunds_registration_idx" ON "refunds" USING btree ("registration_id") WHERE "refunds"."registration_id" is not null;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_reason_check" CHECK ("refunds"."reason" in ('organiser', 'guest', 'late_payment_no_seats', 'late_payment_event_started', 'event_cancelled'));--> statement-breakpoint

-- Issue 32, "Money, seats and keys hold on every path".
--
-- An order's hold may grow once, while it is pending and live, to the expiry
-- of its one payment session (Stripe refuses an expires_at less than 30
-- minutes ahead, so a payment page opened late extends the hold it pays
-- for); hold_extended_at says it did, and never changes again.
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
     OR NEW.total_amount IS DISTINCT FROM OLD.total_amount THEN
    RAISE EXCEPTION 'order % terms cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.hold_extended_at IS NOT NULL AND NEW.hold_extended_at IS DISTINCT FROM OLD.hold_extended_at THEN
    RAISE EXCEPTION 'order % hold was extended already', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.hold_expires_at IS DISTINCT FROM OLD.hold_expires_at OR NEW.hold_extended_at IS DISTINCT FROM OLD.hold_extended_at) AND NOT (
       OLD.hold_extended_at IS NULL AND NEW.hold_extended_at IS NOT NULL
       AND OLD.provider_session_id IS NULL
       AND OLD.status = 'pending_payment' AND NEW.status = 'pending_payment'
       AND OLD.hold_expires_at > now()
       AND NEW.hold_expires_at >= OLD.hold_expires_at
       AND NEW.hold_expires_at <= now() + interval '24 hours') THEN
    RAISE EXCEPTION 'order % hold can only grow once, before its payment session', OLD.id USING ERRCODE = 'check_violation';
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

-- A refund never takes back more than its payment. Its status moves from
-- pending to succeeded or failed, and from failed back to pending when the
-- organiser retries it (counted again against the payment then). A refund
-- that names a ticket names one of its own order.
CREATE OR REPLACE FUNCTION public.refunds_within_payment() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  paid integer;
  paid_order uuid;
  returned bigint;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.order_id IS DISTINCT FROM OLD.order_id OR NEW.payment_id IS DISTINCT FROM OLD.payment_id
       OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.reason IS DISTINCT FROM OLD.reason
       OR NEW.registration_id IS DISTINCT FROM OLD.registration_id THEN
      RAISE EXCEPTION 'refund % terms cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
         (OLD.status = 'pending' AND NEW.status IN ('succeeded', 'failed'))
      OR (OLD.status = 'failed' AND NEW.status = 'pending')) THEN
      RAISE EXCEPTION 'refund % is % and cannot become %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
    END IF;
    IF NOT (OLD.status = 'failed' AND NEW.status = 'pending') THEN
      RETURN NEW;
    END IF;
  END IF;
  SELECT p.amount, p.order_id INTO paid, paid_order FROM public.payments p WHERE p.id = NEW.payment_id FOR UPDATE;
  IF paid_order IS DISTINCT FROM NEW.order_id THEN
    RAISE EXCEPTION 'refund of order % names a payment of another order', NEW.order_id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.registration_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM public.registrations r WHERE r.id = NEW.registration_id AND r.order_id = NEW.order_id) THEN
    RAISE EXCEPTION 'refund of order % names a ticket of another order', NEW.order_id USING ERRCODE = 'check_violation';
  END IF;
  SELECT coalesce(sum(r.amount), 0) INTO returned FROM public.refunds r
   WHERE r.payment_id = NEW.payment_id AND r.status <> 'failed' AND r.id <> NEW.id;
  IF returned + NEW.amount > paid THEN
    RAISE EXCEPTION 'refunds of payment % would exceed % (already %)', NEW.payment_id, paid, returned USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint

-- A paid order ends with its seats or with its money back, checked at commit:
--  * a cancelled ticket of a paid order is covered by money that came back:
--    the prices of its cancelled tickets never exceed its succeeded refunds
--    (a pending or failed refund frees no seat);
--  * an order with a payment and no confirmed ticket (a late payment, an
--    event cancelled or started before the money came) has refunds under way
--    or done covering the payment.
-- A refund the provider fails is recorded as it is (the provider decided);
-- the seats it would have freed stay with the guest.
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
  SELECT coalesce(sum(i.unit_amount), 0) INTO cancelled_value
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
$$;
