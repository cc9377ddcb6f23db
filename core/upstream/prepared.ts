import { fillTemplate, isTemplated, type TemplateUser } from '@/core/headers/template';
import { createDestinationResolver, type DestinationResolver } from './destination';
import { redactorFor, type Redactor } from './redact';
import type { DashboardHeader, RuntimeCopilot } from './types';

/**
 * What calling one copilot's API needs that does not change from call to call: the parsed base URLs
 * and the redactor for all of its dashboard values. The runtime builds one per copilot configuration
 * (server/data-plane/cache/config-cache.ts) and reuses it for every call until an admin changes it.
 */
export type PreparedCopilot = {
  copilot: RuntimeCopilot;
  /** Decrypted: used ones are sent, all of them are redacted. Templated headers are not among them. */
  dashboardHeaders: readonly DashboardHeader[];
  /** Headers whose value is a `{{user.…}}` template: sent only once filled from a verified user (withVerifiedUser). */
  templatedHeaders: readonly DashboardHeader[];
  redactor: Redactor;
  resolveDestination: DestinationResolver;
};

/** `redactor` defaults to the one cached for this set of values (redactorFor: built once, in slices). */
export async function prepareCopilot(copilot: RuntimeCopilot, dashboardHeaders: readonly DashboardHeader[], redactor?: Redactor): Promise<PreparedCopilot> {
  return {
    copilot,
    dashboardHeaders: dashboardHeaders.filter((h) => !isTemplated(h.value)),
    templatedHeaders: dashboardHeaders.filter((h) => isTemplated(h.value)),
    redactor: redactor ?? (await redactorFor(dashboardHeaders.map((h) => h.value))),
    resolveDestination: createDestinationResolver(copilot.apiBaseUrls),
  };
}

/** For one verified turn: the templated headers filled from `user` join the ones sent (a header whose field is missing stays out). */
export function withVerifiedUser(prepared: PreparedCopilot, user: TemplateUser): PreparedCopilot {
  if (prepared.templatedHeaders.length === 0) return prepared;
  const filled = prepared.templatedHeaders.flatMap((header) => {
    const value = fillTemplate(header.value, user);
    return value === null ? [] : [{ ...header, value }];
  });
  return { ...prepared, dashboardHeaders: [...prepared.dashboardHeaders, ...filled] };
}
