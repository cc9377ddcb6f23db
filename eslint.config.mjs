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

const config = [
  ...nextVitals,
  ...nextTs,
  coreBoundary,
  { ignores: ['.next/**', '.data/**', 'dist/**', 'widget/dist/**', 'public/widget*.js', 'node_modules/**', 'db/migrations/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
];

export default config;
