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
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file has its own data folder and (on PostgreSQL) its own database (test/setup.ts), so files
    // run side by side: on two cores the suite takes about 60 % of the time it takes one file at a time.
    fileParallelism: true,
    maxWorkers: Math.max(2, Math.min(4, availableParallelism())),
  },
});
