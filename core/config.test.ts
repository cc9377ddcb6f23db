import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function freshEnv() {
  vi.resetModules();
  return import('./config');
}

describe('start-up configuration', () => {
  it('in production, refuses to start without NEXTAUTH_SECRET and names it', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('NEXTAUTH_SECRET', '');
    vi.stubEnv('AUTH_SECRET', '');
    const { assertServerConfiguration } = await freshEnv();
    await expect(assertServerConfiguration()).rejects.toThrow(/^NEXTAUTH_SECRET is missing/);
  });

  it('in production, refuses to start without ENCRYPTION_KEYS and names it', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('NEXTAUTH_SECRET', 'x'.repeat(40));
    vi.stubEnv('NEXTAUTH_URL', 'https://headers.example.com');
    vi.stubEnv('ENCRYPTION_KEYS', '');
    const { assertServerConfiguration } = await freshEnv();
    await expect(assertServerConfiguration()).rejects.toThrow(/ENCRYPTION_KEYS/);
  });

  it('in production, refuses to start without FINGERPRINT_KEY (or with a malformed one) and names it, never its value', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('NEXTAUTH_SECRET', 'x'.repeat(40));
    vi.stubEnv('NEXTAUTH_URL', 'https://headers.example.com');
    vi.stubEnv('ENCRYPTION_KEYS', `1:${Buffer.alloc(32, 7).toString('base64')}`);
    vi.stubEnv('FINGERPRINT_KEY', '');
    let { assertServerConfiguration } = await freshEnv();
    await expect(assertServerConfiguration()).rejects.toThrow(/^FINGERPRINT_KEY is missing/);
    vi.stubEnv('FINGERPRINT_KEY', 'dG9vLXNob3J0LWtleS12YWx1ZQ==');
    ({ assertServerConfiguration } = await freshEnv());
    const error = await assertServerConfiguration().catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^FINGERPRINT_KEY must be 32 bytes/);
    expect((error as Error).message).not.toContain('dG9vLXNob3J0');
    vi.stubEnv('FINGERPRINT_KEY', Buffer.alloc(32, 9).toString('base64'));
    ({ assertServerConfiguration } = await freshEnv());
    await expect(assertServerConfiguration()).resolves.toBeUndefined();
  });

  it('in production, refuses to start without NEXTAUTH_URL and names it', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('NEXTAUTH_SECRET', 'x'.repeat(40));
    vi.stubEnv('NEXTAUTH_URL', '');
    vi.stubEnv('AUTH_TRUST_HOST', '');
    const { assertServerConfiguration } = await freshEnv();
    await expect(assertServerConfiguration()).rejects.toThrow(/^NEXTAUTH_URL is missing/);
  });

  it.each([
    ['TRUSTED_PROXY_HOPS', 'abc'],
    ['TRUSTED_PROXY_HOPS', '-1'],
    ['RUNTIME_RATE_LIMIT_PER_MINUTE', '0'],
    ['RUNTIME_RATE_LIMIT_PER_MINUTE', '10/min'],
    ['DATABASE_POOL_SIZE', 'many'],
    ['PORT', '70000'],
    ['AUTH_TRUST_HOST', 'maybe'],
    ['RUNTIME_PRIVATE_HOSTS', 'http://internal/'],
  ])('a malformed %s (%s) is a start-up error naming the variable, not a silent default', async (name, value) => {
    vi.stubEnv(name, value);
    const { assertServerConfiguration } = await freshEnv();
    await expect(assertServerConfiguration('runtime')).rejects.toThrow(new RegExp(`^${name}`));
  });

  it('a malformed DATABASE_URL is refused without echoing it (it may carry a password)', async () => {
    vi.stubEnv('DATABASE_URL', 'mysql://root:hunter2-password@db/x');
    const { env } = await import('./env');
    expect(() => env()).toThrow(/^DATABASE_URL must be a postgres or postgresql URL$/);
  });

  it('in development, generates the session secret once into DATA_DIR with mode 0600', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    vi.stubEnv('NEXTAUTH_SECRET', '');
    vi.stubEnv('AUTH_SECRET', '');
    const { statSync } = await import('node:fs');
    const path = await import('node:path');
    const first = (await freshEnv()).authSecret();
    const second = (await freshEnv()).authSecret();
    expect(first).toHaveLength(43);
    expect(second).toBe(first);
    expect(statSync(path.join(process.env.DATA_DIR!, 'auth-secret')).mode & 0o777).toBe(0o600);
  });
});
