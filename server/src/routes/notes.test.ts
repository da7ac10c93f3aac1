import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engineOf } from '../db/engine/index.js';
import type { DomainEvent } from '../domain/events.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

// A contact's notes: rules, errors, roles (agents edit only their own), restricted members, tenant isolation,
// audit, webhooks and live events.
describe('contact notes', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let manager: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let contactId: string;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const notes = (token: string, query = '') => call('GET', `/contacts/${contactId}/notes${query}`, token);
  const add = async (token: string, body: unknown) => {
    const res = await call('POST', `/contacts/${contactId}/notes`, token, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = await ws.token('owner');
    manager = await ws.token('manager');
    agent = await ws.token('agent');
    contactId = (await call('POST', '/contacts', owner.token, { firstName: 'Nora', lastName: 'Notes' })).body.id;
  });
  after(() => h.close());

  it('writes a note with its author and line breaks, lists pinned first, then newest or oldest, and searches', async () => {
    const first = await add(agent.token, { body: '  Called about the renewal.\nWants a quote by Friday.  ' });
    assert.match(first.id, /^nt_/);
    assert.equal(first.body, 'Called about the renewal.\nWants a quote by Friday.');
    assert.deepEqual(first.author, { id: agent.memberId, name: 'agent agent-1' });
    assert.equal(first.editedAt, null);
    assert.equal(first.pinned, false);
    assert.equal(first.canEdit, true);
    h.clock.advance(1000);
    const second = await add(owner.token, { body: 'Prefers WhatsApp over email.' });
    h.clock.advance(1000);
    const pinned = await add(manager.token, { body: 'VIP: see https://example.com/account', pinned: true });
    h.clock.advance(1000);

    const newest = await notes(agent.token);
    assert.equal(newest.status, 200);
    assert.deepEqual(newest.body.items.map((n: { id: string }) => n.id), [pinned.id, second.id, first.id]);
    // An agent may edit their own note only.
    assert.deepEqual(newest.body.items.map((n: { canEdit: boolean }) => n.canEdit), [false, false, true]);
    const oldest = await notes(owner.token, '?sort=oldest');
    assert.deepEqual(oldest.body.items.map((n: { id: string }) => n.id), [pinned.id, first.id, second.id]);
    const found = await notes(owner.token, '?q=WHATSAPP');
    assert.deepEqual(found.body.items.map((n: { id: string }) => n.id), [second.id]);
    const literal = await notes(owner.token, `?q=${encodeURIComponent('100%')}`);
    assert.deepEqual(literal.body.items, []);
  });

  it('pages the unpinned notes by keyset, the pinned ones on the first page only', async () => {
    const res = await notes(owner.token, '?limit=1');
    assert.equal(res.body.items.length, 2); // the pinned note, then one
    const next = await notes(owner.token, `?limit=1&cursor=${res.body.nextCursor}`);
    assert.equal(next.body.items.length, 1);
    assert.equal(next.body.items[0].pinned, false);
    assert.notEqual(next.body.items[0].id, res.body.items[1].id);
    assert.equal(next.body.nextCursor, null, 'two unpinned notes: two pages');
    const bad = await notes(owner.token, '?cursor=nonsense');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.field, 'cursor');
  });

  it('refuses empty, too long and unknown input with the field that is wrong', async () => {
    const empty = await call('POST', `/contacts/${contactId}/notes`, owner.token, { body: '   \n ' });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.code, 'validation_failed');
    assert.ok(JSON.stringify(empty.body.error.details).includes('body'));
    const long = await call('POST', `/contacts/${contactId}/notes`, owner.token, { body: 'x'.repeat(10_001) });
    assert.equal(long.status, 400);
    const extra = await call('POST', `/contacts/${contactId}/notes`, owner.token, { body: 'ok', colour: 'red' });
    assert.equal(extra.status, 400);
    const nothing = await call('PATCH', `/contacts/${contactId}/notes/nt_x`, owner.token, {});
    assert.equal(nothing.status, 400);
    const sort = await notes(owner.token, '?sort=sideways');
    assert.equal(sort.status, 400);
    const missing = await call('PATCH', `/contacts/${contactId}/notes/nt_missing`, owner.token, { body: 'x' });
    assert.equal(missing.status, 404);
  });

  it('lets the author, owners and managers edit and delete; agents only pin others’ notes', async () => {
    const mine = await add(agent.token, { body: 'Agent note' });
    const theirs = await add(manager.token, { body: 'Manager note' });
    h.clock.advance(5000);
    const edited = await call('PATCH', `/contacts/${contactId}/notes/${mine.id}`, agent.token, { body: 'Agent note, corrected' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.editedAt, h.clock.now());
    const refused = await call('PATCH', `/contacts/${contactId}/notes/${theirs.id}`, agent.token, { body: 'Hijacked' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const refusedDelete = await call('DELETE', `/contacts/${contactId}/notes/${theirs.id}`, agent.token);
    assert.equal(refusedDelete.status, 403);
    const pin = await call('PATCH', `/contacts/${contactId}/notes/${theirs.id}`, agent.token, { pinned: true });
    assert.equal(pin.status, 200);
    assert.equal(pin.body.pinned, true);
    assert.equal(pin.body.editedAt, null, 'a pin is not an edit');
    const byOwner = await call('PATCH', `/contacts/${contactId}/notes/${mine.id}`, owner.token, { body: 'Owner fixed it' });
    assert.equal(byOwner.status, 200);
    const deleted = await call('DELETE', `/contacts/${contactId}/notes/${mine.id}`, manager.token);
    assert.equal(deleted.status, 200);
    assert.equal((await call('DELETE', `/contacts/${contactId}/notes/${mine.id}`, manager.token)).status, 404);
    assert.equal((await call('DELETE', `/contacts/${contactId}/notes/${theirs.id}`, manager.token)).status, 200);
  });

  it('audits each change with the note named, and announces note.created / updated / deleted to webhooks', async () => {
    const endpoint = await h.call('POST', '/api/v1/webhook-endpoints', { token: ws.secretKey, body: { url: 'https://hooks.example.com/notes', eventTypes: ['note.created', 'note.updated', 'note.deleted'] } });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    const note = await add(owner.token, { body: 'Audit me' });
    h.clock.advance(1);
    await call('PATCH', `/contacts/${contactId}/notes/${note.id}`, owner.token, { body: 'Audit me again', pinned: true });
    h.clock.advance(1);
    await call('DELETE', `/contacts/${contactId}/notes/${note.id}`, owner.token);
    // Edit and pin are one request, one time: they come in the order written (insertion order, either engine).
    const seq = engineOf(h.opened.db).text.insertOrder('audit_events');
    const audit = await h.opened.db.selectFrom('audit_events').select(['action', 'context', 'actor_id']).where('contact_id', '=', contactId).where('context', 'like', `%${note.id}%`).orderBy('at').orderBy(seq).execute();
    assert.deepEqual(audit.map((a) => a.action), ['note.created', 'note.edited', 'note.pinned', 'note.deleted']);
    assert.equal(audit[0]!.actor_id, owner.memberId);
    assert.deepEqual(JSON.parse(audit[1]!.context).note, { id: note.id, name: 'Audit me again' });
    const log = await call('GET', `/contacts/${contactId}/audit`, owner.token);
    assert.ok(log.body.items.some((e: { action: string }) => e.action === 'note.deleted'));

    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.body.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => d.event_type), ['note.created', 'note.updated', 'note.updated', 'note.deleted']);
    const created = JSON.parse(deliveries[0]!.payload);
    assert.equal(created.data.note.body, 'Audit me');
    assert.equal(created.data.contactId, contactId);
    assert.equal(JSON.parse(deliveries[3]!.payload).data.note.body, 'Audit me again');
  });

  it('publishes each change on the event feed for the live stream', async () => {
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    const note = await add(owner.token, { body: 'Live' });
    await call('PATCH', `/contacts/${contactId}/notes/${note.id}`, owner.token, { pinned: false });
    await call('PATCH', `/contacts/${contactId}/notes/${note.id}`, owner.token, { body: 'Live!' });
    await call('DELETE', `/contacts/${contactId}/notes/${note.id}`, owner.token);
    stop();
    assert.deepEqual(seen.map((e) => e.type), ['note.created', 'note.updated', 'note.deleted'], 'an unchanged pin publishes nothing');
    assert.deepEqual(seen[0], { type: 'note.created', workspaceId: ws.id, contactId, id: note.id });
  });

  it('hides the notes of contacts a restricted member cannot see, and of other workspaces', async () => {
    const restricted = await ws.token('agent', { externalId: 'restricted', restrictToAssigned: true });
    assert.equal((await notes(restricted.token)).status, 404);
    assert.equal((await call('POST', `/contacts/${contactId}/notes`, restricted.token, { body: 'x' })).status, 404);
    await call('PATCH', `/contacts/${contactId}`, owner.token, { ownerId: restricted.memberId });
    assert.equal((await notes(restricted.token)).status, 200);

    const other = await h.workspace();
    const stranger = await other.token('owner');
    assert.equal((await notes(stranger.token)).status, 404);
    const note = (await notes(owner.token)).body.items[0];
    assert.equal((await call('DELETE', `/contacts/${contactId}/notes/${note.id}`, stranger.token)).status, 404);
    assert.equal((await call('GET', `/contacts/${contactId}/notes`, '')).status, 401);
  });

  it('keeps the notes of a contact in the restore bin readable but unchanged, and caps pinned notes', async () => {
    const other = (await call('POST', '/contacts', owner.token, { firstName: 'Pinny' })).body.id;
    for (let i = 0; i < 20; i++) assert.equal((await call('POST', `/contacts/${other}/notes`, owner.token, { body: `Pin ${i}`, pinned: true })).status, 201);
    const over = await call('POST', `/contacts/${other}/notes`, owner.token, { body: 'One too many', pinned: true });
    assert.equal(over.status, 409);
    assert.equal(over.body.error.code, 'pin_limit');
    assert.equal((await call('DELETE', `/contacts/${other}`, owner.token)).status, 200);
    assert.equal((await call('GET', `/contacts/${other}/notes`, owner.token)).body.items.length, 20);
    const refused = await call('POST', `/contacts/${other}/notes`, owner.token, { body: 'Late' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'contact_deleted');
  });
});
