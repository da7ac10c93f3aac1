// PostgreSQL through node-postgres (`pg`) and Kysely's PostgresDialect: a connection pool, and type parsers so
// 64-bit integers (ms timestamps, counts) come back as numbers as they do from SQLite.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { log } from '../../../log.js';
import type { Database as Schema } from '../../schema.js';
import { registerEngine } from '../index.js';
import type { Engine } from '../types.js';
import { postgresBulk } from './bulk.js';
import { postgresCounters } from './counters.js';
import { postgresSearch } from './search.js';
import { postgresJson, postgresLocks, postgresSampling, postgresText } from './sql.js';
import { postgresStreaming } from './stream.js';
import { pgTypes } from './types.js';

export interface PostgresEngine extends Engine {
  kind: 'postgres';
  /** The pool, for streaming exports through a server-side cursor on one of its connections. */
  pool: pg.Pool;
}

/** `postgres://user@host:port/name`, never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}${u.pathname || '/'}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export function openPostgres(url: string): { db: Kysely<Schema>; engine: PostgresEngine } {
  // JIT compiling pays off for long analytical queries, not for these: a first page or a count would spend more
  // time compiling (~100 ms seen) than running. Options given in the URL come first.
  const options = [new URL(url).searchParams.get('options'), '-c jit=off'].filter(Boolean).join(' ');
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), types: pgTypes, options });
  // An idle connection that drops (server restart, network) is replaced on next use; without a listener the
  // pool's 'error' event would end the process.
  pool.on('error', (err) => log.error('idle PostgreSQL connection failed', err));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const engine: PostgresEngine = {
    kind: 'postgres',
    label: `PostgreSQL ${describeUrl(url)}`,
    pool,
    search: postgresSearch,
    text: postgresText,
    json: postgresJson,
    bulk: postgresBulk,
    sampling: postgresSampling,
    counters: postgresCounters,
    streaming: postgresStreaming(pool),
    locks: postgresLocks(pool),
  };
  registerEngine(db, engine);
  return { db, engine };
}
