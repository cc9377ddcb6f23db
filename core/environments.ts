import { eq, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { environments } from '@/db/schema';

/** The copilot's Production environment id as a subquery: what a read or write that names no environment applies to. */
export function productionEnvironmentId(copilotId: string) {
  return sql<string>`(select ${environments.id} from ${environments} where ${environments.copilotId} = ${copilotId} and ${environments.isProduction})`;
}

/** `column` is this environment, or the copilot's Production when none is named: the condition every per-environment read uses. */
export function inEnvironment(column: AnyPgColumn, { copilotId, environmentId }: { copilotId: string; environmentId?: string | null | undefined }) {
  return environmentId ? eq(column, environmentId) : eq(column, productionEnvironmentId(copilotId));
}
