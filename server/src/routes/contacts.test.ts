import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { purgeExpired } from '../domain/contacts.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const DAY = 86_400_000;

describe('contacts API', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let agent: string;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    agent = (await ws.token('agent')).token;
    const field = (key: string, type: string, options?: string[]) =>
      h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key, label: key, type, options } });
    await field('industry', 'select', ['SaaS', 'Retail']);
    await field('seats', 'number');
    await field('renewal', 'date');
  });
  after(() => h.close());

  it('creates a contact with normalized emails and phones, tags, custom fields and DND', async () => {
    const res = await h.call('POST', '/api/v1/contacts', {
      token: owner,
      body: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        companyName: 'Analytical Engines',
        website: 'engines.example.com',
        address: { line1: '1 Main St', city: 'London', country: 'UK' },
        emails: [{ value: 'ADA@Example.com', label: 'work' }, { value: 'ada@home.example', primary: true }],
        phones: [{ value: '(415) 555-2671', label: 'mobile' }],
        tags: ['VIP', 'vip', 'lead'],
        customFields: { industry: 'SaaS', seats: 12 },
        dnd: { sms: true },
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const c = res.body;
    assert.equal(c.name, 'Ada Lovelace');
    assert.deepEqual(c.emails.map((e: { value: string; primary: boolean }) => [e.value, e.primary]), [['ada@example.com', false], ['ada@home.example', true]]);
    assert.deepEqual(c.phones, [{ value: '+14155552671', display: '(415) 555-2671', label: 'mobile', primary: true, verified: false }]);
    assert.deepEqual(c.tags, ['lead', 'VIP']);
    assert.deepEqual(c.customFields, { industry: 'SaaS', seats: 12 });
    assert.equal(c.dnd.sms, true);
    assert.equal(c.dnd.email, false);
    assert.equal(c.website, 'https://engines.example.com/');
    assert.equal(c.address.city, 'London');
    const got = await h.call('GET', `/api/v1/contacts/${c.id}`, { token: agent });
    assert.deepEqual(got.body, c);
  });

  it('creates a new tag once when several requests bring it at the same time', async () => {
    // One statement at a time on SQLite; on PostgreSQL these run in parallel and race to create the tag.
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: `Racer${i}`, tags: [i % 2 ? 'Launch-Day' : 'launch-day', 'vip'] } })),
    );
    assert.deepEqual(made.map((r) => r.status), [201, 201, 201, 201, 201, 201], JSON.stringify(made.find((r) => r.status !== 201)?.body));
    const tags = await h.opened.db.selectFrom('tags').select('name').where('workspace_id', '=', ws.id).where((eb) => eb(eb.fn('lower', ['name']), '=', 'launch-day')).execute();
    assert.equal(tags.length, 1);
    assert.deepEqual(new Set(made.map((r) => r.body.tags.join())).size, 1, 'every contact shows the tag as it was first written');
  });

  it('shows phones as people read them: national in the workspace’s region, international otherwise', async () => {
    const res = await h.call('POST', '/api/v1/contacts', { token: owner, body: { phones: [{ value: '+14155550199', primary: true }, { value: '+442079460958' }, { value: '+33612345678' }] } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.phones.map((p: { display: string }) => p.display), ['(415) 555-0199', '+44 20 7946 0958', '+33 6 12 34 56 78']);
    assert.equal(res.body.name, '(415) 555-0199', 'a contact without a name is called by its phone, as shown');
    const uk = await h.workspace({ region: 'GB' });
    const ukOwner = (await uk.token('owner')).token;
    const there = await h.call('POST', '/api/v1/contacts', { token: ukOwner, body: { phones: [{ value: '020 7946 0958' }, { value: '+14155550199' }] } });
    assert.deepEqual(there.body.phones.map((p: { value: string; display: string }) => [p.value, p.display]), [['+442079460958', '020 7946 0958'], ['+14155550199', '+1 415 555 0199']]);
  });

  it('names the field in every rule error', async () => {
    const cases: [unknown, number, string][] = [
      [{ emails: [{ value: 'nope' }] }, 422, 'emails[0].value'],
      [{ phones: [{ value: '123' }] }, 422, 'phones[0].value'],
      [{ phones: [{ value: '+14155552671', label: 'work' }, { value: '+14155552672', label: 'work' }] }, 422, 'phones[1].label'],
      [{ emails: Array.from({ length: 12 }, (_, i) => ({ value: `x${i}@example.com` })) }, 422, 'emails'],
      [{ customFields: { nope: 1 } }, 422, 'customFields.nope'],
      [{ customFields: { seats: 'many' } }, 422, 'customFields.seats'],
      [{ customFields: { industry: 'Mining' } }, 422, 'customFields.industry'],
      [{ customFields: { renewal: '2026-13-01' } }, 422, 'customFields.renewal'],
      [{ ownerId: 'mb_unknown' }, 422, 'ownerId'],
      [{ followerIds: ['mb_unknown'] }, 422, 'followerIds[0]'],
      [{ website: 'not a site' }, 422, 'website'],
    ];
    for (const [body, status, field] of cases) {
      const res = await h.call('POST', '/api/v1/contacts', { token: owner, body });
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.details.field, field);
    }
    const unknown = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'A', favouriteColour: 'red' } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'validation_failed');
  });

  it('patches partially, writes an audit event with before → after, and lists audit newest first', async () => {
    const created = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Grace', emails: [{ value: 'grace@example.com' }] } })).body;
    h.clock.advance(1000);
    const patched = await h.call('PATCH', `/api/v1/contacts/${created.id}`, { token: agent, body: { lastName: 'Hopper', customFields: { seats: 3 } } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'Grace Hopper');
    assert.deepEqual(patched.body.emails.map((e: { value: string }) => e.value), ['grace@example.com']);
    assert.ok(patched.body.updatedAt > created.updatedAt);
    h.clock.advance(1000);
    await h.call('PATCH', `/api/v1/contacts/${created.id}`, { token: owner, body: { customFields: { seats: null } } });
    const audit = await h.call('GET', `/api/v1/contacts/${created.id}/audit`, { token: owner });
    assert.deepEqual(audit.body.items.map((e: { action: string }) => e.action), ['contact.updated', 'contact.updated', 'contact.created']);
    const [latest, middle] = audit.body.items;
    assert.deepEqual(latest.changes, { 'customFields.seats': { before: 3, after: null } });
    assert.deepEqual(middle.changes.lastName, { before: null, after: 'Hopper' });
    assert.equal(middle.actor.type, 'member');
    assert.match(middle.actor.name, /agent/);
    const paged = await h.call('GET', `/api/v1/contacts/${created.id}/audit?limit=2`, { token: owner });
    assert.equal(paged.body.items.length, 2);
    const rest = await h.call('GET', `/api/v1/contacts/${created.id}/audit?limit=2&cursor=${paged.body.nextCursor}`, { token: owner });
    assert.deepEqual(rest.body.items.map((e: { action: string }) => e.action), ['contact.created']);
    assert.equal(rest.body.nextCursor, null);
  });

  it('enforces the permission matrix: agents cannot delete, restore or manage fields', async () => {
    const { id } = (await h.call('POST', '/api/v1/contacts', { token: agent, body: { firstName: 'Agent-made' } })).body;
    assert.equal((await h.call('DELETE', `/api/v1/contacts/${id}`, { token: agent })).status, 403);
    assert.equal((await h.call('POST', '/api/v1/custom-fields', { token: agent, body: { key: 'x', label: 'X', type: 'text' } })).status, 403);
    const manager = (await ws.token('manager')).token;
    const deleted = await h.call('DELETE', `/api/v1/contacts/${id}`, { token: manager });
    assert.equal(deleted.status, 200);
    assert.ok(deleted.body.deletedAt);
    assert.equal((await h.call('POST', `/api/v1/contacts/${id}/restore`, { token: agent })).status, 403);
    assert.equal((await h.call('POST', `/api/v1/contacts/${id}/restore`, { token: manager })).status, 200);
    const me = await h.call('GET', '/api/v1/me', { token: agent });
    assert.ok(!me.body.permissions.includes('contacts.delete'));
    assert.ok(me.body.permissions.includes('contacts.edit'));
  });

  it('keeps deleted contacts in a restore bin, refuses edits there, and purges them after the configured days', async () => {
    const { id } = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Binned' } })).body;
    await h.call('DELETE', `/api/v1/contacts/${id}`, { token: owner });
    assert.equal((await h.call('PATCH', `/api/v1/contacts/${id}`, { token: owner, body: { firstName: 'X' } })).status, 409);
    const bin = await h.call('GET', '/api/v1/contacts?deleted=true', { token: owner });
    assert.ok(bin.body.items.some((c: { id: string }) => c.id === id));
    const live = await h.call('GET', '/api/v1/contacts?limit=200', { token: owner });
    assert.ok(!live.body.items.some((c: { id: string }) => c.id === id));
    assert.equal(await purgeExpired(h.opened.db, h.clock.now() + 29 * DAY), 0);
    assert.equal(await purgeExpired(h.opened.db, h.clock.now() + 31 * DAY), 1);
    assert.equal((await h.call('GET', `/api/v1/contacts/${id}`, { token: owner })).status, 404);
  });

  it('isolates workspaces: another workspace’s ids answer 404', async () => {
    const other = await h.workspace();
    const otherOwner = (await other.token('owner')).token;
    const { id } = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Private' } })).body;
    for (const [method, path, body] of [
      ['GET', `/api/v1/contacts/${id}`],
      ['PATCH', `/api/v1/contacts/${id}`, { firstName: 'Hacked' }],
      ['DELETE', `/api/v1/contacts/${id}`],
      ['POST', `/api/v1/contacts/${id}/restore`],
      ['GET', `/api/v1/contacts/${id}/audit`],
    ] as const) {
      assert.equal((await h.call(method, path, { token: otherOwner, body })).status, 404, `${method} ${path}`);
    }
    const list = await h.call('GET', '/api/v1/contacts', { token: otherOwner });
    assert.deepEqual(list.body.items, []);
    const mine = await h.call('GET', `/api/v1/contacts/${id}`, { token: owner });
    assert.equal(mine.body.firstName, 'Private');
  });

  it('shows restricted members only the contacts they own or follow', async () => {
    const restricted = await ws.token('agent', { externalId: 'restricted-1', restrictToAssigned: true });
    const owned = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Owned', ownerId: restricted.memberId } })).body;
    const followed = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Followed', followerIds: [restricted.memberId] } })).body;
    const hidden = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Hidden' } })).body;
    const list = await h.call('GET', '/api/v1/contacts?limit=200', { token: restricted.token });
    assert.deepEqual(list.body.items.map((c: { id: string }) => c.id).sort(), [owned.id, followed.id].sort());
    assert.equal((await h.call('GET', `/api/v1/contacts/${hidden.id}`, { token: restricted.token })).status, 404);
    assert.equal((await h.call('PATCH', `/api/v1/contacts/${hidden.id}`, { token: restricted.token, body: { firstName: 'x' } })).status, 404);
    // Several at once by id (a widget refreshing the rows it shows): only the visible ones, in the order asked, deleted ones too.
    await h.call('DELETE', `/api/v1/contacts/${followed.id}`, { token: owner });
    const some = await h.call('GET', `/api/v1/contacts?ids=${followed.id},${hidden.id},${owned.id},ct_nope`, { token: restricted.token });
    assert.deepEqual(some.body.items.map((c: { id: string; deletedAt: number | null }) => [c.id, c.deletedAt !== null]), [[followed.id, true], [owned.id, false]]);
    assert.equal((await h.call('GET', `/api/v1/contacts?ids=${Array.from({ length: 101 }, (_, i) => `ct_${i}`).join(',')}`, { token: owner })).status, 400);
    const own = await h.call('POST', '/api/v1/contacts', { token: restricted.token, body: { firstName: 'Mine' } });
    assert.equal(own.body.ownerId, restricted.memberId);
  });

  it('lists with keyset cursors without gaps or repeats, and searches by name, email and phone', async () => {
    const fresh = await h.workspace();
    const t = (await fresh.token('owner')).token;
    for (let i = 0; i < 7; i++) {
      await h.call('POST', '/api/v1/contacts', { token: t, body: { firstName: `P${i}`, emails: [{ value: `p${i}@list.example` }], phones: [{ value: `+1415555${2670 + i}` }] } });
      if (i % 2) h.clock.advance(1);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.call('GET', `/api/v1/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: t });
      seen.push(...page.body.items.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);
    const byName = await h.call('GET', '/api/v1/contacts?q=P3', { token: t });
    assert.deepEqual(byName.body.items.map((c: { name: string }) => c.name), ['P3']);
    const byEmail = await h.call('GET', '/api/v1/contacts?q=p4@list', { token: t });
    assert.deepEqual(byEmail.body.items.map((c: { name: string }) => c.name), ['P4']);
    const byPhone = await h.call('GET', `/api/v1/contacts?q=${encodeURIComponent('(415) 555-2675')}`, { token: t });
    assert.deepEqual(byPhone.body.items.map((c: { name: string }) => c.name), ['P5']);
    assert.equal((await h.call('GET', '/api/v1/contacts?cursor=%%%', { token: t })).status, 400);
    assert.equal((await h.call('GET', '/api/v1/contacts?limit=0', { token: t })).status, 400);
  });

  it('lets the host backend use the secret key on the same routes', async () => {
    const res = await h.call('POST', '/api/v1/contacts', { token: ws.secretKey, body: { firstName: 'From backend' } });
    assert.equal(res.status, 201);
    const audit = await h.call('GET', `/api/v1/contacts/${res.body.id}/audit`, { token: owner });
    assert.equal(audit.body.items[0].actor.type, 'api');
  });
});

describe('custom fields and tags API', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('answers 409, not 500, to requests that race to create the same field', async () => {
    const { token } = await (await h.workspace()).token('manager');
    // Checked before the insert; on PostgreSQL parallel requests can all pass the check, and the unique key decides.
    const made = await Promise.all(Array.from({ length: 8 }, () => h.call('POST', '/api/v1/custom-fields', { token, body: { key: 'race', label: 'Race', type: 'text' } })));
    assert.deepEqual(made.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(made.map((r) => r.body)));
    for (const r of made.filter((m) => m.status === 409)) assert.equal(r.body.error.code, 'conflict');
  });

  it('creates, lists, edits and deletes definitions with clear errors', async () => {
    const ws = await h.workspace();
    const { token } = await ws.token('manager');
    const made = await h.call('POST', '/api/v1/custom-fields', { token, body: { key: 'plan', label: 'Plan', type: 'select', options: ['Free', 'Pro'] } });
    assert.equal(made.status, 201);
    assert.equal((await h.call('POST', '/api/v1/custom-fields', { token, body: { key: 'plan', label: 'Plan', type: 'text' } })).status, 409);
    assert.equal((await h.call('POST', '/api/v1/custom-fields', { token, body: { key: 'tier', label: 'Tier', type: 'select' } })).body.error.details.field, 'options');
    assert.equal((await h.call('POST', '/api/v1/custom-fields', { token, body: { key: 'Bad Key', label: 'x', type: 'text' } })).status, 400);
    const edited = await h.call('PATCH', `/api/v1/custom-fields/${made.body.id}`, { token, body: { label: 'Pricing plan', options: ['Free', 'Pro', 'Team'] } });
    assert.deepEqual(edited.body.options, ['Free', 'Pro', 'Team']);
    const list = await h.call('GET', '/api/v1/custom-fields', { token });
    assert.deepEqual(list.body.items.map((f: { label: string }) => f.label), ['Pricing plan']);
    assert.equal((await h.call('DELETE', `/api/v1/custom-fields/${made.body.id}`, { token })).status, 200);
    assert.equal((await h.call('DELETE', `/api/v1/custom-fields/${made.body.id}`, { token })).status, 404);
  });

  it('suggests tags by prefix, case-insensitively', async () => {
    const ws = await h.workspace();
    const { token } = await ws.token('owner');
    await h.call('POST', '/api/v1/contacts', { token, body: { firstName: 'T', tags: ['Customer', 'cold-lead', 'VIP'] } });
    const res = await h.call('GET', '/api/v1/tags?q=c', { token });
    assert.deepEqual(res.body.items, ['cold-lead', 'Customer']);
    const members = await h.call('GET', '/api/v1/members', { token });
    assert.equal(members.body.items.length, 1);
  });
});
