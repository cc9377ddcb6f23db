import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

/**
 * core/ and db/ are shared by the dashboard (Next.js) and the data plane (a plain node:http process):
 * they may import each other, node:* and npm packages, never Next.js, React or dashboard code.
 */
export const coreBoundary = {
  files: ['core/**/*.{ts,tsx,mjs}', 'db/**/*.{ts,tsx,mjs}'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['next', 'next/*', 'next-auth', 'next-auth/*'], message: 'core/ and db/ run outside Next.js (the data plane): no next/* imports.' },
          { group: ['react', 'react/*', 'react-dom', 'react-dom/*', 'server-only'], message: 'core/ and db/ run outside React and Next.js.' },
          { group: ['@/app/*', '@/components/*', '@/lib/*', '@/server/*', '@/widget/*', '**/app/**', '**/components/**', '**/lib/**', '**/server/**'], message: 'core/ and db/ are the shared base: they may not import the dashboard (app/, components/, lib/) or a server entry.' },
        ],
      },
    ],
  },
};

/**
 * The data plane (server/data-plane/) runs in a plain node:http process without Next.js: it may import core/,
 * db/, node:* and npm packages, never Next.js, React or the dashboard.
 */
export const dataPlaneBoundary = {
  files: ['server/data-plane/**/*.{ts,tsx,mjs}'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['next', 'next/*', 'next-auth', 'next-auth/*'], message: 'The data plane runs outside Next.js: no next/* imports.' },
          { group: ['react', 'react/*', 'react-dom', 'react-dom/*', 'server-only'], message: 'The data plane runs outside React and Next.js.' },
          { group: ['@/app/*', '@/components/*', '@/lib/*', '@/widget/*', '**/app/**', '**/components/**', '**/lib/**'], message: 'The data plane may not import the dashboard (app/, components/, lib/): what both planes need lives in core/.' },
        ],
      },
    ],
  },
};

/** The dashboard talks to the data plane only through the database (and LISTEN/NOTIFY), never by importing it. */
export const dashboardBoundary = {
  files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}'],
  ignores: ['**/*.test.ts', '**/*.test.tsx'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: ['@/server/*', '**/server/**'], message: 'The dashboard does not import the data plane or the server entries: share through core/.' }] },
    ],
  },
};

const config = [
  ...nextVitals,
  ...nextTs,
  coreBoundary,
  dataPlaneBoundary,
  dashboardBoundary,
  { ignores: ['.next/**', '.data/**', 'dist/**', 'widget/dist/**', 'public/widget*.js', 'node_modules/**', 'db/migrations/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
];

export default config;
