// Contact table at 1,000,000 contacts: query latency, deep keyset pages, export throughput, merge/unmerge.
// Run: node --import tsx bench/table.bench.ts   (first run seeds .tmp/bench/table-1000000.sqlite; later runs reuse it)
// BENCH_SKIP_EXPORT=1 skips the full export and the import; BENCH_ONLY_IO=1 runs only them (BENCH_IMPORT_ROWS=N
// sets the import size); BENCH_CONTACTS=N benches a smaller table.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createApp } from '../server/src/app.js';
import { migrate, openDb } from '../server/src/db/connection.js';
import { signSessionToken } from '../server/src/http/auth.js';
import { encodeCursor } from '../server/src/http/cursor.js';
import { createWorkspace } from '../server/src/domain/workspaces.js';
import { seedContacts } from '../server/src/seed/seed.js';
import { LocalBlobStore } from '../server/src/storage/local-blob-store.js';
import { harness } from '../server/src/testing.js';

const COUNT = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const dir = join(process.cwd(), '.tmp', 'bench');
const file = join(dir, `table-${COUNT}.sqlite`);
const now = Date.UTC(2026, 10, 1);

async function ensureSeeded() {
  if (existsSync(file)) return;
  mkdirSync(dir, { recursive: true });
  const building = `${file}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });
  const opened = openDb(building);
  await migrate(opened.db);
  const { workspaceId } = await createWorkspace(opened.db, { name: 'Bench' }, now);
  const t0 = performance.now();
  await seedContacts(opened, workspaceId, COUNT, {
    now,
    seed: 7,
    onProgress: (n) => n % 100_000 === 0 && console.log(`  seeded ${n.toLocaleString()} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
  });
  console.log(`seed + search index: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  opened.sqlite.pragma('optimize');
  opened.sqlite.exec('ANALYZE');
  opened.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  opened.sqlite.close();
  renameSync(building, file);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  console.log(`contact table bench, ${COUNT.toLocaleString()} contacts (${file})`);
  await ensureSeeded();
  const opened = openDb(file);
  await migrate(opened.db);
  const { db } = opened;
  const ws = await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
  const owner = await db.selectFrom('members').select('id').where('workspace_id', '=', ws.id).where('role', '=', 'owner').executeTakeFirstOrThrow();
  const agent = await db.selectFrom('members').select('id').where('workspace_id', '=', ws.id).where('role', '=', 'agent').executeTakeFirstOrThrow();
  const secret = 'bench-secret-0123456789';
  const blobs = await new LocalBlobStore(join(dirname(file), 'blobs')).init();
  const app = createApp({ db, sqlite: opened.sqlite, clock: { now: () => Date.now() }, secrets: { tokenSecret: secret }, blobs });
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
  const indexedSamples = queries.flatMap((q, i) => (JSON.stringify(q).includes('"custom.') && JSON.stringify(q).includes('"sort"') ? [] : samples.slice(i * 3, i * 3 + 3)));
  indexedSamples.sort((a, b) => a - b);
  samples.sort((a, b) => a - b);
  console.log(`\nfirst page, 20 queries x 3 runs (limit 50, with count): p50 ${ms(pct(samples, 50))}  p95 ${ms(pct(samples, 95))}  max ${ms(samples[samples.length - 1]!)}`);
  console.log(`  without the custom-field sort (not index-backed): p50 ${ms(pct(indexedSamples, 50))}  p95 ${ms(pct(indexedSamples, 95))}`);
  console.log(perQuery.join('\n'));

  // The same queries without the count: what the table waits for before it can render rows.
  const noCount: number[] = [];
  for (const q of queries) {
    if (JSON.stringify(q).includes('"custom.') && JSON.stringify(q).includes('"sort"')) continue;
    for (let i = 0; i < 3; i++) noCount.push((await timed(() => post('/api/v1/contacts/query', { ...q, limit: 50, count: false }))).ms);
  }
  noCount.sort((a, b) => a - b);
  console.log(`first page without count (19 index-backed queries x 3): p50 ${ms(pct(noCount, 50))}  p95 ${ms(pct(noCount, 95))}  max ${ms(noCount[noCount.length - 1]!)}`);

  // Deep page: find the row ~900,000 deep once (OFFSET here only, to build the cursor a client would hold after
  // walking there), then time one keyset page from it against the first page.
  const deepAt = Math.floor(COUNT * 0.9);
  for (const sort of [
    { field: 'createdAt', dir: 'desc', expr: 'created_at' },
    { field: 'name', dir: 'asc', expr: 'name_sort' },
    { field: 'lastInteractionAt', dir: 'desc', expr: 'last_interaction_sort' },
  ] as const) {
    const row = opened.sqlite
      .prepare(`SELECT ${sort.expr} AS v, id FROM contacts WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY ${sort.expr} ${sort.dir}, id ${sort.dir} LIMIT 1 OFFSET ?`)
      .get(ws.id, deepAt - 1) as { v: number | string; id: string };
    const cursor = encodeCursor({ s: sort.field, d: sort.dir, v: row.v, id: row.id });
    const body = { sort: { field: sort.field, dir: sort.dir }, limit: 50, count: false };
    const first: number[] = [];
    const deep: number[] = [];
    for (let i = 0; i < 7; i++) {
      first.push((await timed(() => post('/api/v1/contacts/query', body))).ms);
      deep.push((await timed(() => post('/api/v1/contacts/query', { ...body, cursor }))).ms);
    }
    first.sort((a, b) => a - b);
    deep.sort((a, b) => a - b);
    const f = pct(first, 50);
    const d = pct(deep, 50);
    console.log(`sort ${sort.field} ${sort.dir}: first page ${ms(f)}, page at row ${deepAt.toLocaleString()} ${ms(d)} (medians of 7), ratio ${(d / f).toFixed(2)}`);
  }

  await exportAndMerge(app, token, db, ws.id);
  await db.destroy();
  if (!process.env.BENCH_SKIP_EXPORT) await importRate();
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
  const res = await h.app.request(`/api/v1/contacts/import?dedupe=skip&mapping=${encodeURIComponent(mapping)}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}` }, body, duplex: 'half',
  } as RequestInit);
  const job = (await res.json()) as { done: number; failed: number };
  const secs = (performance.now() - t0) / 1000;
  console.log(`import (dedupe=skip, fresh workspace): ${job.done.toLocaleString()} rows (${job.failed} failed) in ${secs.toFixed(1)} s = ${Math.round(job.done / secs).toLocaleString()} rows/s`);
  await h.close();
}

/** Full CSV export through the signed link (as a browser would download it), then a merge and its undo. */
async function exportAndMerge(app: ReturnType<typeof createApp>, token: string, db: ReturnType<typeof openDb>['db'], workspaceId: string) {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  if (!process.env.BENCH_SKIP_EXPORT) await exportAll(app, auth);
  await mergeRoundTrip(app, auth, db, workspaceId);
}

async function exportAll(app: ReturnType<typeof createApp>, auth: Record<string, string>) {
  const link = (await (await app.request('/api/v1/contacts/export', { method: 'POST', headers: auth, body: JSON.stringify({ columns: ['id', 'name', 'email', 'phone', 'companyName', 'tags', 'owner', 'createdAt', 'custom.industry'] }) })).json()) as { url: string };
  let peakRss = process.memoryUsage().rss;
  const baseRss = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await app.request(link.url);
  let bytes = 0;
  let rows = -1; // header
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) rows++;
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  // CPU time as well: on a shared machine it moves far less with other people's load than the wall clock does.
  console.log(`\nexport: ${rows.toLocaleString()} rows, ${(bytes / 1e6).toFixed(0)} MB in ${secs.toFixed(1)} s = ${Math.round(rows / secs).toLocaleString()} rows/s (CPU ${cpuSecs.toFixed(1)} s = ${Math.round(rows / cpuSecs).toLocaleString()} rows per CPU-second); RSS ${(baseRss / 1e6).toFixed(0)} MB before, peak ${(peakRss / 1e6).toFixed(0)} MB`);

}

async function mergeRoundTrip(app: ReturnType<typeof createApp>, auth: Record<string, string>, db: ReturnType<typeof openDb>['db'], workspaceId: string) {
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

await main();
