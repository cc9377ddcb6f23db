import 'server-only';
import { randomBytes } from 'node:crypto';

/** Public widget token: 192 random bits, URL-safe. Public by design (it sits in frontend code). */
export function generateWidgetToken(): string {
  return `cpt_${randomBytes(24).toString('base64url')}`;
}
