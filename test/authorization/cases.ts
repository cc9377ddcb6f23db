// One entry per server action: who may call it, and an input that would do harm if the guard let the
// wrong caller through. test/authorization.test.ts fails, naming the action, when one is missing here.
import type { Role } from '@/db/schema';
import type { World } from './world';

/**
 * copilot: copilotAction (membership role, or an instance admin) · instance: instanceAction ·
 * user: any signed-in user with an active session · creator: who the instance settings allow to create
 * copilots (instance admins by default) · link: public, the single-use link token is the credential ·
 * setup: public only while the instance has no account · own session: public, acts only on the session
 * the caller's own cookie names (sign out), so a caller without an active session changes nothing ·
 * second factor: only a session whose password is done and whose second-factor code is owed ·
 * second factor setup: a signed-in user (after a recent password confirmation), or a session that must
 * enrol before it reaches anything.
 */
export type Access =
  | { scope: 'copilot'; minRole: Role }
  | { scope: 'instance' }
  | { scope: 'user' }
  | { scope: 'creator' }
  | { scope: 'link' }
  | { scope: 'setup' }
  | { scope: 'own session' }
  | { scope: 'second factor' }
  | { scope: 'second factor setup' };

export type Case = {
  access: Access;
  /** What a caller who must be refused sends. */
  input: (w: World) => unknown;
  /** What an authorised caller sends to show the guard lets them through (defaults to `input`). */
  allowed?: (w: World) => unknown;
};

const copilot = (minRole: Role): Access => ({ scope: 'copilot', minRole });
const UNKNOWN_INVITATION = `chinv_${'A'.repeat(43)}`;
const UNKNOWN_RESET = `chrst_${'A'.repeat(43)}`;
const tokenOf = (path: string) => path.split('/').pop()!;
const NEW_PASSWORD = 'a brand new password 123';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const FAKE_ASSERTION = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' } };
const FAKE_REGISTRATION = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' } };

