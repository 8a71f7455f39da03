ALTER TABLE "credit_ledger" DROP CONSTRAINT "credit_ledger_idempotency_key_id_idempotency_keys_id_fk";
--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_idempotency_key_id_idempotency_keys_id_fk" FOREIGN KEY ("idempotency_key_id") REFERENCES "public"."idempotency_keys"("id") ON DELETE set null ON UPDATE set null;