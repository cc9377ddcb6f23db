ALTER TABLE "copilots" ADD COLUMN "session_max_ttl_seconds" integer DEFAULT 900 NOT NULL;--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "session_epoch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "copilots" ADD CONSTRAINT "copilots_session_max_ttl_range" CHECK ("copilots"."session_max_ttl_seconds" between 60 and 86400);