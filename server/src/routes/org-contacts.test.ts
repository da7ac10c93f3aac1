import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { capturing, createLink, gate, pdfDocument, type CapturingTransport } from '../test-share.js';
import { harness, type Harness } from '../testing.js';
import { ADMIN_KEY, mintOrgSession, testOrg, type TestOrg } from './org-testing.js';

interface Row {
  id: string;
  name: string;
  createdAt: number;
  workspaceId: string;
  workspaceName: string;
}

// POST /api/v1/org/contacts/query: one list over an organization's workspaces, each workspace's part decided by that
// workspace's member, merged by the sort key with exact keyset paging.
describe('organization contact query', () => {
  let h: Harness;
  let capture: CapturingTransport;
  let a: TestOrg;
  let b: TestOrg;
  /** Org A's session (owner everywhere) and its per-workspace tokens. */
  let orgToken: string;
  let wsTokens: Record<string, string>;
  let bToken: string;

  before(async () => {
    const c = capturing();
    capture = c.capture;
    h = await harness({ adminKey: ADMIN_KEY, trustProxy: 1 }, { transports: c.transports });
    a = await testOrg(h, 'Agency A', ['Alpha', 'Beta', 'Gamma']);
    b = await testOrg(h, 'Agency B', ['Bravo']);
    const session = await mintOrgSession(h, a.orgKey, a.workspaces.map((w) => ({ workspaceId: w.id, role: 'owner' })), { ttlSeconds: 86_400 });
    orgToken = session.body.token;
    wsTokens = Object.fromEntries(session.body.memberships.map((m: { workspaceId: string; token: string }) => [m.workspaceId, m.token]));
    // Same names and same creation times across workspaces, so ties are decided by workspace id, then contact id.
    const names = ['Ada Lovelace', 'alan turing', 'Grace Hopper', 'ada lovelace', 'Zed', 'Barbara Liskov', 'Edsger'];
    for (const [i, w] of a.workspaces.entries()) {
      for (const [j, name] of names.slice(i).entries()) {
        const res = await h.call('POST', '/api/v1/contacts', { token: wsTokens[w.id], body: { firstName: name } });
        assert.equal(res.status, 201);
        if (j % 2) h.clock.advance(1000);
      }
    }
    const bSession = await mintOrgSession(h, b.orgKey, [{ workspaceId: b.workspaces[0]!.id, role: 'owner' }]);
    bToken = bSession.body.token;
    for (const name of ['Ada Lovelace', 'Bravo Secret']) await h.call('POST', '/api/v1/contacts', { token: bSession.body.memberships[0].token, body: { firstName: name } });
  });
  after(() => h.close());

  const query = (body: Record<string, unknown>, token = orgToken) => h.call('POST', '/api/v1/org/contacts/query', { token, body });

  /** Every page from the first, `limit` rows each. */
  async function pages(body: Record<string, unknown>, limit: number, token = orgToken) {
    const rows: Row[] = [];
    let cursor: string | undefined;
    let first: { count: number | null; estimated: boolean } | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await query({ ...body, limit, ...(cursor ? { cursor } : {}) }, token);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      first ??= { count: res.body.count, estimated: res.body.estimated };
      if (cursor) assert.equal(res.body.count, null, 'later pages do not count unless asked');
      rows.push(...res.body.items);
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) return { rows, ...first };
    }
    throw new Error('paging did not end');
  }

  /** The union of the workspaces' own queries, sorted as the org query promises. */
  async function union(sort: { field: 'name' | 'createdAt'; dir: 'asc' | 'desc' }, workspaces = a.workspaces) {
    const all: Row[] = [];
    for (const w of workspaces) {
      const res = await h.call('POST', '/api/v1/contacts/query', { token: w.secretKey, body: { limit: 200, sort } });
      all.push(...res.body.items.map((c: Row) => ({ ...c, workspaceId: w.id, workspaceName: w.name })));
    }
    const key = (r: Row) => (sort.field === 'name' ? r.name.toLowerCase() : r.createdAt);
    const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);
    const sign = sort.dir === 'asc' ? 1 : -1;
    return all.sort((x, y) => sign * (cmp(key(x), key(y)) || cmp(x.workspaceId, y.workspaceId) || cmp(x.id, y.id)));
  }
  const ids = (rows: Row[]) => rows.map((r) => `${r.workspaceName}:${r.name}:${r.id}`);

  for (const sort of [{ field: 'name', dir: 'asc' }, { field: 'name', dir: 'desc' }, { field: 'createdAt', dir: 'desc' }, { field: 'createdAt', dir: 'asc' }] as const) {
    it(`pages through every row of the three workspaces exactly once, merged by ${sort.field} ${sort.dir}`, async () => {
      const expected = await union(sort);
      assert.ok(expected.length >= 18);
      for (const limit of [1, 4, 7, 200]) {
        const got = await pages({ sort }, limit);
        assert.deepEqual(ids(got.rows), ids(expected), `limit ${limit}`);
        assert.deepEqual({ count: got.count, estimated: got.estimated }, { count: expected.length, estimated: false });
      }
    });
  }

  it('answers contact JSON with workspaceId and workspaceName; the default sort is createdAt desc', async () => {
    const res = await query({ limit: 3 });
    assert.equal(res.status, 200);
    assert.deepEqual(ids(res.body.items), ids((await union({ field: 'createdAt', dir: 'desc' })).slice(0, 3)));
    const item = res.body.items[0];
    assert.equal(item.workspaceName, a.workspaces.find((w) => w.id === item.workspaceId)!.name);
    assert.ok(Array.isArray(item.emails) && typeof item.version === 'number');
    const counted = await query({ limit: 3, cursor: res.body.nextCursor, count: 'exact' });
    assert.equal(counted.body.count, res.body.count);
    // A cursor is bound to its sort.
    const other = await query({ limit: 3, cursor: res.body.nextCursor, sort: { field: 'name', dir: 'asc' } });
    assert.equal(other.status, 400);
    assert.equal((await query({ cursor: 'garbage' })).status, 400);
  });

  it('searches and filters across the workspaces; custom fields are refused', async () => {
    const found = await pages({ q: 'ada', sort: { field: 'name', dir: 'asc' } }, 2);
    const adas = (await union({ field: 'name', dir: 'asc' })).filter((r) => /ada/i.test(r.name));
    assert.deepEqual(ids(found.rows), ids(adas));
    assert.equal(found.count, adas.length);
    assert.deepEqual(new Set(found.rows.map((r) => r.workspaceName)), new Set(['Alpha', 'Beta', 'Gamma']));

    const zed = await query({ filter: { field: 'name', op: 'contains', value: 'zed' } });
    assert.equal(zed.status, 200, JSON.stringify(zed.body));
    assert.deepEqual(zed.body.items.map((r: Row) => r.workspaceName).sort(), ['Alpha', 'Beta', 'Gamma']);

    const alpha = a.workspaces[0]!;
    assert.equal((await h.call('POST', '/api/v1/custom-fields', { token: wsTokens[alpha.id], body: { key: 'tier', label: 'Tier', type: 'text' } })).status, 201);
    const custom = await query({ filter: { field: 'custom.tier', op: 'is', value: 'gold' } });
    assert.equal(custom.status, 400);
    assert.equal(custom.body.error.code, 'invalid_filter');
    assert.equal(custom.body.error.details.path, 'filter.field');
    const nested = await query({ filter: { and: [{ field: 'name', op: 'contains', value: 'a' }, { or: [{ field: 'custom.tier', op: 'is_empty' }] }] } });
    assert.equal(nested.body.error.details.path, 'filter.and[1].or[0].field');
    assert.equal((await query({ sort: { field: 'custom.tier', dir: 'asc' } })).body.error.code, 'invalid_filter');
    assert.equal((await query({ filter: { field: 'nope', op: 'is', value: 1 } })).body.error.code, 'invalid_filter');
  });

  it("lists the viewer contacts of every workspace's share links (viewerType)", async () => {
    const [alpha, , gamma] = a.workspaces;
    const g = gate(h);
    const pass = async (slug: string, who: string) => {
      assert.equal((await g.send(slug, who)).status, 202);
      const v = await g.verify(slug, who, capture.last(who)!.code);
      assert.equal(v.status, 201, JSON.stringify(v.body));
      h.clock.advance(31_000);
      return v.body.contactId as string;
    };
    const viewers: Record<string, string> = {};
    for (const [w, who] of [[alpha!, 'viewer-alpha@example.com'], [gamma!, '+447911123456']] as const) {
      // Written through the workspace's own token from the org session.
      const doc = await pdfDocument(h, wsTokens[w.id]!, 1, `${w.name}.pdf`);
      const link = await createLink(h, wsTokens[w.id]!, { documentId: doc, require: 'either', name: `${w.name} deck` });
      viewers[w.name] = await pass(link.slug, who);
    }
    const anyViewer = await query({ filter: { field: 'viewerType', op: 'is', value: 'any' }, sort: { field: 'name', dir: 'asc' } });
    assert.equal(anyViewer.status, 200, JSON.stringify(anyViewer.body));
    assert.deepEqual(anyViewer.body.items.map((r: Row) => [r.workspaceName, r.id]).sort(), [['Alpha', viewers.Alpha], ['Gamma', viewers.Gamma]].sort());
    assert.equal(anyViewer.body.count, 2);
    const email = await query({ filter: { field: 'viewerType', op: 'is', value: 'email' } });
    assert.deepEqual(email.body.items.map((r: Row) => r.id), [viewers.Alpha]);
    const onlyGamma = await query({ filter: { field: 'viewerType', op: 'is', value: 'any' }, workspaceIds: [gamma!.id] });
    assert.deepEqual(onlyGamma.body.items.map((r: Row) => [r.workspaceName, r.id]), [['Gamma', viewers.Gamma]]);
    const lastAccessed = await query({ filter: { field: 'viewerType', op: 'is', value: 'any' }, sort: { field: 'lastAccessedAt', dir: 'desc' } });
    assert.deepEqual(lastAccessed.body.items.map((r: Row) => r.id), [viewers.Gamma, viewers.Alpha]);
  });

  it('workspaceIds narrows to some of the session\'s workspaces, and only those', async () => {
    const [alpha, beta] = a.workspaces;
    const two = await pages({ workspaceIds: [beta!.id, alpha!.id], sort: { field: 'name', dir: 'asc' } }, 5);
    assert.deepEqual(ids(two.rows), ids(await union({ field: 'name', dir: 'asc' }, [alpha!, beta!])));
    const foreign = await query({ workspaceIds: [alpha!.id, b.workspaces[0]!.id] });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.error.code, 'workspace_not_in_session');
    assert.deepEqual(foreign.body.error.details, { workspaceId: b.workspaces[0]!.id });
    assert.equal((await query({ workspaceIds: [] })).status, 400);
  });

  it('an agent restricted to assigned contacts sees only those in that workspace, everything where not restricted', async () => {
    const [alpha, beta] = a.workspaces;
    const res = await h.call('POST', '/api/v1/org-sessions', {
      token: a.orgKey,
      body: { member: { externalId: 'agent-7', name: 'Agent Seven', email: 'seven@agency.example' }, workspaces: [{ workspaceId: alpha!.id, role: 'agent', restrictToAssigned: true }, { workspaceId: beta!.id, role: 'manager' }] },
    });
    assert.equal(res.status, 201);
    const agentId = res.body.memberships[0].memberId;
    const alphaRows = (await union({ field: 'name', dir: 'asc' }, [alpha!])).slice(0, 2);
    for (const row of alphaRows) assert.equal((await h.call('PATCH', `/api/v1/contacts/${row.id}`, { token: alpha!.secretKey, body: { ownerId: agentId } })).status, 200);
    const got = await pages({ sort: { field: 'name', dir: 'asc' } }, 3, res.body.token);
    assert.deepEqual(got.rows.filter((r) => r.workspaceId === alpha!.id).map((r) => r.id).sort(), alphaRows.map((r) => r.id).sort());
    assert.deepEqual(ids(got.rows.filter((r) => r.workspaceId === beta!.id)), ids(await union({ field: 'name', dir: 'asc' }, [beta!])));
    assert.ok(!got.rows.some((r) => r.workspaceId === a.workspaces[2]!.id), 'not in the session: not listed');
    assert.equal(got.count, got.rows.length);
  });

  it("isolation: one organization's session never sees another's contacts", async () => {
    const bRows = (await pages({}, 50, bToken)).rows;
    assert.deepEqual(bRows.map((r) => r.name).sort(), ['Ada Lovelace', 'Bravo Secret']);
    assert.ok(bRows.every((r) => r.workspaceId === b.workspaces[0]!.id));
    const aRows = (await pages({ q: 'bravo' }, 50)).rows;
    assert.deepEqual(aRows, []);
    const aAll = (await pages({}, 200)).rows;
    assert.ok(!aAll.some((r) => bRows.some((x) => x.id === r.id)));
  });

  it("a browser origin reads only the workspaces that allow it, never the session's other clients", async () => {
    const [alpha, beta] = a.workspaces;
    const origin = 'https://alpha-client.example';
    assert.equal((await h.call('POST', `/api/v1/admin/workspaces/${alpha!.id}/origins`, { token: ADMIN_KEY, body: { origin } })).status, 201);
    const from = (o: string, method: string, path: string, body?: unknown) => h.call(method, path, { token: orgToken, body, headers: { origin: o } });
    const listed = await from(origin, 'GET', '/api/v1/org/workspaces');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items.map((w: { workspaceId: string }) => w.workspaceId), [alpha!.id]);
    const page = await from(origin, 'POST', '/api/v1/org/contacts/query', { limit: 200 });
    assert.equal(page.status, 200);
    assert.ok(page.body.items.length > 0);
    assert.ok(page.body.items.every((r: Row) => r.workspaceId === alpha!.id));
    assert.equal(page.body.count, page.body.items.length);
    assert.equal((await from(origin, 'POST', '/api/v1/org/contacts/query', { workspaceIds: [beta!.id] })).body.error.code, 'workspace_not_in_session');
    const nobody = await from('https://nobody.example', 'POST', '/api/v1/org/contacts/query', {});
    assert.equal(nobody.status, 403);
    assert.equal(nobody.body.error.code, 'origin_not_allowed');
    // Server to server (no Origin): every workspace of the session.
    assert.deepEqual((await h.call('GET', '/api/v1/org/workspaces', { token: orgToken })).body.items.length, 3);
    assert.equal((await h.call('DELETE', `/api/v1/admin/workspaces/${alpha!.id}/origins?origin=${encodeURIComponent(origin)}`, { token: ADMIN_KEY })).status, 200);
  });

  it('a workspace moved out of the organization leaves sessions minted before (org token and its membership token), at once', async () => {
    const gamma = a.workspaces[2]!;
    const first = await query({ limit: 5, sort: { field: 'name', dir: 'asc' } });
    assert.ok((await pages({}, 200)).rows.some((r) => r.workspaceId === gamma.id));
    const moved = await h.call('PATCH', `/api/v1/admin/workspaces/${gamma.id}`, { token: ADMIN_KEY, body: { organizationId: b.id } });
    assert.equal(moved.status, 200);
    const workspaces = (await h.call('GET', '/api/v1/org/workspaces', { token: orgToken })).body.items;
    assert.deepEqual(workspaces.map((w: { workspaceName: string }) => w.workspaceName), ['Alpha', 'Beta']);
    const rest = await pages({ sort: { field: 'name', dir: 'asc' } }, 200);
    assert.ok(!rest.rows.some((r) => r.workspaceId === gamma.id));
    assert.equal(rest.count, rest.rows.length);
    // A cursor minted while Gamma was in continues over the workspaces still in.
    const next = await query({ limit: 200, cursor: first.body.nextCursor, sort: { field: 'name', dir: 'asc' } });
    assert.ok(!next.body.items.some((r: Row) => r.workspaceId === gamma.id));
    assert.equal((await query({ workspaceIds: [gamma.id] })).body.error.code, 'workspace_not_in_session');
    // The session's membership token for it ends too: the agency's access went with the workspace.
    assert.equal((await h.call('POST', '/api/v1/contacts/query', { token: wsTokens[gamma.id], body: {} })).status, 401);
    // B's session, minted before the move, does not gain it; a new one of A cannot name it any more.
    assert.ok((await pages({}, 200, bToken)).rows.every((r) => r.workspaceId === b.workspaces[0]!.id));
    assert.equal((await mintOrgSession(h, a.orgKey, [{ workspaceId: gamma.id, role: 'owner' }])).body.error.code, 'workspace_not_in_organization');
    // Deleted workspaces go too.
    assert.equal((await h.call('DELETE', `/api/v1/admin/workspaces/${a.workspaces[1]!.id}`, { token: ADMIN_KEY })).status, 200);
    const left = (await h.call('GET', '/api/v1/org/workspaces', { token: orgToken })).body.items;
    assert.deepEqual(left.map((w: { workspaceName: string }) => w.workspaceName), ['Alpha']);
  });
});

