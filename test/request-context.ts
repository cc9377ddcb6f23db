/** Cookies of the simulated request that server actions see under Vitest (see test/setup.ts). */
export const requestCookies = new Map<string, string>();
