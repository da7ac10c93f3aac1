// A fresh, migrated database for one test app, so tests stay independent on either engine: a new SQLite file in
// a temp folder, or — when DOSSIER_TEST_DATABASE_URL points at a PostgreSQL server (npm run test:pg starts one)
// — a new database copied from a migrated template (CREATE DATABASE … TEMPLATE: milliseconds, where migrating
// takes a second), dropped again on close.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { isPostgresUrl, migrate, type OpenedDb } from './db/connection.js';
import { openPostgres } from './db/engine/postgres/open.js';
import { openSqlite } from './db/engine/sqlite/open.js';
import { REPO_ROOT } from './paths.js';

export interface TestDatabase {
  opened: OpenedDb;
  /** A temp folder for the test's other files (blobs); removed by close(). */
  dir: string;
  /** On PostgreSQL, the database's URL (for other processes to open it). */
  url?: string;
  close(): Promise<void>;
}

/** The URL of the PostgreSQL server tests run against, if any. */
export const testDatabaseUrl = () => (isPostgresUrl(process.env.DOSSIER_TEST_DATABASE_URL) ? process.env.DOSSIER_TEST_DATABASE_URL : undefined);

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** Changes whenever a migration (or the rate-limit table's DDL) does, so an old template is never reused. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const dir of [join(REPO_ROOT, 'server/src/db/migrations'), join(REPO_ROOT, 'server/src/db/engine/postgres/migrations')]) {
    for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  }
  hash.update(readFileSync(join(REPO_ROOT, 'server/src/db/rate-limits.ts'))); // migration 010 takes its DDL from there
  return `dossier_template_${hash.digest('hex').slice(0, 16)}`;
}

/** Creates the migrated template once per schema; test processes running at once wait for the first. */
async function ensureTemplate(admin: pg.Client, url: string): Promise<string> {
  const name = templateName();
  await admin.query(`SELECT pg_advisory_lock(hashtext('dossier test template'))`);
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return name;
    const building = `${name}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building}`);
    const opened = openPostgres(withDatabase(url, building));
    try {
      await migrate(opened.db);
    } finally {
      await opened.db.destroy();
    }
    // Renamed when complete: a run that died half-way never leaves a template behind.
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    return name;
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext('dossier test template'))`);
  }
}

/**
 * `keepIn`: a folder the test owns and keeps across apps (a restart after a crash): the same SQLite file in it, or on
 * PostgreSQL the same database (named after the folder), made on first use and left for the next app; neither is
 * removed by close() (the test removes the folder; test:pg removes its whole throwaway cluster).
 */
export async function openTestDatabase(prefix = 'dossier-test-', keepIn?: string): Promise<TestDatabase> {
  const dir = keepIn ?? mkdtempSync(join(tmpdir(), prefix));
  const url = testDatabaseUrl();
  if (!url) {
    const opened = openSqlite(join(dir, 'test.sqlite'));
    await migrate(opened.db);
    return {
      opened,
      dir,
      async close() {
        await opened.db.destroy();
        if (!keepIn) rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = keepIn
    ? `dossier_kept_${createHash('sha256').update(keepIn).digest('hex').slice(0, 16)}`
    : `dossier_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = keepIn && (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
    // FILE_COPY: copies the files after a checkpoint, faster here than WAL-logging every page.
    if (!exists) await admin.query(`CREATE DATABASE ${name} TEMPLATE ${await ensureTemplate(admin, url)} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  const opened = openPostgres(withDatabase(url, name));
  return {
    opened,
    dir,
    url: withDatabase(url, name),
    async close() {
      await opened.db.destroy();
      if (keepIn) return;
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => dropper.end());
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
