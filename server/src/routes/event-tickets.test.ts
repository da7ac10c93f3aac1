import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../app.js';
import { harness, type Harness } from '../testing.js';

describe('live-event tickets stay spent across restarts', () => {
  let h: Harness;
  let owner: string;
  let contactId: string;
  before(async () => {
    h = await harness();
    const ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    contactId = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Live' } })).body.id;
  });
  after(() => h.close());

  /** The same database and secrets, as after a restart of the server process. */
  const restarted = () => createApp({ db: h.opened.db, clock: h.clock, secrets: { tokenSecret: 'test-secret-0123456789' }, blobs: h.blobs });

  it('refuses a ticket used before the restart, and one used in another server process', async () => {
    const ticket = (await h.call('POST', `/api/v1/contacts/${contactId}/documents/events/ticket`, { token: owner })).body.ticket as string;
    const path = `/api/v1/contacts/${contactId}/documents/events?ticket=${encodeURIComponent(ticket)}`;
    const first = await h.app.request(path);
    assert.equal(first.status, 200);
    await first.body?.cancel();
    assert.equal((await h.app.request(path)).status, 401);
    const again = await restarted().request(path);
    assert.equal(again.status, 401, 'spent before the restart');
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'unauthorized');

    // Two processes sharing the database: a ticket redeemed by one is spent for the other.
    const other = restarted();
    const shared = (await h.call('POST', `/api/v1/contacts/${contactId}/documents/events/ticket`, { token: owner })).body.ticket as string;
    const sharedPath = `/api/v1/contacts/${contactId}/documents/events?ticket=${encodeURIComponent(shared)}`;
    const opened = await other.request(sharedPath);
    assert.equal(opened.status, 200);
    await opened.body?.cancel();
    assert.equal((await h.app.request(sharedPath)).status, 401);
  });
});
