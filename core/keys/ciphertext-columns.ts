import type { SecretBinding } from '@/core/crypto/aead';

/**
 * Every column in the database that holds a ciphertext under the master keyring: the ONE list that
 * master-key rotation (core/keys/reencrypt.ts), `npm run keys -- status | retire` and the start-up
 * keyring check walk. A new encrypted column (a pending value, a history table, …) is added here and
 * nowhere else; forgetting it means rotation leaves it on the old key and `retire` could drop a key
 * it still needs — core/keys/ciphertext-columns.test.ts compares this list with the schema.
 *
 * Each entry says how to find its rows and how to rebuild the AAD binding (core/crypto/aead.ts)
 * the value was encrypted with, so re-encryption keeps it valid: the AAD binds the copilot, the
 * header id (or the model endpoint's origin) and the key version, and only the key version changes.
 *
 * SQL pieces are trusted constants (never user input): `from` may join the tables the binding needs,
 * the row table is always aliased `t`, and `copilotId`/`bindingId` are expressions over them.
 */
export type CiphertextColumn = {
  /** Shown by `keys status` and in progress output: `table.column`. */
  readonly label: string;
  readonly table: string;
  /** The row's primary key columns with their SQL types, in `t`. */
  readonly key: readonly { readonly column: string; readonly type: 'uuid' | 'integer' | 'text' }[];
  readonly ciphertext: string;
  readonly keyVersion: string;
  /** `<table> t` plus any join the binding needs. */
  readonly from: string;
  /** SQL expression: the copilot the value belongs to (its runtime generation is bumped after re-encryption); `null` for a person's secret. */
  readonly copilotId: string;
  /** SQL expression handed to `binding` with the copilot id. */
  readonly bindingId: string;
  /** The AAD binding of one row, exactly as the code that wrote it built it. Null: the row cannot be bound (reported, left alone). */
  readonly binding: (row: { copilotId: string | null; bindingId: string | null }) => SecretBinding | null;
};

function urlOrigin(baseUrl: string): string | null {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return null;
  }
}

export const CIPHERTEXT_COLUMNS: readonly CiphertextColumn[] = [
  {
    label: 'global_headers.ciphertext',
    table: 'global_headers',
    key: [{ column: 'id', type: 'uuid' }],
    ciphertext: 'ciphertext',
    keyVersion: 'key_version',
    from: 'global_headers t',
    copilotId: 't.copilot_id',
    bindingId: 't.id',
    binding: ({ copilotId, bindingId }) => (copilotId && bindingId ? { copilotId, headerId: bindingId } : null),
  },
  {
    // A staged (pending) value: same binding as the header's current value; null when nothing is staged.
    label: 'global_headers.pending_ciphertext',
    table: 'global_headers',
    key: [{ column: 'id', type: 'uuid' }],
    ciphertext: 'pending_ciphertext',
    keyVersion: 'pending_key_version',
    from: 'global_headers t',
    copilotId: 't.copilot_id',
    bindingId: 't.id',
    binding: ({ copilotId, bindingId }) => (copilotId && bindingId ? { copilotId, headerId: bindingId } : null),
  },
  {
    // Earlier values of a header keep the header's binding (lib/headers/actions.ts copies the ciphertext as is).
    label: 'header_versions.ciphertext',
    table: 'header_versions',
    key: [
      { column: 'header_id', type: 'uuid' },
      { column: 'version', type: 'integer' },
    ],
    ciphertext: 'ciphertext',
    keyVersion: 'key_version',
    from: 'header_versions t join global_headers h on h.id = t.header_id',
    copilotId: 'h.copilot_id',
    bindingId: 't.header_id',
    binding: ({ copilotId, bindingId }) => (copilotId && bindingId ? { copilotId, headerId: bindingId } : null),
  },
  {
    // Bound to the endpoint's origin (core/model/model-key.ts); the column may be null (no key set).
    label: 'model_settings.api_key_ciphertext',
    table: 'model_settings',
    key: [{ column: 'copilot_id', type: 'uuid' }],
    ciphertext: 'api_key_ciphertext',
    keyVersion: 'api_key_key_version',
    from: 'model_settings t',
    copilotId: 't.copilot_id',
    bindingId: 't.base_url',
    binding: ({ copilotId, bindingId }) => {
      const origin = bindingId ? urlOrigin(bindingId) : null;
      return copilotId && origin ? { copilotId, purpose: 'model-api-key', origin } : null;
    },
  },
  {
    // A copilot's identity-token secret (lib/copilots/identity-secret.ts); the previous one (rotation overlap) keeps the same binding.
    label: 'copilots.identity_secret_ciphertext',
    table: 'copilots',
    key: [{ column: 'id', type: 'uuid' }],
    ciphertext: 'identity_secret_ciphertext',
    keyVersion: 'identity_secret_key_version',
    from: 'copilots t',
    copilotId: 't.id',
    bindingId: 't.id',
    binding: ({ copilotId }) => (copilotId ? { copilotId, purpose: 'identity-secret' } : null),
  },
  {
    label: 'copilots.previous_identity_secret_ciphertext',
    table: 'copilots',
    key: [{ column: 'id', type: 'uuid' }],
    ciphertext: 'previous_identity_secret_ciphertext',
    keyVersion: 'previous_identity_secret_key_version',
    from: 'copilots t',
    copilotId: 't.id',
    bindingId: 't.id',
    binding: ({ copilotId }) => (copilotId ? { copilotId, purpose: 'identity-secret' } : null),
  },
  {
    // Bound to the refresh hook's origin (core/refresh-hook.ts); null when no hook is registered.
    label: 'copilots.refresh_secret_ciphertext',
    table: 'copilots',
    key: [{ column: 'id', type: 'uuid' }],
    ciphertext: 'refresh_secret_ciphertext',
    keyVersion: 'refresh_secret_key_version',
    from: 'copilots t',
    copilotId: 't.id',
    bindingId: 't.refresh_url',
    binding: ({ copilotId, bindingId }) => {
      const origin = bindingId ? urlOrigin(bindingId) : null;
      return copilotId && origin ? { copilotId, purpose: 'refresh-hook-secret', origin } : null;
    },
  },
  {
    // A webhook endpoint's signing secret, bound to the endpoint and its URL's origin (lib/webhooks/secret.ts).
    label: 'webhook_endpoints.secret_ciphertext',
    table: 'webhook_endpoints',
    key: [{ column: 'id', type: 'uuid' }],
    ciphertext: 'secret_ciphertext',
    keyVersion: 'secret_key_version',
    from: 'webhook_endpoints t',
    copilotId: 't.copilot_id',
    bindingId: "t.id::text || ' ' || t.url",
    binding: ({ copilotId, bindingId }) => {
      const webhookId = bindingId?.slice(0, 36);
      const origin = bindingId ? urlOrigin(bindingId.slice(37)) : null;
      return copilotId && webhookId && origin ? { copilotId, purpose: 'webhook-secret', webhookId, origin } : null;
    },
  },
  {
    // A person's authenticator-app seed, bound to the user (lib/two-factor/totp.ts); no copilot.
    label: 'totp_factors.ciphertext',
    table: 'totp_factors',
    key: [{ column: 'user_id', type: 'uuid' }],
    ciphertext: 'ciphertext',
    keyVersion: 'key_version',
    from: 'totp_factors t',
    copilotId: 'null',
    bindingId: 't.user_id',
    binding: ({ bindingId }) => (bindingId ? { userId: bindingId, purpose: 'totp-seed' } : null),
  },
];
