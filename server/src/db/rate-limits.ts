// Abuse limits that hold across server processes: rate-limiter-flexible counting in the database every process
// shares. This is the one module that knows the store: on SQLite RateLimiterSQLite on the app's own better-sqlite3
// connection (through its statement cache: the library prepares its statements on every hit), on PostgreSQL RateLimiterPostgres on the app's pg pool; the table `rate_limits` comes from migration
// 010 with each library's own DDL. The library counts in wall-clock time (Date.now()), not the app's injected clock.
//
// SQLite: the statements run on the shared connection outside Kysely's lock; when another request holds a Kysely
// transaction open, the hit is written inside it (as a savepoint) and shares its fate. Losing a hit to a rare
// rollback is acceptable for a rate limit; blocking the only connection is not. PostgreSQL: each hit is one
// statement on a pooled connection of its own (autocommit); no caller holds a transaction while it counts.
import { sql } from 'kysely';
import { RateLimiterPostgres, RateLimiterRes, RateLimiterSQLite, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import type { Db } from './connection.js';
import { engineOf } from './engine/index.js';

export const RATE_LIMIT_TABLE = 'rate_limits';

/** The table RateLimiterSQLite expects (the library's own DDL), created by a migration rather than at run time. */
export const RATE_LIMIT_DDL = `CREATE TABLE ${RATE_LIMIT_TABLE} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`;

/** The table RateLimiterPostgres expects (its _getCreateTableStmt in 11.4.0), created by the PostgreSQL migration. */
export const POSTGRES_RATE_LIMIT_DDL = `CREATE TABLE ${RATE_LIMIT_TABLE} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`;

export interface LimitSpec {
  /** Hits allowed per window. */
  points: number;
  windowSeconds: number;
}

/** One named budget (e.g. "sends per IP per hour"), keyed by whatever it protects. */
export class RateLimit {
  constructor(
    private readonly limiter: RateLimiterStoreAbstract,
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

/** Budgets of one app, all in one table of the app's database. */
export function rateLimits(db: Db) {
  const engine = engineOf(db);
  // Expired windows are deleted by forgetExpiredLimits (hourly), not by a timer per limiter.
  const store =
    engine.kind === 'postgres'
      ? { storeClient: engine.pool, storeType: 'pool', Limiter: RateLimiterPostgres }
      : { storeClient: engine.statements, storeType: 'better-sqlite3', Limiter: RateLimiterSQLite };
  return (name: string, spec: LimitSpec) =>
    new RateLimit(
      new store.Limiter({
        storeClient: store.storeClient,
        storeType: store.storeType,
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
