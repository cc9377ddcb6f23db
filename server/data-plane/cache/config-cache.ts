import { componentLogger } from '@/core/observability/log';
import type { Executor, Handle } from '@/db/client';
import { listen, type Listener } from '@/db/listen';
import { findServerKey } from '@/server/data-plane/cache/server-key-queries';
import { findMcpToken } from '@/server/data-plane/cache/mcp-token-queries';
import { hashOpaqueToken } from '@/core/crypto/opaque-token';
import { hashServerKey } from '@/core/server-keys/key';
import { findCopilotByWidgetToken, loadCopilotConfig, type CopilotRuntime, type CopilotRuntimeConfig } from './copilot-config';
import { widgetTokenOpensCached } from './widget-token';
import { parseChange, readGenerations, RUNTIME_CHANNEL } from '@/core/runtime-generation';
import { singleFlight } from './single-flight';

export type { CopilotRuntimeConfig } from './copilot-config';

const log = componentLogger('runtime');

/**
 * A server key or widget token → its copilot and environment at one generation (an MCP token → its copilot,
 * environment null: Production). Valid only together with the cached configuration of that same generation;
 * unknown and revoked ones are remembered for a while as missing.
 */
type Pointer = { copilotId: string; environmentId: string | null; generation: number; keyId: string | null; expiresAt?: number } | { missing: true; expires: number };

export type RuntimeCacheOptions = {
  db: Executor;
  /** How often cached generations are compared with the database while notifications arrive. */
  recheckMs?: number;
  /** The same while the notification connection is down (notifications sent meanwhile are lost). */
  disconnectedRecheckMs?: number;
  /** A configuration unused this long is dropped. */
  idleMs?: number;
  /** At most this many configurations, and this many key and token entries each. */
  maxEntries?: number;
  /**
   * While notifications cannot arrive, memory is trusted for at most this long after the last successful
   * comparison with the database; after that every call reads the database (and, while it is unreachable,
   * is answered 503 by the data plane).
   */
  maxStaleMs?: number;
};

type Resolved = { pointer: Extract<Pointer, { copilotId: string }>; config: CopilotRuntime };

export type ServerKeyAuth = { keyId: string; config: CopilotRuntimeConfig };

/** An MCP token that may be used now: its id and its copilot's configuration. */
export type McpTokenAuth = { tokenId: string; config: CopilotRuntimeConfig };

/** `hits`: answers from memory; the others count database reads and evictions. */
export type RuntimeCacheStats = { hits: number; configLoads: number; keyLookups: number; tokenLookups: number; mcpTokenLookups: number; evictions: number };

/** For metrics: the LISTEN connection (`connections` counts every (re)connection) and the notifications heard. */
export type ListenerStats = { connections: number; notifications: number; lastNotificationAt: number | null };

export class RuntimeCacheBusyError extends Error {
  override readonly name = 'RuntimeCacheBusyError';
  constructor() {
    super('The copilot configuration kept changing while it was read.');
  }
}

const MISSING_TTL_MS = 60_000;
const MAX_ATTEMPTS = 5;

/**
 * The data plane's memory of server keys, widget tokens and copilot configurations (settings and
 * decrypted headers), so a call needs no database round trip. Every admin write bumps the copilot's
 * runtime generation and NOTIFYs (generation.ts); a higher generation evicts what is cached. The
 * generations are also compared with the database on every (re)connection of the listener and
 * periodically — often while the listener is down — because notifications are not replayed.
 */
export class RuntimeCache {
  readonly stats: RuntimeCacheStats = { hits: 0, configLoads: 0, keyLookups: 0, tokenLookups: 0, mcpTokenLookups: 0, evictions: 0 };
  readonly listenerStats: ListenerStats = { connections: 0, notifications: 0, lastNotificationAt: null };
  private readonly db: Executor;
  private readonly recheckMs: number;
  private readonly disconnectedRecheckMs: number;
  private readonly idleMs: number;
  private readonly maxEntries: number;
  private readonly configs = new Map<string, { config: CopilotRuntime; lastUsed: number }>();
  private readonly configLoads = new Map<string, Promise<CopilotRuntime | null>>();
  private readonly keys = new Map<string, Pointer>();
  private readonly tokens = new Map<string, Pointer>();
  /** MCP tokens by hash: remembered like server keys, until their copilot's generation changes. */
  private readonly mcpTokens = new Map<string, Pointer>();
  private readonly pointerLoads = new Map<string, Promise<Pointer>>();
  /** The highest generation heard of per copilot: a load that read less is stale on arrival. */
  private readonly known = new Map<string, number>();
  private listener: Listener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private recheck: Promise<void> | null = null;
  /** When memory was last known to match the database (a generation check that succeeded). */
  private verifiedAt = Date.now();
  private readonly maxStaleMs: number;
  private closed = false;

