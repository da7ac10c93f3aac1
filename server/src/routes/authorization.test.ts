import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, waitForJob, type Harness, type TestWorkspace } from '../testing.js';

/** What members who only see assigned contacts (or other members' work) must not reach. */
describe('authorization: restricted members', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let ownerId: string;
  let manager: string;
  let managerId: string;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    ({ token: owner, memberId: ownerId } = await ws.token('owner'));
    ({ token: manager, memberId: managerId } = await ws.token('manager', { externalId: 'restricted-manager', restrictToAssigned: true }));
  });
  after(() => h.close());

  const create = async (body: Record<string, unknown>) => {
    const res = await h.call('POST', '/api/v1/contacts', { token: owner, body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string };
  };

  it("cannot unmerge (or list) an owner's merge of a contact hidden from them, and gets none of its data", async () => {
    const mine = await create({ firstName: 'Visible', ownerId: managerId, emails: [{ value: 'visible@example.com' }] });
    const hidden = await create({ firstName: 'Hidden', lastName: 'Secret', ownerId, emails: [{ value: 'secret@example.com' }] });
    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: mine.id, mergedIds: [hidden.id] } });
    assert.equal(merged.status, 201, JSON.stringify(merged.body));
    const mergeId = merged.body.mergeId as string;

    const listed = await h.call('GET', `/api/v1/merges?contactId=${mine.id}`, { token: manager });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items, [], 'a merge involving a hidden contact is not listed to them');
    const undo = await h.call('POST', `/api/v1/merges/${mergeId}/unmerge`, { token: manager });
    assert.equal(undo.status, 404);
    assert.ok(!JSON.stringify(undo.body).includes('Secret'), 'no data of the hidden contact');
    const row = await h.opened.db.selectFrom('merges').select('undone_at').where('id', '=', mergeId).executeTakeFirstOrThrow();
    assert.equal(row.undone_at, null, 'the merge still stands');
    assert.equal((await h.call('GET', `/api/v1/contacts/${hidden.id}`, { token: manager })).status, 404);

    // The owner may, and a merge of contacts all visible to the manager is theirs to undo.
    assert.equal((await h.call('POST', `/api/v1/merges/${mergeId}/unmerge`, { token: owner })).status, 200);
    const other = await create({ firstName: 'Also mine', ownerId: managerId });
    const again = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: mine.id, mergedIds: [other.id] } });
    assert.equal((await h.call('GET', `/api/v1/merges?contactId=${mine.id}`, { token: manager })).body.items.length, 1);
    assert.equal((await h.call('POST', `/api/v1/merges/${again.body.mergeId}/unmerge`, { token: manager })).status, 200);
  });

  it("cannot read another member's bulk job by id", async () => {
    const target = await create({ firstName: 'Tagged' });
    const started = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body: { action: 'add_tags', ids: [target.id], params: { tags: ['x'] } } });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    await waitForJob(h, owner, started.body.id);
    const agent = (await ws.token('agent', { externalId: 'restricted-agent', restrictToAssigned: true })).token;
    assert.equal((await h.call('GET', `/api/v1/bulk-jobs/${started.body.id}`, { token: agent })).status, 404);
    assert.equal((await h.call('GET', `/api/v1/bulk-jobs/${started.body.id}`, { token: manager })).status, 404);
    assert.equal((await h.call('GET', `/api/v1/bulk-jobs/${started.body.id}`, { token: owner })).status, 200);
    assert.equal((await h.call('GET', `/api/v1/bulk-jobs/${started.body.id}`, { token: ws.secretKey })).status, 200);
  });

  it('lists only the tags of contacts they can see', async () => {
    await create({ firstName: 'Tagged hidden', ownerId, tags: ['hidden-only-tag', 'shared-tag'] });
    await create({ firstName: 'Tagged visible', ownerId: managerId, tags: ['shared-tag', 'mine-tag'] });
    const theirs = await h.call('GET', '/api/v1/tags', { token: manager });
    assert.equal(theirs.status, 200);
    assert.ok(!theirs.body.items.includes('hidden-only-tag'), JSON.stringify(theirs.body.items));
    assert.ok(theirs.body.items.includes('shared-tag') && theirs.body.items.includes('mine-tag'));
    assert.ok(!(await h.call('GET', '/api/v1/tags?q=hidden', { token: manager })).body.items.length);
    assert.ok((await h.call('GET', '/api/v1/tags', { token: owner })).body.items.includes('hidden-only-tag'));
  });
});
