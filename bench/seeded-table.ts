// The seeded contact table both table benches use, built once per size and cached in .tmp/bench/ (both benches
// reuse each other's file, so it is seeded the same way whichever runs first). On PostgreSQL: a database per size
// in a cluster kept in .tmp/bench/postgres (started for the bench, stopped after it).
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { startPostgres, type StartedPostgres } from '../scripts/postgres.mjs';
import { migrate, openDb, type OpenedDb } from '../server/src/db/connection.js';
import { openPostgres } from '../server/src/db/engine/postgres/open.js';
import type { SqliteEngine } from '../server/src/db/engine/sqlite/open.js';
import { createWorkspace } from '../server/src/domain/workspaces.js';
import { seedContacts } from '../server/src/seed/seed.js';

export const BENCH_NOW = Date.UTC(2026, 10, 1);

/** The path of the SQLite file with `count` seeded contacts, seeding it first if it is not there yet. */
export async function seededTable(count: number): Promise<string> {
  const dir = join(process.cwd(), '.tmp', 'bench');
  const file = join(dir, `table-${count}.sqlite`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const building = `${file}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });
  const opened = openDb(building);
  await seedBench(opened, count);
  const { sqlite } = opened.engine as SqliteEngine;
  sqlite.pragma('optimize');
  sqlite.exec('ANALYZE');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  renameSync(building, file);
  return file;
}

async function seedBench(opened: OpenedDb, count: number) {
  await migrate(opened.db);
  const { workspaceId } = await createWorkspace(opened.db, { name: 'Bench' }, BENCH_NOW);
  const t0 = performance.now();
  await seedContacts(opened, workspaceId, count, {
    now: BENCH_NOW,
    seed: 7,
    onProgress: (n) => n % 100_000 === 0 && console.log(`  seeded ${n.toLocaleString()} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
  });
  console.log(`seed + search index (${opened.engine.label}): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

let cluster: Promise<StartedPostgres> | null = null;
/** The bench's PostgreSQL cluster (kept in .tmp/bench/postgres between runs); stopped when the process exits. */
export const benchPostgres = () => (cluster ??= startPostgres({ fast: false, dir: join(process.cwd(), '.tmp', 'bench', 'postgres') }));

const withDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

/** The URL of a PostgreSQL database with `count` seeded contacts, seeding it first if it is not there yet. */
export async function seededPostgres(count: number): Promise<string> {
  const { url } = await benchPostgres();
  const name = `bench_table_${count}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) return withDatabase(url, name);
    await admin.query(`DROP DATABASE IF EXISTS ${name}_building WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}_building`);
    const opened = openPostgres(withDatabase(url, `${name}_building`));
    try {
      await seedBench(opened, count);
      const t0 = performance.now();
      await sql`VACUUM ANALYZE`.execute(opened.db);
      console.log(`VACUUM ANALYZE: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      await opened.db.destroy();
    }
    await admin.query(`ALTER DATABASE ${name}_building RENAME TO ${name}`);
    return withDatabase(url, name);
  } finally {
    await admin.end();
  }
}
