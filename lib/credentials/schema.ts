// Shared by the remove-member and disable-account dialogs and their server actions: no server-only imports here.
import { z } from 'zod';
// Sets zod's jitless mode before this module builds a schema (the CSP refuses zod's eval probe).
import '@/core/text-input';

/** Enough for every active credential a person could have created on many copilots; bounded. */
export const MAX_REVOKED_AT_ONCE = 500;

const ids = z
  .array(z.uuid({ error: 'Unknown credential' }))
  .max(MAX_REVOKED_AT_ONCE, { error: `Revoke at most ${MAX_REVOKED_AT_ONCE} at once` })
  .default([])
  .transform((list) => [...new Set(list)]);

/**
 * The credentials a person created that are revoked with their removal or the disabling of their account,
 * as checked in the dialog. Each id must be a live credential that person created (on that copilot, for a
 * removal), otherwise nothing happens at all.
 */
export const revokeCreatedShape = { revokeServerKeyIds: ids, revokeApiTokenIds: ids };

export type CredentialKind = 'server_key' | 'api_token';
