// Contact versions: every write that changes a contact bumps it; a patch sends only what changed, and a list patch
// made against a stale version is refused (409 version_conflict) instead of overwriting a newer list.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, waitForJob, type Harness, type TestWorkspace } from '../testing.js';

describe('contact versions', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let ownerId: string;
  const create = async (body: unknown) => {
    const res = await h.call('POST', '/api/v1/contacts', { token: owner, body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const get = async (id: string) => (await h.call('GET', `/api/v1/contacts/${id}`, { token: owner })).body;
  const patch = (id: string, body: unknown, version?: number | string) =>
    h.call('PATCH', `/api/v1/contacts/${id}`, { token: owner, body, headers: version === undefined ? {} : { 'if-match': typeof version === 'number' ? `"${version}"` : version } });
  const bulk = async (body: unknown) => {
    const res = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return waitForJob(h, owner, res.body.id);
  };

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    ({ token: owner, memberId: ownerId } = await ws.token('owner'));
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'modules', label: 'Modules', type: 'multi_select', options: ['crm', 'docs', 'chat'] } });
  });
  after(() => h.close());

  it('keeps a bulk tag add when the record saves its tags from before it (the demo scenario)', async () => {
    const c = await create({ firstName: 'Jane', tags: ['enterprise', 'lead'] });
    assert.equal(c.version, 1);
    const seen = await get(c.id);
    await bulk({ action: 'add_tags', ids: [c.id], params: { tags: ['bulk-added'] } });
    // The record still shows [enterprise, lead] and adds "from-record" to that list.
    const stale = await patch(c.id, { tags: ['enterprise', 'lead', 'from-record'] }, seen.version);
    assert.equal(stale.status, 409, JSON.stringify(stale.body));
    assert.equal(stale.body.error.code, 'version_conflict');
    assert.equal(stale.body.error.details.version, 2);
    assert.deepEqual(stale.body.error.details.fields, ['tags']);
    assert.deepEqual((await get(c.id)).tags, ['bulk-added', 'enterprise', 'lead'], 'nothing written');
    // Against the current version the same kind of patch goes through, and bumps the version.
    const fresh = await patch(c.id, { tags: ['bulk-added', 'enterprise', 'lead', 'from-record'] }, 2);
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    assert.deepEqual(fresh.body.tags, ['bulk-added', 'enterprise', 'from-record', 'lead']);
    assert.equal(fresh.body.version, 3);
    assert.equal(fresh.headers.get('etag'), '"3"');
  });

  it('refuses every list field against a stale version, takes scalars as sent', async () => {
    const c = await create({ firstName: 'Ada', emails: [{ value: 'ada@x.example' }], phones: [{ value: '+14155550101' }] });
    await patch(c.id, { companyName: 'Engines' });
    for (const body of [
      { emails: [{ value: 'ada@y.example' }] },
      { phones: [{ value: '+14155550102' }] },
      { followerIds: [ownerId] },
      { customFields: { modules: ['crm'] } },
    ]) {
      const res = await patch(c.id, body, 1);
      assert.equal(res.status, 409, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.details.version, 2);
    }
    const scalar = await patch(c.id, { lastName: 'Lovelace' }, 1);
    assert.equal(scalar.status, 200, 'a scalar is not a list: stale or not, it is the user’s latest word on that field');
    assert.equal(scalar.body.companyName, 'Engines', 'and it leaves the other fields alone');
    assert.equal((await patch(c.id, { tags: ['x'] })).status, 200, 'without If-Match (API clients) a patch applies as before');
    assert.equal((await patch(c.id, { tags: ['y'] }, 'W/"4"')).status, 200, 'weak and quoted forms are accepted');
    assert.equal((await patch(c.id, { tags: ['w'] }, '*')).status, 200, '"*" is any version');
    const bad = await patch(c.id, { tags: ['z'] }, 'soon');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.field, 'If-Match');
  });

  it('merges an address part by part, so a patch carries only the part that changed', async () => {
    const c = await create({ firstName: 'Al', address: { line1: '1 Main St', city: 'London', country: 'UK' } });
    const res = await patch(c.id, { address: { city: 'Leeds' } });
    assert.deepEqual(res.body.address, { line1: '1 Main St', city: 'Leeds', country: 'UK' });
    assert.deepEqual((await patch(c.id, { address: { line1: null } })).body.address, { city: 'Leeds', country: 'UK' }, 'a null part clears it');
    assert.equal((await patch(c.id, { address: null })).body.address, null, 'null clears the whole address');
  });

  it('bumps the version on every write that changes a contact, and only then', async () => {
    const c = await create({ firstName: 'Bo', tags: ['a'] });
    const other = await create({ firstName: 'Cy' });
    let v = c.version;
    const expectBump = async (what: string, id = c.id) => {
      const now = (await get(id)).version;
      assert.ok(now > v, `${what}: ${now} > ${v}`);
      v = now;
    };
    await patch(c.id, { firstName: 'Bo' });
    assert.equal((await get(c.id)).version, v, 'a no-op patch keeps the version');
    await patch(c.id, { dnd: { sms: true } });
    await expectBump('patch');
    await bulk({ action: 'add_tags', ids: [c.id], params: { tags: ['b'] } });
    await expectBump('bulk add tags');
    await bulk({ action: 'add_tags', ids: [c.id], params: { tags: ['b'] } });
    assert.equal((await get(c.id)).version, v, 'a bulk action that changes nothing keeps it');
    await bulk({ action: 'remove_tags', ids: [c.id], params: { tags: ['b'] } });
    await expectBump('bulk remove tags');
    await bulk({ action: 'assign_owner', ids: [c.id], params: { ownerId } });
    await expectBump('bulk assign owner');
    await bulk({ action: 'delete', ids: [c.id] });
    await expectBump('bulk delete');
    await bulk({ action: 'restore', ids: [c.id] });
    await expectBump('bulk restore');
    await h.call('DELETE', `/api/v1/contacts/${c.id}`, { token: owner });
    await expectBump('delete');
    await h.call('POST', `/api/v1/contacts/${c.id}/restore`, { token: owner });
    await expectBump('restore');
    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: c.id, mergedIds: [other.id] } });
    assert.equal(merged.status, 201);
    await expectBump('merge');
    await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: owner });
    await expectBump('unmerge (the snapshot restores everything but the version, which only grows)');
    // The message's new contact is younger than Bo, so the next message to the address finds Bo (the oldest): with
    // the same created_at, which of the two comes first is up to the engine (PostgreSQL picked the new one).
    h.clock.advance(1000);
    const message = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'email', contact: { email: 'bo@x.example' }, text: 'hi' } });
    assert.equal(message.status, 201, JSON.stringify(message.body));
    await patch(c.id, { emails: [{ value: 'bo@x.example' }] });
    v = (await get(c.id)).version;
    await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'email', contact: { email: 'bo@x.example' }, text: 'again' } });
    await expectBump('a message (last interaction)');
  });
});
