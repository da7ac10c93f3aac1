// Appointments bench: free slots for a month of a calendar with 10 members (Mon–Fri 09:00–17:00 Europe/Berlin, 30-min
// slots, 15-min buffer) with ~900 appointments already booked that month. p50/p95 of the slot engine alone (busy times
// in memory) and of GET /calendars/:id/slots over loopback (request start to last byte: an upper bound of server
// time), for any member (round-robin) and for one member, read in another zone. Goal: ≤ 50 ms.
// Run: npm run bench -- appointments. Prints figures; CI does not run it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../server/src/deps.js';
import { computeSlots, type Busy, type WorkingHours } from '../server/src/domain/appointments/slots.js';
import { instantOf } from '../server/src/domain/appointments/zoned-time.js';
import { createWorkspace } from '../server/src/domain/workspaces.js';
import { newId } from '../server/src/ids.js';
import { startServer } from '../server/src/main.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const MEMBERS = 10;
const day = [{ start: '09:00', end: '17:00' }];
const workingHours: WorkingHours = { sun: [], mon: day, tue: day, wed: day, thu: day, fri: day, sat: [] };

const dataDir = mkdtempSync(join(tmpdir(), 'dossier-appointments-bench-'));
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logFormat: 'json' });
const base = server.url.replace('localhost', '127.0.0.1');
const db = server.opened.db;
const { workspaceId, secretKey } = await createWorkspace(db, { name: 'Appointments bench' }, systemClock.now());
const headers = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' };
const post = async (path: string, body: unknown) => (await (await fetch(`${base}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as any;

const memberIds: string[] = [];
for (let i = 0; i < MEMBERS; i++) memberIds.push((await post('/sessions', { member: { externalId: `m${i}`, name: `Member ${i}`, email: `m${i}@example.com`, role: 'agent' } })).memberId);
const calendar = await post('/calendars', { name: 'Team', timeZone: 'Europe/Berlin', slotMinutes: 30, bufferMinutes: 15, workingHours, memberIds });
const contact = await post('/contacts', { firstName: 'Bench' });

// Next month, from its first day; every member has 4 appointments each working day (some cancelled).
const now = Date.now();
const first = new Date(now);
const year = first.getUTCMonth() === 11 ? first.getUTCFullYear() + 1 : first.getUTCFullYear();
const month = ((first.getUTCMonth() + 1) % 12) + 1;
const from = `${year}-${String(month).padStart(2, '0')}-01`;
const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
const to = `${year}-${String(month).padStart(2, '0')}-${days}`;
const rows = [];
const busy: Busy[] = [];
for (let d = 1; d <= days; d++) {
  const weekday = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
  if (weekday === 0 || weekday === 6) continue;
  for (const [m, memberId] of memberIds.entries()) {
    for (let k = 0; k < 4; k++) {
      const startAt = instantOf(year, month, d, 9 * 60 + ((m + k * 4) % 16) * 30, 'Europe/Berlin');
      const endAt = startAt + 30 * 60_000;
      const status = (m + k + d) % 9 === 0 ? 'cancelled' : 'confirmed';
      if (status === 'confirmed') busy.push({ memberId, startAt, endAt });
      rows.push({ id: newId('ap_', now), workspace_id: workspaceId, contact_id: contact.id, calendar_id: calendar.id, member_id: memberId, title: 'Booked', description: '', attendee_ids: '[]', time_zone: 'Europe/Berlin', start_at: startAt, end_at: endAt, location: '', status, type: 'meeting', created_by: null, cancelled_at: null, created_at: now, updated_at: now } as const);
    }
  }
}
for (let i = 0; i < rows.length; i += 500) await db.insertInto('appointments').values(rows.slice(i, i + 500)).execute();
console.log(`${MEMBERS} members, ${rows.length} appointments in ${from} … ${to}`);

const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms`;
};
async function measure(label: string, run: () => unknown) {
  for (let i = 0; i < 10; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  console.log(`${label.padEnd(58)} ${stats(times)}`);
}

const cal = { timeZone: 'Europe/Berlin', slotMinutes: 30, bufferMinutes: 15, workingHours, memberIds };
let slots = 0;
await measure('slot engine, a month, any of 10 members', () => (slots = computeSlots(cal, busy, { from, to, zone: 'Europe/Berlin', now }).reduce((n, d) => n + d.slots.length, 0)));
console.log(`  (${slots} free slots)`);
await measure('slot engine, a month, read in America/New_York', () => computeSlots(cal, busy, { from, to, zone: 'America/New_York', now }));
const get = async (query: string) => {
  const res = await fetch(`${base}/api/v1/calendars/${calendar.id}/slots?${query}`, { headers });
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return res.json();
};
await measure('GET /calendars/:id/slots, a month, any member', () => get(`from=${from}&to=${to}`));
await measure('GET /calendars/:id/slots, a month, one member', () => get(`from=${from}&to=${to}&memberId=${memberIds[3]}`));
await measure('GET /calendars/:id/slots, a month, in Asia/Tokyo', () => get(`from=${from}&to=${to}&timeZone=Asia/Tokyo`));

await server.close();
rmSync(dataDir, { recursive: true, force: true });