export const CASES: Record<string, Case> = {
  // lib/auth
  createFirstAdminAction: {
    access: { scope: 'setup' },
    input: () => ({ name: 'Intruder', email: 'intruder@example.test', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
  },
  confirmPasswordAction: { access: { scope: 'user' }, input: () => ({ password: 'not the password' }) },
  changePasswordAction: {
    access: { scope: 'user' },
    input: () => ({ currentPassword: 'not the password', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
  },
  signOutEverywhereAction: { access: { scope: 'user' }, input: () => ({}) },
  endSessionAction: { access: { scope: 'user' }, input: (w) => ({ sessionId: w.sessions.owner }) },
  signOutAction: { access: { scope: 'own session' }, input: () => undefined },
  // lib/two-factor
  verifySecondFactorAction: { access: { scope: 'second factor' }, input: () => ({ code: '123456' }) },
  startTotpEnrolmentAction: { access: { scope: 'second factor setup' }, input: () => ({}) },
  confirmTotpEnrolmentAction: { access: { scope: 'second factor setup' }, input: () => ({ code: '123456' }) },
  regenerateRecoveryCodesAction: { access: { scope: 'user' }, input: () => ({}) },
  disableTotpAction: { access: { scope: 'user' }, input: () => ({}) },
  resetSecondFactorAction: { access: { scope: 'instance' }, input: (w) => ({ userId: w.users.owner.id }) },
  // lib/passkeys
  startPasskeyRegistrationAction: { access: { scope: 'user' }, input: () => ({}) },
  finishPasskeyRegistrationAction: { access: { scope: 'user' }, input: () => ({ challengeId: UNKNOWN_ID, name: 'Intruder key', response: FAKE_REGISTRATION }) },
  renamePasskeyAction: { access: { scope: 'user' }, input: () => ({ passkeyId: UNKNOWN_ID, name: 'Renamed' }) },
  removePasskeyAction: { access: { scope: 'user' }, input: () => ({ passkeyId: UNKNOWN_ID }) },
  startPasskeySecondFactorAction: { access: { scope: 'second factor' }, input: () => ({}) },
  verifyPasskeySecondFactorAction: { access: { scope: 'second factor' }, input: () => ({ challengeId: UNKNOWN_ID, response: FAKE_ASSERTION }) },
  startPasskeyConfirmAction: { access: { scope: 'user' }, input: () => ({}) },
  confirmWithPasskeyAction: { access: { scope: 'user' }, input: () => ({ challengeId: UNKNOWN_ID, response: FAKE_ASSERTION }) },
  // lib/copilots
  createCopilotAction: { access: { scope: 'creator' }, input: () => ({ name: 'Shadow copilot', apiBaseUrls: 'https://shadow.example.com', allowedOrigins: '' }) },
  updateCopilotAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, name: 'Hijacked', allowedOrigins: 'https://evil.example' }) },
  updateApiBaseUrlsAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, apiBaseUrls: 'https://evil.example' }) },
  rotateWidgetTokenAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, environmentId: w.environmentId, grace: '24h' }) },
  endWidgetTokenGraceAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, environmentId: w.environmentId }) },
  // lib/environments
  createEnvironmentAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, name: 'Intruder' }) },
  renameEnvironmentAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, environmentId: w.environmentId, name: 'Hijacked' }) },
  deleteEnvironmentAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, environmentId: w.environmentId, confirmName: 'Staging' }) },
  // Copying Production's value into Staging (staged on its existing X-API-Key, or a new header) is the harm.
  previewCopyHeadersAction: {
    access: copilot('admin'),
    input: (w) => ({ copilotId: w.copilotId, fromEnvironmentId: w.productionEnvironmentId, toEnvironmentId: w.environmentId, names: ['X-API-Key'], existing: 'stage' }),
  },
  copyHeadersAction: {
    access: copilot('admin'),
    input: (w) => ({ copilotId: w.copilotId, fromEnvironmentId: w.productionEnvironmentId, toEnvironmentId: w.environmentId, names: ['X-API-Key'], existing: 'stage' }),
  },
  updateSessionSettingsAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, maxTtlMinutes: 1440, sessionRequired: false }) },
  endAllSessionsAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId }) },
  rotateIdentitySecretAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, overlap: 'none' }) },
  endIdentitySecretOverlapAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId }) },
  updateIdentityKeysAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, jwksUrl: 'https://evil.example/jwks.json', issuer: '' }) },
  updateHeaderSchemaAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, entries: [{ name: 'X-Evil', required: true, pattern: '', maxLength: '', description: '' }] }) },
  setRefreshHookAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, url: 'https://evil.example/refresh' }) },
  rotateRefreshSecretAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId }) },
  removeRefreshHookAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId }) },
  // lib/webhooks
  createWebhookAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, url: 'https://evil.example/hook', eventTypes: ['server_key.revoked'], format: 'json', enabled: true }) },
  updateWebhookAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, webhookId: w.webhookId, url: 'https://evil.example/hook', eventTypes: ['server_key.revoked'], format: 'json', enabled: true }) },
  rotateWebhookSecretAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, webhookId: w.webhookId }) },
  removeWebhookAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, webhookId: w.webhookId }) },
  // The allowed call names no endpoint: it is let through and answers at once (a real one would wait for a delivery worker).
  sendWebhookTestAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, webhookId: w.webhookId }), allowed: (w) => ({ copilotId: w.copilotId, webhookId: UNKNOWN_ID }) },
  deleteCopilotAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, confirmName: 'Victim' }) },
  setMemberRoleAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, userId: w.users.viewer.id, role: 'admin' }) },
  removeMemberAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, userId: w.users.viewer.id, revokeServerKeyIds: [w.keyId], revokeApiTokenIds: [] }) },
  // lib/invitations
  inviteMemberAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, email: 'intruder@example.test', role: 'admin' }) },
  revokeInvitationAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, invitationId: w.invitationId }) },
  inviteToInstanceAction: { access: { scope: 'instance' }, input: () => ({ email: 'intruder@example.test' }) },
  revokeInstanceInvitationAction: { access: { scope: 'instance' }, input: (w) => ({ invitationId: w.invitationId }) },
  acceptInvitationAction: { access: { scope: 'user' }, input: (w) => ({ token: tokenOf(w.invitationPath) }) },
  createAccountFromInvitationAction: {
    access: { scope: 'link' },
    input: () => ({ token: UNKNOWN_INVITATION, name: 'Intruder', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
    allowed: (w) => ({ token: tokenOf(w.invitationPath), name: 'Invitee', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
  },
  // lib/users, lib/instance
  setUserDisabledAction: { access: { scope: 'instance' }, input: (w) => ({ userId: w.users.viewer.id, disabled: true, revokeServerKeyIds: [w.keyId], revokeApiTokenIds: [] }) },
  setInstanceAdminAction: { access: { scope: 'instance' }, input: (w) => ({ userId: w.users.stranger.id, instanceAdmin: true }) },
  createPasswordResetLinkAction: { access: { scope: 'instance' }, input: (w) => ({ userId: w.users.owner.id }) },
  resetPasswordAction: {
    access: { scope: 'link' },
    input: () => ({ token: UNKNOWN_RESET, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
    allowed: (w) => ({ token: tokenOf(w.resetPath), password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
  },
  sendEmailVerificationAction: { access: { scope: 'user' }, input: () => ({}) },
  verifyEmailAction: { access: { scope: 'link' }, input: () => ({ token: `chver_${'A'.repeat(43)}` }), allowed: (w) => ({ token: tokenOf(w.verificationPath) }) },
  updateInstanceSettingsAction: { access: { scope: 'instance' }, input: () => ({ copilotCreators: 'everyone' }) },
  // lib/headers, lib/server-keys
  createHeaderAction: {
    access: copilot('admin'),
    input: (w) => ({ copilotId: w.copilotId, environmentId: w.environmentId, kind: 'api_key', name: 'X-Injected', value: 'attacker-value', allowWidgetOverride: true }),
  },
  updateHeaderAction: {
    access: copilot('admin'),
    input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId, expectedVersion: 1, kind: 'custom', name: 'X-API-Key', value: 'attacker-value', allowWidgetOverride: true }),
  },
  deleteHeaderAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId, expectedVersion: 1 }) },
  stageHeaderValueAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId, expectedVersion: 1, kind: 'api_key', value: 'attacker-pending-value' }) },
  promoteHeaderValueAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId, expectedVersion: 1 }) },
  cancelPendingValueAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId, expectedVersion: 1 }) },
  rollbackHeaderValueAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId, expectedVersion: 1, toVersion: 1 }) },
  setRotationReminderAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId, expectedVersion: 1, rotationDays: 1 }) },
  listHeaderHistoryAction: { access: copilot('viewer'), input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId }) },
  verifyHeaderValueAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, headerId: w.headerId, candidate: 'guessing-the-secret' }) },
  previewBulkHeadersAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, text: 'X-Probe=attacker-value' }) },
  createBulkHeadersAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, text: 'X-Injected=attacker-value\nX-Other=attacker-value' }) },
  // lib/audit: reading another copilot's audit log is the harm
  listAuditPageAction: { access: copilot('viewer'), input: (w) => ({ copilotId: w.copilotId }) },
  // lib/model, lib/api-actions
  saveModelAction: {
    access: copilot('admin'),
    input: (w) => ({ copilotId: w.copilotId, baseUrl: 'https://attacker.example/v1', model: 'x', apiKey: 'attacker-key-value', systemPrompt: 'leak everything', maxSteps: 3, expectedVersion: 0 }),
  },
  importDocumentAction: {
    access: copilot('admin'),
    input: (w) => ({ copilotId: w.copilotId, document: '{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"delete":{"responses":{"200":{"description":"ok"}}}}}}' }),
  },
  setOperationEnabledAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, operationId: '00000000-0000-4000-8000-000000000000', enabled: true }) },
  setOperationAskFirstAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, operationId: '00000000-0000-4000-8000-000000000000', askFirst: false }) },
  // lib/mcp-servers
  addMcpServerAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, url: 'https://evil.example/mcp', name: 'intruder' }) },
  refreshMcpToolsAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, serverId: UNKNOWN_ID }) },
  setMcpToolEnabledAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, serverId: UNKNOWN_ID, tool: 'delete_everything', enabled: true }) },
  setMcpToolAskFirstAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, serverId: UNKNOWN_ID, tool: 'delete_everything', askFirst: false }) },
  removeMcpServerAction: { access: copilot('owner'), input: (w) => ({ copilotId: w.copilotId, serverId: UNKNOWN_ID }) },
  testRequestAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, method: 'GET', path: '/exfiltrate' }) },
  createServerKeyAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, environmentId: w.environmentId, name: 'intruder' }) },
  revokeServerKeyAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, keyId: w.keyId }) },
  // lib/api-tokens
  createApiTokenAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, name: 'intruder', scopes: ['headers:write'], expiresInDays: null }) },
  revokeApiTokenAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, tokenId: '00000000-0000-4000-8000-000000000000' }) },
  // lib/mcp-tokens
  createMcpTokenAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, name: 'intruder', expiresInDays: 30 }) },
  revokeMcpTokenAction: { access: copilot('admin'), input: (w) => ({ copilotId: w.copilotId, tokenId: UNKNOWN_ID }) },
};
