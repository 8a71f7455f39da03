-- An event that sells tickets takes orders only (docs/api.md, "Paid tickets
-- (guests)"): once it has a ticket type, a registration without an order is
-- refused, whoever writes, so the free registration endpoint can never hand
-- out a seat of a paid event. A ticket type is created under the event's row
-- lock, as every registration is, so the two never race.
CREATE FUNCTION public.registrations_tickets_by_order() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF NEW.order_id IS NULL AND EXISTS (SELECT 1 FROM public.ticket_types t WHERE t.event_id = NEW.event_id) THEN
    RAISE EXCEPTION 'event % sells tickets: its seats are taken through orders', NEW.event_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'registrations_tickets_by_order';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER registrations_tickets_by_order
  BEFORE INSERT ON public.registrations
  FOR EACH ROW EXECUTE FUNCTION public.registrations_tickets_by_order();--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.registrations_tickets_by_order() FROM PUBLIC, anon, authenticated;
