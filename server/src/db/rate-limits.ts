// Abuse limits. This is the one module that knows where budgets are counted:
// - PostgreSQL (several server processes on one database): rate-limiter-flexible's RateLimiterPostgres on the app's
//   pg pool, in the table `rate_limits` (migration 010, the library's own DDL), so every process sees one budget. Each
//   hit is one statement on a pooled connection of its own (autocommit); no caller holds a transaction while it counts.
// - SQLite (one process serves the file): in this process's memory (MemoryRateLimit), with the same fixed windows and
//   answers as the library. A budget in the database cost a WAL commit per hit (two or three per gate request); in
//   memory it costs nothing. Budgets start afresh when the process restarts.
// Both count in wall-clock time (Date.now()), not the app's injected clock.
import { sql } from 'kysely';
import { RateLimiterPostgres, RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import type { Db } from './connection.js';
import { engineOf } from './engine/index.js';

export const RATE_LIMIT_TABLE = 'rate_limits';

/** The table RateLimiterSQLite expected (the library's own DDL; SQLite counted there before migration 010's budgets moved to memory). */
export const RATE_LIMIT_DDL = `CREATE TABLE ${RATE_LIMIT_TABLE} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`;

/** The table RateLimiterPostgres expects (its _getCreateTableStmt in 11.4.0), created by the PostgreSQL migration. */
export const POSTGRES_RATE_LIMIT_DDL = `CREATE TABLE ${RATE_LIMIT_TABLE} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`;

export interface LimitSpec {
  /** Hits allowed per window. */
  points: number;
  windowSeconds: number;
}

/** One named budget (e.g. "sends per IP per hour"), keyed by whatever it protects. */
export interface RateLimit {
  readonly spec: LimitSpec;
  /** Counts a hit. Resolves null within the budget, else the seconds until a hit is allowed again (the refused hit is counted too). */
  hit(key: string): Promise<number | null>;
  /** Hits counted so far in the current window, and the seconds until it ends (0 / 0 when none). */
  peek(key: string): Promise<{ used: number; retryAfterSeconds: number }>;
  /** Gives back a hit that turned out not to count. */
  reward(key: string): Promise<void>;
  /** Uses up the budget of `key` for `seconds` (a cool-down). */
  block(key: string, seconds: number): Promise<void>;
}

const waitOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** A budget in the shared database table (PostgreSQL). */
class StoreRateLimit implements RateLimit {
  constructor(
    private readonly limiter: RateLimiterStoreAbstract,
    readonly spec: LimitSpec,
  ) {}

  async hit(key: string): Promise<number | null> {
    try {
      await this.limiter.consume(key);
      return null;
    } catch (err) {
      if (err instanceof RateLimiterRes) return waitOf(err.msBeforeNext);
      throw err;
    }
  }

  async peek(key: string) {
    const res = await this.limiter.get(key);
    return res ? { used: res.consumedPoints, retryAfterSeconds: waitOf(res.msBeforeNext) } : { used: 0, retryAfterSeconds: 0 };
  }

  async reward(key: string) {
    await this.limiter.reward(key);
  }

  async block(key: string, seconds: number) {
    await this.limiter.block(key, seconds);
  }
}

interface Window {
  points: number;
  /** Epoch ms when the window ends. */
  expire: number;
}

/**
 * The windows of one process (one per database, shared by every budget on it). Ended windows are swept now and then
 * as new keys arrive, so addresses that come once do not pile up.
 */
export class MemoryWindows {
  private readonly windows = new Map<string, Window>();
  private added = 0;

  constructor(
    readonly now: () => number = Date.now,
    private readonly sweepEvery = 10_000,
  ) {}

  /** The live window of `key`, or undefined. */
  get(key: string, now: number): Window | undefined {
    const w = this.windows.get(key);
    if (w && w.expire > now) return w;
    if (w) this.windows.delete(key);
    return undefined;
  }

  set(key: string, w: Window, now: number) {
    if (!this.windows.has(key) && ++this.added % this.sweepEvery === 0) this.sweep(now);
    this.windows.set(key, w);
  }

  get size() {
    return this.windows.size;
  }

  private sweep(now: number) {
    for (const [key, w] of this.windows) if (w.expire <= now) this.windows.delete(key);
  }
}

/**
 * A budget counted in this process (SQLite: one process serves the file). Fixed windows as rate-limiter-flexible
 * counts them: the first hit opens a window of `windowSeconds`, every hit in it counts (refused ones too), a block
 * fills the budget for its own duration.
 */
export class MemoryRateLimit implements RateLimit {
  constructor(
    private readonly windows: MemoryWindows,
    private readonly name: string,
    readonly spec: LimitSpec,
  ) {}

  private key(key: string) {
    return `${this.name}:${key}`;
  }

  async hit(key: string): Promise<number | null> {
    const now = this.windows.now();
    const k = this.key(key);
    const w = this.windows.get(k, now);
    if (!w) {
      this.windows.set(k, { points: 1, expire: now + this.spec.windowSeconds * 1000 }, now);
      return this.spec.points >= 1 ? null : waitOf(this.spec.windowSeconds * 1000);
    }
    w.points += 1;
    return w.points > this.spec.points ? waitOf(w.expire - now) : null;
  }

  async peek(key: string) {
    const now = this.windows.now();
    const w = this.windows.get(this.key(key), now);
    return w ? { used: w.points, retryAfterSeconds: waitOf(w.expire - now) } : { used: 0, retryAfterSeconds: 0 };
  }

  async reward(key: string) {
    // Nothing to give back once the window has ended.
    const w = this.windows.get(this.key(key), this.windows.now());
    if (w) w.points = Math.max(0, w.points - 1);
  }

  async block(key: string, seconds: number) {
    const now = this.windows.now();
    this.windows.set(this.key(key), { points: this.spec.points + 1, expire: now + seconds * 1000 }, now);
  }
}

/** The in-memory windows of each SQLite database: two limiters of one app (or one test) on it share budgets. */
const memoryByDb = new WeakMap<Db, MemoryWindows>();

/** Budgets of one app: in the shared table on PostgreSQL, in this process's memory on SQLite. */
export function rateLimits(db: Db): (name: string, spec: LimitSpec) => RateLimit {
  const engine = engineOf(db);
  if (engine.kind !== 'postgres') {
    let windows = memoryByDb.get(db);
    if (!windows) memoryByDb.set(db, (windows = new MemoryWindows()));
    const shared = windows;
    return (name, spec) => new MemoryRateLimit(shared, name, spec);
  }
  // Expired windows are deleted by forgetExpiredLimits (hourly), not by a timer per limiter.
  return (name, spec) =>
    new StoreRateLimit(
      new RateLimiterPostgres({
        storeClient: engine.pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: name,
        points: spec.points,
        duration: spec.windowSeconds,
      }),
      spec,
    );
}

/** Deletes windows that ended more than an hour ago (the hourly purge calls it). Returns how many. */
export async function forgetExpiredLimits(db: Db, now = Date.now()): Promise<number> {
  const result = await sql`DELETE FROM ${sql.table(RATE_LIMIT_TABLE)} WHERE expire < ${now - 3_600_000}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
