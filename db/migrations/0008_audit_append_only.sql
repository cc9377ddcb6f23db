DROP INDEX "audit_events_copilot_at_idx";--> statement-breakpoint
CREATE INDEX "audit_events_copilot_at_id_idx" ON "audit_events" USING btree ("copilot_id","at","id");--> statement-breakpoint
-- Audit events are append-only. The one way to delete is the retention job (npm run audit:prune): inside its
-- transaction it sets copilot_headers.audit_prune_before, and only rows older than that cutoff may go.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cutoff text := current_setting('copilot_headers.audit_prune_before', true);
BEGIN
  IF TG_OP = 'DELETE' AND cutoff IS NOT NULL AND cutoff <> '' AND OLD."at" < cutoff::timestamptz THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Old events are removed only by the retention job (npm run audit:prune).';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
