import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../testing.js';
import { seedAssociations } from './associations.js';
import { seedContacts } from './seed.js';

// The demo's companies, Property records, association types and links are what the API would have made.
describe('demo associations seed', () => {
  let h: Harness;
  let ws: Awaited<ReturnType<Harness['workspace']>>;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    await seedContacts(h.opened, ws.id, 30, { now: h.clock.now(), seed: 42 });
    await seedAssociations(h.opened.db, ws.id, h.clock.now());
  });
  after(() => h.close());

  it('seeds companies, a Property type with records, four association types and links shown on both sides', async () => {
    const get = async (path: string) => (await h.call('GET', `/api/v1${path}`, { token: ws.secretKey })).body;
    assert.deepEqual((await get('/companies')).items.map((c: any) => c.name), ['Contoso Ltd', 'Northwind Traders']);
    const [property] = (await get('/object-types')).items;
    assert.equal(property.name, 'Property');
    assert.deepEqual(property.fields.map((f: any) => f.key), ['address', 'bedrooms', 'price']);
    assert.equal((await get(`/object-types/${property.id}/records`)).items.length, 3);
    // Four seeded, besides the built-in opportunity roles.
    assert.deepEqual((await get('/association-types')).items.filter((t: any) => !t.builtIn).map((t: any) => t.label).sort(), ['Employee of', 'Manager of', 'Owner of', 'Spouse']);
    const links = await h.opened.db.selectFrom('associations').selectAll().where('workspace_id', '=', ws.id).execute();
    assert.equal(links.length, 10);
    const manager = links.find((l) => l.target_kind === 'contact' && l.contact_id !== l.target_id)!;
    const other = (await get(`/contacts/${manager.target_id}/associations`)).items;
    assert.ok(other.some((l: any) => l.target.id === manager.contact_id && ['Reports to', 'Spouse'].includes(l.label)));
    const activity = (await get(`/contacts/${manager.contact_id}/activity?kind=association`)).items;
    assert.ok(activity.length >= 1);
    // Once per workspace.
    await seedAssociations(h.opened.db, ws.id, h.clock.now());
    assert.equal((await get('/companies')).items.length, 2);
  });
});
