-- Questions for guests (docs/api.md, "Questions"): a registration that becomes
-- confirmed has, when its transaction commits, an answer to every required
-- question it was asked, whoever wrote it: the page, the API, a waitlist
-- promotion, a late payment. A constraint trigger deferred to the commit, so
-- the answers may be written after the registration in the same transaction.
--
-- What a registration was asked: the version of each live question that was
-- current when it registered (a ticket: when its order was placed), so a
-- question added or made required later never blocks an earlier guest's
-- promotion or late payment. A free registration is asked the questions of no
-- ticket type; a ticket the per-ticket questions of its type (answered on the
-- ticket) and the per-order questions of its order's types (answered on the
-- order). An erased answer still counts: it was given.
CREATE FUNCTION public.registrations_required_answers() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
DECLARE
  r public.registrations%ROWTYPE;
  asked_at timestamptz;
  missing uuid;
BEGIN
  -- At the commit: the registration as the transaction leaves it.
  SELECT * INTO r FROM public.registrations WHERE id = NEW.id;
  IF NOT FOUND OR r.status <> 'confirmed' THEN
    RETURN NULL;
  END IF;
  IF r.order_id IS NULL THEN
    asked_at := r.created_at;
  ELSE
    SELECT o.created_at INTO asked_at FROM public.orders o WHERE o.id = r.order_id;
  END IF;
  SELECT q.id INTO missing
  FROM public.questions q
  CROSS JOIN LATERAL (
    SELECT v.required, v.per, v.ticket_type_ids
    FROM public.question_versions v
    WHERE v.question_id = q.id AND v.created_at <= asked_at
    ORDER BY v.version DESC
    LIMIT 1
  ) v
  WHERE q.event_id = r.event_id
    AND q.deleted_at IS NULL
    AND v.required
    AND (
      (r.order_id IS NULL
        AND cardinality(v.ticket_type_ids) = 0
        AND NOT EXISTS (SELECT 1 FROM public.answers a WHERE a.registration_id = r.id AND a.question_id = q.id))
      OR (r.order_id IS NOT NULL AND v.per = 'ticket'
        AND (cardinality(v.ticket_type_ids) = 0 OR r.ticket_type_id = ANY (v.ticket_type_ids))
        AND NOT EXISTS (SELECT 1 FROM public.answers a WHERE a.registration_id = r.id AND a.question_id = q.id))
      OR (r.order_id IS NOT NULL AND v.per = 'order'
        AND (cardinality(v.ticket_type_ids) = 0
          OR EXISTS (SELECT 1 FROM public.order_items i WHERE i.order_id = r.order_id AND i.ticket_type_id = ANY (v.ticket_type_ids)))
        AND NOT EXISTS (
          SELECT 1 FROM public.answers a WHERE a.order_id = r.order_id AND a.holder_index IS NULL AND a.question_id = q.id))
    )
  LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'registration % is confirmed without an answer to the required question %', r.id, missing
      USING ERRCODE = 'check_violation', CONSTRAINT = 'registrations_required_answers';
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER registrations_required_answers_on_insert
  AFTER INSERT ON public.registrations
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status = 'confirmed')
  EXECUTE FUNCTION public.registrations_required_answers();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER registrations_required_answers_on_confirm
  AFTER UPDATE OF status ON public.registrations
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status = 'confirmed' AND OLD.status <> 'confirmed')
  EXECUTE FUNCTION public.registrations_required_answers();--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.registrations_required_answers() FROM PUBLIC, anon, authenticated;--> statement-breakpoint
-- Server only, as every table of the app: RLS on, no policy.
ALTER TABLE public.questions ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.question_versions ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.answers ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE public.ticket_holders ENABLE ROW LEVEL SECURITY;
