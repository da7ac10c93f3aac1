import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withinWorkingHours } from '../domain/appointments/slots.js';
import { harness, type Harness } from '../testing.js';
import { seedAppointments } from './appointments.js';
import { seedContacts } from './seed.js';

// The demo's calendars and appointments are what the API would have booked: in working hours, no member twice at
// once (buffer kept), past and upcoming, and told in the contact's Activity.
describe('demo appointments seed', () => {
  let h: Harness;
  let ws: Awaited<ReturnType<Harness['workspace']>>;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    await seedContacts(h.opened, ws.id, 50, { now: h.clock.now(), seed: 42 });
    await seedAppointments(h.opened.db, ws.id, h.clock.now());
  });
  after(() => h.close());

  it('seeds two calendars and appointments inside working hours, never double-booked, in the past and the coming weeks', async () => {
    const calendars = await h.call('GET', '/api/v1/calendars', { token: ws.secretKey });
    assert.deepEqual(calendars.body.items.map((c: { name: string }) => c.name), ['Sales consultations', 'Service visits']);
    const byId = new Map(calendars.body.items.map((c: { id: string }) => [c.id, c]));
    const rows = await h.opened.db.selectFrom('appointments').selectAll().where('workspace_id', '=', ws.id).orderBy('start_at').execute();
    assert.ok(rows.length >= 30, `${rows.length} appointments`);
    const now = h.clock.now();
    assert.ok(rows.some((r) => r.end_at < now) && rows.some((r) => r.start_at > now), 'past and upcoming');
    assert.ok(rows.some((r) => r.status === 'cancelled') && rows.some((r) => r.status === 'unconfirmed'));
    for (const r of rows) {
      const cal = byId.get(r.calendar_id) as { timeZone: string; workingHours: never; bufferMinutes: number; members: { id: string }[] };
      assert.ok(withinWorkingHours(cal, r.start_at, r.end_at), `${r.id} in working hours`);
      assert.ok(cal.members.some((m) => m.id === r.member_id));
      const buffer = cal.bufferMinutes * 60_000;
      const clash = rows.find((o) => o.id !== r.id && o.member_id === r.member_id && o.status !== 'cancelled' && r.status !== 'cancelled' && r.start_at < o.end_at + buffer && r.end_at + buffer > o.start_at);
      assert.equal(clash, undefined, `${r.id} double-booked with ${clash?.id}`);
    }
    const first = rows[0]!;
    const activity = await h.call('GET', `/api/v1/contacts/${first.contact_id}/activity?kind=appointment`, { token: ws.secretKey });
    assert.ok(activity.body.items.some((i: { kind: string }) => i.kind === 'appointment.booked'));
    // Seeding again adds nothing.
    await seedAppointments(h.opened.db, ws.id, now);
    assert.equal((await h.opened.db.selectFrom('appointments').select('id').where('workspace_id', '=', ws.id).execute()).length, rows.length);
  });
});
