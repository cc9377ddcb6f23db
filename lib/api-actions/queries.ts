import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { apiDocuments, apiOperations, users } from '@/db/schema';

export type OperationListItem = { id: string; toolName: string; method: string; path: string; summary: string; enabled: boolean; askFirst: boolean };

export async function listOperations(db: Executor, { copilotId }: { copilotId: string }): Promise<OperationListItem[]> {
  return db
    .select({ id: apiOperations.id, toolName: apiOperations.toolName, method: apiOperations.method, path: apiOperations.path, summary: apiOperations.summary, enabled: apiOperations.enabled, askFirst: apiOperations.askFirst })
    .from(apiOperations)
    .where(eq(apiOperations.copilotId, copilotId))
    .orderBy(asc(apiOperations.position));
}

export type ApiDocumentDto = { title: string; documentVersion: string; openapiVersion: string; importedAt: Date; importedByEmail: string | null };

const importer = alias(users, 'importer');

export async function getApiDocument(db: Executor, { copilotId }: { copilotId: string }): Promise<ApiDocumentDto | null> {
  const [row] = await db
    .select({ title: apiDocuments.title, documentVersion: apiDocuments.documentVersion, openapiVersion: apiDocuments.openapiVersion, importedAt: apiDocuments.importedAt, importedByEmail: importer.email })
    .from(apiDocuments)
    .leftJoin(importer, eq(importer.id, apiDocuments.importedBy))
    .where(eq(apiDocuments.copilotId, copilotId));
  return row ?? null;
}
