import { createDestinationResolver, type DestinationResolver } from './destination';
import { redactorFor, type Redactor } from './redact';
import type { DashboardHeader, RuntimeCopilot } from './types';

/**
 * What calling one copilot's API needs that does not change from call to call: the parsed base URLs
 * and the redactor for all of its dashboard values. The runtime builds one per copilot configuration
 * (core/runtime/config-cache.ts) and reuses it for every call until an admin changes it.
 */
export type PreparedCopilot = {
  copilot: RuntimeCopilot;
  /** Decrypted: used ones are sent, all of them are redacted. */
  dashboardHeaders: readonly DashboardHeader[];
  redactor: Redactor;
  resolveDestination: DestinationResolver;
};

/** `redactor` defaults to the one cached for this set of values (redactorFor: built once, in slices). */
export async function prepareCopilot(copilot: RuntimeCopilot, dashboardHeaders: readonly DashboardHeader[], redactor?: Redactor): Promise<PreparedCopilot> {
  return {
    copilot,
    dashboardHeaders,
    redactor: redactor ?? (await redactorFor(dashboardHeaders.map((h) => h.value))),
    resolveDestination: createDestinationResolver(copilot.apiBaseUrls),
  };
}
