import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../testing.js';
import { seedOpportunities } from './opportunities.js';
import { seedContacts } from './seed.js';

// The demo's pipelines and opportunities read through the API as if created there, and show in Activity.
describe('demo opportunities seed', () => {
  let h: Harness;
  let ws: Awaited<ReturnType<Harness['workspace']>>;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    await ws.token('owner');
    await seedContacts(h.opened, ws.id, 20, { now: h.clock.now(), seed: 42 });
    await seedOpportunities(h.opened.db, ws.id, h.clock.now());
  });
  after(() => h.close());

  it('seeds two pipelines and opportunities in every status on the newest contacts, once', async () => {
    const pipelines = await h.call('GET', '/api/v1/pipelines', { token: ws.secretKey });
    assert.deepEqual(pipelines.body.items.map((p: any) => [p.name, p.stages.map((s: any) => s.name)]), [
      ['Sales', ['Lead', 'Qualified', 'Proposal', 'Negotiation']],
      ['Renewals', ['Due', 'Contacted', 'Renewed']],
    ]);
    const all = await h.call('GET', '/api/v1/opportunities?limit=100', { token: ws.secretKey });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.equal(all.body.items.length, 12);
    assert.deepEqual(new Set(all.body.items.map((o: any) => o.status)), new Set(['open', 'won', 'lost', 'abandoned']));
    assert.ok(all.body.items.every((o: any) => o.contacts.filter((c: any) => c.role === 'primary').length === 1));
    assert.ok(all.body.items.some((o: any) => o.contacts.length === 2), 'some are shared');
    const primary = all.body.items[0].contacts[0].id;
    const activity = await h.call('GET', `/api/v1/contacts/${primary}/activity?kind=opportunity`, { token: ws.secretKey });
    assert.ok(activity.body.items.some((i: any) => i.kind === 'opportunity.created'));
    await seedOpportunities(h.opened.db, ws.id, h.clock.now());
    assert.equal((await h.call('GET', '/api/v1/opportunities?limit=100', { token: ws.secretKey })).body.items.length, 12, 'written once');
  });
});
