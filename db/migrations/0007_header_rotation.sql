ALTER TABLE "global_headers" ADD COLUMN "value_fingerprint" text;--> statement-breakpoint
ALTER TABLE "global_headers" ADD COLUMN "pending_ciphertext" "bytea";--> statement-breakpoint
ALTER TABLE "global_headers" ADD COLUMN "pending_key_version" integer;--> statement-breakpoint
ALTER TABLE "global_headers" ADD COLUMN "pending_preview" text;--> statement-breakpoint
ALTER TABLE "global_headers" ADD COLUMN "pending_fingerprint" text;--> statement-breakpoint
ALTER TABLE "global_headers" ADD COLUMN "pending_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "global_headers" ADD COLUMN "pending_by" uuid;--> statement-breakpoint
ALTER TABLE "global_headers" ADD COLUMN "pending_test_status" integer;--> statement-breakpoint
ALTER TABLE "global_headers" ADD COLUMN "pending_tested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "header_versions" ADD COLUMN "fingerprint" text;--> statement-breakpoint
ALTER TABLE "header_versions" ADD COLUMN "set_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "header_versions" ADD COLUMN "set_by" uuid;--> statement-breakpoint
ALTER TABLE "header_versions" ADD COLUMN "retired_by" uuid;--> statement-breakpoint
ALTER TABLE "global_headers" ADD CONSTRAINT "global_headers_pending_by_users_id_fk" FOREIGN KEY ("pending_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "header_versions" ADD CONSTRAINT "header_versions_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "header_versions" ADD CONSTRAINT "header_versions_retired_by_users_id_fk" FOREIGN KEY ("retired_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "global_headers" ADD CONSTRAINT "global_headers_pending_complete" CHECK (("global_headers"."pending_ciphertext" is null) = ("global_headers"."pending_key_version" is null));--> statement-breakpoint
ALTER TABLE "global_headers" ADD CONSTRAINT "global_headers_rotation_days_range" CHECK ("global_headers"."rotation_days" is null or "global_headers"."rotation_days" between 1 and 3650);