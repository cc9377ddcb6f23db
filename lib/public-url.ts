import 'server-only';
import { headers } from 'next/headers';
import { env } from '@/core/env';

/** Where browsers and engines reach this app: NEXTAUTH_URL, else this request's host (for snippets and examples). */
export async function publicAppOrigin(): Promise<string> {
  const configured = env().NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? (/^(localhost|127\.0\.0\.1)(:|$)/.test(host) ? 'http' : 'https');
  return `${proto}://${host}`;
}
