-- Idempotency records belong to a principal (a user, a guest, or nobody but
-- the key), not only to a user. Existing records keep their scope: each is
-- the record of its user's principal 'user:<id>'.
ALTER TABLE "idempotency_keys" ADD COLUMN "principal" text;--> statement-breakpoint
UPDATE "idempotency_keys" SET "principal" = 'user:' || "user_id"::text;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "principal" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_principal_scope_key" ON "idempotency_keys" USING btree ("principal","route","key");--> statement-breakpoint
DROP INDEX "idempotency_keys_scope_key";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_principal_check" CHECK (("idempotency_keys"."user_id" is not null and "idempotency_keys"."principal" = 'user:' || "idempotency_keys"."user_id"::text) or ("idempotency_keys"."user_id" is null and "idempotency_keys"."principal" not like 'user:%'));
