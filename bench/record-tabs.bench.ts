// Record tabs bench: one contact with 1,000 notes and 500 tasks (written through the API, as staff and hosts do), p50/p95
// of each tab's first paint request — the Notes list, the Tasks list with its default filter and the header's due
// badge — and of a page deep in each list (keyset paging: it should cost the same as the first). Figures are request
// start to last byte over loopback (an upper bound of server time). Goal: p95 ≤ 100 ms. Run: npm run bench -- record.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { systemClock } from '../server/src/deps.js';
import { createWorkspace, upsertMember } from '../server/src/domain/workspaces.js';
import { configureLog } from '../server/src/log.js';
import { startServer } from '../server/src/main.js';

const NOTES = Number(process.env.BENCH_NOTES ?? 1_000);
const TASKS = Number(process.env.BENCH_TASKS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const GOAL_MS = 100;

const dataDir = mkdtempSync(join(tmpdir(), 'dossier-record-tabs-bench-'));
// Request logs would drown the figures: only warnings and errors.
configureLog({ write: (line, level) => level !== 'info' && console.error(line) });
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logFormat: 'json' });
const base = server.url.replace('localhost', '127.0.0.1');
const db = server.opened.db;
const now = systemClock.now();
const { workspaceId, secretKey } = await createWorkspace(db, { name: 'Record tabs bench' }, now);
const members = await Promise.all(
  Array.from({ length: 5 }, (_, i) => upsertMember(db, workspaceId, { externalId: `m${i}`, name: `Member ${i}`, email: `m${i}@example.com`, role: i ? 'agent' : 'owner' }, now)),
);
const headers = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' };

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  // A kept-alive connection the server closed meanwhile: one retry on a fresh one.
  const send = () => fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await send().catch(send);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

const contact = await call<{ id: string }>('POST', '/api/v1/contacts', { firstName: 'Busy', lastName: 'Record' });
// Other contacts' notes and tasks in the same tables, so the indexes have to pick one contact out of many.
const others = await Promise.all(Array.from({ length: 10 }, (_, i) => call<{ id: string }>('POST', '/api/v1/contacts', { firstName: `Other ${i}` })));

const t0 = performance.now();
async function fill(contactId: string, notes: number, tasks: number) {
  for (let i = 0; i < notes; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, notes - i) }, (_, j) => call('POST', `/api/v1/contacts/${contactId}/notes`, { body: `Call notes ${i + j}: discussed the renewal, see https://acme.example/deal/${i + j}`, pinned: (i + j) % 97 === 0 })));
  }
  for (let i = 0; i < tasks; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, tasks - i) }, (_, j) => {
        const n = i + j;
        // Due from 60 days ago to 60 days ahead; a third completed.
        return call<{ id: string }>('POST', `/api/v1/contacts/${contactId}/tasks`, { title: `Follow up ${n}`, dueAt: now + ((n % 120) - 60) * 86_400_000, assigneeId: members[n % members.length] }).then((t) =>
          n % 3 === 0 ? call('PATCH', `/api/v1/contacts/${contactId}/tasks/${t.id}`, { status: 'completed' }) : undefined,
        );
      }),
    );
  }
}
await fill(contact.id, NOTES, TASKS);
for (const o of others) await fill(o.id, NOTES / 10, TASKS / 10);
await sql`ANALYZE`.execute(db);
console.log(`seeded ${NOTES} notes and ${TASKS} tasks on one contact (+${(NOTES + TASKS) / 10} on each of ${others.length} others) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const p95s: number[] = [];
async function time(label: string, path: string) {
  for (let i = 0; i < 10; i++) await call('GET', path); // warm up
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await call('GET', path);
    xs.push(performance.now() - started);
  }
  p95s.push(pct(xs, 95));
  console.log(`| ${label.padEnd(56)} | ${pct(xs, 50).toFixed(2).padStart(7)} | ${pct(xs, 95).toFixed(2).padStart(7)} |`);
}

/** The cursor after walking `depth` items of a list (not timed). */
async function deepCursor(path: string, depth: number) {
  let cursor: string | null = null;
  let seen = 0;
  const sep = path.includes('?') ? '&' : '?';
  while (seen < depth) {
    const page: { items: unknown[]; nextCursor: string | null } = await call('GET', `${path}${sep}limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    seen += page.items.length;
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { cursor, seen };
}

const notes = `/api/v1/contacts/${contact.id}/notes`;
const tasks = `/api/v1/contacts/${contact.id}/tasks`;
const deepNotes = await deepCursor(notes, NOTES - 100);
const deepTasks = await deepCursor(`${tasks}?status=all`, TASKS - 100);
const dayEnd = now - (now % 86_400_000) + 86_400_000;

console.log(`\n| ${NOTES} notes, ${TASKS} tasks, ${RUNS} runs`.padEnd(60) + ' | p50 ms | p95 ms |');
console.log('|---|---|---|');
await time('baseline: GET /contacts/:id (one contact)', `/api/v1/contacts/${contact.id}`);
await time('Notes: first page (newest, 30)', `${notes}?limit=30`);
await time(`Notes: deep page (after ${deepNotes.seen})`, `${notes}?limit=30&cursor=${deepNotes.cursor}`);
await time('Notes: search "renewal 42"', `${notes}?limit=30&q=${encodeURIComponent('renewal 42')}`);
await time('Tasks: first page (open, by due date, 50)', `${tasks}?status=open&limit=50`);
await time(`Tasks: deep page (all, after ${deepTasks.seen})`, `${tasks}?status=all&limit=50&cursor=${deepTasks.cursor}`);
await time('Tasks: overdue', `${tasks}?status=open&overdue=true&limit=50`);
await time('Tasks: the header badge (due today / overdue)', `${tasks}/due?dayEnd=${dayEnd}`);
const worst = Math.max(...p95s.slice(1));
console.log(`\nworst tab p95: ${worst.toFixed(2)} ms (goal ≤ ${GOAL_MS} ms: ${worst <= GOAL_MS ? 'met' : 'NOT met'})`);

await server.close();
rmSync(dataDir, { recursive: true, force: true });
