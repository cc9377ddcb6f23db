ALTER TABLE "copilots" ADD COLUMN "identity_secret_ciphertext" "bytea";--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "identity_secret_key_version" integer;--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "previous_identity_secret_ciphertext" "bytea";--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "previous_identity_secret_key_version" integer;--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "previous_identity_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "identity_jwks_url" text;--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "identity_issuer" text;--> statement-breakpoint
ALTER TABLE "copilots" ADD CONSTRAINT "copilots_identity_secret_complete" CHECK (("copilots"."identity_secret_ciphertext" is null) = ("copilots"."identity_secret_key_version" is null));--> statement-breakpoint
ALTER TABLE "copilots" ADD CONSTRAINT "copilots_previous_identity_secret_complete" CHECK (("copilots"."previous_identity_secret_ciphertext" is null) = ("copilots"."previous_identity_secret_key_version" is null) and ("copilots"."previous_identity_secret_ciphertext" is null) = ("copilots"."previous_identity_secret_expires_at" is null));