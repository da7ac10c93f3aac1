import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../testing.js';

const leaf = { field: 'firstName', op: 'is', value: 'Ada' };
/** `{ and: [{ and: [ … leaf … ] }] }`, `depth` groups deep, as JSON text (JSON.stringify itself recurses). */
const nestedJson = (depth: number, key: 'and' | 'or' = 'and') => `{"${key}":[`.repeat(depth) + JSON.stringify(leaf) + ']}'.repeat(depth);
const nested = (depth: number, key: 'and' | 'or' = 'and'): unknown => JSON.parse(nestedJson(depth, key));

describe('filter trees are bounded before anything recurses', () => {
  let h: Harness;
  let owner: string;
  before(async () => {
    h = await harness();
    const ws = await h.workspace();
    owner = (await ws.token('owner')).token;
  });
  after(() => h.close());

  for (const depth of [1_000, 10_000, 30_000]) {
    it(`answers 400 naming the depth limit for ${depth} nested groups (query, count, bulk)`, async () => {
      for (const [path, body] of [
        ['/api/v1/contacts/query', `{"filter":${nestedJson(depth)}}`],
        ['/api/v1/contacts/count', `{"filter":${nestedJson(depth, 'or')}}`],
        ['/api/v1/contacts/bulk', `{"action":"delete","selection":{"filter":${nestedJson(depth)}}}`],
      ] as const) {
        const raw = await h.request(path, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body });
        const res = { status: raw.status, body: (await raw.json()) as any };
        assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body).slice(0, 300)}`);
        assert.equal(res.body.error.code, 'validation_failed');
        assert.match(res.body.error.message, /at most 6 levels deep/);
        assert.ok(res.body.error.details.some((d: { path: string }) => d.path.endsWith('filter')), JSON.stringify(res.body.error.details));
      }
    });
  }

  it('refuses a 2,000-deep tree saved as a view, and a view patched to one', async () => {
    const post = async (method: string, path: string, body: string) => {
      const r = await h.request(path, { method, headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body });
      return { status: r.status, body: (await r.json()) as any };
    };
    const res = await post('POST', '/api/v1/views', `{"name":"Deep","definition":{"filter":${nestedJson(2_000)}}}`);
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /at most 6 levels deep/);
    const ok = await h.call('POST', '/api/v1/views', { token: owner, body: { name: 'Fine', definition: { filter: nested(6) } } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const patched = await post('PATCH', `/api/v1/views/${ok.body.id}`, `{"definition":{"filter":${nestedJson(2_000)}}}`);
    assert.equal(patched.status, 400);
  });

  it('counts nodes too: a wide tree over 200 groups and conditions is refused, one at the limit runs', async () => {
    const wide = { or: Array.from({ length: 100 }, () => ({ and: [leaf, leaf] })) }; // 1 + 100 + 200 nodes
    const res = await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter: wide } });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /at most 200 groups and conditions/);
    const fits = { or: Array.from({ length: 99 }, () => ({ and: [leaf] })) }; // 1 + 99 + 99 nodes
    assert.equal((await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter: fits } })).status, 200);
    assert.equal((await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter: nested(6) } })).status, 200);
  });
});
