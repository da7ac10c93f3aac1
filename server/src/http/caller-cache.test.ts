import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

/** Widget tokens are verified once and cached briefly; a change of access must still apply to the next request. */
describe('caller cache', () => {
  let h: Harness;
  let ws: TestWorkspace;
  const ADMIN = 'admin-key-for-cache-tests-0123456789';
  before(async () => {
    h = await harness({ adminKey: ADMIN });
    ws = await h.workspace();
  });
  after(() => h.close());

  const contact = async (token: string) => {
    const res = await h.call('POST', '/api/v1/contacts', { token, body: { firstName: 'Cached' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };

  it('a manager demoted to agent loses delete on their very next request, with the same token', async () => {
    const { token } = await ws.token('manager', { externalId: 'demoted' });
    const first = await contact(token);
    // Used (and cached) as a manager: may delete.
    assert.equal((await h.call('DELETE', `/api/v1/contacts/${first}`, { token })).status, 200);
    await ws.token('agent', { externalId: 'demoted' }); // the host mints a session with the new role
    const second = await contact(token);
    const refused = await h.call('DELETE', `/api/v1/contacts/${second}`, { token });
    assert.equal(refused.status, 403, 'the old token carries the new role at once');
    assert.equal((await h.call('GET', '/api/v1/me', { token })).body.member.role, 'agent');
  });

  it('a member newly restricted to assigned contacts stops seeing the others at once', async () => {
    const { token } = await ws.token('agent', { externalId: 'narrowed' });
    const owner = (await ws.token('owner', { externalId: 'cache-owner' })).token;
    const theirs = await contact(owner);
    assert.equal((await h.call('GET', `/api/v1/contacts/${theirs}`, { token })).status, 200);
    await ws.token('agent', { externalId: 'narrowed', restrictToAssigned: true });
    assert.equal((await h.call('GET', `/api/v1/contacts/${theirs}`, { token })).status, 404);
  });

  it("a deleted workspace's tokens are refused at once", async () => {
    const other = await h.workspace();
    const { token } = await other.token('owner');
    assert.equal((await h.call('GET', '/api/v1/me', { token })).status, 200);
    assert.equal((await h.call('DELETE', `/api/v1/admin/workspaces/${other.id}`, { token: ADMIN })).status, 200);
    assert.equal((await h.call('GET', '/api/v1/me', { token })).status, 401);
  });

  it('an origin removed from the workspace is refused at once', async () => {
    const other = await h.workspace({ origins: ['https://host.example'] });
    const { token } = await other.token('owner');
    const headers = { origin: 'https://host.example' };
    assert.equal((await h.call('GET', '/api/v1/me', { token, headers })).status, 200);
    const removed = await h.call('DELETE', `/api/v1/admin/workspaces/${other.id}/origins?origin=${encodeURIComponent('https://host.example')}`, { token: ADMIN });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal((await h.call('GET', '/api/v1/me', { token, headers })).status, 403);
  });

  it('an expired token is refused even when cached', async () => {
    const { token } = await ws.token('owner', { externalId: 'short', ttlSeconds: 60 });
    assert.equal((await h.call('GET', '/api/v1/me', { token })).status, 200);
    h.clock.advance(61_000);
    assert.equal((await h.call('GET', '/api/v1/me', { token })).status, 401);
  });
});
