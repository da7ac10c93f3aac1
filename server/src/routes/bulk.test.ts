import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, waitForJob, type Harness, type TestWorkspace } from '../testing.js';

describe('bulk actions API', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let agent: string;
  let agentId: string;
  const ids: string[] = [];
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    ({ token: agent, memberId: agentId } = await ws.token('agent'));
    for (let i = 0; i < 30; i++) {
      const res = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: `Bulk${i}`, companyName: i % 2 ? 'Odd Inc' : 'Even Ltd', tags: i < 5 ? ['keep'] : [] } });
      ids.push(res.body.id);
    }
  });
  after(() => h.close());

  const run = async (body: unknown, token = owner) => {
    const res = await h.call('POST', '/api/v1/contacts/bulk', { token, body });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return waitForJob(h, token, res.body.id);
  };
  const tagged = async (tag: string) =>
    (await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter: { field: 'tags', op: 'has_any', value: [tag] }, limit: 200 } })).body.items.map((c: { id: string }) => c.id).sort();

  it('adds and removes tags on listed ids, reporting ids it could not change', async () => {
    const job = await run({ action: 'add_tags', ids: [ids[0], ids[1], 'ct_missing'], params: { tags: ['Hot'] } });
    assert.equal(job.status, 'done');
    assert.equal(job.total, 3);
    assert.equal(job.done, 2);
    assert.equal(job.failed, 1);
    assert.deepEqual(job.errors, [{ id: 'ct_missing', message: 'Contact not found.' }]);
    assert.deepEqual(await tagged('hot'), [ids[0], ids[1]].sort());
    const audit = await h.call('GET', `/api/v1/contacts/${ids[0]}/audit`, { token: owner });
    const bulkEvent = audit.body.items.find((e: { action: string }) => e.action === 'contact.updated');
    assert.deepEqual(bulkEvent.changes.tags, { before: ['keep'], after: ['Hot', 'keep'] });
    assert.equal(bulkEvent.context.bulkJobId, job.id);
    await run({ action: 'remove_tags', ids: [ids[0]], params: { tags: ['hot'] } });
    assert.deepEqual(await tagged('hot'), [ids[1]]);
  });

  it('applies to a whole selection (search + filter), in chunks', async () => {
    const job = await run({ action: 'assign_owner', selection: { filter: { field: 'companyName', op: 'is', value: 'Odd Inc' } }, params: { ownerId: agentId } });
    assert.equal(job.total, 15);
    assert.equal(job.done, 15);
    const owned = await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter: { field: 'owner', op: 'is_any', value: [agentId] }, limit: 200 } });
    assert.equal(owned.body.count, 15);
    const bad = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body: { action: 'assign_owner', ids: [ids[0]], params: { ownerId: 'mb_nobody' } } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.details.field, 'params.ownerId');
  });

  it('applies to a selection except listed contacts ("all matching but these")', async () => {
    const odd = { filter: { field: 'companyName', op: 'is', value: 'Odd Inc' } };
    const oddIds = ids.filter((_, i) => i % 2);
    const job = await run({ action: 'add_tags', selection: odd, except: [oddIds[0], oddIds[1], ids[0]], params: { tags: ['most-odd'] } });
    assert.equal(job.total, 13); // ids[0] is even: leaving it out changes nothing
    assert.equal(job.done, 13);
    assert.deepEqual(await tagged('most-odd'), oddIds.slice(2).sort());
    const alone = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body: { action: 'delete', ids: [ids[0]], except: [ids[1]] } });
    assert.equal(alone.status, 400);
    assert.equal(alone.body.error.details.field, 'except');
  });

  it('deletes a selection, then restores it from the bin (partial failures reported)', async () => {
    const del = await run({ action: 'delete', selection: { q: 'even' } });
    assert.equal(del.done, 15);
    const bin = await h.call('GET', '/api/v1/contacts?deleted=true&limit=200', { token: owner });
    assert.equal(bin.body.items.length, 15);
    assert.equal(bin.body.restoreDays, 30);
    assert.equal(bin.body.items[0].purgeAt, bin.body.items[0].deletedAt + 30 * 86_400_000);
    assert.ok(bin.body.items[0].msUntilPurge > 0);
    const again = await run({ action: 'delete', ids: [ids[0], ids[1]] });
    assert.equal(again.done, 1);
    assert.equal(again.failed, 1);
    const restore = await run({ action: 'restore', selection: { q: 'even' } });
    assert.equal(restore.total, 15);
    assert.equal(restore.done, 15);
    const notDeleted = await run({ action: 'restore', ids: [ids[2], ids[1]] });
    assert.equal(notDeleted.failed, 1);
    assert.equal(notDeleted.errors[0].message, 'This contact is not deleted.');
    assert.equal((await h.call('POST', '/api/v1/contacts/query', { token: owner, body: {} })).body.count, 30);
  });

  it('needs contacts.bulk (agents lack it), and each action’s own permission', async () => {
    const res = await h.call('POST', '/api/v1/contacts/bulk', { token: agent, body: { action: 'add_tags', ids: [ids[0]], params: { tags: ['x'] } } });
    assert.equal(res.status, 403);
    const both = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body: { action: 'delete', ids: [ids[0]], selection: {} } });
    assert.equal(both.status, 400);
  });

  it('is tenant-scoped: other workspaces’ ids fail, jobs are invisible across workspaces', async () => {
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    const job = await run({ action: 'delete', ids: [ids[3]] }, stranger);
    assert.equal(job.failed, 1);
    assert.equal(job.errors[0].message, 'Contact not found.');
    const everyone = await run({ action: 'add_tags', selection: {}, params: { tags: ['stranger'] } }, stranger);
    assert.equal(everyone.total, 0);
    assert.deepEqual(await tagged('stranger'), []);
    assert.equal((await h.call('GET', `/api/v1/bulk-jobs/${job.id}`, { token: owner })).status, 404);
    const list = await h.call('GET', '/api/v1/bulk-jobs', { token: stranger });
    assert.deepEqual(list.body.items.map((j: { id: string }) => j.id).sort(), [job.id, everyone.id].sort());
  });
});
