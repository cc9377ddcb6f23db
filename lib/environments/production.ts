import { and, eq } from 'drizzle-orm';
import type { Db, Executor } from '@/db/client';
import { copilots, environments } from '@/db/schema';
import { generateWidgetToken } from '@/lib/copilots/token';

const PRODUCTION_NAME = 'Production';

/** A new copilot's Production environment, with its widget token: call in the transaction that creates the copilot. */
export async function insertProductionEnvironment(tx: Executor, { copilotId }: { copilotId: string }): Promise<{ id: string; widgetToken: string }> {
  const [row] = await tx
    .insert(environments)
    .values({ copilotId, name: PRODUCTION_NAME, isProduction: true, position: 0, widgetToken: generateWidgetToken() })
    .returning({ id: environments.id, widgetToken: environments.widgetToken });
  return row!;
}

/** The environment if it belongs to this copilot (an id from another copilot looks like an unknown one). */
export async function findEnvironment(db: Executor, { copilotId, environmentId }: { copilotId: string; environmentId: string }) {
  const [row] = await db
    .select({ id: environments.id, name: environments.name, isProduction: environments.isProduction })
    .from(environments)
    .where(and(eq(environments.copilotId, copilotId), eq(environments.id, environmentId)));
  return row ?? null;
}

/** This copilot's environment by id, or its Production when no id is given; null for an id it does not have. */
export async function environmentOrProduction(db: Executor, { copilotId, environmentId }: { copilotId: string; environmentId?: string | null | undefined }) {
  if (environmentId) return findEnvironment(db, { copilotId, environmentId });
  const [row] = await db
    .select({ id: environments.id, name: environments.name, isProduction: environments.isProduction })
    .from(environments)
    .where(and(eq(environments.copilotId, copilotId), eq(environments.isProduction, true)));
  return row ?? null;
}


/**
 * Inserts a copilot row and its Production in one transaction, for code that writes copilots directly
 * (fixtures, benchmarks); the dashboard creates copilots through createCopilotAction.
 */
export async function insertCopilotWithProduction(db: Db, values: typeof copilots.$inferInsert): Promise<{ id: string; name: string; environmentId: string; widgetToken: string }> {
  return db.transaction(async (tx) => {
    const [copilot] = await tx.insert(copilots).values(values).returning({ id: copilots.id, name: copilots.name });
    const production = await insertProductionEnvironment(tx, { copilotId: copilot!.id });
    return { id: copilot!.id, name: copilot!.name, environmentId: production.id, widgetToken: production.widgetToken };
  });
}
