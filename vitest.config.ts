import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@/': root,
      'server-only': fileURLToPath(new URL('./test/empty-module.ts', import.meta.url)),
    },
  },
  test: {
    include: ['{core,db,lib,components,app,server,test,widget}/**/*.test.{ts,tsx}'],
    exclude: ['widget/dist/**', '**/node_modules/**'],
    environment: 'node',
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    // A tripwire for a hung test, not a speed target: CI runs both suites, both end-to-end runs and the Dockerfile
    // replay side by side on 2 cores (load ≈ 17), where the authorization matrix alone can pass 30 s.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file has its own data folder and (on PostgreSQL) its own database (test/setup.ts), so files
    // run side by side: on two cores the suite takes about 60 % of the time it takes one file at a time.
    fileParallelism: true,
    maxWorkers: Math.max(2, Math.min(4, availableParallelism())),
  },
});
