ALTER TABLE "orders" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_cancel_reason_check" CHECK ("orders"."cancel_reason" in ('guest', 'organiser', 'event_cancelled', 'late_payment'));--> statement-breakpoint

-- Issue 34: "cancelled by you" on the guest's order page. Of the orders
-- cancelled before this column, those of a cancelled event were cancelled
-- with it; for the rest the reason is not known and stays null (the page then
-- says "cancelled" without saying by whom).
UPDATE "orders" SET "cancel_reason" = 'event_cancelled'
  WHERE "status" = 'cancelled' AND "event_id" IN (SELECT "id" FROM "events" WHERE "status" = 'cancelled');
