CREATE TABLE "environments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"copilot_id" uuid NOT NULL,
	"name" text NOT NULL,
	"is_production" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"widget_token" text NOT NULL,
	"previous_widget_token" text,
	"previous_widget_token_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environments_widget_token_unique" UNIQUE("widget_token"),
	CONSTRAINT "environments_previous_widget_token_unique" UNIQUE("previous_widget_token"),
	CONSTRAINT "environments_name_length" CHECK (char_length("environments"."name") between 1 and 40),
	CONSTRAINT "environments_previous_widget_token_complete" CHECK (("environments"."previous_widget_token" is null) = ("environments"."previous_widget_token_expires_at" is null))
);--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_copilot_id_copilots_id_fk" FOREIGN KEY ("copilot_id") REFERENCES "public"."copilots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "environments_copilot_name_idx" ON "environments" USING btree ("copilot_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "environments_one_production_idx" ON "environments" USING btree ("copilot_id") WHERE "environments"."is_production";--> statement-breakpoint
-- Hand-written: every copilot gets Production, which takes over its widget token (and a token still in its grace period).
INSERT INTO "environments" ("copilot_id", "name", "is_production", "position", "widget_token", "previous_widget_token", "previous_widget_token_expires_at", "created_at") SELECT "id", 'Production', true, 0, "widget_token", "previous_widget_token", "previous_widget_token_expires_at", "created_at" FROM "copilots";--> statement-breakpoint
ALTER TABLE "copilots" DROP CONSTRAINT "copilots_widget_token_unique";--> statement-breakpoint
ALTER TABLE "copilots" DROP CONSTRAINT "copilots_previous_widget_token_unique";--> statement-breakpoint
ALTER TABLE "copilots" DROP CONSTRAINT "copilots_previous_widget_token_complete";--> statement-breakpoint
ALTER TABLE "copilots" DROP COLUMN "widget_token";--> statement-breakpoint
ALTER TABLE "copilots" DROP COLUMN "previous_widget_token";--> statement-breakpoint
ALTER TABLE "copilots" DROP COLUMN "previous_widget_token_expires_at";--> statement-breakpoint
-- Hand-written: existing headers and server keys move into their copilot's Production, then the column becomes required.
ALTER TABLE "global_headers" ADD COLUMN "environment_id" uuid;--> statement-breakpoint
UPDATE "global_headers" AS "h" SET "environment_id" = "e"."id" FROM "environments" AS "e" WHERE "e"."copilot_id" = "h"."copilot_id" AND "e"."is_production";--> statement-breakpoint
ALTER TABLE "global_headers" ALTER COLUMN "environment_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "server_keys" ADD COLUMN "environment_id" uuid;--> statement-breakpoint
UPDATE "server_keys" AS "k" SET "environment_id" = "e"."id" FROM "environments" AS "e" WHERE "e"."copilot_id" = "k"."copilot_id" AND "e"."is_production";--> statement-breakpoint
ALTER TABLE "server_keys" ALTER COLUMN "environment_id" SET NOT NULL;--> statement-breakpoint
DROP INDEX "global_headers_copilot_name_idx";--> statement-breakpoint
ALTER TABLE "global_headers" ADD CONSTRAINT "global_headers_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "server_keys" ADD CONSTRAINT "server_keys_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "global_headers_environment_name_idx" ON "global_headers" USING btree ("environment_id",lower("name"));--> statement-breakpoint
CREATE INDEX "global_headers_copilot_idx" ON "global_headers" USING btree ("copilot_id");--> statement-breakpoint
CREATE INDEX "server_keys_environment_idx" ON "server_keys" USING btree ("environment_id");
