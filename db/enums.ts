// Enum values of the database schema, in a module without Drizzle so browser code can import them too.
export const MEMBER_ROLES = ['owner', 'admin', 'viewer'] as const;
export type Role = (typeof MEMBER_ROLES)[number];

export const HEADER_KINDS = ['api_key', 'bearer', 'basic', 'custom'] as const;
export type HeaderKind = (typeof HEADER_KINDS)[number];

/** Instance setting: who may create copilots (the creator becomes its owner). */
export const COPILOT_CREATORS = ['instance_admins', 'everyone'] as const;
export type CopilotCreators = (typeof COPILOT_CREATORS)[number];
