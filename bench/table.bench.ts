// Contact table at 1,000,000 contacts, on SQLite and on PostgreSQL: first-page latency, counts (cold / warm),
// position seeks and deep keyset pages per sort, export throughput, merge/unmerge, import.
// Run: node --import tsx bench/table.bench.ts   (first run seeds .tmp/bench/table-1000000.sqlite and a database in
// the PostgreSQL cluster kept in .tmp/bench/postgres; later runs reuse them)
// BENCH_ENGINES=sqlite or =postgres benches one engine (default both); BENCH_SKIP_EXPORT=1 skips the full export
// and the import; BENCH_ONLY_IO=1 runs only them (BENCH_IMPORT_ROWS=N sets the import size); BENCH_CONTACTS=N
// benches a smaller table; BENCH_DB=path (SQLite) / BENCH_DATABASE_URL=postgres://… bench that database instead.
// BENCH_ONLY_IMPORT=1 runs only the CSV import (SQLite test harness, no 1M table needed).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../server/src/app.js';
import { migrate, openDb, type OpenedDb } from '../server/src/db/connection.js';
import { openPostgres } from '../server/src/db/engine/postgres/open.js';
import { BENCH_NOW, benchPostgres, seededPostgres, seededTable } from './seeded-table.js';
import { signSessionToken } from '../server/src/http/auth.js';
import { LocalBlobStore } from '../server/src/storage/local-blob-store.js';
import { harness } from '../server/src/testing.js';

const COUNT = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const now = BENCH_NOW;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const stats = (runs: number[]) => {
  const sorted = [...runs].sort((a, b) => a - b);
  return `p50 ${ms(pct(sorted, 50))}  p95 ${ms(pct(sorted, 95))}  max ${ms(sorted[sorted.length - 1]!)}`;
};

type EngineName = 'sqlite' | 'postgres';

/** The seeded database on one engine; import benches (harness) make their databases on the same engine. */
async function open(engine: EngineName): Promise<OpenedDb> {
  if (engine === 'sqlite') {
    delete process.env.DOSSIER_TEST_DATABASE_URL;
    return openDb(process.env.BENCH_DB ?? (await seededTable(COUNT)));
  }
  const url = process.env.BENCH_DATABASE_URL ?? (await seededPostgres(COUNT));
  process.env.DOSSIER_TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? (await benchPostgres()).url;
  if (!process.env.BENCH_DATABASE_URL) process.env.BENCH_PG_DATA = join((await benchPostgres()).dir, 'data');
  return openPostgres(url);
}

