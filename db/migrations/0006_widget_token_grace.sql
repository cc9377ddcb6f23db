ALTER TABLE "copilots" ADD COLUMN "previous_widget_token" text;--> statement-breakpoint
ALTER TABLE "copilots" ADD COLUMN "previous_widget_token_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "copilots" ADD CONSTRAINT "copilots_previous_widget_token_unique" UNIQUE("previous_widget_token");--> statement-breakpoint
ALTER TABLE "copilots" ADD CONSTRAINT "copilots_previous_widget_token_complete" CHECK (("copilots"."previous_widget_token" is null) = ("copilots"."previous_widget_token_expires_at" is null));