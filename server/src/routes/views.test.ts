import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

/** Every workspace ships with a "Viewers" workspace view (migration 004); these tests look at the others. */
const SHIPPED = 'Viewers';

describe('saved views API', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let agent: string;
  let agent2: string;
  const definition = { q: 'ada', filter: { field: 'tags', op: 'has_any', value: ['vip'] }, columns: ['name', 'email'], widths: { name: 320, email: 180 }, sort: { field: 'name', dir: 'asc' } };
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    agent = (await ws.token('agent')).token;
    agent2 = (await ws.token('agent', { externalId: 'agent-2' })).token;
  });
  after(() => h.close());

  it('lets everyone keep personal views, visible only to themselves', async () => {
    const created = await h.call('POST', '/api/v1/views', { token: agent, body: { name: 'My VIPs', definition } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.scope, 'personal');
    assert.deepEqual(created.body.definition, definition);
    const mine = await h.call('GET', '/api/v1/views', { token: agent });
    assert.deepEqual(mine.body.items.map((v: { name: string }) => v.name).filter((n: string) => n !== SHIPPED), ['My VIPs']);
    assert.deepEqual((await h.call('GET', '/api/v1/views', { token: agent2 })).body.items.filter((v: { name: string }) => v.name !== SHIPPED), []);
    assert.equal((await h.call('GET', `/api/v1/views/${created.body.id}`, { token: agent2 })).status, 404);
    assert.equal((await h.call('PATCH', `/api/v1/views/${created.body.id}`, { token: agent2, body: { name: 'x' } })).status, 404);
    const renamed = await h.call('PATCH', `/api/v1/views/${created.body.id}`, { token: agent, body: { name: 'VIPs' } });
    assert.equal(renamed.body.name, 'VIPs');
    assert.equal((await h.call('DELETE', `/api/v1/views/${created.body.id}`, { token: agent })).status, 200);
    assert.deepEqual((await h.call('GET', '/api/v1/views', { token: agent })).body.items.filter((v: { name: string }) => v.name !== SHIPPED), []);
  });

  it('needs views.share for workspace views, which everyone then sees', async () => {
    assert.equal((await h.call('POST', '/api/v1/views', { token: agent, body: { name: 'Team', scope: 'workspace', definition } })).status, 403);
    const shared = await h.call('POST', '/api/v1/views', { token: owner, body: { name: 'Team', scope: 'workspace', definition } });
    assert.equal(shared.status, 201);
    const seen = await h.call('GET', '/api/v1/views', { token: agent });
    assert.deepEqual(seen.body.items.map((v: { name: string }) => v.name).filter((n: string) => n !== SHIPPED), ['Team']);
    assert.equal((await h.call('PATCH', `/api/v1/views/${shared.body.id}`, { token: agent, body: { name: 'Mine now' } })).status, 403);
    assert.equal((await h.call('DELETE', `/api/v1/views/${shared.body.id}`, { token: agent })).status, 403);
    const personal = await h.call('POST', '/api/v1/views', { token: agent, body: { name: 'Mine', definition } });
    assert.equal((await h.call('PATCH', `/api/v1/views/${personal.body.id}`, { token: agent, body: { scope: 'workspace' } })).status, 403);
    const manager = (await ws.token('manager')).token;
    assert.equal((await h.call('PATCH', `/api/v1/views/${shared.body.id}`, { token: manager, body: { name: 'Team 2' } })).status, 200);
  });

  it('refuses definitions that would not compile, with the bad node path', async () => {
    const res = await h.call('POST', '/api/v1/views', { token: agent, body: { name: 'Bad', definition: { filter: { and: [{ field: 'nope', op: 'is', value: 1 }] } } } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.details.path, 'filter.and[0].field');
    const narrow = await h.call('POST', '/api/v1/views', { token: agent, body: { name: 'Bad', definition: { widths: { name: 10 } } } });
    assert.equal(narrow.status, 400);
    assert.match(JSON.stringify(narrow.body.error.details), /widths/);
  });

  it('is tenant-scoped', async () => {
    const shared = await h.call('POST', '/api/v1/views', { token: owner, body: { name: 'Scoped', scope: 'workspace', definition } });
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    assert.ok(!(await h.call('GET', '/api/v1/views', { token: stranger })).body.items.some((v: { id: string }) => v.id === shared.body.id));
    assert.equal((await h.call('GET', `/api/v1/views/${shared.body.id}`, { token: stranger })).status, 404);
    assert.equal((await h.call('DELETE', `/api/v1/views/${shared.body.id}`, { token: stranger })).status, 404);
    assert.equal((await h.call('GET', '/api/v1/views')).status, 401);
  });
});
