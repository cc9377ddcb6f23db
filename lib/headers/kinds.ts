// The kinds of header and what each one asks for. No zod here: the headers table and other light
// client components import it without pulling the form schemas into the page's first load.
import type { HeaderKind } from '@/db/enums';

export type SecretField = 'value' | 'token' | 'username' | 'password';

export interface HeaderKindPreset {
  label: string;
  /** Name the form pre-fills. */
  defaultName: string;
  secretFields: readonly SecretField[];
}

export const HEADER_KIND_PRESETS: Readonly<Record<HeaderKind, HeaderKindPreset>> = {
  api_key: { label: 'API key', defaultName: 'X-API-Key', secretFields: ['value'] },
  bearer: { label: 'Bearer token', defaultName: 'Authorization', secretFields: ['token'] },
  basic: { label: 'Basic auth', defaultName: 'Authorization', secretFields: ['username', 'password'] },
  custom: { label: 'Custom header', defaultName: '', secretFields: ['value'] },
};

