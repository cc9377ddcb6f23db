-- Installs from before instance roles: the oldest account (the one the first-admin flow created)
-- becomes the instance admin, so someone can manage users and every copilot after the upgrade.
UPDATE "users" SET "instance_admin" = true
WHERE "id" = (SELECT "id" FROM "users" ORDER BY "created_at", "id" LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM "users" WHERE "instance_admin");
