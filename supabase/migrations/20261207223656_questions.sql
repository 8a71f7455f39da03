CREATE TABLE "answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"registration_id" uuid,
	"order_id" uuid,
	"ticket_type_id" uuid,
	"holder_index" integer,
	"value" jsonb,
	"text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"erased_at" timestamp with time zone,
	CONSTRAINT "answers_holder_of_order" CHECK ("answers"."holder_index" is null or ("answers"."order_id" is not null and "answers"."ticket_type_id" is not null and "answers"."holder_index" >= 0)),
	CONSTRAINT "answers_erased_empty" CHECK ("answers"."erased_at" is null or ("answers"."value" is null and "answers"."text" is null)),
	CONSTRAINT "answers_kept_unless_erased" CHECK ("answers"."erased_at" is not null or "answers"."value" is not null)
);
--> statement-breakpoint
CREATE TABLE "question_versions" (
	"question_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"label" text NOT NULL,
	"help" text NOT NULL,
	"kind" text NOT NULL,
	"options" jsonb NOT NULL,
	"required" boolean NOT NULL,
	"per" text NOT NULL,
	"ticket_type_ids" uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "question_versions_question_id_version_pk" PRIMARY KEY("question_id","version")
);
--> statement-breakpoint
CREATE TABLE "questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"label" text NOT NULL,
	"help" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"per" text DEFAULT 'order' NOT NULL,
	"ticket_type_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"position" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "questions_kind_check" CHECK ("questions"."kind" in ('text', 'long_text', 'choice', 'multi_choice', 'checkbox', 'number', 'date')),
	CONSTRAINT "questions_per_check" CHECK ("questions"."per" in ('order', 'ticket')),
	CONSTRAINT "questions_label_length" CHECK (char_length("questions"."label") between 1 and 200),
	CONSTRAINT "questions_help_length" CHECK (char_length("questions"."help") <= 500),
	CONSTRAINT "questions_version_positive" CHECK ("questions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "ticket_holders" (
	"order_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"holder_index" integer NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "ticket_holders_order_id_ticket_type_id_holder_index_pk" PRIMARY KEY("order_id","ticket_type_id","holder_index"),
	CONSTRAINT "ticket_holders_name_length" CHECK (char_length("ticket_holders"."name") between 1 and 100),
	CONSTRAINT "ticket_holders_index_range" CHECK ("ticket_holders"."holder_index" between 0 and 9)
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "holder_details" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_question_id_version_question_versions_question_id_version_fk" FOREIGN KEY ("question_id","version") REFERENCES "public"."question_versions"("question_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_versions" ADD CONSTRAINT "question_versions_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_holders" ADD CONSTRAINT "ticket_holders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_holders" ADD CONSTRAINT "ticket_holders_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "answers_registration_question_key" ON "answers" USING btree ("registration_id","question_id") WHERE "answers"."registration_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "answers_order_question_key" ON "answers" USING btree ("order_id","question_id") WHERE "answers"."order_id" is not null and "answers"."holder_index" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "answers_holder_question_key" ON "answers" USING btree ("order_id","ticket_type_id","holder_index","question_id") WHERE "answers"."holder_index" is not null;--> statement-breakpoint
CREATE INDEX "answers_question_idx" ON "answers" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "answers_event_idx" ON "answers" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "questions_event_position_idx" ON "questions" USING btree ("event_id","position");
