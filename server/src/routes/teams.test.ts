import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, waitForJob, type Harness, type TestWorkspace } from '../testing.js';

// Teams (the table's "My team" inbox): CRUD with validation, permissions and audit; a contact's team through the
// contact API, bulk and the export; the team filter with "mine".
describe('teams', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let manager: { token: string; memberId: string };
  let agent: { token: string; memberId: string };

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const names = async (token: string, filter: unknown) => {
    const res = await call('POST', '/contacts/query', token, { filter, sort: { field: 'name', dir: 'asc' }, limit: 100 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.items as { name: string }[]).map((c) => c.name);
  };

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    manager = await ws.token('manager');
    agent = await ws.token('agent');
  });
  after(() => h.close());

  it('creates, lists, renames, sets members and deletes teams — owners and managers only, audited', async () => {
    const created = await call('POST', '/teams', manager.token, { name: ' Support ', memberIds: [agent.memberId, manager.memberId, agent.memberId] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.id, /^tm_/);
    assert.equal(created.body.name, 'Support');
    assert.deepEqual(created.body.memberIds, [agent.memberId, manager.memberId].sort());
    const list = await call('GET', '/teams', agent.token);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((t: { name: string }) => t.name), ['Support']);
    assert.equal((await call('GET', `/teams/${created.body.id}`, agent.token)).body.name, 'Support');

    const renamed = await call('PATCH', `/teams/${created.body.id}`, owner, { name: 'Customer support', memberIds: [agent.memberId] });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual([renamed.body.name, renamed.body.memberIds], ['Customer support', [agent.memberId]]);

    const audit = await h.opened.db.selectFrom('audit_events').select(['action', 'changes', 'actor_id']).where('workspace_id', '=', ws.id).where('action', 'like', 'team.%').orderBy('at').execute();
    assert.deepEqual(audit.map((a) => a.action), ['team.created', 'team.updated']);
    assert.equal(audit[0]!.actor_id, manager.memberId);
    assert.deepEqual(JSON.parse(audit[1]!.changes), {
      teamId: { before: created.body.id, after: created.body.id },
      name: { before: 'Support', after: 'Customer support' },
      memberIds: { before: [agent.memberId, manager.memberId].sort(), after: [agent.memberId] },
    });

    const deleted = await call('DELETE', `/teams/${created.body.id}`, owner);
    assert.deepEqual(deleted.body, { deleted: true, contacts: 0 });
    assert.equal((await call('GET', `/teams/${created.body.id}`, owner)).status, 404);
  });

  it('validates names and members, refuses agents, other workspaces and missing credentials', async () => {
    assert.equal((await call('POST', '/teams', agent.token, { name: 'Mine' })).status, 403);
    const blank = await call('POST', '/teams', owner, { name: '  ' });
    assert.equal(blank.status, 400);
    assert.equal(blank.body.error.code, 'validation_failed');
    assert.equal((await call('POST', '/teams', owner, { name: 'X', extra: 1 })).status, 400);
    const badMember = await call('POST', '/teams', owner, { name: 'Ghosts', memberIds: [manager.memberId, 'mb_nobody'] });
    assert.equal(badMember.status, 422);
    assert.deepEqual(badMember.body.error.details, { field: 'memberIds[1]' });
    const sales = await call('POST', '/teams', owner, { name: 'Sales' });
    const dup = await call('POST', '/teams', owner, { name: 'SALES' });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body.error.details, { field: 'name' });
    assert.equal((await call('PATCH', `/teams/${sales.body.id}`, owner, {})).status, 400);
    assert.equal((await call('PATCH', `/teams/${sales.body.id}`, agent.token, { name: 'Y' })).status, 403);
    assert.equal((await call('DELETE', `/teams/${sales.body.id}`, agent.token)).status, 403);
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    assert.equal((await call('GET', `/teams/${sales.body.id}`, stranger)).status, 404);
    assert.equal((await call('PATCH', `/teams/${sales.body.id}`, stranger, { name: 'Z' })).status, 404);
    assert.deepEqual((await call('GET', '/teams', stranger)).body.items, []);
    assert.equal((await h.call('GET', '/api/v1/teams')).status, 401);
    await call('DELETE', `/teams/${sales.body.id}`, owner);
  });

  it('a contact has a team (validated, audited), "My team" is the caller’s teams, bulk assigns it, deleting a team clears it', async () => {
    const north = (await call('POST', '/teams', owner, { name: 'North', memberIds: [agent.memberId] })).body;
    const south = (await call('POST', '/teams', owner, { name: 'South', memberIds: [manager.memberId] })).body;
    const make = async (firstName: string, teamId?: string) => {
      const res = await call('POST', '/contacts', owner, { firstName, ...(teamId && { teamId }) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; teamId: string | null };
    };
    const a = await make('Alpha', north.id);
    const b = await make('Bravo', south.id);
    const c = await make('Charlie');
    assert.equal(a.teamId, north.id);
    assert.equal(c.teamId, null);
    const bad = await call('POST', '/contacts', owner, { firstName: 'X', teamId: 'tm_nope' });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.error.details, { field: 'teamId' });

    const mine = { field: 'team', op: 'is_any', value: ['mine'] };
    assert.deepEqual(await names(agent.token, mine), ['Alpha']);
    assert.deepEqual(await names(manager.token, mine), ['Bravo']);
    assert.deepEqual(await names(owner, mine), []);
    assert.deepEqual(await names(owner, { field: 'team', op: 'is_any', value: [north.id, south.id] }), ['Alpha', 'Bravo']);
    assert.deepEqual(await names(owner, { field: 'team', op: 'is_empty' }), ['Charlie']);
    assert.deepEqual(await names(owner, { field: 'team', op: 'is_none', value: [north.id] }), ['Bravo', 'Charlie']);

    // Joining a team changes what "mine" matches at once (the count is not a stale cached one).
    await call('PATCH', `/teams/${south.id}`, owner, { memberIds: [manager.memberId, agent.memberId] });
    assert.deepEqual(await names(agent.token, mine), ['Alpha', 'Bravo']);
    const count = await call('POST', '/contacts/count', agent.token, { filter: mine });
    assert.equal(count.body.count, 2);

    const patched = await call('PATCH', `/contacts/${c.id}`, agent.token, { teamId: north.id });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.teamId, north.id);
    const audit = await call('GET', `/contacts/${c.id}/audit`, owner);
    assert.deepEqual(audit.body.items[0].changes.teamId, { before: null, after: north.id });

    const job = await call('POST', '/contacts/bulk', owner, { action: 'assign_team', ids: [a.id, b.id, c.id], params: { teamId: south.id } });
    assert.equal(job.status, 202, JSON.stringify(job.body));
    const done = await waitForJob(h, owner, job.body.id);
    assert.equal(done.status, 'done');
    assert.deepEqual(await names(owner, { field: 'team', op: 'is_any', value: [south.id] }), ['Alpha', 'Bravo', 'Charlie']);
    assert.equal((await call('POST', '/contacts/bulk', owner, { action: 'assign_team', ids: [a.id], params: { teamId: 'tm_nope' } })).status, 422);
    assert.equal((await call('POST', '/contacts/bulk', owner, { action: 'assign_team', ids: [a.id], params: {} })).status, 422);
    assert.equal((await call('POST', '/contacts/bulk', agent.token, { action: 'assign_team', ids: [a.id], params: { teamId: null } })).status, 403);

    const gone = await call('DELETE', `/teams/${south.id}`, owner);
    assert.deepEqual(gone.body, { deleted: true, contacts: 3 });
    assert.equal((await call('GET', `/contacts/${a.id}`, owner)).body.teamId, null);
    assert.deepEqual(await names(owner, { field: 'team', op: 'is_empty' }), ['Alpha', 'Bravo', 'Charlie']);
  });
});
