import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('POST /contacts/query', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let ownerId: string;
  let agentId: string;
  const ids: Record<string, string> = {};

  const query = (body: unknown, token = owner) => h.call('POST', '/api/v1/contacts/query', { token, body });
  const names = async (body: Record<string, unknown>): Promise<string[]> => {
    const res = await query({ sort: { field: 'name', dir: 'asc' }, limit: 200, ...body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items.map((c: { firstName: string }) => c.firstName);
  };
  // Which contacts match (alphabetical); sort order itself is tested separately.
  const where = async (field: string, op: string, value?: unknown) =>
    (await names({ filter: { field, op, value } })).sort((a: string, b: string) => a.localeCompare(b));

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    ({ token: owner, memberId: ownerId } = await ws.token('owner'));
    agentId = (await ws.token('agent')).memberId;
    const field = (key: string, type: string, options?: string[]) =>
      h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key, label: key, type, options } });
    await field('industry', 'select', ['SaaS', 'Retail']);
    await field('seats', 'number');
    await field('renewal', 'date');
    await field('notes', 'text');
    await field('interests', 'multi_select', ['Events', 'Pricing', 'Hiring']);
    await field('vip', 'checkbox');
    const make = async (key: string, body: Record<string, unknown>) => {
      const res = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: key, ...body } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids[key] = res.body.id;
      h.clock.advance(1000);
    };
    await make('Ada', {
      lastName: 'Lovelace', companyName: 'Analytical Engines', emails: [{ value: 'ada.lovelace@engines.example' }],
      phones: [{ value: '+1 (415) 555-0100' }], tags: ['VIP', 'lead'], ownerId, followerIds: [agentId],
      address: { city: 'London', country: 'UK' }, website: 'engines.example', source: 'website',
      customFields: { industry: 'SaaS', seats: 12, renewal: '2026-12-01', notes: 'Loves poetry', interests: ['Events', 'Pricing'], vip: true },
      dnd: { sms: true },
    });
    await make('Grace', {
      lastName: 'Hopper', companyName: 'Navy', emails: [{ value: 'grace@navy.example' }, { value: 'gh@cobol.example' }],
      phones: [{ value: '+44 20 7946 0958' }], tags: ['lead'], ownerId: agentId, source: 'import',
      customFields: { industry: 'Retail', seats: 3, interests: ['Hiring'], vip: false },
    });
    await make('Émile', { lastName: 'Zola', tags: ['customer'], customFields: { seats: 40 } });
    await make('Linus', { companyName: 'Kernel Co', phones: [{ value: '212-555-0199' }] });
  });
  after(() => h.close());

  it('returns ContactJson items with a count, newest first by default', async () => {
    const res = await query({});
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items.map((c: { firstName: string }) => c.firstName), ['Linus', 'Émile', 'Grace', 'Ada']);
    assert.equal(res.body.count, 4);
    assert.equal(res.body.estimated, false);
    const single = await h.call('GET', `/api/v1/contacts/${ids.Ada}`, { token: owner });
    assert.deepEqual(res.body.items[3], single.body);
  });

  it('text operators on contact fields', async () => {
    assert.deepEqual(await where('lastName', 'is', 'lovelace'), ['Ada']);
    assert.deepEqual(await where('lastName', 'is_not', 'Lovelace'), ['Émile', 'Grace', 'Linus']);
    assert.deepEqual(await where('companyName', 'contains', 'co'), ['Linus']);
    assert.deepEqual(await where('companyName', 'starts_with', 'nav'), ['Grace']);
    assert.deepEqual(await where('companyName', 'is_empty'), ['Émile']);
    assert.deepEqual(await where('lastName', 'is_not_empty'), ['Ada', 'Émile', 'Grace']);
    assert.deepEqual(await where('name', 'contains', '100%'), []);
    assert.deepEqual(await where('address.city', 'is', 'London'), ['Ada']);
    assert.deepEqual(await where('website', 'contains', 'engines'), ['Ada']);
    assert.deepEqual(await where('source', 'is_any', ['import', 'website']), ['Ada', 'Grace']);
  });

  it('emails and phones (any value matches)', async () => {
    assert.deepEqual(await where('email', 'is', 'GH@cobol.example'), ['Grace']);
    assert.deepEqual(await where('email', 'contains', 'navy'), ['Grace']);
    assert.deepEqual(await where('email', 'is_empty'), ['Émile', 'Linus']);
    assert.deepEqual(await where('phone', 'is', '(415) 555-0100'), ['Ada']);
    assert.deepEqual(await where('phone', 'contains', '555-01'), ['Ada', 'Linus']);
    assert.deepEqual(await where('channel', 'has', 'phone'), ['Ada', 'Grace', 'Linus']);
    assert.deepEqual(await where('channel', 'lacks', 'email'), ['Émile', 'Linus']);
  });

  it('number and date operators, relative dates', async () => {
    assert.deepEqual(await where('custom.seats', 'gt', 10), ['Ada', 'Émile']);
    assert.deepEqual(await where('custom.seats', 'lt', 10), ['Grace']);
    assert.deepEqual(await where('custom.seats', 'eq', 12), ['Ada']);
    assert.deepEqual(await where('custom.seats', 'between', [10, 40]), ['Ada', 'Émile']);
    assert.deepEqual(await where('custom.seats', 'is_empty'), ['Linus']);
    assert.deepEqual(await where('custom.renewal', 'gt', '2026-11-30'), ['Ada']);
    assert.deepEqual(await where('custom.renewal', 'is_not_empty'), ['Ada']);
    const t0 = h.clock.now();
    assert.deepEqual(await where('createdAt', 'lt', t0 - 2500), ['Ada', 'Grace']);
    assert.deepEqual(await where('createdAt', 'in_last_days', 1), ['Ada', 'Émile', 'Grace', 'Linus']);
    assert.deepEqual(await where('lastInteractionAt', 'is_empty'), ['Ada', 'Émile', 'Grace', 'Linus']);
  });

  it('last incoming message older / newer than N hours or days', async () => {
    const now = h.clock.now();
    const db = h.opened.db;
    await db.updateTable('contacts').set({ last_incoming_at: now - 3 * HOUR, last_channel: 'whatsapp' }).where('id', '=', ids.Ada!).execute();
    await db.updateTable('contacts').set({ last_incoming_at: now - 3 * DAY, last_channel: 'email' }).where('id', '=', ids.Grace!).execute();
    assert.deepEqual(await where('lastIncomingAt', 'older_than', { amount: 1, unit: 'days' }), ['Grace']);
    assert.deepEqual(await where('lastIncomingAt', 'newer_than', { amount: 5, unit: 'hours' }), ['Ada']);
    assert.deepEqual(await where('lastChannel', 'is', 'WhatsApp'), ['Ada']);
    assert.deepEqual(await where('lastChannel', 'is_any', ['email', 'sms']), ['Grace']);
  });

  it('tags, multi-select and checkbox custom fields', async () => {
    assert.deepEqual(await where('tags', 'has_any', ['vip', 'customer']), ['Ada', 'Émile']);
    assert.deepEqual(await where('tags', 'has_all', ['VIP', 'lead']), ['Ada']);
    assert.deepEqual(await where('tags', 'has_none', ['lead']), ['Émile', 'Linus']);
    assert.deepEqual(await where('tags', 'is_empty'), ['Linus']);
    assert.deepEqual(await where('custom.interests', 'has_any', ['Hiring', 'Events']), ['Ada', 'Grace']);
    assert.deepEqual(await where('custom.interests', 'has_all', ['Events', 'Pricing']), ['Ada']);
    assert.deepEqual(await where('custom.interests', 'has_none', ['Events']), ['Émile', 'Grace', 'Linus']);
    assert.deepEqual(await where('custom.vip', 'is', true), ['Ada']);
    assert.deepEqual(await where('custom.vip', 'is', false), ['Émile', 'Grace', 'Linus']);
    assert.deepEqual(await where('custom.industry', 'is', 'saas'), ['Ada']);
    assert.deepEqual(await where('custom.notes', 'contains', 'poetry'), ['Ada']);
  });

  it('owner, follower, DND', async () => {
    assert.deepEqual(await where('owner', 'is_any', [ownerId]), ['Ada']);
    assert.deepEqual(await where('owner', 'is_any', ['unassigned', agentId]), ['Émile', 'Grace', 'Linus']);
    assert.deepEqual(await where('owner', 'is_none', [ownerId]), ['Émile', 'Grace', 'Linus']);
    assert.deepEqual(await where('owner', 'is_empty'), ['Émile', 'Linus']);
    assert.deepEqual(await where('follower', 'is_any', [agentId]), ['Ada']);
    assert.deepEqual(await where('follower', 'is_empty'), ['Émile', 'Grace', 'Linus']);
    assert.deepEqual(await where('dnd', 'on', 'sms'), ['Ada']);
    assert.deepEqual(await where('dnd', 'on', 'any'), ['Ada']);
    assert.deepEqual(await where('dnd', 'off', 'email'), ['Ada', 'Émile', 'Grace', 'Linus']);
  });

  it('nested and / or groups', async () => {
    const filter = {
      and: [
        { or: [{ field: 'tags', op: 'has_any', value: ['lead'] }, { field: 'companyName', op: 'contains', value: 'kernel' }] },
        { field: 'custom.seats', op: 'is_not_empty' },
      ],
    };
    assert.deepEqual(await names({ filter }), ['Ada', 'Grace']);
    assert.deepEqual(await names({ filter: { and: [] } }), ['Ada', 'Grace', 'Linus', 'Émile']);
    assert.deepEqual(await names({ filter: { or: [] } }), []);
  });

  it('describes the filter fields, sorts and export columns of the workspace', async () => {
    const res = await h.call('GET', '/api/v1/contacts/table-schema', { token: owner });
    assert.equal(res.status, 200);
    const byField = new Map(res.body.filterFields.map((f: { field: string; ops: string[] }) => [f.field, f]));
    assert.deepEqual((byField.get('tags') as { ops: string[] }).ops, ['has_any', 'has_all', 'has_none', 'is_empty', 'is_not_empty']);
    assert.deepEqual(byField.get('custom.vip'), { field: 'custom.vip', label: 'vip', type: 'checkbox', ops: ['is', 'is_empty', 'is_not_empty'] });
    assert.ok(res.body.sorts.includes('custom.seats'));
    assert.ok(res.body.exportColumns.includes('custom.industry'));
  });

  it('answers 400 with the path of the bad node', async () => {
    const cases: [unknown, string][] = [
      [{ field: 'shoeSize', op: 'is', value: 1 }, 'filter.field'],
      [{ and: [{ field: 'firstName', op: 'is', value: 'a' }, { field: 'tags', op: 'is', value: 'x' }] }, 'filter.and[1].op'],
      [{ and: [{ field: 'a', op: 'b' }, { field: 'b', op: 'c' }, { field: 'custom.seats', op: 'gt', value: 'many' }] }, 'filter.and[0].field'],
      [{ and: [{ field: 'firstName', op: 'is', value: 'x' }, { field: 'x', op: 'y' }, { field: 'custom.seats', op: 'gt', value: 'many' }] }, 'filter.and[1].field'],
      [{ or: [{ and: [{ field: 'custom.seats', op: 'between', value: [1] }] }] }, 'filter.or[0].and[0].value'],
      [{ field: 'custom.nope', op: 'is', value: 'x' }, 'filter.field'],
      [{ field: 'phone', op: 'is', value: '12' }, 'filter.value'],
      [{ field: 'dnd', op: 'on', value: 'pigeon' }, 'filter.value'],
      [{ field: 'lastIncomingAt', op: 'older_than', value: { amount: 1, unit: 'weeks' } }, 'filter.value'],
      [{ field: 'custom.vip', op: 'contains', value: 'x' }, 'filter.op'],
    ];
    for (const [filter, path] of cases) {
      const res = await query({ filter });
      assert.equal(res.status, 400, JSON.stringify(filter));
      assert.equal(res.body.error.code, 'invalid_filter');
      assert.equal(res.body.error.details.path, path, JSON.stringify(res.body));
    }
    const shape = await query({ filter: { and: [{ field: 'a' }] } });
    assert.equal(shape.status, 400);
    assert.equal(shape.body.error.code, 'validation_failed');
    assert.equal((await query({ sort: { field: 'shoeSize' } })).body.error.details.path, 'sort.field');
  });

  it('searches every field by token prefix, and phones in any format', async () => {
    const search = (q: string) => names({ q });
    assert.deepEqual(await search('ada'), ['Ada']);
    assert.deepEqual(await search('Lovel'), ['Ada']);
    assert.deepEqual(await search('ada lov'), ['Ada']);
    assert.deepEqual(await search('ada hopper'), []);
    assert.deepEqual(await search('emile'), ['Émile']);
    assert.deepEqual(await search('analytical'), ['Ada']);
    assert.deepEqual(await search('ada.lovelace@engines.example'), ['Ada']);
    assert.deepEqual(await search('cobol'), ['Grace']);
    assert.deepEqual(await search('customer'), ['Émile']);
    assert.deepEqual(await search('poetry'), ['Ada']);
    assert.deepEqual(await search('saas'), ['Ada']);
    for (const q of ['+1 (415) 555-0100', '+14155550100', '14155550100', '4155550100', '415-555-0100', '555-0100', '(415) 555', '0100']) {
      assert.deepEqual(await search(q), ['Ada'], q);
    }
    for (const q of ['+44 20 7946 0958', '02079460958', '2079460958', '7946 0958']) {
      assert.deepEqual(await search(q), ['Grace'], q);
    }
    assert.deepEqual(await search('555-01'), ['Ada', 'Linus']);
    // PostgreSQL also finds a number by any run of its digits (pg_trgm); SQLite by the starts of its variants.
    assert.deepEqual(await search('1555'), h.opened.engine.kind === 'postgres' ? ['Ada'] : []);
  });

  it('keeps the index in sync on edits, tag renames and deletes', async () => {
    await h.call('PATCH', `/api/v1/contacts/${ids.Linus}`, { token: owner, body: { lastName: 'Torvalds', emails: [{ value: 'linus@kernel.example' }] } });
    assert.deepEqual(await names({ q: 'torvalds' }), ['Linus']);
    assert.deepEqual(await names({ q: 'linus@kernel' }), ['Linus']);
    await h.opened.db.updateTable('tags').set({ name: 'customer-gold' }).where('name', '=', 'customer').execute();
    assert.deepEqual(await names({ q: 'gold' }), ['Émile']);
    await h.call('DELETE', `/api/v1/contacts/${ids.Linus}`, { token: owner });
    assert.deepEqual(await names({ q: 'torvalds' }), []);
    assert.deepEqual(await names({ q: 'torvalds', deleted: true }), ['Linus']);
    await h.call('POST', `/api/v1/contacts/${ids.Linus}/restore`, { token: owner });
  });

  it('sorts by name, dates and custom fields with NULLs, ties broken by id', async () => {
    // NOCASE folds ASCII only (so the index serves the sort): É sorts after Z.
    assert.deepEqual(await names({ sort: { field: 'name', dir: 'desc' } }), ['Émile', 'Linus', 'Grace', 'Ada']);
    // Custom fields: contacts without a value come last in both directions.
    assert.deepEqual(await names({ sort: { field: 'custom.seats', dir: 'desc' } }), ['Émile', 'Ada', 'Grace', 'Linus']);
    assert.deepEqual(await names({ sort: { field: 'custom.seats', dir: 'asc' } }), ['Grace', 'Ada', 'Émile', 'Linus']);
    const byId = (a: string, b: string) => (ids[a]! < ids[b]! ? -1 : 1);
    assert.deepEqual(await names({ sort: { field: 'custom.industry', dir: 'asc' } }), ['Grace', 'Ada', ...['Émile', 'Linus'].sort(byId)]);
    assert.deepEqual(await names({ sort: { field: 'custom.industry', dir: 'desc' } }), ['Ada', 'Grace', ...['Émile', 'Linus'].sort(byId).reverse()]);
    assert.deepEqual(await names({ sort: { field: 'lastInteractionAt', dir: 'desc' } }).then((l) => l.length), 4);
  });
});