  constructor(options: RuntimeCacheOptions) {
    this.db = options.db;
    this.recheckMs = options.recheckMs ?? 5_000;
    this.disconnectedRecheckMs = options.disconnectedRecheckMs ?? 500;
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxStaleMs = options.maxStaleMs ?? 60_000;
  }

  /** True while notifications arrive (PostgreSQL LISTEN connection up; always with PGlite). */
  get listening(): boolean {
    return this.listener?.connected ?? false;
  }

  /** Memory may not be served: no notifications, and no successful check for longer than the bound. */
  private stale(): boolean {
    return !this.listening && Date.now() - this.verifiedAt > this.maxStaleMs;
  }

  /** Listens for changes and starts the periodic checks. */
  async attach(handle: Handle): Promise<void> {
    this.listener = await listen(handle, RUNTIME_CHANNEL, {
      onNotification: (payload) => {
        this.listenerStats.notifications++;
        this.listenerStats.lastNotificationAt = Date.now();
        const change = parseChange(payload);
        if (change) this.noteGeneration(change.copilotId, change.generation);
      },
      onConnected: () => {
        this.listenerStats.connections++;
        void this.checkGenerations();
      },
      onDisconnected: () => {
        this.verifiedAt = Date.now(); // notifications kept memory current until now
        this.schedule(this.disconnectedRecheckMs);
      },
    });
    this.schedule(this.interval());
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.listener?.close();
    await this.checking;
  }

  /**
   * The key's id and copilot, or null for an unknown or revoked key. Answered without a promise when
   * memory holds the key and its copilot's current configuration (nearly every call).
   */
  authenticateServerKey(key: string): ServerKeyAuth | null | Promise<ServerKeyAuth | null> {
    const hash = hashServerKey(key);
    const hit = this.fromMemory(this.keys, hash);
    if (hit !== undefined) return keyAuth(hit);
    return this.authenticateServerKeyHash(hash);
  }

  private async authenticateServerKeyHash(hash: string): Promise<ServerKeyAuth | null> {
    const found = await this.resolve(this.keys, hash, async () => {
      this.stats.keyLookups++;
      const row = await findServerKey(this.db, { hash });
      return row && !row.revoked ? { copilotId: row.copilotId, environmentId: row.environmentId, generation: row.generation, keyId: row.keyId } : missing();
    });
    return keyAuth(found);
  }

  /**
   * An MCP token's id and copilot, or null for an unknown, revoked or expired token or one whose holder lost
   * their role. Revocation and every change of a holder's role bump the copilot's generation, which makes
   * the remembered pointer stale here; expiry is compared on every call.
   */
  async authenticateMcpToken(token: string): Promise<McpTokenAuth | null> {
    const hash = hashOpaqueToken(token);
    const found = await this.resolve(this.mcpTokens, hash, async () => {
      this.stats.mcpTokenLookups++;
      const row = await findMcpToken(this.db, { hash });
      return row?.usable ? { copilotId: row.copilotId, environmentId: null, generation: row.generation, keyId: row.tokenId, expiresAt: row.expiresAt } : missing();
    });
    if (!found?.pointer.keyId || (found.pointer.expiresAt ?? 0) <= Date.now()) return null;
    return { tokenId: found.pointer.keyId, config: found.config.production };
  }

  /** The copilot and environment a public widget token opens, or null. */
  async copilotByWidgetToken(token: string): Promise<CopilotRuntimeConfig | null> {
    const found = await this.resolve(this.tokens, token, async () => {
      this.stats.tokenLookups++;
      const row = await findCopilotByWidgetToken(this.db, { token });
      return row ? { ...row, keyId: null } : missing();
    });
    const config = found ? environmentOf(found) : null;
    return config && widgetTokenOpensCached(config, token) ? config : null;
  }

  /** A copilot's configuration by id — its Production environment — or null when it does not exist. */
  async copilot(copilotId: string): Promise<CopilotRuntimeConfig | null> {
    return (await this.configAtLeast(copilotId, 0))?.production ?? null;
  }

  /** A change heard of: anything cached for an older generation of this copilot goes. */
  noteGeneration(copilotId: string, generation: number): void {
    if ((this.known.get(copilotId) ?? 0) < generation) {
      this.known.delete(copilotId);
      this.known.set(copilotId, generation);
      trim(this.known, this.maxEntries);
    }
    const entry = this.configs.get(copilotId);
    if (entry && entry.config.generation < generation) this.evict(copilotId);
  }

