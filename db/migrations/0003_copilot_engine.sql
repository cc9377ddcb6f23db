CREATE TABLE "api_documents" (
	"copilot_id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"document_version" text NOT NULL,
	"openapi_version" text NOT NULL,
	"source_bytes" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"imported_by" uuid
);
--> statement-breakpoint
CREATE TABLE "api_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"copilot_id" uuid NOT NULL,
	"tool_name" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"server_url" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"parameters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"has_body" boolean DEFAULT false NOT NULL,
	"input_schema" jsonb NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_settings" (
	"copilot_id" uuid PRIMARY KEY NOT NULL,
	"base_url" text,
	"model" text,
	"api_key_ciphertext" "bytea",
	"api_key_key_version" integer,
	"api_key_preview" text,
	"system_prompt" text DEFAULT '' NOT NULL,
	"max_steps" integer DEFAULT 5 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "model_settings_max_steps_range" CHECK ("model_settings"."max_steps" between 1 and 20),
	CONSTRAINT "model_settings_key_complete" CHECK (("model_settings"."api_key_ciphertext" is null) = ("model_settings"."api_key_key_version" is null))
);
--> statement-breakpoint
ALTER TABLE "api_documents" ADD CONSTRAINT "api_documents_copilot_id_copilots_id_fk" FOREIGN KEY ("copilot_id") REFERENCES "public"."copilots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_documents" ADD CONSTRAINT "api_documents_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_operations" ADD CONSTRAINT "api_operations_copilot_id_copilots_id_fk" FOREIGN KEY ("copilot_id") REFERENCES "public"."copilots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_settings" ADD CONSTRAINT "model_settings_copilot_id_copilots_id_fk" FOREIGN KEY ("copilot_id") REFERENCES "public"."copilots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_settings" ADD CONSTRAINT "model_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_operations_copilot_route_idx" ON "api_operations" USING btree ("copilot_id","method","path");--> statement-breakpoint
CREATE UNIQUE INDEX "api_operations_copilot_tool_idx" ON "api_operations" USING btree ("copilot_id","tool_name");