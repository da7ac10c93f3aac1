import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

describe('webhook endpoints API', () => {
  let h: Harness;
  let ws: TestWorkspace;
  const call = (method: string, path: string, body?: unknown, token = ws.secretKey) => h.call(method, `/api/v1/webhook-endpoints${path}`, { token, body });

  before(async () => {
    h = await harness();
    ws = await h.workspace();
  });
  after(() => h.close());

  it('creates an endpoint and shows its signing secret once', async () => {
    const created = await call('POST', '', { url: 'https://hooks.example.com/dossier', eventTypes: ['contact.created', 'contact.updated', 'contact.created'], description: 'CRM sync' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    assert.deepEqual(created.body.eventTypes, ['contact.created', 'contact.updated']);
    assert.equal(created.body.enabled, true);
    const read = await call('GET', `/${created.body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.secret, undefined);
    assert.equal(read.body.description, 'CRM sync');
    const list = await call('GET', '');
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].secret, undefined);
    // `*` stands for every type, alone.
    const all = await call('POST', '', { url: 'https://hooks.example.com/all', eventTypes: ['contact.created', '*'] });
    assert.deepEqual(all.body.eventTypes, ['*']);
  });

  it('updates, rotates the secret, deletes, and audits each change without the secret', async () => {
    const { body: ep } = await call('POST', '', { url: 'https://hooks.example.com/a', eventTypes: ['*'] });
    const patched = await call('PATCH', `/${ep.id}`, { enabled: false, eventTypes: ['document.created'] });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual([patched.body.enabled, patched.body.eventTypes], [false, ['document.created']]);
    const rotated = await call('POST', `/${ep.id}/rotate-secret`);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, ep.secret);
    assert.match(rotated.body.secret, /^whsec_/);
    const row = await h.opened.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', ep.id).executeTakeFirstOrThrow();
    assert.equal(row.secret, rotated.body.secret);
    assert.deepEqual((await call('DELETE', `/${ep.id}`)).body, { deleted: true, id: ep.id });
    assert.equal((await call('GET', `/${ep.id}`)).status, 404);
    const audit = await h.opened.db.selectFrom('audit_events').select(['action', 'changes']).where('workspace_id', '=', ws.id).where('action', 'like', 'webhook_endpoint.%').execute();
    assert.deepEqual(audit.map((a) => a.action).filter((a, i, all) => all.indexOf(a) === i), ['webhook_endpoint.created', 'webhook_endpoint.updated', 'webhook_endpoint.secret_rotated', 'webhook_endpoint.deleted']);
    for (const a of audit) assert.doesNotMatch(a.changes, /whsec_/);
  });

  it('refuses plain http, loopback, private and link-local addresses, credentials and unknown event types', async () => {
    for (const url of ['http://hooks.example.com/x', 'https://127.0.0.1/x', 'https://localhost/x', 'https://10.1.2.3/x', 'https://[::1]/x', 'https://169.254.169.254/latest', 'https://192.168.1.10/x', 'https://intranet/x', 'https://user:pw@hooks.example.com/x', 'ftp://hooks.example.com/x', 'not a url']) {
      const res = await call('POST', '', { url, eventTypes: ['*'] });
      assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'invalid_field');
      assert.deepEqual(res.body.error.details, { field: 'url' });
    }
    const bad = await call('POST', '', { url: 'https://hooks.example.com/x', eventTypes: ['contact.exploded'] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.equal((await call('POST', '', { url: 'https://hooks.example.com/x', eventTypes: [] })).status, 400);
    assert.equal((await call('POST', '', { url: 'https://hooks.example.com/x', eventTypes: ['*'], secret: 'mine' })).status, 400);
    const { body: ep } = await call('POST', '', { url: 'https://hooks.example.com/b', eventTypes: ['*'] });
    assert.equal((await call('PATCH', `/${ep.id}`, { url: 'https://127.0.0.1/x' })).status, 422);
    assert.equal((await call('PATCH', `/${ep.id}`, {})).status, 400);
  });

  it('allows http and private addresses when the server allows them (development, tests)', async () => {
    const dev = await harness({ webhooks: { allowPrivate: true } });
    try {
      const w = await dev.workspace();
      const res = await dev.call('POST', '/api/v1/webhook-endpoints', { token: w.secretKey, body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['*'] } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    } finally {
      await dev.close();
    }
  });

  it("keeps each workspace's endpoints to itself and takes only the secret key", async () => {
    const { body: ep } = await call('POST', '', { url: 'https://hooks.example.com/mine', eventTypes: ['*'] });
    const other = await h.workspace();
    for (const [method, path, body] of [['GET', `/${ep.id}`], ['PATCH', `/${ep.id}`, { enabled: false }], ['DELETE', `/${ep.id}`], ['POST', `/${ep.id}/rotate-secret`], ['GET', `/${ep.id}/deliveries`], ['POST', `/${ep.id}/deliveries/whd_x/redeliver`]] as const) {
      const res = await call(method, path, body, other.secretKey);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.error.code, 'not_found');
    }
    assert.deepEqual((await call('GET', '', undefined, other.secretKey)).body.items, []);
    const { token } = await ws.token('owner');
    assert.equal((await call('GET', '', undefined, token)).status, 401);
    assert.equal((await call('GET', '', undefined, 'sk_nope')).status, 401);
    assert.equal((await h.call('GET', '/api/v1/webhook-endpoints')).status, 401);
  });

  it('limits the endpoints per workspace', async () => {
    const small = await harness({ webhooks: { maxEndpoints: 2 } });
    try {
      const w = await small.workspace();
      const add = () => small.call('POST', '/api/v1/webhook-endpoints', { token: w.secretKey, body: { url: 'https://hooks.example.com/x', eventTypes: ['*'] } });
      assert.equal((await add()).status, 201);
      assert.equal((await add()).status, 201);
      const third = await add();
      assert.equal(third.status, 409);
      assert.equal(third.body.error.code, 'limit_reached');
    } finally {
      await small.close();
    }
  });
});
