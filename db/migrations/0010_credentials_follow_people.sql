ALTER TABLE "memberships" ADD COLUMN "admin_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "enabled_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "instance_admin_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Existing rows: the grant dates back to when the row was created, so tokens made since keep working.
UPDATE "memberships" SET "admin_since" = "created_at";--> statement-breakpoint
UPDATE "users" SET "enabled_since" = "created_at", "instance_admin_since" = "created_at";
