import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../testing.js';
import { seedContacts } from './seed.js';
import { seedWorkflowsAndPortal } from './workflows-portal.js';

// The demo's workflows, enrolments, offers, groups and grants read through the API as the host would have recorded them.
describe('demo workflows and portal seed', () => {
  let h: Harness;
  let ws: Awaited<ReturnType<Harness['workspace']>>;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    await seedContacts(h.opened, ws.id, 50, { now: h.clock.now(), seed: 42 });
    await seedWorkflowsAndPortal(h.opened.db, ws.id, h.clock.now());
  });
  after(() => h.close());

  it('seeds workflows (some active), enrolments active and past, offers, groups and grants, told in Activity; once', async () => {
    const active = await h.call('GET', '/api/v1/workflows?status=active', { token: ws.secretKey });
    assert.equal(active.body.items.length, 3);
    assert.equal((await h.call('GET', '/api/v1/workflows', { token: ws.secretKey })).body.items.length, 5);
    const newest = (await h.call('POST', '/api/v1/contacts/query', { token: ws.secretKey, body: { sort: { field: 'createdAt', dir: 'desc' }, limit: 1 } })).body.items[0].id;
    const running = await h.call('GET', `/api/v1/contacts/${newest}/workflows`, { token: ws.secretKey });
    const past = await h.call('GET', `/api/v1/contacts/${newest}/workflows?status=past`, { token: ws.secretKey });
    assert.equal(running.body.items.length, 1);
    assert.deepEqual(past.body.items.map((e: { status: string }) => e.status).sort(), ['completed', 'stopped']);
    assert.ok(running.body.items[0].step);
    const portal = await h.call('GET', `/api/v1/contacts/${newest}/portal`, { token: ws.secretKey });
    assert.equal(portal.body.offers.length, 2);
    assert.equal(portal.body.groups.length, 1);
    assert.equal((await h.call('GET', '/api/v1/portal/offers', { token: ws.secretKey })).body.items.length, 4);
    const activity = await h.call('GET', `/api/v1/contacts/${newest}/activity?kind=workflow,portal`, { token: ws.secretKey });
    assert.equal(activity.body.items.length, 3 + 2 + 3);
    const count = async () => (await h.opened.db.selectFrom('workflow_enrolments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = Number(await count());
    assert.ok(before > 10, `${before} enrolments`);
    await seedWorkflowsAndPortal(h.opened.db, ws.id, h.clock.now());
    assert.equal(Number(await count()), before, 'a second run adds nothing');
  });
});
