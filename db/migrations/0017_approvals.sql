CREATE TABLE "approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"copilot_id" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decision" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approvals_decision_check" CHECK ("approvals"."decision" in ('approve', 'deny'))
);
--> statement-breakpoint
ALTER TABLE "api_operations" ADD COLUMN "ask_first" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_copilot_id_copilots_id_fk" FOREIGN KEY ("copilot_id") REFERENCES "public"."copilots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approvals_expires_idx" ON "approvals" USING btree ("expires_at");--> statement-breakpoint
-- Existing operations follow the same rule as a new import: reads run, anything else asks the user first.
UPDATE "api_operations" SET "ask_first" = ("method" <> 'GET');
