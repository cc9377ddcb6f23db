import { mergeHeaders } from '@/core/upstream/merge';
import type { DashboardHeader } from '@/core/upstream/types';
import type { TestHeaderReport } from './test-request-schema';

/**
 * Explains one test request by header name, with the runtime's own merge rules (mergeHeaders) applied
 * to the URL that was called: which dashboard headers went out (`sentIds`, from the call itself), which
 * a widget header replaced, and which their scope left out. Names only — no value leaves this function.
 */
export function explainHeaders(
  dashboard: readonly DashboardHeader[],
  widget: Readonly<Record<string, string>>,
  target: URL,
  sentIds: readonly string[],
): TestHeaderReport {
  const merged = mergeHeaders({ dashboard, widget, target });
  const overridden = new Set(merged.overridden);
  const sent = new Set(sentIds);
  const report: TestHeaderReport = { dashboard: [], widget: [] };
  for (const header of dashboard) {
    const lower = header.name.toLowerCase();
    const inScope = mergeHeaders({ dashboard: [header], target }).usedHeaderIds.length === 1;
    const status = sent.has(header.id)
      ? 'sent'
      : !inScope
        ? 'out_of_scope'
        : header.allowWidgetOverride && overridden.has(lower)
          ? 'overridden'
          : 'shadowed';
    report.dashboard.push({ name: header.name, status });
  }
  const sentNames = new Set(dashboard.filter((h) => sent.has(h.id)).map((h) => h.name.toLowerCase()));
  for (const name of Object.keys(widget)) {
    report.widget.push({ name, status: sentNames.has(name.toLowerCase()) ? 'dashboard_wins' : 'sent' });
  }
  return report;
}
