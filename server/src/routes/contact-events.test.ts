// The workspace's live contact feed over real HTTP: one-time tickets, every kind of write, and visibility.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createLink, gate } from '../test-share.js';
import { upload } from '../test-documents.js';
import * as f from '../test-fixtures.js';
import { harness, waitForJob, type Harness, type TestWorkspace } from '../testing.js';

interface Received {
  type: string;
  contacts: { id: string; version: number }[];
  fields?: string[];
  survivorId?: string;
  mergeId?: string;
}

/** Opens the contact stream with a fresh ticket and collects its `contact` events. */
async function listen(h: Harness, url: string, token: string) {
  const ticket = await h.call('POST', '/api/v1/contacts/events/ticket', { token });
  assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
  const res = await fetch(`${url}/api/v1/contacts/events?ticket=${encodeURIComponent(ticket.body.ticket)}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = res.body!.getReader();
  const events: Received[] = [];
  /** `event: item` — a note or task of a contact changed. */
  const items: { type: string; contactId: string; id: string }[] = [];
  let text = '';
  let ready = false;
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += new TextDecoder().decode(value);
      let cut: number;
      while ((cut = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, cut);
        text = text.slice(cut + 2);
        if (/^event: ready/m.test(block)) ready = true;
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (/^event: contact/m.test(block) && data) events.push(JSON.parse(data) as Received);
        if (/^event: item/m.test(block) && data) items.push(JSON.parse(data) as (typeof items)[number]);
      }
    }
  })();
  const until = async (check: () => boolean, what: string) => {
    const end = Date.now() + 3000;
    while (!check()) {
      if (Date.now() > end) assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
      await sleep(10);
    }
  };
  await until(() => ready, 'the ready event');
  return {
    events,
    items,
    async item(match: (e: (typeof items)[number]) => boolean, what: string) {
      await until(() => items.some(match), what);
      return items.find(match)!;
    },
    /** The first event (from `from` on) that passes `match`. */
    async next(match: (e: Received) => boolean, what: string, from = 0) {
      await until(() => events.slice(from).some(match), what);
      return events.slice(from).find(match)!;
    },
    async close() {
      await reader.cancel();
      await pump;
    },
  };
}

describe('contact events stream', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let url: string;
  let owner: string;
  let ownerId: string;
  const create = async (body: unknown, token = owner) => (await h.call('POST', '/api/v1/contacts', { token, body })).body;
  const has = (id: string, type: string) => (e: Received) => e.type === type && e.contacts.some((c) => c.id === id);

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    ({ token: owner, memberId: ownerId } = await ws.token('owner'));
    url = await h.listen();
  });
  after(() => h.close());

  it('tells of every write to the workspace’s contacts, with each contact’s new version', async () => {
    const stream = await listen(h, url, owner);
    const a = await create({ firstName: 'Ann', tags: ['lead'] });
    assert.deepEqual(await stream.next(has(a.id, 'contact.created'), 'created'), { type: 'contact.created', contacts: [{ id: a.id, version: 1 }] });

    await h.call('PATCH', `/api/v1/contacts/${a.id}`, { token: owner, body: { companyName: 'Acme' } });
    const patched = await stream.next(has(a.id, 'contact.updated'), 'patch');
    assert.deepEqual(patched.contacts, [{ id: a.id, version: 2 }]);
    assert.deepEqual(patched.fields, ['companyName']);

    const b = await create({ firstName: 'Bob' });
    const job = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body: { action: 'add_tags', ids: [a.id, b.id], params: { tags: ['bulk-added'] } } });
    await waitForJob(h, owner, job.body.id);
    const tagged = await stream.next((e) => e.type === 'contact.updated' && e.fields?.[0] === 'tags', 'bulk chunk');
    assert.deepEqual(tagged.contacts.map((c) => c.id).sort(), [a.id, b.id].sort(), 'one event per chunk, every contact of it');

    const owned = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body: { action: 'assign_owner', ids: [a.id], params: { ownerId } } });
    await waitForJob(h, owner, owned.body.id);
    assert.deepEqual((await stream.next((e) => e.fields?.[0] === 'ownerId', 'bulk owner')).contacts, [{ id: a.id, version: 4 }]);

    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: a.id, mergedIds: [b.id] } });
    const merge = await stream.next(has(a.id, 'contact.merged'), 'merge');
    assert.equal(merge.survivorId, a.id);
    assert.equal(merge.mergeId, merged.body.mergeId);
    assert.deepEqual(merge.contacts.map((c) => c.id).sort(), [a.id, b.id].sort());
    await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: owner });
    assert.deepEqual((await stream.next(has(b.id, 'contact.unmerged'), 'unmerge')).contacts.map((c) => c.id).sort(), [a.id, b.id].sort());

    await h.call('DELETE', `/api/v1/contacts/${b.id}`, { token: owner });
    await stream.next(has(b.id, 'contact.deleted'), 'delete');
    await h.call('POST', `/api/v1/contacts/${b.id}/restore`, { token: owner });
    await stream.next(has(b.id, 'contact.restored'), 'restore');

    const csv = 'First,Email\nCarl,carl@x.example\n';
    const imported = await h.app.request(`/api/v1/contacts/import?mapping=${encodeURIComponent(JSON.stringify({ First: 'firstName', Email: 'email' }))}`, {
      method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'text/csv' }, body: csv,
    });
    assert.equal(imported.status, 200);
    await stream.next((e) => e.type === 'contact.created' && e.contacts.length === 1 && e.contacts[0]!.id !== a.id && e.contacts[0]!.id !== b.id, 'import');

    const from = stream.events.length;
    const message = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'instagram', contact: { handle: '@jane.doe' }, text: 'hi' } });
    assert.equal(message.status, 201, JSON.stringify(message.body));
    await stream.next(has(message.body.contactId, 'contact.created'), 'a message from someone new', from);
    await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'instagram', contact: { handle: 'jane.doe' }, text: 'again' } });
    await stream.next(has(message.body.contactId, 'contact.updated'), 'a message from them again', from);

    const withDoc = await create({ firstName: 'Doc' });
    const docs = await upload(h, owner, withDoc.id, [{ name: 'p.pdf', content: f.pdf('p') }]);
    const link = await createLink(h, owner, { documentId: docs.body.items[0].id, require: 'email', verifyOtp: false });
    assert.equal((await gate(h).open(link.slug, { channel: 'email', identifier: 'viewer@x.example' })).status, 201);
    await stream.next((e) => e.type === 'contact.created' && e.contacts[0]!.id !== withDoc.id && stream.events.indexOf(e) > from, 'a share-link viewer becoming a contact', from);
    await stream.close();
    await until(() => h.events.listenerCount() === 0, 'the subscription to end');
  });

  it('tells a restricted member only of the contacts they own or follow', async () => {
    const { token: restricted, memberId } = await ws.token('agent', { externalId: 'restricted-1', restrictToAssigned: true });
    const stream = await listen(h, url, restricted);
    const theirs = await create({ firstName: 'Theirs', ownerId: memberId });
    const hidden = await create({ firstName: 'Hidden' });
    await h.call('PATCH', `/api/v1/contacts/${hidden.id}`, { token: owner, body: { tags: ['secret'] } });
    const job = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body: { action: 'add_tags', ids: [hidden.id, theirs.id], params: { tags: ['both'] } } });
    await waitForJob(h, owner, job.body.id);
    const bulk = await stream.next((e) => e.fields?.[0] === 'tags', 'the bulk event');
    assert.deepEqual(bulk.contacts.map((c) => c.id), [theirs.id], 'the chunk is filtered to what they may see');
    await h.call('PATCH', `/api/v1/contacts/${theirs.id}`, { token: owner, body: { lastName: 'Mine' } });
    await stream.next((e) => e.fields?.[0] === 'lastName', 'their contact’s patch');
    assert.ok(stream.events.every((e) => e.contacts.every((c) => c.id !== hidden.id)), JSON.stringify(stream.events));
    await stream.close();
  });

  it('tells of notes and tasks of the contacts a member may see, as item events', async () => {
    const { token: restricted, memberId } = await ws.token('agent', { externalId: 'restricted-items', restrictToAssigned: true });
    const all = await listen(h, url, owner);
    const mine = await listen(h, url, restricted);
    const theirs = await create({ firstName: 'Itemised', ownerId: memberId });
    const hidden = await create({ firstName: 'Unseen' });
    const hiddenNote = (await h.call('POST', `/api/v1/contacts/${hidden.id}/notes`, { token: owner, body: { body: 'Secret' } })).body;
    const note = (await h.call('POST', `/api/v1/contacts/${theirs.id}/notes`, { token: owner, body: { body: 'Hello' } })).body;
    const task = (await h.call('POST', `/api/v1/contacts/${theirs.id}/tasks`, { token: owner, body: { title: 'Call', dueAt: h.clock.now(), assigneeId: memberId } })).body;
    assert.deepEqual(await all.item((e) => e.id === hiddenNote.id, 'the owner hears of every note'), { type: 'note.created', contactId: hidden.id, id: hiddenNote.id });
    await mine.item((e) => e.id === note.id, 'their contact’s note');
    assert.deepEqual(await mine.item((e) => e.id === task.id, 'their contact’s task'), { type: 'task.created', contactId: theirs.id, id: task.id });
    assert.ok(mine.items.every((e) => e.contactId !== hidden.id), JSON.stringify(mine.items));
    await all.close();
    await mine.close();
  });

  it('opens only with a fresh ticket of its own kind', async () => {
    const open = (query = '') => fetch(`${url}/api/v1/contacts/events${query}`);
    assert.equal((await open()).status, 401);
    assert.equal((await open('?ticket=nope')).status, 401);
    assert.equal((await open(`?token=${encodeURIComponent(owner)}`)).status, 400, 'the session token never goes in the URL');
    assert.equal((await h.call('POST', '/api/v1/contacts/events/ticket')).status, 401);
    assert.equal((await h.call('POST', '/api/v1/contacts/events/ticket', { token: ws.secretKey })).status, 401, 'a member’s session, not the secret key');
    const contact = await create({ firstName: 'T' });
    const documents = (await h.call('POST', `/api/v1/contacts/${contact.id}/documents/events/ticket`, { token: owner })).body.ticket as string;
    assert.equal((await open(`?ticket=${documents}`)).status, 401, 'a documents ticket does not open the contacts stream');
    const ticket = (await h.call('POST', '/api/v1/contacts/events/ticket', { token: owner })).body.ticket as string;
    const first = await open(`?ticket=${ticket}`);
    assert.equal(first.status, 200);
    await first.body?.cancel();
    assert.equal((await open(`?ticket=${ticket}`)).status, 401, 'used once');
    const late = (await h.call('POST', '/api/v1/contacts/events/ticket', { token: owner })).body.ticket as string;
    h.clock.advance(61_000);
    assert.equal((await open(`?ticket=${late}`)).status, 401, 'expired');
  });
});

async function until(check: () => boolean, what: string) {
  const end = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