// The org query fans out to up to 100 workspaces: a budget per agency member and minute (the injected clock's).
describe('organization contact query rate limit', () => {
  let h: Harness;
  let a: TestOrg;
  before(async () => {
    h = await harness({ adminKey: ADMIN_KEY, orgQueriesPerMinute: 3 });
    a = await testOrg(h, 'Agency L', ['L one', 'L two']);
  });
  after(() => h.close());

  const all = () => a.workspaces.map((w) => ({ workspaceId: w.id, role: 'agent' }));
  const query = (token: string) => h.call('POST', '/api/v1/org/contacts/query', { token, body: { limit: 10 } });

  it('answers 429 rate_limited with Retry-After once an agency member spent its minute, across its sessions', async () => {
    h.clock.t = Date.UTC(2030, 0, 1, 9, 0, 10); // 50 s before the next minute
    const token = (await mintOrgSession(h, a.orgKey, all())).body.token as string;
    for (let i = 0; i < 3; i++) assert.equal((await query(token)).status, 200);
    const refused = await query(token);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.deepEqual(refused.body.error.details, { retryAfterSeconds: 50 });
    assert.equal(refused.headers.get('retry-after'), '50');
    // A new session for the same member shares the budget; another member has its own.
    assert.equal((await query((await mintOrgSession(h, a.orgKey, all())).body.token)).status, 429);
    const other = await mintOrgSession(h, a.orgKey, all(), { member: { externalId: 'agency-user-2', name: 'Bo', email: 'bo@agency.example' } });
    assert.equal((await query(other.body.token)).status, 200);
    // The other org routes are not counted.
    assert.equal((await h.call('GET', '/api/v1/org/workspaces', { token })).status, 200);

    h.clock.advance(50_000);
    assert.equal((await query(token)).status, 200, 'the next minute has a fresh budget');
  });
});
