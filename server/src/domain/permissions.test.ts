import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

/** Every role against every foundation action, through the real routes: allowed → 2xx, denied → 403. */
describe('permission matrix', () => {
  let h: Harness;
  let ws: TestWorkspace;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
  });
  after(() => h.close());

  const expected = {
    owner: { create: true, edit: true, delete: true, restore: true, fields: true },
    manager: { create: true, edit: true, delete: true, restore: true, fields: true },
    agent: { create: true, edit: true, delete: false, restore: false, fields: false },
  } as const;

  for (const role of ['owner', 'manager', 'agent'] as const) {
    it(`${role}: ${JSON.stringify(expected[role])}`, async () => {
      const { token } = await ws.token(role, { externalId: `matrix-${role}` });
      const owner = (await ws.token('owner', { externalId: 'matrix-owner-helper' })).token;
      const allowed = expected[role];
      const status = (ok: boolean, res: { status: number }) => assert.equal(ok ? res.status < 300 : res.status === 403, true, `${role}: ${res.status}`);

      const created = await h.call('POST', '/api/v1/contacts', { token, body: { firstName: 'Matrix' } });
      status(allowed.create, created);
      const id = created.body.id as string;
      status(allowed.edit, await h.call('PATCH', `/api/v1/contacts/${id}`, { token, body: { lastName: 'Row' } }));
      status(allowed.delete, await h.call('DELETE', `/api/v1/contacts/${id}`, { token }));
      await h.call('DELETE', `/api/v1/contacts/${id}`, { token: owner });
      status(allowed.restore, await h.call('POST', `/api/v1/contacts/${id}/restore`, { token }));
      status(allowed.fields, await h.call('POST', '/api/v1/custom-fields', { token, body: { key: `f_${role}`, label: 'F', type: 'text' } }));
      const me = await h.call('GET', '/api/v1/me', { token });
      assert.equal(me.body.permissions.includes('contacts.delete'), allowed.delete);
      assert.equal(me.body.permissions.includes('fields.manage'), allowed.fields);
    });
  }
});
