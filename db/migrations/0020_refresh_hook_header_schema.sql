ALTER TABLE "copilots" ADD COLUMN "refresh_url" text;--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "refresh_secret_ciphertext" "bytea";--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "refresh_secret_key_version" integer;--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "header_schema" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "copilots" ADD CONSTRAINT "copilots_refresh_hook_complete" CHECK (("copilots"."refresh_url" is null) = ("copilots"."refresh_secret_ciphertext" is null) and ("copilots"."refresh_secret_ciphertext" is null) = ("copilots"."refresh_secret_key_version" is null));