ALTER TABLE "global_headers" ADD COLUMN "value_number" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "header_versions" ADD COLUMN "value_number" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Hand-written: number the values already kept, oldest first, and give each header's current value the next number.
UPDATE "header_versions" AS "hv" SET "value_number" = "n"."rn" FROM (SELECT "header_id", "version", row_number() OVER (PARTITION BY "header_id" ORDER BY "version") AS "rn" FROM "header_versions") AS "n" WHERE "hv"."header_id" = "n"."header_id" AND "hv"."version" = "n"."version";--> statement-breakpoint
UPDATE "global_headers" AS "g" SET "value_number" = 1 + coalesce((SELECT max("h"."value_number") FROM "header_versions" AS "h" WHERE "h"."header_id" = "g"."id"), 0);
