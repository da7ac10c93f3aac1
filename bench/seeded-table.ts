// The seeded contact table both table benches use, built once per size and cached in .tmp/bench/ (both benches
// reuse each other's file, so it is seeded the same way whichever runs first).
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, openDb } from '../server/src/db/connection.js';
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
  await migrate(opened.db);
  const { workspaceId } = await createWorkspace(opened.db, { name: 'Bench' }, BENCH_NOW);
  const t0 = performance.now();
  await seedContacts(opened, workspaceId, count, {
    now: BENCH_NOW,
    seed: 7,
    onProgress: (n) => n % 100_000 === 0 && console.log(`  seeded ${n.toLocaleString()} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
  });
  console.log(`seed + search index: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const { sqlite } = opened.engine as SqliteEngine;
  sqlite.pragma('optimize');
  sqlite.exec('ANALYZE');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  renameSync(building, file);
  return file;
}
