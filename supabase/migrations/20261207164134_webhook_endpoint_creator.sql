-- Which credential created a webhook endpoint (docs/api.md, "Integrations"):
-- the API key, or null for the organiser's browser session. Keys are revoked,
-- never deleted, so the reference stays. The table keeps its RLS (enabled, no
-- policy: server only) and its grants; a column needs nothing more.
ALTER TABLE "webhook_endpoints" ADD COLUMN "created_by_api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;
