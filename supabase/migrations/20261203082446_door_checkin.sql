-- Door check-in (issue 23): every scan is a row, identified by its nonce
-- (unique: a resent scan records nothing more); a ticket's admission is its one
-- `admitted` scan (partial unique index: two admissions of one ticket cannot be
-- recorded, whoever writes); the Ed25519 signing key of the ticket codes, when
-- CHECKIN_SIGNING_KEY names none, is shared by every instance through
-- checkin_signing_keys.
CREATE TABLE "checkin_scans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"nonce" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"registration_id" uuid,
	"device_id" text NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"result" text NOT NULL,
	CONSTRAINT "checkin_scans_result_check" CHECK ("checkin_scans"."result" in ('admitted', 'already_admitted', 'conflict', 'cancelled', 'unknown')),
	CONSTRAINT "checkin_scans_device_length" CHECK (char_length("checkin_scans"."device_id") between 1 and 100),
	CONSTRAINT "checkin_scans_ticket_unless_unknown" CHECK ("checkin_scans"."result" in ('unknown') or "checkin_scans"."registration_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "checkin_signing_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"seed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checkin_scans" ADD CONSTRAINT "checkin_scans_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_scans" ADD CONSTRAINT "checkin_scans_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checkin_scans_nonce_key" ON "checkin_scans" USING btree ("nonce");--> statement-breakpoint
CREATE UNIQUE INDEX "checkin_scans_one_admission_key" ON "checkin_scans" USING btree ("registration_id") WHERE "checkin_scans"."result" = 'admitted';--> statement-breakpoint
CREATE INDEX "checkin_scans_event_result_idx" ON "checkin_scans" USING btree ("event_id","result");--> statement-breakpoint
CREATE INDEX "checkin_scans_registration_idx" ON "checkin_scans" USING btree ("registration_id");
--> statement-breakpoint
-- Server only, as registrations: RLS on, no policy.
ALTER TABLE "checkin_scans" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "checkin_signing_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
-- Check-ins made before scans existed become their admitting scans, made on the attendee list.
INSERT INTO "checkin_scans" ("nonce", "event_id", "registration_id", "device_id", "scanned_at", "received_at", "result")
SELECT gen_random_uuid(), "event_id", "id", 'attendee-list', "checked_in_at", "checked_in_at", 'admitted'
FROM "registrations" WHERE "checked_in_at" IS NOT NULL;
