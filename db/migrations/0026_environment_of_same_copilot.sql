ALTER TABLE "environments" ADD CONSTRAINT "environments_id_copilot_unique" UNIQUE("id","copilot_id");--> statement-breakpoint
ALTER TABLE "global_headers" DROP CONSTRAINT "global_headers_environment_id_environments_id_fk";
--> statement-breakpoint
ALTER TABLE "server_keys" DROP CONSTRAINT "server_keys_environment_id_environments_id_fk";
--> statement-breakpoint
ALTER TABLE "global_headers" ADD CONSTRAINT "global_headers_environment_copilot_fk" FOREIGN KEY ("environment_id","copilot_id") REFERENCES "public"."environments"("id","copilot_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "server_keys" ADD CONSTRAINT "server_keys_environment_copilot_fk" FOREIGN KEY ("environment_id","copilot_id") REFERENCES "public"."environments"("id","copilot_id") ON DELETE cascade ON UPDATE no action;
