// A parser for the subset of Dockerfile syntax this repository's Dockerfile uses, for
// scripts/check-dockerfile.ts, which replays the build without a Docker engine. Anything outside the
// subset — an instruction, a flag, a form, a variable — is refused with its line number, so the Dockerfile
// cannot grow a step the check would silently skip.

export type Mount = { type: 'cache'; target: string };
export type Instruction =
  | { op: 'WORKDIR'; line: number; path: string }
  | { op: 'ENV'; line: number; vars: Record<string, string> }
  | { op: 'COPY'; line: number; from: number | null; sources: string[]; dest: string }
  | { op: 'RUN'; line: number; command: string; mount: Mount | null }
  | { op: 'USER'; line: number; uid: number; gid: number }
  | { op: 'EXPOSE'; line: number; ports: number[] }
  | { op: 'VOLUME'; line: number; paths: string[] }
  | { op: 'HEALTHCHECK'; line: number; options: Record<string, string>; command: string[] }
  | { op: 'CMD'; line: number; command: string[] };
export type Op = Instruction['op'] | 'FROM';
export type Stage = { name: string; image: string; line: number; instructions: Instruction[] };
export type Dockerfile = { stages: Stage[] };

export class DockerfileError extends Error {
  constructor(line: number | null, message: string) {
    super(line ? `Dockerfile line ${line}: ${message}` : `Dockerfile: ${message}`);
    this.name = 'DockerfileError';
  }
}

const FLAGS: Record<Op, readonly string[]> = {
  FROM: [],
  WORKDIR: [],
  ENV: [],
  COPY: ['from'],
  RUN: ['mount'],
  USER: [],
  EXPOSE: [],
  VOLUME: [],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
  CMD: [],
};

/** Instructions the check interprets; every other one is refused. */
export const SUPPORTED_INSTRUCTIONS = Object.freeze(Object.keys(FLAGS) as Op[]);
const isOp = (op: string): op is Op => op in FLAGS;

/** Logical lines: comments and blank lines dropped, `\` continuations joined. */
function logicalLines(text: string): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  let current: { line: number; text: string } | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const continues = /\\$/.test(trimmed);
    const part = continues ? trimmed.slice(0, -1).trim() : trimmed;
    if (current) current.text += ` ${part}`;
    else current = { line: index + 1, text: part };
    if (!continues) {
      lines.push(current);
      current = null;
    }
  });
  const open = current as { line: number } | null;
  if (open) throw new DockerfileError(open.line, 'the file ends inside a line continuation');
  return lines;
}

function splitFlags(op: Op, rest: string, line: number): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let remaining = rest;
  for (;;) {
    const match = /^--([a-z-]+)=(\S+)\s*/.exec(remaining);
    if (!match) break;
    const name = match[1]!;
    if (!FLAGS[op].includes(name)) throw new DockerfileError(line, `${op} --${name} is not supported by the check`);
    if (name in flags) throw new DockerfileError(line, `${op} --${name} given twice`);
    flags[name] = match[2]!;
    remaining = remaining.slice(match[0].length);
  }
  if (/^--/.test(remaining)) throw new DockerfileError(line, `${op}: unsupported flag "${remaining.split(/\s/)[0]}"`);
  return { flags, rest: remaining };
}

function execForm(op: Op, text: string, line: number): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new DockerfileError(line, `${op} must use the exec form, a JSON array of strings (["node", "dist/server.mjs"])`);
  }
  return value as string[];
}

function absolutePath(op: string, value: string, line: number): string {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(value) || value.split('/').includes('..')) {
    throw new DockerfileError(line, `${op} needs an absolute path without variables or "..": "${value}"`);
  }
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

function parseEnv(rest: string, line: number): Record<string, string> {
  const vars: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)=("([^"\\]*)"|[^\s"'\\]*)(?=\s|$)/y;
  let index = 0;
  while (index < rest.length) {
    re.lastIndex = index;
    const match = re.exec(rest);
    if (!match) throw new DockerfileError(line, 'ENV takes NAME=value pairs (the legacy "ENV NAME value" form and escapes are not supported)');
    vars[match[1]!] = match[3] ?? match[2]!;
    index = re.lastIndex;
    while (rest[index] === ' ') index++;
  }
  if (Object.keys(vars).length === 0) throw new DockerfileError(line, 'ENV sets nothing');
  return vars;
}

function parseMount(spec: string, line: number): Mount {
  const fields = Object.fromEntries(spec.split(',').map((kv) => kv.split('=')));
  const keys = Object.keys(fields).sort().join(',');
  if (fields.type !== 'cache' || keys !== 'target,type') {
    throw new DockerfileError(line, `RUN --mount supports only type=cache,target=<absolute path> (got "${spec}")`);
  }
  return { type: 'cache', target: absolutePath('RUN --mount target', fields.target!, line) };
}