  /**
   * Compares every cached generation with the database; changed and deleted copilots are evicted. Asked
   * while a check runs (which may have read before the change that prompted this one), it runs once more after it.
   */
  checkGenerations(): Promise<void> {
    if (this.checking) {
      this.recheck ??= this.checking.then(() => {
        this.recheck = null;
        return this.checkGenerations();
      });
      return this.recheck;
    }
    this.checking = this.compareWithDatabase().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async compareWithDatabase(): Promise<void> {
    const ids = [...this.configs.keys()];
    const started = Date.now();
    try {
      for (let i = 0; i < ids.length; i += 1_000) {
        const batch = ids.slice(i, i + 1_000);
        const current = await readGenerations(this.db, batch);
        for (const id of batch) {
          const generation = current.get(id);
          if (generation === undefined) this.evict(id);
          else this.noteGeneration(id, generation);
        }
      }
      this.verifiedAt = Math.max(this.verifiedAt, started);
    } catch (error) {
      log.error('generation check failed', error);
    }
  }

  private evict(copilotId: string): void {
    if (this.configs.delete(copilotId)) this.stats.evictions++;
  }

  private interval(): number {
    return this.listener?.connected ? this.recheckMs : this.disconnectedRecheckMs;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const idleSince = Date.now() - this.idleMs;
    for (const [id, entry] of this.configs) if (entry.lastUsed < idleSince) this.evict(id);
    await this.checkGenerations();
    this.schedule(this.interval());
  }

  private async configAtLeast(copilotId: string, minGeneration: number): Promise<CopilotRuntime | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const needed = Math.max(minGeneration, this.known.get(copilotId) ?? 0);
      const entry = this.configs.get(copilotId);
      if (entry && entry.config.generation >= needed && !this.stale()) {
        this.stats.hits++;
        entry.lastUsed = Date.now();
        return entry.config;
      }
      const loaded = await singleFlight(this.configLoads, copilotId, () => this.loadConfig(copilotId));
      if (!loaded) return null;
      if (loaded.generation >= needed && loaded.generation >= (this.known.get(copilotId) ?? 0)) return loaded;
    }
    throw new RuntimeCacheBusyError();
  }

  private async loadConfig(copilotId: string): Promise<CopilotRuntime | null> {
    this.stats.configLoads++;
    const config = await loadCopilotConfig(this.db, { copilotId });
    if (!config) {
      this.evict(copilotId);
      return null;
    }
    if (config.generation >= (this.known.get(copilotId) ?? 0)) {
      this.configs.delete(copilotId);
      this.configs.set(copilotId, { config, lastUsed: Date.now() });
      trim(this.configs, this.maxEntries);
    }
    return config;
  }

  /**
   * What `resolve` would answer, when memory alone can answer it: null for a key or token remembered as
   * missing, the pointer and configuration when both are current; undefined when the database is needed.
   */
  private fromMemory(pointers: Map<string, Pointer>, id: string): Resolved | null | undefined {
    const pointer = pointers.get(id);
    if (!pointer || this.stale()) return undefined;
    if ('missing' in pointer) {
      if (pointer.expires <= Date.now()) return undefined;
      this.stats.hits++;
      return null;
    }
    const entry = this.configs.get(pointer.copilotId);
    if (!entry || entry.config.generation !== pointer.generation) return undefined;
    if (entry.config.generation < (this.known.get(pointer.copilotId) ?? 0)) return undefined;
    this.stats.hits++;
    entry.lastUsed = Date.now();
    return { pointer, config: entry.config };
  }

  private async resolve(
    pointers: Map<string, Pointer>,
    id: string,
    lookup: () => Promise<Pointer>,
  ): Promise<Resolved | null> {
    const flightKey = `${pointers === this.keys ? 'key' : pointers === this.mcpTokens ? 'mcp' : 'token'}:${id}`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let pointer = pointers.get(id);
      if (!pointer || ('missing' in pointer && pointer.expires <= Date.now())) {
        pointer = await singleFlight(this.pointerLoads, flightKey, lookup);
        pointers.set(id, pointer);
        trim(pointers, this.maxEntries);
      }
      if ('missing' in pointer) return null;
      const config = await this.configAtLeast(pointer.copilotId, pointer.generation);
      if (config && config.generation === pointer.generation) return { pointer, config };
      // The copilot changed (or is gone) since the pointer was read: read the pointer again.
      pointers.delete(id);
    }
    throw new RuntimeCacheBusyError();
  }
}

/** The environment a resolved key or token opens; null when it is gone (deleted since the pointer was read). */
function environmentOf(found: Resolved): CopilotRuntimeConfig | null {
  return found.pointer.environmentId === null ? found.config.production : (found.config.environments.get(found.pointer.environmentId) ?? null);
}

function keyAuth(found: Resolved | null): ServerKeyAuth | null {
  const config = found?.pointer.keyId ? environmentOf(found) : null;
  return config ? { keyId: found!.pointer.keyId!, config } : null;
}

function missing(): Pointer {
  return { missing: true, expires: Date.now() + MISSING_TTL_MS };
}

/** Drops the oldest entries (Map order is insertion order) beyond `max`. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
