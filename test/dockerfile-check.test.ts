// The Dockerfile interpreter behind `npm run check:docker` (scripts/check-dockerfile.ts), which CI runs
// because this machine has no Docker engine: if it skipped or misread a step, the image and the check
// could drift apart. Also: the repository's deployment files say what the docs promise.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerfileError, nodeMajorOf, parseDockerfile } from '@/scripts/dockerfile/parse';
import { foreignPaths, imageRoots, isIgnored, parseDockerignore, rewritePaths } from '@/scripts/dockerfile/paths';
import { replayDockerfile } from '@/scripts/dockerfile/replay';

const root = process.cwd();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const from = (body: string) => `FROM node:20-bookworm-slim AS app\nWORKDIR /app\n${body}\n`;
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('deployable (there was no image or compose file): the Dockerfile interpreter of check:docker', () => {
  it.each([
    ['ADD', 'ADD https://example.com/x.tgz /app/'],
    ['ARG', 'ARG VERSION=1'],
    ['ENTRYPOINT', 'ENTRYPOINT ["sh"]'],
    ['SHELL', 'SHELL ["/bin/bash", "-c"]'],
    ['ONBUILD', 'ONBUILD RUN echo hi'],
    ['STOPSIGNAL', 'STOPSIGNAL SIGKILL'],
  ])('refuses an instruction it does not interpret (%s), naming the line, so the image cannot grow a step the check skips', (op, line) => {
    expect(() => parseDockerfile(from(line))).toThrow(DockerfileError);
    expect(() => parseDockerfile(from(line))).toThrow(new RegExp(`line 3: ${op} is not an instruction the check interprets`));
  });

  it.each([
    ['a COPY flag', 'COPY --chown=1000:1000 . .', /COPY --chown is not supported/],
    ['a mount other than a cache', 'RUN --mount=type=secret,id=npm npm ci', /supports only type=cache/],
    ['a variable Docker would substitute', 'COPY $SRC ./', /variables/],
    ['a shell-form CMD', 'CMD node dist/server.mjs', /exec form/],
    ['a user name', 'USER node', /numeric/],
    ['a relative WORKDIR', 'WORKDIR app', /absolute path/],
    ['a wildcard', 'COPY *.json ./', /no wildcards/],
    ['an unknown stage', 'COPY --from=nowhere /app/dist ./dist', /earlier stage/],
    ['the legacy ENV form', 'ENV NODE_ENV production', /NAME=value/],
  ])('refuses %s it cannot replay faithfully', (_what, line, message) => {
    expect(() => parseDockerfile(from(line))).toThrow(message);
  });

  it('reads the repository Dockerfile: three stages on Node 20, non-root, HEALTHCHECK on /healthz, `npm start` as the command', () => {
    const { stages } = parseDockerfile(read('Dockerfile'));
    expect(stages.map((s) => s.name)).toEqual(['deps', 'build', 'runtime']);
    expect(stages.map((s) => nodeMajorOf(s.image))).toEqual([20, 20, 20]);
    const final = stages.at(-1)!.instructions;
    expect(final.find((i) => i.op === 'USER')).toMatchObject({ uid: 1000, gid: 1000 });
    expect(final.find((i) => i.op === 'CMD')).toMatchObject({ command: ['node', 'dist/server.mjs'] });
    expect(JSON.parse(read('package.json')).scripts.start).toBe('node dist/server.mjs');
    expect(final.find((i) => i.op === 'HEALTHCHECK')).toMatchObject({ command: ['node', 'scripts/healthcheck.mjs'] });
    expect(read('scripts/healthcheck.mjs')).toContain("'/healthz'");
    // Production dependencies only: the final stage copies node_modules from the stage that pruned them.
    const build = stages[1]!.instructions.find((i) => i.op === 'RUN');
    expect(build).toMatchObject({ command: expect.stringContaining('npm prune --omit=dev') });
  });

  it('rewrites only the image\'s own paths, as whole path segments, into the stage folder', () => {
    const { stages } = parseDockerfile(from('RUN --mount=type=cache,target=/root/.npm npm ci\nVOLUME /data'));
    const roots = imageRoots(stages);
    expect(roots.sort()).toEqual(['/app', '/data', '/root']);
    expect(rewritePaths('mkdir -p /data && chown 1000:1000 /data', roots, '/tmp/s')).toBe('mkdir -p /tmp/s/data && chown 1000:1000 /tmp/s/data');
    expect(rewritePaths('DATA_DIR=/data/pglite cd /app;ls "/app/x"', roots, '/tmp/s')).toBe('DATA_DIR=/tmp/s/data/pglite cd /tmp/s/app;ls "/tmp/s/app/x"');
    // Not image paths: another folder with the same prefix, a URL path, the system's own folders.
    expect(rewritePaths('ls /database http://host/app /usr/local/bin/node /tmp', roots, '/tmp/s')).toBe('ls /database http://host/app /usr/local/bin/node /tmp');
  });

  it('refuses to replay a RUN line that names a folder the Dockerfile never declared (it would touch this machine\'s)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dockerfile-replay-'));
    temps.push(dir);
    const dockerfile = parseDockerfile(from('RUN mkdir -p /srv/state > /dev/null'));
    expect(foreignPaths('mkdir -p /srv/state > /dev/null && ls /app', imageRoots(dockerfile.stages))).toEqual(['/srv']);
    await expect(replayDockerfile(dockerfile, { contextDir: dir, workDir: path.join(dir, 'stages'), log: () => undefined })).rejects.toThrow(
      /line 3: RUN names \/srv, a folder the replay would take from this machine/,
    );
    expect(existsSync('/srv/state')).toBe(false);
  });

  it('replays stages in folders: COPY from the context and from a stage, RUN in the WORKDIR with ENV paths rewritten', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dockerfile-replay-'));
    temps.push(dir);
    mkdirSync(path.join(dir, 'context/src'), { recursive: true });
    writeFileSync(path.join(dir, 'context/src/a.txt'), 'from the context\n');
    const dockerfile = parseDockerfile(
      [
        'FROM node:20-bookworm-slim AS one',
        'WORKDIR /app',
        'COPY src ./src',
        'ENV OUT=/app/out.txt',
        'RUN cat src/a.txt > "$OUT" && pwd >> /app/out.txt',
        'FROM node:20-bookworm-slim AS two',
        'WORKDIR /srv',
        'ENV DATA_DIR=/data',
        'COPY --from=one /app/out.txt /app/src/a.txt ./copied/',
        'RUN mkdir -p /data && test -d "$DATA_DIR"',
        'USER 1000:1000',
        'CMD ["node", "x.mjs"]',
      ].join('\n'),
    );
    const final = await replayDockerfile(dockerfile, { contextDir: path.join(dir, 'context'), workDir: path.join(dir, 'stages'), log: () => undefined });
    const one = path.join(dir, 'stages/0-one');
    expect(readFileSync(path.join(one, 'app/out.txt'), 'utf8')).toBe(`from the context\n${path.join(one, 'app')}\n`);
    expect(final.cwd).toBe(path.join(dir, 'stages/1-two/srv'));
    expect(readFileSync(path.join(final.cwd, 'copied/out.txt'), 'utf8')).toContain('from the context');
    expect(existsSync(path.join(final.cwd, 'copied/a.txt'))).toBe(true);
    expect(existsSync(path.join(dir, 'stages/1-two/data'))).toBe(true);
    expect(existsSync('/data') && existsSync('/data/out.txt')).toBe(false);
    expect(final.env.DATA_DIR).toBe(path.join(dir, 'stages/1-two/data'));
    expect(final).toMatchObject({ user: { uid: 1000, gid: 1000 }, cmd: ['node', 'x.mjs'] });
  });

  it('applies .dockerignore as Docker does: the last matching rule wins, a folder rule covers its files; secrets stay out', () => {
    const rules = parseDockerignore(read('.dockerignore'));
    for (const file of ['.env', '.env.production', '.data/keyring', 'node_modules/next/package.json', 'widget/node_modules/x', '.next/BUILD_ID', 'dist/server.mjs', '.git/config']) {
      expect(isIgnored(file, rules), file).toBe(true);
    }
    for (const file of ['.env.example', 'package.json', 'package-lock.json', 'app/layout.tsx', 'db/migrations/0000_init.sql', 'scripts/healthcheck.mjs']) {
      expect(isIgnored(file, rules), file).toBe(false);
    }
  });
});

