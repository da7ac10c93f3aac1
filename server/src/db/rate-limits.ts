// Abuse limits that hold across server processes: rate-limiter-flexible counting in the database every process
// shares. This is the one module that knows the store — SQLite today (RateLimiterSQLite on the app's own
// better-sqlite3 connection, table `rate_limits` from migration 008); a PostgreSQL deployment swaps in
// RateLimiterPostgres here and nothing else changes. The library counts in wall-clock time (Date.now()), not the
// app's injected clock.
//
// The statements run on the shared connection outside Kysely's lock: when another request holds a Kysely
// transaction open, the hit is written inside it (as a savepoint) and shares its fate. Losing a hit to a rare
// rollback is acceptable for a rate limit; blocking the only connection is not.
import type Database from 'better-sqlite3';
import { RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible';

export const RATE_LIMIT_TABLE = 'rate_limits';

/** The table the SQLite store expects (the library's own DDL), created by a migration rather than at run time. */
export const RATE_LIMIT_DDL = `CREATE TABLE ${RATE_LIMIT_TABLE} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`;

export interface LimitSpec {
  /** Hits allowed per window. */
  points: number;
  windowSeconds: number;
}

/** One named budget (e.g. "sends per IP per hour"), keyed by whatever it protects. */
export class RateLimit {
  constructor(
    private readonly limiter: RateLimiterSQLite,
    readonly spec: LimitSpec,
  ) {}

  /** Counts a hit. Resolves null within the budget, else the seconds until a hit is allowed again (not counted). */
  async hit(key: string): Promise<number | null> {
    try {
      await this.limiter.consume(key);
      return null;
    } catch (err) {
      if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw err;
    }
  }

  /** Hits counted so far in the current window, and the seconds until it ends (0 / 0 when none). */
  async peek(key: string): Promise<{ used: number; retryAfterSeconds: number }> {
    const res = await this.limiter.get(key);
    return res ? { used: res.consumedPoints, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) } : { used: 0, retryAfterSeconds: 0 };
  }

  /** Gives back a hit that turned out not to count. */
  async reward(key: string): Promise<void> {
    await this.limiter.reward(key);
  }

  /** Uses up the budget of `key` for `seconds` (a cool-down). */
  async block(key: string, seconds: number): Promise<void> {
    await this.limiter.block(key, seconds);
  }
}

/** Budgets of one app, all in one table on the app's connection. */
export function rateLimits(sqlite: Database.Database) {
  return (name: string, spec: LimitSpec) =>
    new RateLimit(
      new RateLimiterSQLite({
        storeClient: sqlite,
        storeType: 'better-sqlite3',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix: name,
        points: spec.points,
        duration: spec.windowSeconds,
      }),
      spec,
    );
}

/** Deletes windows that ended more than an hour ago (the hourly purge calls it). */
export function forgetExpiredLimits(sqlite: Database.Database, now = Date.now()): number {
  return sqlite.prepare(`DELETE FROM ${RATE_LIMIT_TABLE} WHERE expire < ?`).run(now - 3_600_000).changes;
}
