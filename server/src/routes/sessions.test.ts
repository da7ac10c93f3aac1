import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../testing.js';

describe('sessions, tokens and CORS', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('answers /healthz', async () => {
    assert.equal((await h.call('GET', '/healthz')).status, 200);
  });

  it('mints a token with the secret key and upserts the member by externalId', async () => {
    const ws = await h.workspace();
    const a = await ws.token('agent', { externalId: 'u1' });
    const b = await ws.token('manager', { externalId: 'u1' });
    assert.equal(a.memberId, b.memberId);
    const me = await h.call('GET', '/api/v1/me', { token: b.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.member.role, 'manager');
    assert.ok(me.body.permissions.includes('contacts.delete'));
  });

  it('refuses a missing or wrong secret key and a bad body', async () => {
    const ws = await h.workspace();
    assert.equal((await h.call('POST', '/api/v1/sessions', { body: {} })).status, 401);
    assert.equal((await h.call('POST', '/api/v1/sessions', { token: 'dsk_nope', body: {} })).status, 401);
    const bad = await h.call('POST', '/api/v1/sessions', { token: ws.secretKey, body: { member: { externalId: 'x', name: 'X', email: 'nope', role: 'boss' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.deepEqual(bad.body.error.details.map((d: { path: string }) => d.path).sort(), ['member.email', 'member.role']);
  });

  it('answers malformed JSON with a JSON problem', async () => {
    const ws = await h.workspace();
    const res = await h.app.request('/api/v1/sessions', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' }, body: '{nope' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'bad_request');
  });

  it('rejects wrong, tampered and expired tokens with 401', async () => {
    const ws = await h.workspace();
    const { token } = await ws.token('owner', { ttlSeconds: 120 });
    assert.equal((await h.call('GET', '/api/v1/me', { token: 'garbage' })).status, 401);
    // A changed character inside the signature (the last one carries padding bits: changing it may decode the same).
    const tampered = `${token.slice(0, -10)}${token.at(-10) === 'A' ? 'B' : 'A'}${token.slice(-9)}`;
    assert.equal((await h.call('GET', '/api/v1/me', { token: tampered })).status, 401);
    assert.equal((await h.call('GET', '/api/v1/me')).status, 401);
    h.clock.advance(121_000);
    const expired = await h.call('GET', '/api/v1/me', { token });
    assert.equal(expired.status, 401);
    assert.match(expired.body.error.message, /expired/);
  });

  it('answers CORS only for the token workspace’s allowed origins', async () => {
    const wsA = await h.workspace({ origins: ['https://a.example'] });
    await h.workspace({ origins: ['https://b.example'] });
    const { token } = await wsA.token('owner');

    const preflight = await h.app.request('/api/v1/contacts', { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://a.example');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    // The record sends the contact version it edited with a patch (a stale list is refused, not overwritten).
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /If-Match/);

    const evil = await h.app.request('/api/v1/contacts', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get('access-control-allow-origin'), null);

    const ok = await h.call('GET', '/api/v1/contacts', { token, headers: { origin: 'https://a.example' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://a.example');

    // b.example is allowed for another workspace, not for this token's one.
    const other = await h.call('GET', '/api/v1/contacts', { token, headers: { origin: 'https://b.example' } });
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'origin_not_allowed');

    const unknown = await h.call('GET', '/api/v1/contacts', { token, headers: { origin: 'https://evil.example' } });
    assert.equal(unknown.status, 403);
    assert.equal(unknown.headers.get('access-control-allow-origin'), null);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await h.call('GET', '/api/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });
});
