import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../domain/events.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

// Opportunities as an association target kind: the links are `opportunity_contacts` rows (never rows of
// `associations`), made and removed through the opportunities domain — its role rules, audit, Activity, webhooks and
// live events — and shown the same in both tabs; the two built-in types cannot be defined, changed or deleted.
describe('associations with opportunities', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let stranger: string;
  let pipeline: any;
  let ada: string;
  let bo: string;
  const PRIMARY = 'opportunity.primary';
  const ASSOCIATED = 'opportunity.associated';

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const ok = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
    const res = await call(method, path, token, body);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const refused = async (res: { status: number; body: any }, status: number, code: string) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error.code, code);
    return res.body.error;
  };
  const opportunity = (body: Record<string, unknown> = {}) => ok('POST', '/opportunities', owner.token, { name: 'Deal', pipelineId: pipeline.id, currency: 'USD', ...body }, 201);
  const cards = async (id: string, token = owner.token) => (await ok('GET', `/contacts/${id}/associations`, token)).items.filter((a: any) => a.target.kind === 'opportunity');
  const roles = async (opportunityId: string) => (await ok('GET', `/opportunities/${opportunityId}`, owner.token)).contacts.map((c: any) => [c.id, c.role]);
  const stored = async () => (await h.opened.db.selectFrom('associations').select('id').where('target_kind', '=', 'opportunity').execute()).length;

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    stranger = (await (await h.workspace()).token('owner')).token;
    ada = (await ok('POST', '/contacts', owner.token, { firstName: 'Ada' }, 201)).id;
    bo = (await ok('POST', '/contacts', owner.token, { firstName: 'Bo' }, 201)).id;
    pipeline = await ok('POST', '/pipelines', owner.token, { name: 'Sales', stages: ['Lead', 'Proposal'] }, 201);
  });
  after(() => h.close());

  it('lists the two built-in types, and refuses defining, relabelling or deleting types of the kind', async () => {
    const types = (await ok('GET', '/association-types', agent.token)).items;
    assert.deepEqual(types.map((t: any) => [t.id, t.targetKind, t.label, t.reverseLabel, t.builtIn]), [
      [ASSOCIATED, 'opportunity', 'Associated contact', 'Opportunity', true],
      [PRIMARY, 'opportunity', 'Primary contact', 'Opportunity', true],
    ]);
    assert.equal((await refused(await call('POST', '/association-types', owner.token, { targetKind: 'opportunity', label: 'Buyer' }), 422, 'builtin_kind')).details.field, 'targetKind');
    await refused(await call('PATCH', `/association-types/${PRIMARY}`, owner.token, { label: 'Main' }), 409, 'builtin_type');
    await refused(await call('DELETE', `/association-types/${ASSOCIATED}`, owner.token), 409, 'builtin_type');
    assert.equal((await call('DELETE', `/association-types/${ASSOCIATED}`, agent.token)).status, 403);
  });

  it('searches the opportunities the caller may see, each with its stage and value', async () => {
    const found = await opportunity({ name: 'Harbour refit', value: 1_250_000, stageId: pipeline.stages[1].id });
    const res = (await ok('GET', '/association-targets?kind=opportunity&q=HARBOUR', agent.token)).items;
    assert.deepEqual(res, [
      { kind: 'opportunity', id: found.id, name: 'Harbour refit', detail: 'Proposal · $12,500.00', objectTypeId: null, opportunity: { stage: 'Proposal', status: 'open', value: 1_250_000, currency: 'USD' } },
    ]);
    assert.deepEqual((await ok('GET', '/association-targets?kind=opportunity&q=harbour', stranger)).items, []);
    // A restricted member finds only the opportunities they own or that are linked to a contact they may see.
    const restricted = await ws.token('agent', { externalId: 'restricted-assoc-opp', restrictToAssigned: true });
    assert.deepEqual((await ok('GET', '/association-targets?kind=opportunity&q=harbour', restricted.token)).items, []);
  });

  it('links from the Associations tab through the opportunities domain: the first contact is the primary, the next associated, shown in both tabs', async () => {
    const o = await opportunity({ name: 'Solar roof', value: 990_00 });
    const first = await ok('POST', `/contacts/${ada}/associations`, agent.token, { typeId: ASSOCIATED, targetId: o.id }, 201);
    // Asked for "associated", made primary: an opportunity with contacts always has one primary.
    assert.deepEqual([first.id, first.typeId, first.label, first.direction, first.target.name, first.target.detail], [`opportunity:${o.id}`, PRIMARY, 'Primary contact', 'forward', 'Solar roof', 'Lead · $990.00']);
    const second = await ok('POST', `/contacts/${bo}/associations`, agent.token, { typeId: ASSOCIATED, targetId: o.id }, 201);
    assert.deepEqual([second.typeId, second.label], [ASSOCIATED, 'Associated contact']);
    assert.deepEqual(await roles(o.id), [[ada, 'primary'], [bo, 'associated']]);
    assert.deepEqual((await ok('GET', `/contacts/${bo}/opportunities`, agent.token)).items.map((x: any) => x.id), [o.id]);
    assert.deepEqual((await cards(bo)).map((c: any) => [c.id, c.label]), [[`opportunity:${o.id}`, 'Associated contact']]);
    assert.equal(await stored(), 0, 'no second store of links');

    // "Primary contact" makes Bo the primary; Ada becomes associated (the opportunities domain's rule).
    h.clock.advance(1);
    const p = await opportunity({ name: 'Wind farm', contactId: ada });
    await ok('POST', `/contacts/${bo}/associations`, owner.token, { typeId: PRIMARY, targetId: p.id }, 201);
    assert.deepEqual(await roles(p.id), [[bo, 'primary'], [ada, 'associated']]);
    assert.deepEqual((await cards(ada)).map((c: any) => [c.target.name, c.label]), [['Solar roof', 'Primary contact'], ['Wind farm', 'Associated contact']]);

    // Linked in the Opportunities tab: shown in Associations too.
    const q = await opportunity({ name: 'Heat pump' });
    await ok('POST', `/opportunities/${q.id}/contacts`, owner.token, { contactId: bo });
    assert.ok((await cards(bo)).some((c: any) => c.target.id === q.id && c.typeId === PRIMARY));
  });

  it('refuses a duplicate, a reverse side, an unknown, deleted, hidden or foreign opportunity, and a contact in the restore bin', async () => {
    const o = await opportunity({ name: 'Dup', contactId: ada });
    const dup = await refused(await call('POST', `/contacts/${ada}/associations`, owner.token, { typeId: PRIMARY, targetId: o.id }), 409, 'duplicate_association');
    assert.equal(dup.details.associationId, `opportunity:${o.id}`);
    assert.equal((await refused(await call('POST', `/contacts/${bo}/associations`, owner.token, { typeId: ASSOCIATED, targetId: o.id, reverse: true }), 422, 'invalid_field')).details.field, 'reverse');
    assert.equal((await refused(await call('POST', `/contacts/${bo}/associations`, owner.token, { typeId: ASSOCIATED, targetId: 'op_missing' }), 422, 'invalid_field')).details.field, 'targetId');
    const gone = await opportunity({ name: 'Gone', contactId: ada });
    await ok('DELETE', `/opportunities/${gone.id}`, owner.token);
    assert.equal((await refused(await call('POST', `/contacts/${bo}/associations`, owner.token, { typeId: ASSOCIATED, targetId: gone.id }), 422, 'invalid_field')).details.field, 'targetId');
    assert.ok(!(await cards(ada)).some((c: any) => c.target.id === gone.id), 'a deleted opportunity shows nowhere');
    // Another workspace: its contact is 404, our opportunity is no target of theirs.
    const theirs = (await ok('POST', '/contacts', stranger, { firstName: 'Zed' }, 201)).id;
    assert.equal((await refused(await call('POST', `/contacts/${theirs}/associations`, stranger, { typeId: ASSOCIATED, targetId: o.id }), 422, 'invalid_field')).details.field, 'targetId');
    assert.equal((await call('POST', `/contacts/${ada}/associations`, stranger, { typeId: ASSOCIATED, targetId: o.id })).status, 404);
    // A restricted member may not link an opportunity they cannot see.
    const restricted = await ws.token('agent', { externalId: 'restricted-linker', restrictToAssigned: true });
    const mine = (await ok('POST', '/contacts', owner.token, { firstName: 'Mine', ownerId: restricted.memberId }, 201)).id;
    assert.equal((await refused(await call('POST', `/contacts/${mine}/associations`, restricted.token, { typeId: ASSOCIATED, targetId: o.id }), 422, 'invalid_field')).details.field, 'targetId');
    const binned = (await ok('POST', '/contacts', owner.token, { firstName: 'Binned' }, 201)).id;
    await ok('DELETE', `/contacts/${binned}`, owner.token);
    await refused(await call('POST', `/contacts/${binned}/associations`, owner.token, { typeId: ASSOCIATED, targetId: o.id }), 409, 'contact_deleted');
    assert.equal(await stored(), 0);
  });

  it('removing unlinks (never deletes the opportunity); the earliest other contact becomes primary', async () => {
    const o = await opportunity({ name: 'Unlink me', contactId: ada });
    await ok('POST', `/opportunities/${o.id}/contacts`, owner.token, { contactId: bo });
    const removed = await ok('DELETE', `/contacts/${ada}/associations/opportunity:${o.id}`, agent.token);
    assert.deepEqual([removed.label, removed.target.id], ['Primary contact', o.id]);
    assert.deepEqual(await roles(o.id), [[bo, 'primary']]);
    assert.equal((await ok('GET', `/opportunities/${o.id}`, owner.token)).name, 'Unlink me');
    assert.ok(!(await cards(ada)).some((c: any) => c.target.id === o.id));
    await refused(await call('DELETE', `/contacts/${ada}/associations/opportunity:${o.id}`, owner.token), 404, 'not_found');
    await refused(await call('DELETE', `/contacts/${ada}/associations/opportunity:op_missing`, owner.token), 404, 'not_found');
    assert.equal((await call('DELETE', `/contacts/${bo}/associations/opportunity:${o.id}`, stranger)).status, 404);
  });

  it('writes the opportunities feature’s audit, Activity, webhook and live events — not association ones', async () => {
    const endpoint = await ok('POST', '/webhook-endpoints', ws.secretKey, { url: 'https://hooks.example.com/opp-links', eventTypes: ['opportunity.updated', 'association.created', 'association.deleted'] }, 201);
    const cy = (await ok('POST', '/contacts', owner.token, { firstName: 'Cy' }, 201)).id;
    const o = await opportunity({ name: 'Audited', contactId: ada });
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    await ok('POST', `/contacts/${cy}/associations`, owner.token, { typeId: ASSOCIATED, targetId: o.id }, 201);
    h.clock.advance(1);
    await ok('DELETE', `/contacts/${cy}/associations/opportunity:${o.id}`, owner.token);
    stop();
    const who = (id: string) => (id === ada ? 'ada' : id === cy ? 'cy' : id);
    assert.deepEqual(seen.filter((e) => 'id' in e && e.id === o.id).map((e: any) => `${e.type}:${who(e.contactId)}`).sort(), ['opportunity.updated:ada', 'opportunity.updated:ada', 'opportunity.updated:cy', 'opportunity.updated:cy']);
    assert.ok(!seen.some((e) => e.type.startsWith('association.')));
    const audit = (await ok('GET', `/contacts/${cy}/audit`, owner.token)).items.map((e: any) => [e.action, e.context?.opportunity?.name]);
    assert.deepEqual(audit.slice(0, 2), [['opportunity.unlinked', 'Audited'], ['opportunity.linked', 'Audited']]);
    // The Activity timeline's opportunity group shows the link made and removed (as the Associations group does).
    const activity = (await ok('GET', `/contacts/${cy}/activity?kind=opportunity`, owner.token)).items.map((a: any) => a.kind);
    assert.deepEqual(activity, ['opportunity.unlinked', 'opportunity.linked']);
    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => [d.event_type, JSON.parse(d.payload).data.change]), [['opportunity.updated', 'contact_linked'], ['opportunity.updated', 'contact_unlinked']]);
  });
});
