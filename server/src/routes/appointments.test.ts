import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import type { DomainEvent } from '../domain/events.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEKDAYS = { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }], sat: [], sun: [] };
/** 2026-11-02 (a Monday) at hh:mm in Berlin (CET, UTC+1). */
const berlinMon = (hh: number, mm = 0) => Date.UTC(2026, 10, 2, hh - 1, mm);

// Calendars, free slots (time zones, DST), booking (round-robin, double-booking refused also under concurrent
// requests), edits, cancelling, .ics export, roles, restricted members, tenant isolation, audit, Activity, webhooks
// and live events. The test clock stands at 2026-11-01 12:00 UTC (a Sunday).
describe('calendars and appointments', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let manager: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let contactId: string;
  let guestId: string;
  let calendarId: string;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const makeCalendar = async (body: Record<string, unknown> = {}, token = ws.secretKey) => {
    const res = await call('POST', '/calendars', token, { name: 'Consultations', timeZone: 'Europe/Berlin', slotMinutes: 30, workingHours: WEEKDAYS, memberIds: [owner.memberId], ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const book = (body: Record<string, unknown>, token = owner.token, id = contactId) => call('POST', `/contacts/${id}/appointments`, token, { calendarId, ...body });
  const booked = async (body: Record<string, unknown>, token = owner.token, id = contactId) => {
    const res = await book(body, token, id);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const slots = async (query: string, cal = calendarId, token = owner.token) => {
    const res = await call('GET', `/calendars/${cal}/slots?${query}`, token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = await ws.token('owner');
    manager = await ws.token('manager');
    agent = await ws.token('agent');
    contactId = (await call('POST', '/contacts', owner.token, { firstName: 'Ada', lastName: 'Booker', emails: [{ value: 'ada@example.com' }] })).body.id;
    guestId = (await call('POST', '/contacts', owner.token, { firstName: 'Grace', lastName: 'Guest', emails: [{ value: 'grace@example.com' }] })).body.id;
    calendarId = (await makeCalendar({ defaultLocation: 'Office, Room 2', defaultTitle: 'Consultation', defaultDescription: 'First meeting', bufferMinutes: 15, memberIds: [owner.memberId, agent.memberId] })).id;
  });
  after(() => h.close());

  it('manages calendars: secret key, owners and managers change them, everyone reads them; fields are checked', async () => {
    const cal = await makeCalendar({ name: 'Demos', memberIds: [manager.memberId, owner.memberId] }, manager.token);
    assert.match(cal.id, /^cal_/);
    assert.equal(cal.defaultTitle, 'Demos', 'the name when no default title is given');
    assert.deepEqual(cal.members.map((m: { id: string }) => m.id), [manager.memberId, owner.memberId]);
    assert.deepEqual(cal.roundRobin, { lastMemberId: null });
    assert.equal((await call('POST', '/calendars', agent.token, { name: 'x', timeZone: 'UTC', slotMinutes: 30, workingHours: WEEKDAYS, memberIds: [] })).status, 403);
    assert.equal((await call('PATCH', `/calendars/${cal.id}`, agent.token, { name: 'y' })).status, 403);
    const listed = await call('GET', '/calendars', agent.token);
    assert.ok(listed.body.items.some((c: { id: string }) => c.id === cal.id));

    const patched = await call('PATCH', `/calendars/${cal.id}`, owner.token, { name: 'Product demos', slotMinutes: 45, memberIds: [owner.memberId] });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.slotMinutes, 45);
    assert.deepEqual(patched.body.members, [{ id: owner.memberId, name: 'owner owner-1' }]);

    const bad = async (body: Record<string, unknown>, status: number, field: string) => {
      const res = await call('POST', '/calendars', ws.secretKey, { name: 'x', timeZone: 'UTC', slotMinutes: 30, workingHours: WEEKDAYS, memberIds: [], ...body });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.ok(JSON.stringify(res.body.error.details).includes(field), JSON.stringify(res.body));
    };
    await bad({ timeZone: 'Mars/Olympus' }, 400, 'timeZone');
    await bad({ slotMinutes: 2 }, 400, 'slotMinutes');
    await bad({ workingHours: { ...WEEKDAYS, mon: [{ start: '9:00', end: '17:00' }] } }, 400, 'workingHours.mon[0].start');
    await bad({ workingHours: { ...WEEKDAYS, tue: [{ start: '12:00', end: '10:00' }] } }, 422, 'workingHours.tue[0]');
    await bad({ workingHours: { ...WEEKDAYS, wed: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } }, 422, 'workingHours.wed[1]');
    await bad({ memberIds: ['mb_nobody'] }, 422, 'memberIds[0]');

    assert.equal((await call('DELETE', `/calendars/${cal.id}`, agent.token)).status, 403);
    assert.equal((await call('DELETE', `/calendars/${cal.id}`, owner.token)).status, 200);
    assert.equal((await call('GET', `/calendars/${cal.id}`, owner.token)).status, 404);
  });

  it('computes free slots in the calendar’s working hours, shown in the requested zone, past times hidden', async () => {
    // Sunday 2026-11-01 12:00 UTC: no hours on Sunday; Monday 09:00–17:00 Berlin, 30 min: 16 slots.
    const berlin = await slots('from=2026-11-01&to=2026-11-02');
    assert.equal(berlin.timeZone, 'Europe/Berlin');
    assert.deepEqual(berlin.days.map((d: { date: string }) => d.date), ['2026-11-02']);
    const monday = berlin.days[0].slots;
    assert.equal(monday.length, 16);
    assert.equal(monday[0].startAt, berlinMon(9));
    assert.equal(monday[0].endAt, berlinMon(9, 30));
    assert.deepEqual(monday[0].memberIds, [owner.memberId, agent.memberId]);
    // Friday has a lunch break.
    const friday = (await slots('from=2026-11-06&to=2026-11-06')).days[0].slots;
    assert.equal(friday.length, 14);
    assert.ok(!friday.some((s: { startAt: number }) => s.startAt === Date.UTC(2026, 10, 6, 11)), 'no slot at 12:00 Berlin');
    // In Tokyo (UTC+9) Monday 09:00 Berlin is Monday 17:00; 16:30 Berlin (Tue 00:30 Tokyo) falls on Tuesday there.
    const tokyo = await slots('from=2026-11-02&to=2026-11-03&timeZone=Asia/Tokyo');
    assert.equal(tokyo.timeZone, 'Asia/Tokyo');
    assert.equal(tokyo.days[0].date, '2026-11-02');
    assert.equal(tokyo.days[0].slots.length, 14);
    assert.equal(tokyo.days[1].slots[0].startAt, berlinMon(16));
    // Past times are hidden: on Monday at 10:10 Berlin the first slot is 10:30.
    const saved = h.clock.t;
    h.clock.t = berlinMon(10, 10);
    try {
      // (the secret key: member sessions of the test expire within the day)
      assert.equal((await slots('from=2026-11-02&to=2026-11-02', calendarId, ws.secretKey)).days[0].slots[0].startAt, berlinMon(10, 30));
    } finally {
      h.clock.t = saved;
    }
    // Bad queries.
    for (const q of ['from=2026-11-02', 'from=2026-02-30&to=2026-03-01', 'from=2026-11-05&to=2026-11-02', 'from=2026-11-01&to=2027-01-31', 'from=2026-11-01&to=2026-11-02&timeZone=Nowhere/Land']) {
      const res = await call('GET', `/calendars/${calendarId}/slots?${q}`, owner.token);
      assert.equal(res.status, 400, q);
      assert.equal(res.body.error.code, 'validation_failed');
    }
    assert.equal((await call('GET', `/calendars/${calendarId}/slots?from=2026-11-02&to=2026-11-02&memberId=${manager.memberId}`, owner.token)).status, 422);
  });

  it('keeps working hours in the calendar’s zone across the DST changes of Europe/Berlin (28 March and 31 October 2027)', async () => {
    const every = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));
    const round = await makeCalendar({ name: 'Round the clock', slotMinutes: 60, workingHours: every });
    const count = async (date: string, zone = 'Europe/Berlin') => (await slots(`from=${date}&to=${date}&timeZone=${zone}`, round.id)).days[0].slots;
    const spring = await count('2027-03-28');
    assert.equal(spring.length, 23, 'the day clocks go forward has 23 hours');
    assert.equal(spring[2].startAt, Date.UTC(2027, 2, 28, 1), '03:00 CEST follows 01:00 CET: 02:00 does not exist');
    assert.equal((await count('2027-10-31')).length, 25, 'the day clocks go back has 25 hours');
    assert.equal((await count('2027-03-28', 'UTC')).length, 24);

    // 09:00 Berlin is 08:00 UTC before the change and 07:00 UTC after it.
    const before = (await slots('from=2027-03-26&to=2027-03-26')).days[0].slots[0];
    const after = (await slots('from=2027-03-29&to=2027-03-29')).days[0].slots[0];
    assert.equal(before.startAt, Date.UTC(2027, 2, 26, 8));
    assert.equal(after.startAt, Date.UTC(2027, 2, 29, 7));
    const autumn = (await slots('from=2027-11-01&to=2027-11-01')).days[0].slots[0];
    assert.equal(autumn.startAt, Date.UTC(2027, 10, 1, 8));
    // Booking follows the same hours: 08:00 UTC on 29 March is 10:00 there; 07:00 UTC on 26 March is 08:00 there (closed).
    const ok = await booked({ startAt: Date.UTC(2027, 2, 29, 7), memberId: agent.memberId });
    assert.equal(ok.endAt, Date.UTC(2027, 2, 29, 7, 30));
    const closed = await book({ startAt: Date.UTC(2027, 2, 26, 7), memberId: agent.memberId });
    assert.equal(closed.status, 422);
    assert.deepEqual(closed.body.error.details, { field: 'startAt' });
    await call('PATCH', `/contacts/${contactId}/appointments/${ok.id}`, owner.token, { status: 'cancelled' });
  });

  it('books with the calendar’s defaults, guests and time zone; refuses wrong fields with their paths', async () => {
    const a = await booked({ startAt: berlinMon(9), memberId: owner.memberId, attendeeIds: [guestId], timeZone: 'America/New_York' });
    assert.match(a.id, /^ap_/);
    assert.equal(a.title, 'Consultation');
    assert.equal(a.description, 'First meeting');
    assert.equal(a.location, 'Office, Room 2');
    assert.equal(a.status, 'confirmed');
    assert.equal(a.type, 'meeting');
    assert.equal(a.timeZone, 'America/New_York');
    assert.equal(a.endAt - a.startAt, 30 * MIN);
    assert.deepEqual(a.member, { id: owner.memberId, name: 'owner owner-1' });
    assert.deepEqual(a.attendees, [{ id: guestId, name: 'Grace Guest' }]);
    assert.deepEqual(a.calendar, { id: calendarId, name: 'Consultations' });
    const own = await booked({ startAt: berlinMon(13), memberId: owner.memberId, title: 'Contract review', location: 'Zoom', status: 'unconfirmed', type: 'service', description: 'Bring the draft' });
    assert.deepEqual([own.title, own.location, own.status, own.type, own.description], ['Contract review', 'Zoom', 'unconfirmed', 'service', 'Bring the draft']);

    const refuse = async (body: Record<string, unknown>, status: number, field: string) => {
      const res = await book({ startAt: berlinMon(15), ...body });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.ok(JSON.stringify(res.body.error.details).includes(field), `${field}: ${JSON.stringify(res.body)}`);
    };
    await refuse({ startAt: h.clock.now() - HOUR }, 422, 'startAt');
    await refuse({ startAt: berlinMon(7) }, 422, 'startAt');
    await refuse({ startAt: berlinMon(16, 45) }, 422, 'startAt');
    await refuse({ endAt: berlinMon(14) }, 422, 'endAt');
    await refuse({ memberId: manager.memberId }, 422, 'memberId');
    await refuse({ calendarId: 'cal_nope' }, 422, 'calendarId');
    await refuse({ attendeeIds: [contactId] }, 422, 'attendeeIds[0]');
    await refuse({ attendeeIds: [guestId, 'ct_nope'] }, 422, 'attendeeIds[1]');
    await refuse({ timeZone: 'Europe/Nowhere' }, 400, 'timeZone');
    await refuse({ status: 'cancelled' }, 400, 'status');
    await refuse({ type: 'party' }, 400, 'type');
    await refuse({ startAt: 'tomorrow' }, 400, 'startAt');
    await refuse({ extra: 1 }, 400, '');
  });

  it('refuses double-booking a member (buffer included) with a clear problem, and frees the time when cancelled', async () => {
    const first = await booked({ startAt: berlinMon(11), memberId: agent.memberId });
    const clash = await book({ startAt: berlinMon(11), memberId: agent.memberId });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'slot_taken');
    assert.match(clash.body.error.message, /agent agent-1 already has an appointment at this time/);
    assert.deepEqual(clash.body.error.details, { field: 'startAt', memberId: agent.memberId });
    // The 15-minute buffer: 11:30 (right after) is taken too; 11:45 is free.
    assert.equal((await book({ startAt: berlinMon(11, 30), memberId: agent.memberId })).status, 409);
    assert.equal((await book({ startAt: berlinMon(10, 30), memberId: agent.memberId })).status, 409);
    const slotsNow = (await slots(`from=2026-11-02&to=2026-11-02&memberId=${agent.memberId}`)).days[0].slots.map((s: { startAt: number }) => s.startAt);
    assert.ok(!slotsNow.includes(berlinMon(11)) && !slotsNow.includes(berlinMon(11, 30)) && !slotsNow.includes(berlinMon(10, 30)));
    assert.ok(slotsNow.includes(berlinMon(10)) && slotsNow.includes(berlinMon(12)));
    // Cancelled: the time is free again (and the appointment stays, cancelled).
    const cancelled = await call('PATCH', `/contacts/${contactId}/appointments/${first.id}`, agent.token, { status: 'cancelled' });
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.cancelledAt, h.clock.now());
    const again = await booked({ startAt: berlinMon(11), memberId: agent.memberId });
    // A cancelled appointment cannot come back over the new one.
    const back = await call('PATCH', `/contacts/${contactId}/appointments/${first.id}`, owner.token, { status: 'confirmed' });
    assert.equal(back.status, 409);
    assert.equal(back.body.error.code, 'slot_taken');
    await call('PATCH', `/contacts/${contactId}/appointments/${again.id}`, owner.token, { status: 'cancelled' });
  });

  it('refuses double-booking under concurrent requests: exactly one of many wins', async () => {
    const other = (await call('POST', '/contacts', owner.token, { firstName: 'Racer' })).body.id;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => book({ startAt: berlinMon(14), memberId: agent.memberId, title: `Race ${i}` }, i % 2 ? owner.token : agent.token, i % 3 ? contactId : other)));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
    // Round-robin under contention: two members, five requests for one slot: both get one, three are refused.
    const rr = await Promise.all(Array.from({ length: 5 }, () => book({ startAt: berlinMon(15, 30) })));
    assert.deepEqual(rr.map((r) => r.status).sort(), [201, 201, 409, 409, 409]);
    assert.deepEqual(rr.filter((r) => r.status === 201).map((r) => r.body.member.id).sort(), [owner.memberId, agent.memberId].sort());
    const busy = await h.opened.db.selectFrom('appointments').select(['member_id']).where('start_at', 'in', [berlinMon(14), berlinMon(15, 30)]).where('status', '!=', 'cancelled').execute();
    assert.equal(busy.length, 3);
  });

  it('assigns by round-robin among the members free at that time', async () => {
    const rr = await makeCalendar({ name: 'Round robin', memberIds: [owner.memberId, manager.memberId, agent.memberId] });
    const at = (d: number, hh: number) => Date.UTC(2026, 10, 2 + d, hh - 1);
    const who = async (startAt: number) => (await booked({ calendarId: rr.id, startAt })).member.id;
    assert.equal(await who(at(1, 9)), owner.memberId);
    assert.equal(await who(at(1, 10)), manager.memberId);
    assert.equal(await who(at(1, 11)), agent.memberId);
    assert.equal(await who(at(1, 12)), owner.memberId);
    // Manager is busy at that time (booked directly): the turn passes to the next free member.
    await booked({ calendarId: rr.id, startAt: at(2, 9), memberId: manager.memberId });
    assert.equal(await who(at(2, 9)), agent.memberId);
    assert.equal((await call('GET', `/calendars/${rr.id}`, owner.token)).body.roundRobin.lastMemberId, agent.memberId);
    // Everyone busy: refused.
    await booked({ calendarId: rr.id, startAt: at(2, 9), memberId: owner.memberId });
    const none = await book({ calendarId: rr.id, startAt: at(2, 9) });
    assert.equal(none.status, 409);
    assert.match(none.body.error.message, /No team member/);
    // Slots without a member: a time is free while one member is.
    const day = (await slots('from=2026-11-04&to=2026-11-04', rr.id)).days[0].slots;
    assert.ok(!day.some((s: { startAt: number }) => s.startAt === at(2, 9)));
    assert.deepEqual(day.find((s: { startAt: number }) => s.startAt === at(2, 10)).memberIds, [owner.memberId, manager.memberId, agent.memberId]);
  });

  it('lists upcoming (soonest first) and previous (latest first), cancelled kept; searches; pages by cursor', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Lisa', lastName: 'Lists' })).body.id;
    await booked({ startAt: berlinMon(9, 30), memberId: agent.memberId, title: 'Kick-off' }, owner.token, c);
    const later = await booked({ startAt: Date.UTC(2026, 10, 10, 9), memberId: agent.memberId, title: 'Follow-up call', location: 'Phone' }, owner.token, c);
    await booked({ startAt: Date.UTC(2026, 10, 12, 9), memberId: agent.memberId, title: 'Wrap-up' }, owner.token, c);
    await call('PATCH', `/contacts/${c}/appointments/${later.id}`, owner.token, { status: 'cancelled' });
    const titles = async (q: string) => (await call('GET', `/contacts/${c}/appointments${q}`, ws.secretKey)).body.items.map((a: { title: string; status: string }) => `${a.title}:${a.status}`);
    assert.deepEqual(await titles(''), ['Kick-off:confirmed', 'Follow-up call:cancelled', 'Wrap-up:confirmed']);
    assert.deepEqual(await titles('?q=PHONE'), ['Follow-up call:cancelled']);
    assert.deepEqual(await titles('?when=previous'), []);
    h.clock.t = Date.UTC(2026, 10, 11);
    try {
    assert.deepEqual(await titles('?when=previous'), ['Follow-up call:cancelled', 'Kick-off:confirmed']);
    assert.deepEqual(await titles('?when=upcoming'), ['Wrap-up:confirmed']);
    assert.deepEqual(await titles('?when=all'), ['Wrap-up:confirmed', 'Follow-up call:cancelled', 'Kick-off:confirmed']);
    const first = await call('GET', `/contacts/${c}/appointments?when=all&limit=2`, ws.secretKey);
    const second = await call('GET', `/contacts/${c}/appointments?when=all&limit=2&cursor=${first.body.nextCursor}`, ws.secretKey);
    assert.deepEqual(second.body.items.map((a: { title: string }) => a.title), ['Kick-off']);
    assert.equal(second.body.nextCursor, null);
    assert.equal((await call('GET', `/contacts/${c}/appointments?when=soon`, ws.secretKey)).status, 400);
    assert.equal((await call('GET', `/contacts/${c}/appointments?cursor=bad`, ws.secretKey)).status, 400);
    } finally {
      h.clock.t = Date.UTC(2026, 10, 1, 12);
    }
  });

  it('edits in full: calendar, title (blank: the default), member, guests, zone, time (checked again), location, status, type', async () => {
    const demo = await makeCalendar({ name: 'Demo calendar', defaultTitle: 'Product demo', defaultLocation: 'Showroom', memberIds: [manager.memberId], slotMinutes: 60 });
    const a = await booked({ startAt: Date.UTC(2026, 10, 9, 8), memberId: owner.memberId, title: 'Intro' });
    const path = `/contacts/${contactId}/appointments/${a.id}`;
    const edited = await call('PATCH', path, agent.token, { title: 'Intro (moved)', startAt: Date.UTC(2026, 10, 9, 9), attendeeIds: [guestId], location: 'Café', timeZone: 'Asia/Tokyo', type: 'service', status: 'unconfirmed', description: 'Bring slides' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual([edited.body.title, edited.body.startAt, edited.body.endAt, edited.body.location, edited.body.timeZone, edited.body.type, edited.body.status], ['Intro (moved)', Date.UTC(2026, 10, 9, 9), Date.UTC(2026, 10, 9, 9, 30), 'Café', 'Asia/Tokyo', 'service', 'unconfirmed']);
    assert.deepEqual(edited.body.attendees, [{ id: guestId, name: 'Grace Guest' }]);
    // Moving onto its own time is fine (it does not clash with itself); onto a taken one is not.
    assert.equal((await call('PATCH', path, owner.token, { startAt: Date.UTC(2026, 10, 9, 9), endAt: Date.UTC(2026, 10, 9, 9, 45) })).status, 200);
    const blocker = await booked({ startAt: Date.UTC(2026, 10, 9, 12), memberId: agent.memberId });
    const taken = await call('PATCH', path, owner.token, { memberId: agent.memberId, startAt: Date.UTC(2026, 10, 9, 12) });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, 'slot_taken');
    assert.equal((await call('PATCH', path, owner.token, { startAt: Date.UTC(2026, 10, 9, 20) })).status, 422, 'outside hours');
    // Another calendar: its member (the old one is not on it) by round-robin, its slot length, its defaults when blank.
    const moved = await call('PATCH', path, owner.token, { calendarId: demo.id, title: '', location: '' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual([moved.body.calendar.id, moved.body.member.id, moved.body.title, moved.body.location, moved.body.endAt - moved.body.startAt], [demo.id, manager.memberId, 'Product demo', 'Showroom', HOUR]);
    assert.equal((await call('PATCH', path, owner.token, { memberId: agent.memberId })).status, 422, 'not on the new calendar');
    assert.equal((await call('PATCH', path, owner.token, {})).status, 400);
    assert.equal((await call('PATCH', `/contacts/${contactId}/appointments/ap_nope`, owner.token, { title: 'x' })).status, 404);
    await call('PATCH', `/contacts/${contactId}/appointments/${blocker.id}`, owner.token, { status: 'cancelled' });
  });

  it('exports a valid iCalendar file: UID, DTSTAMP, UTC times, escaped and folded text, organizer and attendees', async () => {
    const long = 'Agenda: pricing, contract; next steps\nSecond line with ümlauts and emoji 📅 '.repeat(4);
    const a = await booked({ startAt: Date.UTC(2026, 10, 4, 10), memberId: owner.memberId, title: 'Review, part 1; final', description: long, location: 'HQ, 3rd floor', attendeeIds: [guestId] });
    const res = await h.call('GET', `/api/v1/contacts/${contactId}/appointments/${a.id}.ics`, { token: owner.token });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="Review-part-1-final\.ics"/);
    const text = res.body as string;
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
    assert.ok(text.endsWith('\r\n') && !/[^\r]\n/.test(text), 'CRLF line ends');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    assert.equal(event.uid, `${a.id}@dossier`);
    assert.equal(event.summary, 'Review, part 1; final');
    assert.equal(event.description, long.trim(), 'line breaks, commas, semicolons and emoji survive');
    assert.equal(event.location, 'HQ, 3rd floor');
    assert.equal(event.startDate.toJSDate().getTime(), a.startAt);
    assert.equal(event.endDate.toJSDate().getTime(), a.endAt);
    assert.equal(event.startDate.zone.tzid, 'UTC');
    const vevent = event.component;
    assert.equal(vevent.getFirstPropertyValue('status'), 'CONFIRMED');
    assert.ok(vevent.getFirstPropertyValue('dtstamp'));
    assert.equal(vevent.getFirstPropertyValue('organizer'), 'mailto:owner-1@example.com');
    assert.deepEqual(vevent.getAllProperties('attendee').map((p) => p.getFirstValue()), ['mailto:ada@example.com', 'mailto:grace@example.com']);
    await call('PATCH', `/contacts/${contactId}/appointments/${a.id}`, owner.token, { status: 'cancelled' });
    const cancelled = (await h.call('GET', `/api/v1/contacts/${contactId}/appointments/${a.id}.ics`, { token: owner.token })).body as string;
    assert.match(cancelled, /\r\nSTATUS:CANCELLED\r\n/);
    assert.equal((await h.call('GET', `/api/v1/contacts/${contactId}/appointments/ap_nope.ics`, { token: owner.token })).status, 404);
  });

  it('restricted members see and book only for their contacts, with guests they may see', async () => {
    const restricted = await ws.token('agent', { externalId: 'restricted', restrictToAssigned: true });
    const theirs = (await call('POST', '/contacts', owner.token, { firstName: 'Rita', ownerId: restricted.memberId })).body.id;
    assert.equal((await call('GET', `/contacts/${contactId}/appointments`, restricted.token)).status, 404);
    assert.equal((await book({ startAt: berlinMon(16), memberId: owner.memberId }, restricted.token)).status, 404);
    const a = (await booked({ startAt: berlinMon(12), memberId: agent.memberId })).id;
    assert.equal((await h.call('GET', `/api/v1/contacts/${contactId}/appointments/${a}.ics`, { token: restricted.token })).status, 404);
    assert.equal((await call('PATCH', `/contacts/${contactId}/appointments/${a}`, restricted.token, { status: 'cancelled' })).status, 404);
    const guest = await book({ startAt: berlinMon(16), memberId: owner.memberId, attendeeIds: [guestId] }, restricted.token, theirs);
    assert.equal(guest.status, 422);
    assert.deepEqual(guest.body.error.details, { field: 'attendeeIds[0]' });
    assert.equal((await book({ startAt: berlinMon(16, 30), memberId: owner.memberId }, restricted.token, theirs)).status, 201);
    assert.equal((await call('GET', `/contacts/${theirs}/appointments`, restricted.token)).body.items.length, 1);
  });

  it('keeps other workspaces out of calendars, slots and appointments', async () => {
    const other = await h.workspace();
    const stranger = await other.token('owner');
    const a = (await booked({ startAt: berlinMon(16, 15), memberId: agent.memberId })).id;
    assert.equal((await call('GET', `/calendars/${calendarId}`, stranger.token)).status, 404);
    assert.equal((await call('GET', `/calendars/${calendarId}/slots?from=2026-11-02&to=2026-11-02`, stranger.token)).status, 404);
    assert.equal((await call('PATCH', `/calendars/${calendarId}`, other.secretKey, { name: 'Mine now' })).status, 404);
    assert.equal((await call('DELETE', `/calendars/${calendarId}`, other.secretKey)).status, 404);
    assert.deepEqual((await call('GET', '/calendars', stranger.token)).body.items, []);
    assert.equal((await call('GET', `/contacts/${contactId}/appointments`, stranger.token)).status, 404);
    assert.equal((await call('GET', `/contacts/${contactId}/appointments/${a}`, stranger.token)).status, 404);
    assert.equal((await h.call('GET', `/api/v1/contacts/${contactId}/appointments/${a}.ics`, { token: other.secretKey })).status, 404);
    assert.equal((await call('PATCH', `/contacts/${contactId}/appointments/${a}`, stranger.token, { status: 'cancelled' })).status, 404);
    assert.equal((await book({ startAt: berlinMon(16, 15) }, stranger.token)).status, 404);
    // Their own contact cannot use our calendar, nor our contacts as guests.
    const theirContact = (await call('POST', '/contacts', stranger.token, { firstName: 'Zed' })).body.id;
    assert.equal((await book({ startAt: berlinMon(16, 15) }, stranger.token, theirContact)).status, 422);
    const theirCal = (await call('POST', '/calendars', other.secretKey, { name: 'Theirs', timeZone: 'UTC', slotMinutes: 30, workingHours: WEEKDAYS, memberIds: [stranger.memberId] })).body.id;
    const guest = await call('POST', `/contacts/${theirContact}/appointments`, stranger.token, { calendarId: theirCal, startAt: Date.UTC(2026, 10, 2, 10), attendeeIds: [guestId] });
    assert.equal(guest.status, 422);
    assert.equal((await call('POST', '/calendars', other.secretKey, { name: 'x', timeZone: 'UTC', slotMinutes: 30, workingHours: WEEKDAYS, memberIds: [agent.memberId] })).status, 422);
    await call('PATCH', `/contacts/${contactId}/appointments/${a}`, owner.token, { status: 'cancelled' });
  });

  it('audits, shows in Activity, announces appointment.booked / updated / cancelled to webhooks, and publishes live events', async () => {
    const endpoint = await h.call('POST', '/api/v1/webhook-endpoints', { token: ws.secretKey, body: { url: 'https://hooks.example.com/appointments', eventTypes: ['appointment.booked', 'appointment.updated', 'appointment.cancelled'] } });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Audrey' })).body.id;
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    const a = await booked({ startAt: Date.UTC(2026, 10, 5, 9), title: 'Hooked' }, owner.token, c);
    h.clock.advance(1);
    await call('PATCH', `/contacts/${c}/appointments/${a.id}`, owner.token, { location: 'Online' });
    h.clock.advance(1);
    await call('PATCH', `/contacts/${c}/appointments/${a.id}`, owner.token, { status: 'cancelled' });
    stop();
    const audit = await h.opened.db.selectFrom('audit_events').select(['action', 'changes']).where('contact_id', '=', c).where('action', 'like', 'appointment.%').orderBy('at').execute();
    assert.deepEqual(audit.map((e) => e.action), ['appointment.booked', 'appointment.updated', 'appointment.cancelled']);
    assert.deepEqual(JSON.parse(audit[1]!.changes), { location: { before: 'Office, Room 2', after: 'Online' } });
    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.body.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => d.event_type), ['appointment.booked', 'appointment.updated', 'appointment.cancelled']);
    assert.equal(JSON.parse(deliveries[0]!.payload).data.appointment.title, 'Hooked');
    assert.equal(JSON.parse(deliveries[2]!.payload).data.appointment.status, 'cancelled');
    assert.deepEqual(seen.filter((e) => e.type.startsWith('appointment.')).map((e) => e.type), ['appointment.created', 'appointment.updated', 'appointment.updated']);
    const activity = await call('GET', `/contacts/${c}/activity?kind=appointment`, owner.token);
    assert.equal(activity.status, 200, JSON.stringify(activity.body));
    assert.deepEqual(activity.body.items.map((i: { kind: string; group: string }) => `${i.group}:${i.kind}`), ['appointment:appointment.cancelled', 'appointment:appointment.updated', 'appointment:appointment.booked']);
    assert.equal(activity.body.items[2].audit.context.appointment.name, 'Hooked');
  });

  it('refuses changes by those who may not, and for contacts in the restore bin', async () => {
    const viewer = (await call('POST', '/contacts', owner.token, { firstName: 'Binned' })).body.id;
    await call('DELETE', `/contacts/${viewer}`, owner.token);
    const res = await book({ startAt: Date.UTC(2026, 10, 5, 12) }, owner.token, viewer);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'contact_deleted');
    assert.equal((await call('GET', `/contacts/${contactId}/appointments`, '')).status, 401);
  });

  it('keeps a calendar that has appointments: deleting it answers 409 calendar_in_use', async () => {
    // Booked here, or already taken by an earlier test's booking: either way the calendar has appointments.
    assert.ok([201, 409].includes((await book({ startAt: berlinMon(16) })).status));
    const res = await call('DELETE', `/calendars/${calendarId}`, owner.token);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'calendar_in_use');
    assert.equal((await call('GET', `/calendars/${calendarId}`, owner.token)).status, 200);
  });
});