function parseInstruction(op: Op, rest: string, line: number, stages: Stage[]): Instruction {
  // Docker substitutes variables itself in every instruction but RUN (whose shell expands them from the
  // stage's ENV, as the replay's shell does); the check does not imitate that substitution.
  if (op !== 'RUN' && rest.includes('$')) throw new DockerfileError(line, `${op}: variables ("$") are not supported by the check; write the value out`);
  const { flags, rest: args } = splitFlags(op, rest, line);
  switch (op) {
    case 'WORKDIR':
      return { op, line, path: absolutePath(op, args, line) };
    case 'ENV':
      return { op, line, vars: parseEnv(args, line) };
    case 'COPY': {
      if (args.startsWith('[')) throw new DockerfileError(line, 'COPY: use the plain form (COPY <src>… <dest>)');
      const parts = args.split(/\s+/);
      if (parts.length < 2) throw new DockerfileError(line, 'COPY needs at least one source and a destination');
      const dest = parts.pop()!;
      let from: number | null = null;
      if (flags.from !== undefined) {
        from = stages.findIndex((s) => s.name === flags.from);
        if (from < 0) throw new DockerfileError(line, `COPY --from=${flags.from} must name an earlier stage`);
      }
      for (const src of parts) {
        if (/[*?[\]]/.test(src) || src.split('/').includes('..')) throw new DockerfileError(line, `COPY source "${src}": no wildcards or ".."`);
        if (from !== null) absolutePath('COPY --from source', src, line);
        else if (src.startsWith('/')) throw new DockerfileError(line, `COPY source "${src}" must be relative to the build context`);
      }
      if (parts.length > 1 && !dest.endsWith('/')) throw new DockerfileError(line, 'COPY with several sources needs a destination ending in "/"');
      return { op, line, from, sources: parts, dest };
    }
    case 'RUN': {
      if (args.startsWith('[')) throw new DockerfileError(line, 'RUN: use the shell form');
      if (!args) throw new DockerfileError(line, 'RUN needs a command');
      return { op, line, command: args, mount: flags.mount ? parseMount(flags.mount, line) : null };
    }
    case 'USER': {
      const match = /^(\d+)(?::(\d+))?$/.exec(args);
      if (!match) throw new DockerfileError(line, 'USER must be numeric, uid or uid:gid (names need the base image\'s /etc/passwd)');
      return { op, line, uid: Number(match[1]), gid: Number(match[2] ?? match[1]) };
    }
    case 'EXPOSE': {
      const ports = args.split(/\s+/);
      if (!ports.every((p) => /^\d{1,5}$/.test(p))) throw new DockerfileError(line, 'EXPOSE takes port numbers');
      return { op, line, ports: ports.map(Number) };
    }
    case 'VOLUME': {
      const paths = args.startsWith('[') ? execForm(op, args, line) : args.split(/\s+/);
      return { op, line, paths: paths.map((p) => absolutePath(op, p, line)) };
    }
    case 'HEALTHCHECK': {
      const match = /^CMD\s+(.*)$/.exec(args);
      if (!match) throw new DockerfileError(line, 'HEALTHCHECK must be HEALTHCHECK [options] CMD [...]');
      return { op, line, options: flags, command: execForm(op, match[1]!, line) };
    }
    case 'CMD':
      return { op, line, command: execForm(op, args, line) };
    case 'FROM':
    default:
      throw new DockerfileError(line, `${op} is not supported here`);
  }
}

/**
 * Parses the Dockerfile into stages: [{ name, image, line, instructions: [{ op, line, … }] }]. Throws
 * DockerfileError for anything outside the subset.
 */
export function parseDockerfile(text: string): Dockerfile {
  const stages: Stage[] = [];
  for (const { line, text: source } of logicalLines(text)) {
    const match = /^([A-Za-z]+)(?:\s+(.*))?$/.exec(source);
    const op = match?.[1]!.toUpperCase();
    const rest = (match?.[2] ?? '').trim();
    if (!op || !isOp(op)) {
      throw new DockerfileError(line, `${op ?? source.slice(0, 20)} is not an instruction the check interprets (supported: ${SUPPORTED_INSTRUCTIONS.join(', ')})`);
    }
    if (op === 'FROM') {
      const from = /^([a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+)\s+AS\s+([a-z][a-z0-9_-]*)$/i.exec(rest);
      if (!from) throw new DockerfileError(line, 'FROM must be "FROM <image>:<tag> AS <name>" (no flags, no variables)');
      if (stages.some((s) => s.name === from[2])) throw new DockerfileError(line, `stage name "${from[2]}" used twice`);
      stages.push({ name: from[2]!, image: from[1]!, line, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new DockerfileError(line, `${op} before the first FROM`);
    stage.instructions.push(parseInstruction(op, rest, line, stages.slice(0, -1)));
  }
  if (stages.length === 0) throw new DockerfileError(null, 'no FROM');
  return { stages };
}

/** "node:20-bookworm-slim" → 20; null for an image that is not the official node image with a major tag. */
export function nodeMajorOf(image: string): number | null {
  const match = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)(?:[.-]|$)/.exec(image);
  return match ? Number(match[1]) : null;
}
