import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../testing.js';
import { ensureDemoBilling } from './billing.js';

describe('demo billing seed', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.close());

  it('writes a price list and a sent and a paid invoice through the API, once', async () => {
    const ws = await h.workspace();
    const { token } = await ws.token('owner');
    for (const firstName of ['Older', 'Newer']) {
      assert.equal((await h.call('POST', '/api/v1/contacts', { token, body: { firstName } })).status, 201);
      h.clock.advance(1000);
    }
    const demo = { workspaceId: ws.id, secretKey: ws.secretKey };
    await ensureDemoBilling(h.app, h.opened, demo, 'http://localhost:3999');
    await ensureDemoBilling(h.app, h.opened, demo, 'http://localhost:3999');
    const products = await h.call('GET', '/api/v1/products', { token });
    assert.deepEqual(products.body.items.map((p: { name: string }) => p.name), ['Annual support', 'Extra seat', 'Onboarding workshop', 'Pro plan']);
    const invoices = await h.opened.db.selectFrom('invoices').select(['status', 'total', 'hosted_url']).where('workspace_id', '=', ws.id).orderBy('number').execute();
    // 450.00 + 3 × 15.00 − 10 % = 490.50, + 20 % VAT = 588.60
    assert.deepEqual(invoices.map((i) => [i.status, i.total]), [['sent', 58_860], ['paid', 58_860]]);
    assert.match(invoices[0]!.hosted_url ?? '', /^http:\/\/localhost:3999\/invoices\//);
  });
});
