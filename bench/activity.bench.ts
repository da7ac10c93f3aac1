// Activity bench: one contact with 10,000 timeline events (activities of every kind, plus record changes in the audit
// log), p50/p95 of GET /contacts/:id/activity for the first page, a page 9,000 events deep (keyset: it should cost the
// same), the same filtered by kind, and the attribution with its touches. Figures are request start to last byte
// over loopback (an upper bound of server time). Run: npm run bench -- activity. Prints figures; CI does not run it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { systemClock } from '../server/src/deps.js';
import { createWorkspace } from '../server/src/domain/workspaces.js';
import { newId } from '../server/src/ids.js';
import { startServer } from '../server/src/main.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const KINDS = ['visit', 'visit', 'message', 'message', 'call', 'purchase', 'form_submission', 'document_view'];

const dataDir = mkdtempSync(join(tmpdir(), 'dossier-activity-bench-'));
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logFormat: 'json' });
const base = server.url.replace('localhost', '127.0.0.1');
const db = server.opened.db;
const { workspaceId, secretKey } = await createWorkspace(db, { name: 'Activity bench' }, systemClock.now());
const headers = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' };
const contact = (await (await fetch(`${base}/api/v1/contacts`, { method: 'POST', headers, body: JSON.stringify({ firstName: 'Busy', lastName: 'Contact' }) })).json()) as { id: string };
// Other contacts' events in the same tables, so the index has to pick one contact out of many.
const others = await Promise.all(Array.from({ length: 20 }, async (_, i) => ((await (await fetch(`${base}/api/v1/contacts`, { method: 'POST', headers, body: JSON.stringify({ firstName: `Other ${i}` }) })).json()) as { id: string }).id));

const now = Date.now();
const rows = (contactId: string, n: number, offset: number) =>
  Array.from({ length: n }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const at = now - (offset + i) * 60_000;
    const touch = kind === 'visit' ? JSON.stringify({ source: 'google', medium: 'cpc', campaign: `c${i % 7}`, url: `https://acme.example/p/${i}`, channel: 'paid_search', at }) : null;
    return {
      id: newId('ac_', at),
      workspace_id: workspaceId,
      contact_id: contactId,
      kind,
      channel: kind === 'message' ? 'email' : kind === 'call' ? 'call' : null,
      direction: 'inbound' as const,
      summary: kind === 'visit' ? `acme.example/p/${i}` : `Event ${i}`,
      data: JSON.stringify(kind === 'purchase' ? { amount: 49, currency: 'USD' } : { url: `https://acme.example/p/${i}` }),
      at,
      attribution: touch,
    };
  });
const t0 = performance.now();
const audits = Math.round(EVENTS * 0.1);
for (let done = 0; done < EVENTS - audits; done += 500) {
  await db.insertInto('activities').values(rows(contact.id, Math.min(500, EVENTS - audits - done), done)).execute();
}
for (let done = 0; done < audits; done += 500) {
  const n = Math.min(500, audits - done);
  await db
    .insertInto('audit_events')
    .values(Array.from({ length: n }, (_, i) => ({ id: newId('ev_', now - (done + i) * 97_000), workspace_id: workspaceId, contact_id: contact.id, actor_id: null, actor_type: 'api' as const, action: 'contact.updated', changes: JSON.stringify({ companyName: { before: null, after: `Acme ${i}` } }), at: now - (done + i) * 97_000 })))
    .execute();
}
for (const other of others) await db.insertInto('activities').values(rows(other, 1000, 0)).execute();
await sql`ANALYZE`.execute(db);
console.log(`seeded ${EVENTS} events on one contact (+${others.length * 1000} on others) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const get = async (path: string) => {
  // A kept-alive connection the server closed while the bench was seeding: one retry on a fresh one.
  const res = await fetch(`${base}${path}`, { headers }).catch(() => fetch(`${base}${path}`, { headers }));
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ items: unknown[]; nextCursor: string | null }>;
};
async function time(label: string, path: string) {
  for (let i = 0; i < 10; i++) await get(path); // warm up
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await get(path);
    xs.push(performance.now() - started);
  }
  console.log(`| ${label.padEnd(52)} | ${pct(xs, 50).toFixed(2).padStart(7)} | ${pct(xs, 95).toFixed(2).padStart(7)} |`);
}

// A cursor about 9,000 events deep (walked once, not timed).
const activity = `/api/v1/contacts/${contact.id}/activity`;
let cursor: string | null = null;
let seen = 0;
while (seen < EVENTS - 1000) {
  const page = await get(`${activity}?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
  seen += page.items.length;
  cursor = page.nextCursor;
}
let callCursor: string | null = null;
for (let i = 0; i < 20; i++) callCursor = (await get(`${activity}?kind=call&limit=50${callCursor ? `&cursor=${callCursor}` : ''}`)).nextCursor;

console.log(`\n| GET /contacts/:id/activity (${EVENTS} events, ${RUNS} runs) | p50 ms | p95 ms |`);
console.log('|---|---|---|');
await time('baseline: GET /contacts/:id (one contact)', `/api/v1/contacts/${contact.id}`);
await time('first page (limit 50)', `${activity}?limit=50`);
await time(`deep page (after ${seen} events, limit 50)`, `${activity}?limit=50&cursor=${cursor}`);
await time('first page, kind=call', `${activity}?kind=call&limit=50`);
await time('deep page, kind=call (after 1,000 calls)', `${activity}?kind=call&limit=50&cursor=${callCursor}`);
await time('first page, kind=field_change (audit log only)', `${activity}?kind=field_change&limit=50`);
await time('attribution (first, latest, 200 touches)', `/api/v1/contacts/${contact.id}/attribution`);

await server.close();
rmSync(dataDir, { recursive: true, force: true });