describe('keyset paging', () => {
  it('has no gaps or duplicates when contacts are inserted between pages, for every sort', async () => {
    const h = await harness();
    const ws = await h.workspace();
    const { token } = await ws.token('owner');
    await h.call('POST', '/api/v1/custom-fields', { token, body: { key: 'score', label: 'Score', type: 'number' } });
    const create = async (i: number) => {
      const body: Record<string, unknown> = { firstName: `P${String(i % 7)}`, lastName: `L${i}` };
      if (i % 3) body.customFields = { score: i % 5 };
      const res = await h.call('POST', '/api/v1/contacts', { token, body });
      if (i % 4 === 0) await h.opened.db.updateTable('contacts').set({ last_interaction_at: 1000 * (i % 6) }).where('id', '=', res.body.id).execute();
      if (i % 2) h.clock.advance(1); // some equal created_at: ties broken by id
      return res.body.id as string;
    };
    const original = new Set<string>();
    for (let i = 0; i < 60; i++) original.add(await create(i));
    let n = 1000;
    for (const sort of [
      { field: 'createdAt', dir: 'desc' }, { field: 'createdAt', dir: 'asc' }, { field: 'name', dir: 'asc' },
      { field: 'lastInteractionAt', dir: 'desc' }, { field: 'lastInteractionAt', dir: 'asc' },
      { field: 'custom.score', dir: 'asc' }, { field: 'custom.score', dir: 'desc' }, { field: 'updatedAt', dir: 'desc' },
    ]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await h.call('POST', '/api/v1/contacts/query', { token, body: { sort, limit: 7, cursor } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        seen.push(...res.body.items.map((c: { id: string }) => c.id));
        cursor = res.body.nextCursor ?? undefined;
        await create(n++); // concurrent writer
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, `duplicates in ${JSON.stringify(sort)}`);
      for (const id of original) assert.ok(seen.includes(id), `gap in ${JSON.stringify(sort)}`);
    }
    const bad = await h.call('POST', '/api/v1/contacts/query', {
      token,
      body: { sort: { field: 'name', dir: 'asc' }, cursor: (await h.call('POST', '/api/v1/contacts/query', { token, body: { limit: 1 } })).body.nextCursor },
    });
    assert.equal(bad.status, 400);
    await h.close();
  });
});

describe('query isolation', () => {
  it('never returns another workspace’s or an unassigned-restricted member’s hidden contacts', async () => {
    const h = await harness();
    const a = await h.workspace();
    const b = await h.workspace();
    const ownerA = (await a.token('owner')).token;
    const ownerB = (await b.token('owner')).token;
    await h.call('POST', '/api/v1/contacts', { token: ownerA, body: { firstName: 'Secret', tags: ['x'] } });
    const res = await h.call('POST', '/api/v1/contacts/query', { token: ownerB, body: { q: 'secret' } });
    assert.deepEqual(res.body.items, []);
    assert.equal(res.body.count, 0);
    const restricted = await a.token('agent', { externalId: 'r', restrictToAssigned: true });
    const mine = await h.call('POST', '/api/v1/contacts', { token: restricted.token, body: { firstName: 'Mine' } });
    const seen = await h.call('POST', '/api/v1/contacts/query', { token: restricted.token, body: {} });
    assert.deepEqual(seen.body.items.map((c: { id: string }) => c.id), [mine.body.id]);
    assert.equal((await h.call('POST', '/api/v1/contacts/query', { body: {} })).status, 401);
    await h.close();
  });
});

describe('the Add contact duplicate lookup (an "or" of email is / phone contains digits)', () => {
  it('finds same email in any case and same phone in any format, only among what the caller may see', async () => {
    const h = await harness();
    const a = await h.workspace();
    const b = await h.workspace();
    const ownerA = (await a.token('owner')).token;
    const ownerB = (await b.token('owner')).token;
    const make = async (token: string, body: Record<string, unknown>) => (await h.call('POST', '/api/v1/contacts', { token, body })).body.id as string;
    const byEmail = await make(ownerA, { firstName: 'Mail', emails: [{ value: 'dup@example.com' }] });
    const byPhone = await make(ownerA, { firstName: 'Tel', phones: [{ value: '+1 415 555 0199' }] });
    await make(ownerA, { firstName: 'Other', emails: [{ value: 'other@example.com' }], phones: [{ value: '+1 415 555 0100' }] });
    await make(ownerB, { firstName: 'Elsewhere', emails: [{ value: 'dup@example.com' }] });
    // What the dialog sends for "DUP@example.com" and "(415) 555-0199": the phone's last 9 digits.
    const body = { filter: { or: [{ field: 'email', op: 'is', value: 'DUP@example.com' }, { field: 'phone', op: 'contains', value: '4155550199'.slice(-9) }] }, limit: 10, count: false };
    const ids = async (token: string) => {
      const res = await h.call('POST', '/api/v1/contacts/query', { token, body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items.map((c: { id: string }) => c.id).sort();
    };
    assert.deepEqual(await ids(ownerA), [byEmail, byPhone].sort());
    // Another workspace's contact with the same email is not a duplicate here.
    assert.equal((await ids(ownerB)).length, 1);
    // A member restricted to assigned contacts is not told of contacts they cannot see.
    const restricted = await a.token('agent', { externalId: 'r', restrictToAssigned: true });
    assert.deepEqual(await ids(restricted.token), []);
    await h.close();
  });
});

describe('counts', () => {
  it('are exact on small workspaces, short first pages and on request; estimated from a sample above 20,000', async () => {
    const h = await harness();
    const ws = await h.workspace();
    const { token } = await ws.token('owner');
    const add = (from: number, to: number) =>
      h.opened.db.transaction().execute((trx) =>
        h.opened.engine.bulk.insert(trx, 'contacts', Array.from({ length: to - from }, (_, k) => from + k).map((i) => ({
          id: `ct_n${String(i).padStart(5, '0')}`, workspace_id: ws.id, first_name: `N${i}`, display_name: `N${i}`, company_name: i % 4 ? 'Most' : 'Quarter', created_at: i, updated_at: i,
        }))),
      );
    const count = async (body: Record<string, unknown>) => (await h.call('POST', '/api/v1/contacts/query', { token, body: { limit: 1, ...body } })).body;
    await add(0, 8000);
    assert.deepEqual(await count({ filter: { field: 'companyName', op: 'is', value: 'Quarter' } }).then((b) => [b.count, b.estimated]), [2000, false]);
    await add(8000, 24000);
    const all = await count({});
    assert.deepEqual([all.count, all.estimated], [24000, false]); // the total, cached until a contact changes
    const quarter = { filter: { field: 'companyName', op: 'is', value: 'Quarter' } };
    const estimate = await count(quarter);
    assert.equal(estimate.estimated, true);
    assert.ok(Math.abs(estimate.count - 6000) < 1500, String(estimate.count));
    const exact = await count({ ...quarter, count: 'exact' });
    assert.deepEqual([exact.count, exact.estimated], [6000, false]);
    // A search with more than 5,000 hits walks the sort index instead of sorting the hits: same rows.
    const page = async (body: Record<string, unknown>) =>
      (await count({ ...quarter, sort: { field: 'name', dir: 'asc' }, limit: 20, ...body })).items.map((c: { id: string }) => c.id);
    assert.deepEqual(await page({ q: 'n' }), await page({}));
    const searched = await count({ q: 'n' });
    assert.equal(searched.estimated, true);
    assert.ok(Math.abs(searched.count - 24000) < 2000, String(searched.count));
    const few = await count({ filter: { field: 'createdAt', op: 'lt', value: 10 }, limit: 50 });
    assert.deepEqual([few.count, few.estimated], [10, false]);
    await h.close();
  });
});
