import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../domain/events.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

// Associations: companies, custom object types and records, association types, and a contact's links — every rule
// and error, roles, restricted members, tenant isolation on every route, audit, Activity, webhooks and live events.
describe('associations', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let stranger: string;
  let ada: string;
  let bob: string;
  let cleo: string;
  let employee: string;
  let manager: string;
  let spouse: string;
  let property: any;
  let ownerOf: string;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const ok = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
    const res = await call(method, path, token, body);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const contact = async (firstName: string, extra: object = {}) => (await ok('POST', '/contacts', owner.token, { firstName, ...extra }, 201)).id as string;
  const links = async (id: string, token = owner.token) => (await ok('GET', `/contacts/${id}/associations`, token)).items as any[];
  const link = (id: string, body: unknown, token = owner.token) => call('POST', `/contacts/${id}/associations`, token, body);
  // Links list oldest first: each made a millisecond later.
  const tick = () => h.clock.advance(1);

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    stranger = (await (await h.workspace()).token('owner')).token;
    ada = await contact('Ada', { lastName: 'Lovelace', emails: [{ value: 'ada@example.com' }] });
    bob = await contact('Bob');
    cleo = await contact('Cleo');
  });
  after(() => h.close());

  describe('companies', () => {
    it('creates with a normalized domain, searches by name or domain in pages, reads and changes', async () => {
      const acme = await ok('POST', '/companies', agent.token, { name: '  Acme Corp ', domain: 'https://WWW.Acme.example/about', phone: '+1 415 555 0100', address: '1 Main St' }, 201);
      assert.match(acme.id, /^co_/);
      assert.equal(acme.name, 'Acme Corp');
      assert.equal(acme.domain, 'www.acme.example');
      await ok('POST', '/companies', owner.token, { name: 'Globex' }, 201);
      await ok('POST', '/companies', owner.token, { name: 'Initech', domain: '' }, 201);
      assert.deepEqual((await ok('GET', '/companies?q=ACME', agent.token)).items.map((c: any) => c.name), ['Acme Corp']);
      assert.deepEqual((await ok('GET', '/companies?q=acme.example', agent.token)).items.map((c: any) => c.name), ['Acme Corp']);
      const first = await ok('GET', '/companies?limit=2', agent.token);
      assert.deepEqual(first.items.map((c: any) => c.name), ['Acme Corp', 'Globex']);
      const second = await ok('GET', `/companies?limit=2&cursor=${first.nextCursor}`, agent.token);
      assert.deepEqual(second.items.map((c: any) => c.name), ['Initech']);
      assert.equal(second.nextCursor, null);
      const changed = await ok('PATCH', `/companies/${acme.id}`, agent.token, { phone: null, name: 'Acme' });
      assert.equal(changed.phone, null);
      assert.equal(changed.name, 'Acme');
      assert.deepEqual(await ok('GET', `/companies/${acme.id}`, agent.token), changed);
      const audit = await h.opened.db.selectFrom('audit_events').select('action').where('context', 'like', `%${acme.id}%`).execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['company.created', 'company.updated']);
    });

    it('refuses a bad or taken domain, an empty name, unknown fields and a bad cursor', async () => {
      const bad = await call('POST', '/companies', owner.token, { name: 'X', domain: 'not a domain' });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error.details.field, 'domain');
      const taken = await call('POST', '/companies', owner.token, { name: 'Acme again', domain: 'www.acme.example' });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error.code, 'duplicate_domain');
      const globex = (await ok('GET', '/companies?q=Globex', owner.token)).items[0];
      assert.equal((await call('PATCH', `/companies/${globex.id}`, owner.token, { domain: 'WWW.ACME.EXAMPLE' })).status, 409);
      assert.equal((await call('POST', '/companies', owner.token, { name: '  ' })).status, 400);
      assert.equal((await call('POST', '/companies', owner.token, { name: 'X', colour: 'red' })).status, 400);
      assert.equal((await call('PATCH', `/companies/${globex.id}`, owner.token, {})).status, 400);
      assert.equal((await call('GET', '/companies?cursor=nonsense', owner.token)).status, 400);
      assert.equal((await call('GET', '/companies/co_missing', owner.token)).status, 404);
    });

    it('keeps companies inside their workspace and deleting them for owners and managers', async () => {
      const globex = (await ok('GET', '/companies?q=Globex', owner.token)).items[0];
      assert.deepEqual((await ok('GET', '/companies', stranger)).items, []);
      for (const [method, body] of [['GET'], ['PATCH', { name: 'Mine' }], ['DELETE']] as const) {
        assert.equal((await call(method, `/companies/${globex.id}`, stranger, body)).status, 404, method);
      }
      assert.equal((await call('DELETE', `/companies/${globex.id}`, agent.token)).status, 403);
      assert.equal((await call('GET', '/companies', '')).status, 401);
    });
  });

  describe('custom object types and records', () => {
    it('defines a type with typed fields (objects.manage only) and refuses bad definitions', async () => {
      const fields = [
        { key: 'address', label: 'Address', type: 'text', required: true },
        { key: 'bedrooms', label: 'Bedrooms', type: 'number' },
        { key: 'listed', label: 'Listed on', type: 'date' },
        { key: 'furnished', label: 'Furnished', type: 'boolean' },
        { key: 'kind', label: 'Kind', type: 'choice', options: ['House', 'Flat'] },
      ];
      assert.equal((await call('POST', '/object-types', agent.token, { name: 'Property', pluralName: 'Properties', fields })).status, 403);
      property = await ok('POST', '/object-types', owner.token, { name: 'Property', pluralName: 'Properties', fields }, 201);
      assert.match(property.id, /^ot_/);
      assert.deepEqual(property.fields, fields);
      const refuse = async (f: unknown[], field: string) => {
        const res = await call('POST', '/object-types', owner.token, { name: 'Bad', pluralName: 'Bads', fields: f });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.error.details.field, field);
      };
      await refuse([{ key: 'a', label: 'A', type: 'choice' }], 'fields[0].options');
      await refuse([{ key: 'a', label: 'A', type: 'text', options: ['x'] }], 'fields[0].options');
      await refuse([{ key: 'a', label: 'A', type: 'text' }, { key: 'a', label: 'B', type: 'number' }], 'fields[1].key');
      await refuse([{ key: 'name', label: 'Name', type: 'text' }], 'fields[0].key');
      await refuse([{ key: 'k', label: 'K', type: 'choice', options: ['x', 'x'] }], 'fields[0].options');
      assert.equal((await call('POST', '/object-types', owner.token, { name: 'Bad', pluralName: 'Bads', fields: [{ key: 'Bad Key', label: 'x', type: 'text' }] })).status, 400);
      assert.equal((await call('POST', '/object-types', owner.token, { name: 'Bad', pluralName: 'Bads', fields: [{ key: 'x', label: 'x', type: 'colour' }] })).status, 400);
      assert.deepEqual((await ok('GET', '/object-types', agent.token)).items.map((t: any) => t.name), ['Property']);
    });

    it('changes a type: labels, new fields and options; never removes or retypes a field', async () => {
      const fields = [...property.fields.map((f: any) => (f.key === 'kind' ? { ...f, options: ['House', 'Flat', 'Loft'] } : f)), { key: 'price', label: 'Price', type: 'number' }];
      property = await ok('PATCH', `/object-types/${property.id}`, owner.token, { fields });
      assert.equal(property.fields.length, 6);
      const drop = await call('PATCH', `/object-types/${property.id}`, owner.token, { fields: fields.slice(1) });
      assert.equal(drop.status, 422);
      const retype = await call('PATCH', `/object-types/${property.id}`, owner.token, { fields: fields.map((f: any) => (f.key === 'bedrooms' ? { ...f, type: 'text' } : f)) });
      assert.equal(retype.body.error.details.field, 'fields[1].type');
      const option = await call('PATCH', `/object-types/${property.id}`, owner.token, { fields: fields.map((f: any) => (f.key === 'kind' ? { ...f, options: ['House'] } : f)) });
      assert.equal(option.body.error.details.field, 'fields[4].options');
      assert.equal((await call('PATCH', `/object-types/${property.id}`, agent.token, { name: 'Home' })).status, 403);
      assert.equal((await call('PATCH', `/object-types/${property.id}`, stranger, { name: 'Home' })).status, 404);
    });

    it('creates, searches and changes records with values checked against the type', async () => {
      const base = `/object-types/${property.id}/records`;
      const home = await ok('POST', base, agent.token, { name: 'Seaside cottage', fields: { address: '2 Shore Rd', bedrooms: 3, listed: '2026-04-01', furnished: true, kind: 'House' } }, 201);
      assert.match(home.id, /^or_/);
      assert.deepEqual(home.fields, { address: '2 Shore Rd', bedrooms: 3, listed: '2026-04-01', furnished: true, kind: 'House' });
      await ok('POST', base, agent.token, { name: 'City flat', fields: { address: '9 High St', kind: 'Flat' } }, 201);
      const refuse = async (fields: object, field: string) => {
        const res = await call('POST', base, agent.token, { name: 'Bad', fields });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.error.details.field, field);
      };
      await refuse({ bedrooms: 2 }, 'fields.address'); // required
      await refuse({ address: 'x', bedrooms: 'three' }, 'fields.bedrooms');
      await refuse({ address: 'x', listed: '2026-02-30' }, 'fields.listed');
      await refuse({ address: 'x', furnished: 'yes' }, 'fields.furnished');
      await refuse({ address: 'x', kind: 'Castle' }, 'fields.kind');
      await refuse({ address: 'x', pool: true }, 'fields.pool');
      await refuse({ address: 'x', address2: 1 }, 'fields.address2');
      assert.deepEqual((await ok('GET', `${base}?q=flat`, agent.token)).items.map((r: any) => r.name), ['City flat']);
      const changed = await ok('PATCH', `${base}/${home.id}`, agent.token, { fields: { bedrooms: 4, furnished: null } });
      assert.deepEqual(changed.fields, { address: '2 Shore Rd', bedrooms: 4, listed: '2026-04-01', kind: 'House' });
      assert.equal((await call('PATCH', `${base}/${home.id}`, agent.token, { fields: { address: null } })).body.error.details.field, 'fields.address');
      assert.equal((await call('GET', `${base}/or_missing`, agent.token)).status, 404);
      assert.equal((await call('GET', `/object-types/ot_missing/records`, agent.token)).status, 404);
      // Another workspace sees none of it.
      assert.equal((await call('GET', base, stranger)).status, 404);
      assert.equal((await call('POST', base, stranger, { name: 'Mine', fields: { address: 'x' } })).status, 404);
      assert.equal((await call('GET', `${base}/${home.id}`, stranger)).status, 404);
      assert.equal((await call('PATCH', `${base}/${home.id}`, stranger, { name: 'Mine' })).status, 404);
      assert.equal((await call('DELETE', `${base}/${home.id}`, stranger)).status, 404);
      assert.equal((await call('DELETE', `${base}/${home.id}`, agent.token)).status, 403);
    });
  });

  describe('association types', () => {
    it('defines types per kind, symmetric or with two labels', async () => {
      const type = async (body: object) => (await ok('POST', '/association-types', owner.token, body, 201)) as any;
      employee = (await type({ targetKind: 'company', label: 'Employee of', reverseLabel: 'Employs' })).id;
      const m = await type({ targetKind: 'contact', label: 'Manager of', reverseLabel: 'Reports to' });
      manager = m.id;
      assert.equal(m.reverseLabel, 'Reports to');
      const s = await type({ targetKind: 'contact', label: 'Spouse' });
      spouse = s.id;
      assert.equal(s.reverseLabel, null);
      ownerOf = (await type({ targetKind: 'object', objectTypeId: property.id, label: 'Owner of', reverseLabel: 'Owned by' })).id;
      // Four stored, and the two built-in types of opportunity links (the contact's role).
      assert.deepEqual((await ok('GET', '/association-types', agent.token)).items.map((t: any) => [t.targetKind, t.label, t.builtIn]), [
        ['company', 'Employee of', false], ['contact', 'Manager of', false], ['contact', 'Spouse', false], ['object', 'Owner of', false],
        ['opportunity', 'Associated contact', true], ['opportunity', 'Primary contact', true],
      ]);
    });

    it('refuses a kind not available, a wrong object type, a taken label, and non-managers', async () => {
      const refuse = async (body: object, status: number, code: string) => {
        const res = await call('POST', '/association-types', owner.token, body);
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.equal(res.body.error.code, code);
        return res.body;
      };
      // Opportunity links are the opportunities feature's: their types are built in (association-opportunities.test.ts).
      await refuse({ targetKind: 'opportunity', label: 'Buyer' }, 422, 'builtin_kind');
      assert.equal((await refuse({ targetKind: 'object', label: 'Tenant of' }, 422, 'invalid_field')).error.details.field, 'objectTypeId');
      await refuse({ targetKind: 'object', objectTypeId: 'ot_missing', label: 'Tenant of' }, 422, 'invalid_field');
      await refuse({ targetKind: 'company', objectTypeId: property.id, label: 'Partner' }, 422, 'invalid_field');
      await refuse({ targetKind: 'contact', label: 'Spouse' }, 409, 'duplicate_type');
      await refuse({ targetKind: 'planet', label: 'Lives on' }, 400, 'validation_failed');
      assert.equal((await call('POST', '/association-types', agent.token, { targetKind: 'contact', label: 'Friend' })).status, 403);
      assert.equal((await call('POST', '/association-types', stranger, { targetKind: 'object', objectTypeId: property.id, label: 'Tenant of' })).body.error.details.field, 'objectTypeId');
    });

    it('relabels a type, keeping it symmetric or two-sided', async () => {
      const renamed = await ok('PATCH', `/association-types/${manager}`, owner.token, { label: 'Manages', reverseLabel: 'Managed by' });
      assert.deepEqual([renamed.label, renamed.reverseLabel], ['Manages', 'Managed by']);
      await ok('PATCH', `/association-types/${manager}`, owner.token, { label: 'Manager of', reverseLabel: 'Reports to' });
      assert.equal((await call('PATCH', `/association-types/${spouse}`, owner.token, { reverseLabel: 'Other spouse' })).body.error.details.field, 'reverseLabel');
      assert.equal((await call('PATCH', `/association-types/${manager}`, owner.token, { reverseLabel: null })).body.error.details.field, 'reverseLabel');
      assert.equal((await call('PATCH', `/association-types/${manager}`, owner.token, { label: 'Spouse' })).status, 409);
      assert.equal((await call('PATCH', `/association-types/${manager}`, agent.token, { label: 'Boss' })).status, 403);
      assert.equal((await call('PATCH', `/association-types/${manager}`, stranger, { label: 'Boss' })).status, 404);
      assert.equal((await call('DELETE', `/association-types/${manager}`, stranger)).status, 404);
      assert.deepEqual((await ok('GET', '/association-types', stranger)).items.filter((t: any) => !t.builtIn), []);
    });
  });

  describe('links', () => {
    it('links a contact to a company, a record and contacts, each card labelled from its own side', async () => {
      const acme = (await ok('GET', '/companies?q=Acme', owner.token)).items[0];
      const home = (await ok('GET', `/object-types/${property.id}/records?q=Seaside`, owner.token)).items[0];
      const card = (await ok('POST', `/contacts/${ada}/associations`, agent.token, { typeId: employee, targetId: acme.id }, 201)) as any;
      assert.match(card.id, /^as_/);
      assert.deepEqual({ ...card, id: 0, createdAt: 0 }, { id: 0, typeId: employee, label: 'Employee of', direction: 'forward', target: { kind: 'company', id: acme.id, name: 'Acme', detail: 'www.acme.example', objectTypeId: null }, createdAt: 0 });
      tick();
      await ok('POST', `/contacts/${ada}/associations`, agent.token, { typeId: ownerOf, targetId: home.id }, 201);
      tick();
      await ok('POST', `/contacts/${ada}/associations`, agent.token, { typeId: manager, targetId: bob }, 201);
      tick();
      // From Ada's record: Ada reports to Cleo (stored as Cleo manager of Ada).
      const reports = await ok('POST', `/contacts/${ada}/associations`, agent.token, { typeId: manager, targetId: cleo, reverse: true }, 201);
      assert.equal(reports.label, 'Reports to');
      assert.equal(reports.direction, 'reverse');
      tick();
      await ok('POST', `/contacts/${bob}/associations`, agent.token, { typeId: spouse, targetId: cleo }, 201);

      const mine = await links(ada);
      assert.deepEqual(mine.map((l) => [l.target.kind, l.label, l.target.name]), [
        ['company', 'Employee of', 'Acme'],
        ['object', 'Owner of', 'Seaside cottage'],
        ['contact', 'Manager of', 'Bob'],
        ['contact', 'Reports to', 'Cleo'],
      ]);
      assert.equal(mine[1].target.detail, 'Property');
      assert.equal(mine[1].target.objectTypeId, property.id);
      assert.equal(mine[2].target.name, 'Bob');
      assert.deepEqual((await links(bob)).map((l) => [l.label, l.target.name]), [['Reports to', 'Ada Lovelace'], ['Spouse', 'Cleo']]);
      assert.deepEqual((await links(cleo)).map((l) => [l.label, l.target.name]), [['Manager of', 'Ada Lovelace'], ['Spouse', 'Bob']]);
    });

    it('refuses duplicates (a symmetric link in either order), self-links and targets that do not fit', async () => {
      const acme = (await ok('GET', '/companies?q=Acme', owner.token)).items[0];
      const flat = (await ok('GET', `/object-types/${property.id}/records?q=flat`, owner.token)).items[0];
      const refuse = async (contactId: string, body: object, status: number, code: string, field?: string) => {
        const res = await link(contactId, body);
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.equal(res.body.error.code, code);
        if (field) assert.equal(res.body.error.details.field, field);
      };
      await refuse(ada, { typeId: employee, targetId: acme.id }, 409, 'duplicate_association');
      await refuse(cleo, { typeId: spouse, targetId: bob }, 409, 'duplicate_association');
      await refuse(ada, { typeId: manager, targetId: bob }, 409, 'duplicate_association');
      await refuse(ada, { typeId: spouse, targetId: ada }, 422, 'invalid_field', 'targetId');
      await refuse(ada, { typeId: employee, targetId: bob }, 422, 'invalid_field', 'targetId');
      await refuse(ada, { typeId: employee, targetId: 'co_missing' }, 422, 'invalid_field', 'targetId');
      await refuse(ada, { typeId: 'at_missing', targetId: acme.id }, 422, 'invalid_field', 'typeId');
      await refuse(ada, { typeId: spouse, targetId: bob, reverse: true }, 422, 'invalid_field', 'reverse');
      await refuse(ada, { typeId: employee, targetId: acme.id, reverse: true }, 422, 'invalid_field', 'reverse');
      // A record of another object type.
      const car = await ok('POST', '/object-types', owner.token, { name: 'Car', pluralName: 'Cars', fields: [] }, 201);
      const mini = await ok('POST', `/object-types/${car.id}/records`, owner.token, { name: 'Mini' }, 201);
      await refuse(ada, { typeId: ownerOf, targetId: mini.id }, 422, 'invalid_field', 'targetId');
      await ok('POST', `/contacts/${ada}/associations`, owner.token, { typeId: ownerOf, targetId: flat.id }, 201);
      await refuse(ada, { typeId: employee }, 400, 'validation_failed');
      await refuse('ct_missing', { typeId: employee, targetId: acme.id }, 404, 'not_found');
      // The type in use cannot be deleted.
      const inUse = await call('DELETE', `/association-types/${employee}`, owner.token);
      assert.equal(inUse.status, 409);
      assert.equal(inUse.body.error.code, 'type_in_use');
    });

    it('refuses changes to a contact in the restore bin, and unlinks without deleting either record', async () => {
      const dan = await contact('Dan');
      const acme = (await ok('GET', '/companies?q=Acme', owner.token)).items[0];
      const card = await ok('POST', `/contacts/${dan}/associations`, owner.token, { typeId: employee, targetId: acme.id }, 201);
      await ok('DELETE', `/contacts/${dan}`, owner.token);
      const binned = await link(dan, { typeId: spouse, targetId: bob });
      assert.equal(binned.status, 409);
      assert.equal(binned.body.error.code, 'contact_deleted');
      assert.equal((await call('DELETE', `/contacts/${dan}/associations/${card.id}`, owner.token)).status, 409);
      await ok('POST', `/contacts/${dan}/restore`, owner.token);
      const removed = await ok('DELETE', `/contacts/${dan}/associations/${card.id}`, agent.token);
      assert.equal(removed.target.id, acme.id);
      assert.deepEqual(await links(dan), []);
      assert.equal((await ok('GET', `/companies/${acme.id}`, owner.token)).id, acme.id, 'the company stays');
      assert.equal((await call('DELETE', `/contacts/${dan}/associations/${card.id}`, owner.token)).status, 404);
      // A link of another contact is not this contact's to remove.
      const adaLink = (await links(ada))[0];
      assert.equal((await call('DELETE', `/contacts/${dan}/associations/${adaLink.id}`, owner.token)).status, 404);
    });

    it('keeps links inside the workspace and hides contacts a restricted member cannot see', async () => {
      const acme = (await ok('GET', '/companies?q=Acme', owner.token)).items[0];
      const adaLink = (await links(ada))[0];
      assert.equal((await call('GET', `/contacts/${ada}/associations`, stranger)).status, 404);
      assert.equal((await call('POST', `/contacts/${ada}/associations`, stranger, { typeId: employee, targetId: acme.id })).status, 404);
      assert.equal((await call('DELETE', `/contacts/${ada}/associations/${adaLink.id}`, stranger)).status, 404);
      // Their own contact cannot be linked to our company or type.
      const theirs = (await call('POST', '/contacts', stranger, { firstName: 'Eve' })).body.id;
      assert.equal((await call('POST', `/contacts/${theirs}/associations`, stranger, { typeId: employee, targetId: acme.id })).body.error.details.field, 'typeId');
      assert.deepEqual((await ok('GET', '/association-targets?kind=company&q=acme', stranger)).items, []);
      assert.deepEqual((await ok('GET', '/association-targets?kind=contact&q=ada', stranger)).items, []);

      const restricted = await ws.token('agent', { externalId: 'restricted', restrictToAssigned: true });
      assert.equal((await call('GET', `/contacts/${ada}/associations`, restricted.token)).status, 404);
      await ok('PATCH', `/contacts/${ada}`, owner.token, { ownerId: restricted.memberId });
      const seen = await links(ada, restricted.token);
      assert.ok(!seen.some((l) => l.target.kind === 'contact'), 'Bob and Cleo are not theirs to see');
      assert.equal(seen.length, 3);
      const bobLink = (await links(ada)).find((l) => l.target.id === bob)!;
      assert.equal((await call('DELETE', `/contacts/${ada}/associations/${bobLink.id}`, restricted.token)).status, 404);
      assert.equal((await link(ada, { typeId: spouse, targetId: bob }, restricted.token)).body.error.details.field, 'targetId');
      assert.deepEqual((await ok('GET', '/association-targets?kind=contact', restricted.token)).items.map((t: any) => t.id), [ada]);
      await ok('PATCH', `/contacts/${ada}`, owner.token, { ownerId: null });
    });

    it('searches targets of each kind for Add existing', async () => {
      assert.deepEqual((await ok('GET', '/association-targets?kind=company&q=acme', agent.token)).items.map((t: any) => t.name), ['Acme']);
      assert.deepEqual((await ok('GET', '/association-targets?kind=contact&q=ada@EXAMPLE', agent.token)).items.map((t: any) => [t.name, t.detail]), [['Ada Lovelace', 'ada@example.com']]);
      assert.deepEqual((await ok('GET', `/association-targets?kind=object&objectTypeId=${property.id}`, agent.token)).items.map((t: any) => t.name), ['City flat', 'Seaside cottage']);
      assert.deepEqual((await ok('GET', '/association-targets?kind=opportunity', agent.token)).items, []);
      assert.equal((await call('GET', '/association-targets?kind=planet', agent.token)).status, 400);
    });

    it('audits on every contact a link touches, shows in Activity, announces webhooks once and publishes live', async () => {
      const endpoint = await ok('POST', '/webhook-endpoints', ws.secretKey, { url: 'https://hooks.example.com/links', eventTypes: ['association.created', 'association.deleted'] }, 201);
      const seen: DomainEvent[] = [];
      const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
      const fay = await contact('Fay');
      const card = await ok('POST', `/contacts/${fay}/associations`, owner.token, { typeId: manager, targetId: bob }, 201);
      h.clock.advance(1);
      await ok('DELETE', `/contacts/${bob}/associations/${card.id}`, owner.token);
      stop();
      const items = seen.filter((e) => e.type.startsWith('association.'));
      assert.deepEqual(items.map((e: any) => [e.type, e.contactId, e.id]), [
        ['association.created', fay, card.id], ['association.created', bob, card.id],
        ['association.deleted', bob, card.id], ['association.deleted', fay, card.id],
      ]);
      const fayAudit = (await ok('GET', `/contacts/${fay}/audit`, owner.token)).items.filter((e: any) => e.action.startsWith('association.'));
      assert.deepEqual(fayAudit.map((e: any) => [e.action, e.context.association.label, e.context.association.name]), [['association.deleted', 'Manager of', 'Bob'], ['association.created', 'Manager of', 'Bob']]);
      const bobAudit = (await ok('GET', `/contacts/${bob}/audit`, owner.token)).items.filter((e: any) => e.context.association?.id === card.id);
      assert.deepEqual(bobAudit.map((e: any) => [e.action, e.context.association.label, e.context.association.name]), [['association.deleted', 'Reports to', 'Fay'], ['association.created', 'Reports to', 'Fay']]);
      const activity = (await ok('GET', `/contacts/${fay}/activity?kind=association`, owner.token)).items;
      assert.deepEqual(activity.map((a: any) => a.kind), ['association.deleted', 'association.created']);

      const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.id).orderBy('seq').execute();
      assert.deepEqual(deliveries.map((d) => d.event_type), ['association.created', 'association.deleted']);
      const created = JSON.parse(deliveries[0]!.payload).data;
      assert.equal(created.contactId, fay);
      assert.deepEqual(created.association, { id: card.id, typeId: manager, label: 'Manager of', target: { kind: 'contact', id: bob, name: 'Bob' } });
      assert.equal(JSON.parse(deliveries[1]!.payload).data.contactId, bob, 'removed from Bob’s record: told from his side');
    });

    it('deleting a company or record removes its links (audited on each contact), never the contacts', async () => {
      const gus = await contact('Gus');
      const initech = (await ok('GET', '/companies?q=Initech', owner.token)).items[0];
      await ok('POST', `/contacts/${gus}/associations`, owner.token, { typeId: employee, targetId: initech.id }, 201);
      const cabin = await ok('POST', `/object-types/${property.id}/records`, owner.token, { name: 'Cabin', fields: { address: 'Woods' } }, 201);
      await ok('POST', `/contacts/${gus}/associations`, owner.token, { typeId: ownerOf, targetId: cabin.id }, 201);
      const seen: DomainEvent[] = [];
      const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
      await ok('DELETE', `/companies/${initech.id}`, owner.token);
      await ok('DELETE', `/object-types/${property.id}/records/${cabin.id}`, owner.token);
      stop();
      assert.deepEqual(await links(gus), []);
      assert.equal((await call('GET', `/contacts/${gus}`, owner.token)).status, 200);
      assert.deepEqual(seen.map((e) => [e.type, (e as any).contactId]), [['association.deleted', gus], ['association.deleted', gus]]);
      const audit = (await ok('GET', `/contacts/${gus}/audit`, owner.token)).items.map((e: any) => e.action);
      assert.deepEqual(audit.slice(0, 2), ['association.deleted', 'association.deleted']);
      assert.equal((await call('GET', `/companies/${initech.id}`, owner.token)).status, 404);
    });
  });
});
