import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The project's own ESLint configuration, applied to code as if it were a file of core/, db/, the data plane or the dashboard.
async function lint(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('core/ boundary: shared by the dashboard and the data plane, it imports no Next.js or dashboard code', () => {
  it.each([
    ["import { cookies } from 'next/headers';", 'core/upstream/probe.ts'],
    ["import { NextResponse } from 'next/server';", 'db/probe.ts'],
    ["import 'server-only';", 'core/probe.ts'],
    ["import { useState } from 'react';", 'core/probe.ts'],
    ["import { recordAudit } from '@/lib/audit/record';", 'core/headers/probe.ts'],
    ["import { Button } from '@/components/ui/button';", 'core/probe.ts'],
    ["import { recordAudit } from '../../lib/audit/record';", 'core/headers/probe.ts'],
  ])('lint fails for %s in %s', async (code, filePath) => {
    expect(await lint(`${code}\nexport {};\n`, filePath)).toHaveLength(1);
  });

  it('lint passes for node:*, npm packages and core/db imports in core/, and the rule does not apply to lib/', async () => {
    expect(await lint("import { createHash } from 'node:crypto';\nimport { z } from 'zod';\nimport { env } from '@/core/env';\nimport { users } from '@/db/schema';\nexport const x = [createHash, z, env, users];\n", 'core/probe.ts')).toEqual([]);
    expect(await lint("import { cookies } from 'next/headers';\nexport const x = cookies;\n", 'lib/probe.ts')).toEqual([]);
  });
});

describe('server/data-plane/ boundary: the data plane runs without Next.js and reaches the dashboard only through the database', () => {
  it.each([
    ["import { cookies } from 'next/headers';", 'server/data-plane/routes/probe.ts'],
    ["import { useState } from 'react';", 'server/data-plane/probe.ts'],
    ["import { recordAudit } from '@/lib/audit/record';", 'server/data-plane/cache/probe.ts'],
    ["import { Button } from '@/components/ui/button';", 'server/data-plane/engine/probe.ts'],
  ])('lint fails for %s in %s', async (code, filePath) => {
    expect(await lint(`${code}\nexport {};\n`, filePath)).toHaveLength(1);
  });

  it('lint passes for core/ and db/ imports in the data plane', async () => {
    expect(await lint("import { env } from '@/core/env';\nimport { copilots } from '@/db/schema';\nexport const x = [env, copilots];\n", 'server/data-plane/probe.ts')).toEqual([]);
  });

  it.each([
    ["import { createDataPlane } from '@/server/data-plane/router';", 'lib/copilots/probe.ts'],
    ["import { runTurn } from '@/server/data-plane/engine/turn';", 'app/probe.tsx'],
    ["import { log } from '@/server/process/lifecycle';", 'components/probe.tsx'],
  ])('the dashboard may not import the data plane or a server entry: lint fails for %s in %s', async (code, filePath) => {
    expect(await lint(`${code}\nexport {};\n`, filePath)).toHaveLength(1);
  });
});
