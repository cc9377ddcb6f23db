ALTER TABLE "copilots" ADD COLUMN "runtime_generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_limits" ADD COLUMN "last_grant" integer DEFAULT 0 NOT NULL;