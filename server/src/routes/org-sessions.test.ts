import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../testing.js';
import { ADMIN_KEY, mintOrgSession, testOrg, type TestOrg } from './org-testing.js';

// Organization keys (admin API) and organization sessions: who may mint them, for which workspaces, and which routes
// take which credential.
describe('organization keys and sessions', () => {
  let h: Harness;
  let a: TestOrg;
  let b: TestOrg;
  before(async () => {
    h = await harness({ adminKey: ADMIN_KEY });
    a = await testOrg(h, 'Agency A', ['A one', 'A two']);
    b = await testOrg(h, 'Agency B', ['B one']);
  });
  after(() => h.close());

  const all = (org: TestOrg, role = 'owner') => org.workspaces.map((w) => ({ workspaceId: w.id, role }));

  it('an organization key is shown once, listed by prefix only, audited, and stops minting when revoked', async () => {
    const created = await h.call('POST', `/api/v1/admin/organizations/${a.id}/keys`, { token: ADMIN_KEY, body: {} });
    assert.equal(created.status, 201);
    const { key, secretKey } = created.body;
    assert.match(secretKey, /^dok_/);
    assert.equal(key.prefix, secretKey.slice(0, 12));
    assert.equal(key.organizationId, a.id);
    assert.equal(key.name, 'Organization key');

    const list = await h.call('GET', `/api/v1/admin/organizations/${a.id}/keys`, { token: ADMIN_KEY });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((k: { id: string }) => k.id).includes(key.id), true);
    assert.ok(!JSON.stringify(list.body).includes(secretKey.slice(12)), 'the list never carries the secret');
    assert.ok(!JSON.stringify(list.body).includes('secret'), 'nor a secret field');

    assert.equal((await mintOrgSession(h, secretKey, all(a))).status, 201);
    const seen = (await h.call('GET', `/api/v1/admin/organizations/${a.id}/keys`, { token: ADMIN_KEY })).body.items.find((k: { id: string }) => k.id === key.id);
    assert.equal(seen.lastUsedAt, h.clock.now());

    h.clock.advance(1000); // audit entries sort by time
    const revoked = await h.call('DELETE', `/api/v1/admin/organizations/${a.id}/keys/${key.id}`, { token: ADMIN_KEY });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.revokedAt, h.clock.now());
    const refused = await mintOrgSession(h, secretKey, all(a));
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'unauthorized');
    // The other key of the organization still works; another organization's key id is not found under this one.
    assert.equal((await mintOrgSession(h, a.orgKey, all(a))).status, 201);
    assert.equal((await h.call('DELETE', `/api/v1/admin/organizations/${b.id}/keys/${key.id}`, { token: ADMIN_KEY })).status, 404);
    assert.equal((await h.call('GET', '/api/v1/admin/organizations/org_nope/keys', { token: ADMIN_KEY })).status, 404);

    const audit = (await h.call('GET', `/api/v1/admin/audit?targetId=${key.id}`, { token: ADMIN_KEY })).body.items;
    assert.deepEqual(audit.map((e: { action: string }) => e.action), ['org_key.revoked', 'org_key.created']);
    assert.equal(audit[1].targetType, 'org_key');
    assert.ok(!JSON.stringify(audit).includes(secretKey.slice(12)));
    // Only the operator manages them.
    assert.equal((await h.call('POST', `/api/v1/admin/organizations/${a.id}/keys`, { token: a.orgKey, body: {} })).status, 401);
    assert.equal((await h.call('POST', `/api/v1/admin/organizations/${a.id}/keys`, { token: a.workspaces[0]!.secretKey, body: {} })).status, 403);
  });

  it('an organization deleted takes its keys with it', async () => {
    const c = await testOrg(h, 'Agency C', []);
    assert.equal((await mintOrgSession(h, c.orgKey, all(a))).body.error.code, 'workspace_not_in_organization');
    assert.equal((await h.call('DELETE', `/api/v1/admin/organizations/${c.id}`, { token: ADMIN_KEY })).status, 200);
    assert.equal((await mintOrgSession(h, c.orgKey, all(a))).status, 401);
    assert.equal((await h.call('GET', `/api/v1/admin/organizations/${c.id}/keys`, { token: ADMIN_KEY })).status, 404);
  });

  it("mints an org session for the organization's workspaces only, with the role given for each", async () => {
    const foreign = await mintOrgSession(h, a.orgKey, [...all(a), { workspaceId: b.workspaces[0]!.id, role: 'owner' }]);
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.error.code, 'workspace_not_in_organization');
    assert.match(foreign.body.error.message, new RegExp(b.workspaces[0]!.id));
    assert.deepEqual(foreign.body.error.details, { workspaceId: b.workspaces[0]!.id });
    assert.equal((await mintOrgSession(h, a.orgKey, [{ workspaceId: 'ws_unknown', role: 'owner' }])).body.error.code, 'workspace_not_in_organization');
    assert.equal((await mintOrgSession(h, a.orgKey, [...all(a), ...all(a)])).status, 400);
    assert.equal((await mintOrgSession(h, a.orgKey, [])).status, 400);
    assert.equal((await mintOrgSession(h, a.orgKey, all(a), { ttlSeconds: 10 })).status, 400);

    const [one, two] = a.workspaces;
    const res = await mintOrgSession(h, a.orgKey, [{ workspaceId: one!.id, role: 'owner' }, { workspaceId: two!.id, role: 'agent' }], { ttlSeconds: 600 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.organizationId, a.id);
    assert.equal(res.body.expiresAt, h.clock.now() + 600_000);
    assert.deepEqual(res.body.memberships.map((m: { workspaceId: string; workspaceName: string; role: string }) => [m.workspaceId, m.workspaceName, m.role]), [[one!.id, 'A one', 'owner'], [two!.id, 'A two', 'agent']]);
    const [mOne, mTwo] = res.body.memberships;

    // Each membership token is an ordinary workspace session token for that member.
    const me = await h.call('GET', '/api/v1/me', { token: mTwo.token });
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.member?.id ?? me.body.id, mTwo.memberId);
    const created = await h.call('POST', '/api/v1/contacts', { token: mOne.token, body: { firstName: 'Written', lastName: 'In one' } });
    assert.equal(created.status, 201);
    // It lives in workspace one: its owner reads it, the other workspace's token does not find it.
    assert.equal((await h.call('GET', `/api/v1/contacts/${created.body.id}`, { token: one!.secretKey })).status, 200);
    assert.equal((await h.call('GET', `/api/v1/contacts/${created.body.id}`, { token: mTwo.token })).status, 404);
    assert.equal((await h.call('PATCH', `/api/v1/contacts/${created.body.id}`, { token: mTwo.token, body: { firstName: 'Hijacked' } })).status, 404);
    // The agent role applies in workspace two.
    const inTwo = await h.call('POST', '/api/v1/contacts', { token: mTwo.token, body: { firstName: 'Agent made' } });
    assert.equal(inTwo.status, 201);
    assert.equal((await h.call('DELETE', `/api/v1/contacts/${inTwo.body.id}`, { token: mTwo.token })).status, 403);
    assert.equal((await h.call('DELETE', `/api/v1/contacts/${created.body.id}`, { token: mOne.token })).status, 200);

    const workspaces = await h.call('GET', '/api/v1/org/workspaces', { token: res.body.token });
    assert.equal(workspaces.status, 200);
    assert.deepEqual(workspaces.body, {
      organizationId: a.id,
      items: [
        { workspaceId: one!.id, workspaceName: 'A one', memberId: mOne.memberId, role: 'owner', restrictToAssigned: false },
        { workspaceId: two!.id, workspaceName: 'A two', memberId: mTwo.memberId, role: 'agent', restrictToAssigned: false },
      ],
    });
    // Minting again updates the same members (by externalId), with the new roles.
    const again = await mintOrgSession(h, a.orgKey, [{ workspaceId: two!.id, role: 'manager', restrictToAssigned: true }]);
    assert.equal(again.body.memberships[0].memberId, mTwo.memberId);
    const now = (await h.call('GET', '/api/v1/org/workspaces', { token: again.body.token })).body.items;
    assert.deepEqual(now.map((w: { role: string; restrictToAssigned: boolean }) => [w.role, w.restrictToAssigned]), [['manager', true]]);
  });

  it('each route takes its own credential: keys and tokens of the other kind are refused', async () => {
    const ws = a.workspaces[0]!;
    const wsToken = (await h.call('POST', '/api/v1/sessions', { token: ws.secretKey, body: { member: { externalId: 'plain', name: 'P', email: 'p@example.com', role: 'owner' } } })).body.token;
    const org = (await mintOrgSession(h, a.orgKey, all(a))).body.token;
    const code = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await h.call(method, path, { token, body });
      return `${res.status} ${res.body?.error?.code ?? ''}`.trim();
    };
    const mintBody = { member: { externalId: 'x', name: 'X', email: 'x@example.com' }, workspaces: all(a) };
    // Minting: the organization key only.
    assert.equal(await code('POST', '/api/v1/org-sessions', undefined, mintBody), '401 unauthorized');
    assert.equal(await code('POST', '/api/v1/org-sessions', ws.secretKey, mintBody), '403 org_key_required');
    assert.equal(await code('POST', '/api/v1/org-sessions', ADMIN_KEY, mintBody), '403 org_key_required');
    assert.equal(await code('POST', '/api/v1/org-sessions', wsToken, mintBody), '401 unauthorized');
    assert.equal(await code('POST', '/api/v1/org-sessions', org, mintBody), '401 unauthorized');
    assert.equal(await code('POST', '/api/v1/org-sessions', 'dok_not-a-key', mintBody), '401 unauthorized');
    // Org routes: the organization session token only.
    for (const [method, path, body] of [['GET', '/api/v1/org/workspaces'], ['POST', '/api/v1/org/contacts/query', {}]] as const) {
      assert.equal(await code(method, path, undefined, body), '401 unauthorized');
      assert.equal(await code(method, path, ws.secretKey, body), '403 org_session_required');
      assert.equal(await code(method, path, a.orgKey, body), '403 org_session_required');
      assert.equal(await code(method, path, wsToken, body), '401 unauthorized');
      assert.equal(await code(method, path, org, body), '200');
    }
    // Workspace routes: never the organization's credentials.
    assert.equal(await code('POST', '/api/v1/contacts/query', org, {}), '401 unauthorized');
    assert.equal(await code('POST', '/api/v1/contacts', org, { firstName: 'No' }), '401 unauthorized');
    assert.equal(await code('POST', '/api/v1/contacts/query', a.orgKey, {}), '401 unauthorized');
    assert.equal(await code('POST', '/api/v1/sessions', a.orgKey, { member: { ...mintBody.member, role: 'owner' } }), '401 unauthorized');
    assert.equal(await code('GET', '/api/v1/admin/workspaces', a.orgKey), '401 unauthorized');
    assert.equal(await code('GET', '/api/v1/admin/workspaces', org), '401 unauthorized');
  });

  const ordinary = async (ws: { secretKey: string }, externalId: string, role = 'owner') => {
    const res = await h.call('POST', '/api/v1/sessions', { token: ws.secretKey, body: { member: { externalId, name: 'Own', email: `${externalId}@client.example`, role } } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { token: string; memberId: string };
  };
  const status = async (method: string, path: string, token: string, body?: unknown) => (await h.call(method, path, { token, body })).status;

  it("a workspace moved out of the organization ends the session's membership token for it at once", async () => {
    const d = await testOrg(h, 'Agency D', ['D one', 'D two']);
    const [one, two] = d.workspaces;
    const own = await ordinary(one!, 'client-owner');
    const res = await mintOrgSession(h, d.orgKey, all(d));
    const [mOne, mTwo] = res.body.memberships;
    // Verified and cached first, so the move must drop the cached caller.
    assert.equal(await status('GET', '/api/v1/me', mOne.token), 200);
    assert.equal(await status('POST', '/api/v1/contacts/query', mOne.token, {}), 200);
    assert.equal((await h.call('PATCH', `/api/v1/admin/workspaces/${one!.id}`, { token: ADMIN_KEY, body: { organizationId: null } })).status, 200);
    const me = await h.call('GET', '/api/v1/me', { token: mOne.token });
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, 'unauthorized');
    assert.match(me.body.error.message, /no longer part of the organization/);
    assert.equal(await status('POST', '/api/v1/contacts/query', mOne.token, {}), 401);
    // The org token loses it too; the other workspace and the workspace's own session are untouched.
    assert.deepEqual((await h.call('GET', '/api/v1/org/workspaces', { token: res.body.token })).body.items.map((w: { workspaceId: string }) => w.workspaceId), [two!.id]);
    assert.equal(await status('GET', '/api/v1/me', mTwo.token), 200);
    assert.equal(await status('GET', '/api/v1/me', own.token), 200);
    assert.equal(await status('POST', '/api/v1/contacts/query', own.token, {}), 200);
    // Moved into another organization, it stays refused (the token names the one that granted it).
    assert.equal((await h.call('PATCH', `/api/v1/admin/workspaces/${one!.id}`, { token: ADMIN_KEY, body: { organizationId: b.id } })).status, 200);
    assert.equal(await status('GET', '/api/v1/me', mOne.token), 401);
  });

  it('revoking an organization key ends the sessions it minted at once, and only those', async () => {
    const e = await testOrg(h, 'Agency E', ['E one', 'E two']);
    const other = (await h.call('POST', `/api/v1/admin/organizations/${e.id}/keys`, { token: ADMIN_KEY, body: { name: 'second' } })).body;
    const own = await ordinary(e.workspaces[0]!, 'client-owner');
    const doomed = (await mintOrgSession(h, e.orgKey, all(e))).body;
    const kept = (await mintOrgSession(h, other.secretKey, all(e))).body;
    for (const m of [...doomed.memberships, ...kept.memberships]) assert.equal(await status('GET', '/api/v1/me', m.token), 200);
    assert.equal(await status('GET', '/api/v1/org/workspaces', doomed.token), 200);
    const keyId = (await h.call('GET', `/api/v1/admin/organizations/${e.id}/keys`, { token: ADMIN_KEY })).body.items.find((k: { name: string }) => k.name === 'backend').id;
    assert.equal((await h.call('DELETE', `/api/v1/admin/organizations/${e.id}/keys/${keyId}`, { token: ADMIN_KEY })).status, 200);
    for (const m of doomed.memberships) {
      const me = await h.call('GET', '/api/v1/me', { token: m.token });
      assert.equal(me.status, 401);
      assert.match(me.body.error.message, /revoked/);
      assert.equal(await status('POST', '/api/v1/contacts/query', m.token, {}), 401);
    }
    const org = await h.call('GET', '/api/v1/org/workspaces', { token: doomed.token });
    assert.equal(org.status, 401);
    assert.match(org.body.error.message, /revoked/);
    assert.equal(await status('POST', '/api/v1/org/contacts/query', doomed.token, {}), 401);
    // The other key's session and the workspace's own session go on.
    for (const m of kept.memberships) assert.equal(await status('GET', '/api/v1/me', m.token), 200);
    assert.equal(await status('GET', '/api/v1/org/workspaces', kept.token), 200);
    assert.equal(await status('GET', '/api/v1/me', own.token), 200);
  });

  it('rotates an organization key: the old one mints sessions during its grace period only, audited', async () => {
    const g = await testOrg(h, 'Agency G', ['G one']);
    const keys = () => h.call('GET', `/api/v1/admin/organizations/${g.id}/keys`, { token: ADMIN_KEY });
    const oldId = (await keys()).body.items[0].id as string;
    const rotate = (orgId: string, keyId: string, body: Record<string, unknown> = {}, token = ADMIN_KEY) =>
      h.call('POST', `/api/v1/admin/organizations/${orgId}/keys/${keyId}/rotate`, { token, body });

    const rotated = await rotate(g.id, oldId, { graceSeconds: 1800 });
    assert.equal(rotated.status, 201);
    assert.match(rotated.body.secretKey, /^dok_/);
    assert.deepEqual([rotated.body.key.name, rotated.body.key.status, rotated.body.key.expiresAt], ['backend', 'active', null]);
    assert.deepEqual([rotated.body.previous.id, rotated.body.previous.status, rotated.body.previous.expiresAt], [oldId, 'expiring', h.clock.now() + 1_800_000]);
    assert.deepEqual((await keys()).body.items.map((k: { status: string }) => k.status), ['expiring', 'active']);

    const inGrace = await mintOrgSession(h, g.orgKey, all(g));
    assert.equal(inGrace.status, 201, 'the old key works during its grace period');
    assert.equal((await mintOrgSession(h, rotated.body.secretKey, all(g))).status, 201);
    // Rotating again never lengthens the grace period.
    assert.equal((await rotate(g.id, oldId, { graceSeconds: 7200 })).body.previous.expiresAt, h.clock.now() + 1_800_000);

    h.clock.advance(1_800_001);
    const refused = await mintOrgSession(h, g.orgKey, all(g));
    assert.equal(refused.status, 401, 'and stops after it');
    assert.equal(refused.body.error.code, 'unauthorized');
    assert.equal((await mintOrgSession(h, rotated.body.secretKey, all(g))).status, 201);
    assert.equal((await keys()).body.items[0].status, 'expired');
    // A session the old key minted in its grace period runs to its own end; revoking the key ends it.
    assert.equal(await status('GET', '/api/v1/org/workspaces', inGrace.body.token), 200);
    assert.equal(await status('GET', '/api/v1/me', inGrace.body.memberships[0].token), 200);

    const expired = await rotate(g.id, oldId);
    assert.equal(expired.status, 404, 'an expired key cannot be rotated');
    assert.equal(expired.body.error.code, 'not_found');
    assert.equal((await h.call('DELETE', `/api/v1/admin/organizations/${g.id}/keys/${oldId}`, { token: ADMIN_KEY })).body.status, 'revoked');
    assert.equal(await status('GET', '/api/v1/org/workspaces', inGrace.body.token), 401);
    assert.equal((await rotate(g.id, oldId)).status, 404, 'nor a revoked one');
    assert.equal((await rotate(a.id, rotated.body.key.id)).status, 404, "another organization's key is not found under this one");
    assert.equal((await rotate('org_nope', rotated.body.key.id)).status, 404);
    assert.equal((await rotate(g.id, rotated.body.key.id, { graceSeconds: -1 })).status, 400);
    assert.equal((await rotate(g.id, rotated.body.key.id, { graceSeconds: 31 * 86_400 })).status, 400);
    // Only the operator rotates: an organization key, a workspace key and no key at all are refused.
    assert.equal((await rotate(g.id, rotated.body.key.id, {}, rotated.body.secretKey)).status, 401);
    assert.equal((await rotate(g.id, rotated.body.key.id, {}, g.workspaces[0]!.secretKey)).status, 403);
    assert.equal((await h.call('POST', `/api/v1/admin/organizations/${g.id}/keys/${rotated.body.key.id}/rotate`, { body: {} })).status, 401);

    const audit = (await h.call('GET', `/api/v1/admin/audit?targetId=${oldId}`, { token: ADMIN_KEY })).body.items;
    const entry = audit.find((e: { action: string; details: { newKeyId?: string } }) => e.action === 'org_key.rotated' && e.details.newKeyId === rotated.body.key.id);
    assert.deepEqual(entry.details, { organizationId: g.id, newKeyId: rotated.body.key.id, prefix: rotated.body.key.prefix, previousExpiresAt: rotated.body.previous.expiresAt });
    assert.equal(entry.targetType, 'org_key');
    assert.ok(!JSON.stringify(audit).includes(rotated.body.secretKey.slice(12)), 'never the key');
  });

  it("an org session's externalId never takes over a member of the workspace's own backend", async () => {
    const f = await testOrg(h, 'Agency F', ['F one']);
    const ws = f.workspaces[0]!;
    const own = await ordinary(ws, 'u1');
    const res = await mintOrgSession(h, f.orgKey, [{ workspaceId: ws.id, role: 'agent' }], { member: { externalId: 'u1', name: 'Mallory', email: 'm@agency.example' } });
    assert.equal(res.status, 201);
    const agency = res.body.memberships[0];
    assert.notEqual(agency.memberId, own.memberId);
    const me = (await h.call('GET', '/api/v1/me', { token: own.token })).body;
    assert.equal(me.member.id, own.memberId);
    assert.equal(me.member.role, 'owner');
    assert.equal((await h.call('GET', '/api/v1/me', { token: agency.token })).body.member.role, 'agent');
    // The namespace is reserved: the workspace's backend cannot mint into it either.
    const reserved = await h.call('POST', '/api/v1/sessions', { token: ws.secretKey, body: { member: { externalId: `org:${f.id}:u1`, name: 'X', email: 'x@client.example', role: 'owner' } } });
    assert.equal(reserved.status, 400);
    assert.equal(reserved.body.error.code, 'validation_failed');
  });

  it('minting is all or nothing: a refused workspace leaves no member behind in the others', async () => {
    const g = await testOrg(h, 'Agency G', ['G one']);
    const ws = g.workspaces[0]!;
    const refused = await mintOrgSession(h, g.orgKey, [{ workspaceId: ws.id, role: 'owner' }, { workspaceId: b.workspaces[0]!.id, role: 'owner' }], { member: { externalId: 'nobody', name: 'Nobody', email: 'n@agency.example' } });
    assert.equal(refused.body.error.code, 'workspace_not_in_organization');
    const members = (await h.call('GET', '/api/v1/members', { token: ws.secretKey })).body.items;
    assert.ok(!members.some((m: { name: string }) => m.name === 'Nobody'));
  });

  it('an org session expires with its ttl; origins must be allowed by one of its workspaces', async () => {
    const res = await mintOrgSession(h, a.orgKey, all(a), { ttlSeconds: 60 });
    const origin = async (o: string) => (await h.call('GET', '/api/v1/org/workspaces', { token: res.body.token, headers: { origin: o } })).status;
    assert.equal(await origin('https://nobody.example'), 403);
    await h.call('POST', `/api/v1/admin/workspaces/${a.workspaces[1]!.id}/origins`, { token: ADMIN_KEY, body: { origin: 'https://agency.example' } });
    assert.equal(await origin('https://agency.example'), 200);
    h.clock.advance(61_000);
    const expired = await h.call('GET', '/api/v1/org/workspaces', { token: res.body.token });
    assert.equal(expired.status, 401);
    assert.match(expired.body.error.message, /expired/);
  });
});
