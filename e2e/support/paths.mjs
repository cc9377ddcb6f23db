import path from 'node:path';

export const E2E_PORT = Number(process.env.E2E_PORT || 3210);
// One folder per port, so two suites (CI runs PostgreSQL and PGlite side by side) can share a checkout.
export const E2E_DATA_DIR = path.resolve(`.data/e2e-${E2E_PORT}`);
/** Where the e2e server's SMTP server puts each email the app sends (e2e/support/server.mjs). */
export const E2E_MAIL_DIR = path.join(E2E_DATA_DIR, 'mail');
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
