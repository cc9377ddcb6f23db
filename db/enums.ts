// Enum values of the database schema, in a module without Drizzle so browser code can import them too.
export const MEMBER_ROLES = ['owner', 'admin', 'viewer'] as const;
export type Role = (typeof MEMBER_ROLES)[number];

export const HEADER_KINDS = ['api_key', 'bearer', 'basic', 'custom'] as const;
export type HeaderKind = (typeof HEADER_KINDS)[number];

/** Instance setting: who may create copilots (the creator becomes its owner). */
export const COPILOT_CREATORS = ['instance_admins', 'everyone'] as const;
export type CopilotCreators = (typeof COPILOT_CREATORS)[number];

/** What a signed-in session still owes before it reaches anything: a second-factor code, or enrolling one. */
export const SECOND_FACTOR_STEPS = ['verify', 'enrol'] as const;
export type SecondFactorStep = (typeof SECOND_FACTOR_STEPS)[number];

/** Instance setting: who must have a second factor (copilot_admins: instance admins and every copilot's owners and admins). */
export const SECOND_FACTOR_POLICIES = ['nobody', 'instance_admins', 'copilot_admins', 'everyone'] as const;
export type SecondFactorPolicy = (typeof SECOND_FACTOR_POLICIES)[number];

/** What a WebAuthn challenge is for: adding a passkey, signing in with one, a second factor after a password, or confirming (sudo). */
export const WEBAUTHN_PURPOSES = ['register', 'sign_in', 'second_factor', 'confirm'] as const;
export type WebauthnPurpose = (typeof WEBAUTHN_PURPOSES)[number];

/** What a webhook endpoint is sent (docs/webhooks.md, "Events"). */
export const WEBHOOK_EVENT_TYPES = [
  'header.rotation_overdue',
  'credential.auth_failed',
  'widget_token.rotated',
  'widget_token.revoked',
  'server_key.revoked',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** A webhook's body: our JSON envelope, or a Slack-compatible `{ text, blocks }`. */
export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A delivery's state in the queue: waiting (for its first try or a retry), delivered, or given up after its last attempt. */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
