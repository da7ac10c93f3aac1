import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { createAdminKey, revokeAdminKey } from '../domain/admin-keys.js';
import { purgeDeletedWorkspaces } from '../domain/workspaces.js';
import { harness, type Harness } from '../testing.js';

const ENV_KEY = 'dak_env-operator-key-for-tests-0123456789';

describe('admin API', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await harness({ adminKey: ENV_KEY });
    admin = (await createAdminKey(h.opened.db, 'ops', h.clock.now())).secret;
  });
  after(() => h.close());

  const session = (secretKey: string, externalId = 'u1') =>
    h.call('POST', '/api/v1/sessions', { token: secretKey, body: { member: { externalId, name: 'U', email: 'u@example.com', role: 'owner' } } });
  const preflight = (origin: string) =>
    h.app.request('/api/v1/contacts', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });

  it('takes only an operator key: the env key or one made by the CLI; workspace keys and widget tokens are refused', async () => {
    const ws = await h.workspace();
    const { token } = await ws.token('owner');
    assert.equal((await h.call('GET', '/api/v1/admin/workspaces')).status, 401);
    const withSecret = await h.call('GET', '/api/v1/admin/workspaces', { token: ws.secretKey });
    assert.equal(withSecret.status, 403);
    assert.equal(withSecret.body.error.code, 'admin_key_required');
    assert.equal((await h.call('GET', '/api/v1/admin/workspaces', { token })).status, 401);
    assert.equal((await h.call('GET', '/api/v1/admin/workspaces', { token: 'dak_nope' })).status, 401);
    assert.equal((await h.call('GET', '/api/v1/admin/workspaces', { token: ENV_KEY })).status, 200);
    assert.equal((await h.call('GET', '/api/v1/admin/workspaces', { token: admin })).status, 200);

    const other = await createAdminKey(h.opened.db, 'temp', h.clock.now());
    assert.equal((await h.call('GET', '/api/v1/admin/workspaces', { token: other.secret })).status, 200);
    await revokeAdminKey(h.opened.db, other.key.id, h.clock.now());
    assert.equal((await h.call('GET', '/api/v1/admin/workspaces', { token: other.secret })).status, 401);
  });

  it('creates, reads, lists, updates and validates workspaces; the new secret key mints sessions', async () => {
    const created = await h.call('POST', '/api/v1/admin/workspaces', {
      token: admin,
      body: { name: 'Acme', origins: ['https://app.acme.test'], defaultRegion: 'DE', restoreDays: 14 },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.secretKey, /^dsk_/);
    const ws = created.body.workspace;
    assert.deepEqual({ name: ws.name, origins: ws.origins, region: ws.defaultRegion, days: ws.restoreDays }, { name: 'Acme', origins: ['https://app.acme.test'], region: 'DE', days: 14 });
    assert.equal((await session(created.body.secretKey)).status, 201);

    assert.equal((await h.call('GET', `/api/v1/admin/workspaces/${ws.id}`, { token: admin })).body.name, 'Acme');
    const patched = await h.call('PATCH', `/api/v1/admin/workspaces/${ws.id}`, { token: admin, body: { name: 'Acme GmbH', restoreDays: 30 } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'Acme GmbH');
    assert.equal(patched.body.restoreDays, 30);

    const bad = await h.call('POST', '/api/v1/admin/workspaces', { token: admin, body: { name: '', origins: ['https://x.test/path'], defaultRegion: 'XX', restoreDays: 0 } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.map((d: { path: string }) => d.path).sort(), ['defaultRegion', 'name', 'origins[0]', 'restoreDays']);
    assert.equal((await h.call('PATCH', `/api/v1/admin/workspaces/${ws.id}`, { token: admin, body: {} })).status, 400);
    assert.equal((await h.call('GET', '/api/v1/admin/workspaces/ws_missing', { token: admin })).status, 404);

    // Keyset pages over every workspace.
    for (let i = 0; i < 3; i++) await h.call('POST', '/api/v1/admin/workspaces', { token: admin, body: { name: `W${i}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.call('GET', `/api/v1/admin/workspaces?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      seen.push(...res.body.items.map((w) => w.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.includes(ws.id));
  });

  it('adds and removes allowed origins, and CORS follows at once', async () => {
    const created = await h.call('POST', '/api/v1/admin/workspaces', { token: admin, body: { name: 'Origins' } });
    const ws = created.body.workspace;
    const { body } = await session(created.body.secretKey);
    const origin = 'https://fresh-host.test';
    assert.equal((await preflight(origin)).status, 403); // also fills the origins cache

    const added = await h.call('POST', `/api/v1/admin/workspaces/${ws.id}/origins`, { token: admin, body: { origin } });
    assert.equal(added.status, 201);
    assert.deepEqual(added.body.origins, [origin]);
    assert.equal((await h.call('POST', `/api/v1/admin/workspaces/${ws.id}/origins`, { token: admin, body: { origin } })).status, 200);
    assert.equal((await preflight(origin)).status, 204);
    assert.equal((await h.call('GET', '/api/v1/me', { token: body.token, headers: { origin } })).status, 200);

    const removed = await h.call('DELETE', `/api/v1/admin/workspaces/${ws.id}/origins?origin=${encodeURIComponent(origin)}`, { token: admin });
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.origins, []);
    assert.equal((await preflight(origin)).status, 403);
    const refused = await h.call('GET', '/api/v1/me', { token: body.token, headers: { origin } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'origin_not_allowed');
    assert.equal((await h.call('DELETE', `/api/v1/admin/workspaces/${ws.id}/origins?origin=${encodeURIComponent(origin)}`, { token: admin })).status, 404);
    assert.equal((await h.call('POST', `/api/v1/admin/workspaces/${ws.id}/origins`, { token: admin, body: { origin: 'not an origin' } })).status, 400);
  });

  it('creates, lists (prefix only), rotates with a grace period and revokes secret keys', async () => {
    const created = await h.call('POST', '/api/v1/admin/workspaces', { token: admin, body: { name: 'Keys' } });
    const ws = created.body.workspace;
    const first = created.body.secretKey as string;

    assert.equal((await session(first)).status, 201);
    const second = await h.call('POST', `/api/v1/admin/workspaces/${ws.id}/keys`, { token: admin, body: { name: 'CI' } });
    assert.equal(second.status, 201);
    assert.equal((await session(second.body.secretKey)).status, 201);

    const list = await h.call('GET', `/api/v1/admin/workspaces/${ws.id}/keys`, { token: admin });
    assert.equal(list.body.items.length, 2);
    assert.deepEqual(list.body.items.map((k: { prefix: string }) => k.prefix), [first.slice(0, 12), second.body.secretKey.slice(0, 12)]);
    const raw = JSON.stringify(list.body);
    assert.ok(!raw.includes(first) && !raw.includes(second.body.secretKey) && !raw.includes('hash'), 'no secret or hash in the list');
    const firstId = list.body.items[0].id as string;
    assert.ok(list.body.items.every((k: { lastUsedAt: number | null }) => k.lastUsedAt !== null), 'both keys were used');

    const rotated = await h.call('POST', `/api/v1/admin/workspaces/${ws.id}/keys/${firstId}/rotate`, { token: admin, body: { graceSeconds: 3600 } });
    assert.equal(rotated.status, 201);
    assert.equal(rotated.body.previous.status, 'expiring');
    assert.equal(rotated.body.previous.expiresAt, h.clock.now() + 3_600_000);
    assert.equal((await session(first)).status, 201, 'the old key works during its grace period');
    assert.equal((await session(rotated.body.secretKey)).status, 201);
    h.clock.advance(3_600_001);
    assert.equal((await session(first)).status, 401, 'and stops after it');
    assert.equal((await session(rotated.body.secretKey)).status, 201);
    assert.equal((await h.call('POST', `/api/v1/admin/workspaces/${ws.id}/keys/${firstId}/rotate`, { token: admin, body: {} })).status, 404, 'an expired key cannot be rotated');

    const revoked = await h.call('DELETE', `/api/v1/admin/workspaces/${ws.id}/keys/${second.body.key.id}`, { token: admin });
    assert.equal(revoked.body.status, 'revoked');
    assert.equal((await session(second.body.secretKey)).status, 401);
    // Another workspace's key id is not found through this workspace.
    const other = await h.workspace();
    assert.equal((await h.call('DELETE', `/api/v1/admin/workspaces/${other.id}/keys/${rotated.body.key.id}`, { token: admin })).status, 404);
  });

  it('deletes a workspace: its keys and tokens stop at once, and the purge removes its rows from every table', async () => {
    const keep = await h.workspace();
    const keepOwner = (await keep.token('owner')).token;
    const created = await h.call('POST', '/api/v1/admin/workspaces', { token: admin, body: { name: 'Doomed' } });
    const id = created.body.workspace.id as string;
    const owner = (await session(created.body.secretKey)).body.token as string;
    for (const [token, name] of [[owner, 'Gone'], [keepOwner, 'Kept']] as const) {
      const res = await h.call('POST', '/api/v1/contacts', { token, body: { firstName: name, emails: [{ value: `${name}@example.com` }], tags: ['t'] } });
      assert.equal(res.status, 201);
      await h.call('POST', '/api/v1/views', { token, body: { name: 'Mine', filter: [], columns: ['name'], sort: { field: 'createdAt', dir: 'desc' }, shared: false } });
    }

    assert.equal((await h.call('DELETE', `/api/v1/admin/workspaces/${id}`, { token: admin })).status, 200);
    assert.equal((await h.call('GET', '/api/v1/me', { token: owner })).status, 401);
    assert.equal((await session(created.body.secretKey)).status, 401);
    assert.equal((await h.call('GET', `/api/v1/admin/workspaces/${id}`, { token: admin })).status, 404);

    assert.equal(await purgeDeletedWorkspaces(h.opened.db, { batch: 1 }), 1);
    const tables = (await h.opened.db.introspection.getTables()).filter((t) => !t.isView && t.columns.some((c) => c.name === 'workspace_id'));
    const db = h.opened.db as unknown as Kysely<any>;
    const countOf = async (table: string, column: string) =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where(column, '=', id).executeTakeFirstOrThrow()).n);
    for (const t of tables) assert.equal(await countOf(t.name, 'workspace_id'), 0, `${t.name} still holds rows of the deleted workspace`);
    assert.equal(await countOf('workspaces', 'id'), 0);
    const kept = await h.call('POST', '/api/v1/contacts/query', { token: keepOwner, body: {} });
    assert.equal(kept.status, 200);
    assert.deepEqual(kept.body.items.map((c: { name: string }) => c.name), ['Kept']);
  });

  it('manages organizations and the workspaces they own', async () => {
    const org = await h.call('POST', '/api/v1/admin/organizations', { token: admin, body: { name: 'Agency' } });
    assert.equal(org.status, 201);
    const orgId = org.body.id as string;
    const a = await h.call('POST', '/api/v1/admin/workspaces', { token: admin, body: { name: 'Client A', organizationId: orgId } });
    assert.equal(a.body.workspace.organizationId, orgId);
    const b = await h.call('POST', '/api/v1/admin/workspaces', { token: admin, body: { name: 'Client B' } });
    await h.call('PATCH', `/api/v1/admin/workspaces/${b.body.workspace.id}`, { token: admin, body: { organizationId: orgId } });
    assert.equal((await h.call('POST', '/api/v1/admin/workspaces', { token: admin, body: { name: 'X', organizationId: 'org_missing' } })).status, 404);

    const owned = await h.call('GET', `/api/v1/admin/workspaces?organizationId=${orgId}`, { token: admin });
    assert.deepEqual(owned.body.items.map((w: { name: string }) => w.name), ['Client A', 'Client B']);
    assert.equal((await h.call('GET', `/api/v1/admin/organizations/${orgId}`, { token: admin })).body.workspaces, 2);
    assert.equal((await h.call('PATCH', `/api/v1/admin/organizations/${orgId}`, { token: admin, body: { name: 'Agency Ltd' } })).body.name, 'Agency Ltd');
    const listed = await h.call('GET', '/api/v1/admin/organizations?limit=10', { token: admin });
    assert.deepEqual(listed.body.items.map((o: { id: string; name: string; workspaces: number }) => [o.id, o.name, o.workspaces]), [[orgId, 'Agency Ltd', 2]]);
    assert.equal(listed.body.nextCursor, null);

    const refused = await h.call('DELETE', `/api/v1/admin/organizations/${orgId}`, { token: admin });
    assert.equal(refused.status, 409);
    await h.call('PATCH', `/api/v1/admin/workspaces/${a.body.workspace.id}`, { token: admin, body: { organizationId: null } });
    await h.call('DELETE', `/api/v1/admin/workspaces/${b.body.workspace.id}`, { token: admin });
    assert.equal((await h.call('DELETE', `/api/v1/admin/organizations/${orgId}`, { token: admin })).status, 200);
    assert.equal((await h.call('GET', `/api/v1/admin/organizations/${orgId}`, { token: admin })).status, 404);
  });

  it('audits every change with the operator key, and never a secret', async () => {
    const created = await h.call('POST', '/api/v1/admin/workspaces', { token: ENV_KEY, body: { name: 'Audited' } });
    const id = created.body.workspace.id as string;
    h.clock.advance(1000);
    await h.call('PATCH', `/api/v1/admin/workspaces/${id}`, { token: admin, body: { name: 'Audited 2' } });
    h.clock.advance(1000);
    const rotated = await h.call('POST', `/api/v1/admin/workspaces/${id}/keys/${created.body.keyId}/rotate`, { token: admin, body: { graceSeconds: 0 } });
    const log = await h.call('GET', `/api/v1/admin/audit?limit=50`, { token: admin });
    const mine = log.body.items.filter((e: { targetId: string; details: { workspaceId?: string } }) => e.targetId === id || e.details.workspaceId === id);
    assert.deepEqual(
      mine.map((e: { action: string; keyId: string }) => [e.action, e.keyId === 'env' ? 'env' : 'key']),
      [
        ['api_key.rotated', 'key'],
        ['workspace.updated', 'key'],
        ['workspace.created', 'env'],
      ],
    );
    assert.deepEqual(mine[1].details, { name: { from: 'Audited', to: 'Audited 2' } });
    const raw = JSON.stringify(log.body);
    assert.ok(!raw.includes(created.body.secretKey) && !raw.includes(rotated.body.secretKey), 'no secret key in the audit');
  });
});