async function main(engine: EngineName) {
  const opened = await open(engine);
  console.log(`\n##### contact table bench, ${COUNT.toLocaleString()} contacts, ${opened.engine.label}`);
  const m0 = performance.now();
  await migrate(opened.db);
  console.log(`migrate: ${ms(performance.now() - m0)}`);
  const { db } = opened;
  const ws = await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
  const owner = await db.selectFrom('members').select('id').where('workspace_id', '=', ws.id).where('role', '=', 'owner').executeTakeFirstOrThrow();
  const agent = await db.selectFrom('members').select('id').where('workspace_id', '=', ws.id).where('role', '=', 'agent').executeTakeFirstOrThrow();
  const secret = 'bench-secret-0123456789';
  const blobs = await new LocalBlobStore(join(process.cwd(), '.tmp', 'bench', 'blobs')).init();
  const app = createApp({ db, clock: { now: () => Date.now() }, secrets: { tokenSecret: secret }, blobs });
  const token = await signSessionToken(secret, ws.id, owner.id, Date.now() + 3_600_000);
  const post = async (path: string, body: unknown) => {
    const res = await app.request(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as any;
    if (res.status >= 300) throw new Error(`${path} ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const timed = async <T>(fn: () => Promise<T>) => {
    const t = performance.now();
    const value = await fn();
    return { value, ms: performance.now() - t };
  };

  if (process.env.BENCH_ONLY_IO) {
    await exportAll(app, { authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    await db.destroy();
    return importRate();
  }
  const year = 365 * 86_400_000;
  const queries: Record<string, unknown>[] = [
    {},
    { sort: { field: 'name', dir: 'asc' } },
    { sort: { field: 'lastInteractionAt', dir: 'desc' } },
    { sort: { field: 'updatedAt', dir: 'desc' } },
    { q: 'john' },
    { q: 'smith' },
    { q: 'john smi' },
    { q: '415' },
    { q: '+1 (415) 2' },
    { q: 'vip' },
    { filter: { field: 'tags', op: 'has_any', value: ['vip'] } },
    { filter: { field: 'owner', op: 'is_any', value: [agent.id] } },
    { filter: { field: 'owner', op: 'is_any', value: ['unassigned'] }, sort: { field: 'name', dir: 'asc' } },
    { filter: { field: 'createdAt', op: 'in_last_days', value: 90 } },
    { filter: { field: 'lastIncomingAt', op: 'older_than', value: { amount: 30, unit: 'days' } } },
    { filter: { and: [{ field: 'custom.industry', op: 'is', value: 'SaaS' }, { field: 'custom.lifetime_value', op: 'gt', value: 25000 }] } },
    { filter: { field: 'email', op: 'is_empty' } },
    { filter: { field: 'dnd', op: 'on', value: 'any' } },
    { filter: { field: 'custom.interests', op: 'has_any', value: ['Events'] }, sort: { field: 'custom.lifetime_value', dir: 'desc' } },
    { q: 'gmail', filter: { field: 'createdAt', op: 'gt', value: now - year } },
  ];
  for (const q of queries) await post('/api/v1/contacts/query', { ...q, limit: 50 }); // warm the page cache
  const samples: number[] = [];
  const perQuery: string[] = [];
  for (const q of queries) {
    const runs: number[] = [];
    let last: any;
    for (let i = 0; i < 3; i++) {
      const r = await timed(() => post('/api/v1/contacts/query', { ...q, limit: 50 }));
      runs.push(r.ms);
      last = r.value;
    }
    samples.push(...runs);
    perQuery.push(`  ${ms(Math.min(...runs)).padStart(9)}  count ${String(last.count).padStart(8)}${last.estimated ? '~' : ' '}  ${JSON.stringify(q)}`);
  }
  console.log(`\nfirst page, 20 queries x 3 runs (limit 50, with count, warm count cache): ${stats(samples)}`);
  console.log(perQuery.join('\n'));

  // The same queries without the count: what the table waits for before it can render rows.
  const noCount: number[] = [];
  for (const q of queries) for (let i = 0; i < 3; i++) noCount.push((await timed(() => post('/api/v1/contacts/query', { ...q, limit: 50, count: false }))).ms);
  console.log(`first page without count (20 queries x 3): ${stats(noCount)}`);

  // POST /contacts/count: cold = right after a write to the workspace (the change counter drops cached counts).
  const cold: number[] = [];
  const warm: number[] = [];
  const perCount: string[] = [];
  for (const q of queries) {
    await db.updateTable('workspaces').set((eb) => ({ contacts_version: eb('contacts_version', '+', 1) })).where('id', '=', ws.id).execute();
    const c = await timed(() => post('/api/v1/contacts/count', q));
    cold.push(c.ms);
    for (let i = 0; i < 3; i++) warm.push((await timed(() => post('/api/v1/contacts/count', q))).ms);
    perCount.push(`  ${ms(c.ms).padStart(9)}  count ${String(c.value.count).padStart(8)}${c.value.estimated ? '~' : ' '}  ${JSON.stringify(q)}`);
  }
  console.log(`count endpoint, 20 queries: cold (after a write) ${stats(cold)}; warm ${stats(warm)}`);
  console.log(perCount.join('\n'));
  const coldPage: number[] = [];
  for (const q of queries) {
    await db.updateTable('workspaces').set((eb) => ({ contacts_version: eb('contacts_version', '+', 1) })).where('id', '=', ws.id).execute();
    coldPage.push((await timed(() => post('/api/v1/contacts/query', { ...q, limit: 50 }))).ms);
  }
  console.log(`first page with count, cold count cache (after a write): ${stats(coldPage)}`);

  // Seeks: the page at row 500,000 / 900,000 by offset with nothing remembered (right after a write), a seek near
  // an earlier one (the scroller dragged on), and a keyset page from row 900,000 against the first page.
  const forget = () => db.updateTable('workspaces').set((eb) => ({ contacts_version: eb('contacts_version', '+', 1) })).where('id', '=', ws.id).execute();
  for (const sort of [
    { field: 'createdAt', dir: 'desc' }, { field: 'name', dir: 'asc' }, { field: 'lastInteractionAt', dir: 'desc' },
    { field: 'custom.lifetime_value', dir: 'desc' }, { field: 'custom.industry', dir: 'asc' },
  ]) {
    const body = { sort, limit: 50, count: false };
    const seek = (share: number) => timed(() => post('/api/v1/contacts/query', { ...body, offset: Math.floor(COUNT * share) }));
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push((await timed(() => post('/api/v1/contacts/query', body))).ms);
    const first = pct(runs.sort((a, b) => a - b), 50);
    await forget();
    const mid = await seek(0.5);
    await forget();
    const deep = await seek(0.9);
    const near = await seek(0.93);
    const keyset: number[] = [];
    for (let i = 0; i < 5; i++) keyset.push((await timed(() => post('/api/v1/contacts/query', { ...body, cursor: deep.value.nextCursor }))).ms);
    const k = pct(keyset.sort((a, b) => a - b), 50);
    console.log(`sort ${sort.field} ${sort.dir}: first page ${ms(first)}; offset 50% ${ms(mid.ms)}, 90% ${ms(deep.ms)} (cold), 93% after that ${ms(near.ms)}; keyset page at 90% ${ms(k)} (${(k / first).toFixed(2)}x first)`);
  }

  await exportAndMerge(app, token, db, ws.id);
  await db.destroy();
  if (!process.env.BENCH_SKIP_EXPORT) await importRate();
}

/** CPU seconds used so far by the bench's own PostgreSQL server processes (null on SQLite or an outside server). */
function databaseCpuSeconds(): number | null {
  const pidFile = process.env.BENCH_PG_DATA ? join(process.env.BENCH_PG_DATA, 'postmaster.pid') : null;
  if (!pidFile || !existsSync(pidFile)) return null;
  const postmaster = readFileSync(pidFile, 'utf8').split('\n')[0]!.trim();
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pid !== postmaster && fields[1] !== postmaster) continue;
      total += (Number(fields[11]) + Number(fields[12])) / tick; // utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** CSV import into a fresh workspace (the cached 1M database stays untouched). */
async function importRate() {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 5_000);
  const h = await harness();
  const ws = await h.workspace();
  const { token } = await ws.token('owner');
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i === 0) controller.enqueue(encoder.encode('First,Last,Email,Phone,Tags\n'));
      const lines: string[] = [];
      for (let k = 0; k < 1000 && i < rows; k++, i++) lines.push(`F${i},L${i},p${i}@example.com,+1415${String(2000000 + i).padStart(7, '0')},a;b`);
      if (lines.length) controller.enqueue(encoder.encode(`${lines.join('\n')}\n`));
      if (i >= rows) controller.close();
    },
  });
  const mapping = JSON.stringify({ First: 'firstName', Last: 'lastName', Email: 'email', Phone: 'phone', Tags: 'tags' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await h.app.request(`/api/v1/contacts/import?dedupe=skip&mapping=${encodeURIComponent(mapping)}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}` }, body, duplex: 'half',
  } as RequestInit);
  const job = (await res.json()) as { done: number; failed: number };
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  // CPU time as well (SQLite works in this process): it moves far less with other people's load than the wall clock.
  console.log(`import (dedupe=skip, fresh workspace): ${job.done.toLocaleString()} rows (${job.failed} failed) in ${secs.toFixed(1)} s = ${Math.round(job.done / secs).toLocaleString()} rows/s (CPU ${cpuSecs.toFixed(2)} s = ${Math.round(job.done / cpuSecs).toLocaleString()} rows per CPU-second)`);
  await h.close();
}

/** Full CSV export through the signed link (as a browser would download it), then a merge and its undo. */
async function exportAndMerge(app: ReturnType<typeof createApp>, token: string, db: OpenedDb['db'], workspaceId: string) {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  if (!process.env.BENCH_SKIP_EXPORT) await exportAll(app, auth);
  await mergeRoundTrip(app, auth, db, workspaceId);
}

/** The default order (newest first: the table's storage order, as contacts are created) and by name (random reads). */
async function exportAll(app: ReturnType<typeof createApp>, auth: Record<string, string>) {
  await exportOnce(app, auth, 'newest first');
  await exportOnce(app, auth, 'by name', { field: 'name', dir: 'asc' });
}

async function exportOnce(app: ReturnType<typeof createApp>, auth: Record<string, string>, label: string, sort?: unknown) {
  const columns = ['id', 'name', 'email', 'phone', 'companyName', 'tags', 'owner', 'createdAt', 'custom.industry'];
  const link = (await (await app.request('/api/v1/contacts/export', { method: 'POST', headers: auth, body: JSON.stringify({ columns, sort }) })).json()) as { url: string };
  let peakRss = process.memoryUsage().rss;
  const baseRss = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const db0 = databaseCpuSeconds();
  const res = await app.request(link.url);
  let bytes = 0;
  let rows = -1; // header
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) rows++;
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const dbSecs = db0 === null ? null : databaseCpuSeconds()! - db0;
  clearInterval(sampler);
  // CPU time as well: on a shared machine it moves far less with other people's load than the wall clock does.
  console.log(`\nexport ${label}: ${rows.toLocaleString()} rows, ${(bytes / 1e6).toFixed(0)} MB in ${secs.toFixed(1)} s = ${Math.round(rows / secs).toLocaleString()} rows/s (CPU ${cpuSecs.toFixed(1)} s = ${Math.round(rows / cpuSecs).toLocaleString()} rows per CPU-second); RSS ${(baseRss / 1e6).toFixed(0)} MB before, peak ${(peakRss / 1e6).toFixed(0)} MB`);
  // PostgreSQL reads on its own processes, in parallel with the CSV writing here: on an otherwise idle machine the
  // export runs at about rows / max(this process's CPU, the database's CPU).
  if (dbSecs !== null) console.log(`  database CPU ${dbSecs.toFixed(1)} s (${Math.round(rows / dbSecs).toLocaleString()} rows per database CPU-second): unloaded ≈ ${Math.round(rows / Math.max(dbSecs, cpuSecs)).toLocaleString()} rows/s`);

}

async function mergeRoundTrip(app: ReturnType<typeof createApp>, auth: Record<string, string>, db: OpenedDb['db'], workspaceId: string) {
  const picks = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(3)
    .execute();
  const body = { survivorId: picks[0]!.id, mergedIds: picks.slice(1).map((p) => p.id) };
  const m0 = performance.now();
  const merged = (await (await app.request('/api/v1/contacts/merge', { method: 'POST', headers: auth, body: JSON.stringify(body) })).json()) as { mergeId: string };
  const m1 = performance.now();
  const undone = await app.request(`/api/v1/merges/${merged.mergeId}/unmerge`, { method: 'POST', headers: auth });
  const m2 = performance.now();
  console.log(`merge of 3 contacts: ${ms(m1 - m0)}; unmerge: ${ms(m2 - m1)} (status ${undone.status})`);
}

if (process.env.BENCH_ONLY_IMPORT) await importRate();
else for (const engine of (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as EngineName[]) await main(engine);
process.exit(0);