function healthcheck(args: string[], env: Record<string, string> = {}): Promise<number | null> {
  const child = spawn(process.execPath, ['scripts/healthcheck.mjs', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('deployable (there was no image or compose file): the files an operator starts from', () => {
  it('the image\'s HEALTHCHECK script exits 0 only when its port answers 200 on /healthz (PORT, or the port given)', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await healthcheck([], { PORT: String(port) })).toBe(0);
      expect(await healthcheck([String(port)], { PORT: '1' })).toBe(0);
      expect(await healthcheck([String(port), '/readyz'])).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await healthcheck([String(port)])).toBe(1); // nothing listens any more
  });

  it('.env.example names every variable the product reads (core/env.ts)', () => {
    const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(read('core/env.ts'))![1]!;
    const names = [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(20);
    const example = read('.env.example');
    const missing = names.filter((name) => !new RegExp(`^#?\\s?${name}=`, 'm').test(example) && name !== 'NODE_ENV');
    expect(missing).toEqual([]);
  });

  it('compose.yaml: PostgreSQL 16 with a volume and a healthcheck, both roles wait for it, secrets from .env', async () => {
    const { parse } = await import('yaml');
    const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Record<string, unknown>> };
    const { postgres, dashboard, runtime, migrate } = compose.services;
    expect(postgres).toMatchObject({ image: expect.stringMatching(/^postgres:16/), volumes: [expect.stringMatching(/:\/var\/lib\/postgresql\/data$/)], healthcheck: { test: expect.anything() } });
    for (const service of [dashboard, runtime]) {
      expect(service).toMatchObject({ env_file: '.env', depends_on: { postgres: { condition: 'service_healthy' }, migrate: { condition: 'service_completed_successfully' } } });
    }
    expect(runtime).toMatchObject({ command: ['node', 'dist/runtime.mjs'], healthcheck: { test: ['CMD', 'node', 'scripts/healthcheck.mjs', '3001'] } });
    expect(migrate).toMatchObject({ command: ['node', '--conditions=react-server', 'dist/migrate.mjs'] });
  });
});
