-- The one-transaction path of the idempotency layer (issue 21): a first
-- execution writes its record once, completed, at the end of the operation's
-- transaction, after the operation has written the ledger row that links to
-- it. The ledger's foreign key to the record is therefore checked at commit
-- (DEFERRABLE INITIALLY DEFERRED); its ON DELETE / ON UPDATE SET NULL actions
-- still run at once, as Postgres runs referential actions.
ALTER TABLE "credit_ledger" DROP CONSTRAINT "credit_ledger_idempotency_key_id_idempotency_keys_id_fk";--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_idempotency_key_id_idempotency_keys_id_fk" FOREIGN KEY ("idempotency_key_id") REFERENCES "public"."idempotency_keys"("id") ON DELETE set null ON UPDATE set null DEFERRABLE INITIALLY DEFERRED;
