import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../domain/events.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

// Pipelines and opportunities: every rule and error, roles, restricted members, tenant isolation on every route,
// audit, the Activity timeline, webhooks and live events.
describe('opportunities', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let pipeline: any;
  let ada: string;
  let bo: string;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const ok = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
    const res = await call(method, path, token, body);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const create = (body: Record<string, unknown>, token = owner.token) => ok('POST', '/opportunities', token, { name: 'Deal', pipelineId: pipeline.id, currency: 'USD', contactId: ada, ...body }, 201);
  const stage = (n: number) => pipeline.stages[n].id as string;

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    ada = (await call('POST', '/contacts', owner.token, { firstName: 'Ada', lastName: 'Deals' })).body.id;
    bo = (await call('POST', '/contacts', owner.token, { firstName: 'Bo' })).body.id;
    pipeline = await ok('POST', '/pipelines', owner.token, { name: 'Sales', stages: ['Lead', 'Qualified', 'Proposal'] }, 201);
  });
  after(() => h.close());

  it('manages pipelines: create, rename, add, rename, reorder and delete stages, with every error', async () => {
    assert.deepEqual(pipeline.stages.map((s: any) => [s.name, s.position, s.opportunityCount]), [['Lead', 0, 0], ['Qualified', 1, 0], ['Proposal', 2, 0]]);
    const p = await ok('POST', '/pipelines', owner.token, { name: 'Renewals', stages: ['Due'] }, 201);
    assert.equal((await ok('PATCH', `/pipelines/${p.id}`, owner.token, { name: 'Renewals 2027' })).name, 'Renewals 2027');
    let next = await ok('POST', `/pipelines/${p.id}/stages`, owner.token, { name: 'Renewed' }, 201);
    next = await ok('POST', `/pipelines/${p.id}/stages`, owner.token, { name: 'Contacted', position: 1 }, 201);
    assert.deepEqual(next.stages.map((s: any) => s.name), ['Due', 'Contacted', 'Renewed']);
    const [due, contacted, renewed] = next.stages.map((s: any) => s.id);
    next = await ok('PUT', `/pipelines/${p.id}/stages/order`, owner.token, { stageIds: [contacted, due, renewed] });
    assert.deepEqual(next.stages.map((s: any) => [s.name, s.position]), [['Contacted', 0], ['Due', 1], ['Renewed', 2]]);
    next = await ok('PATCH', `/pipelines/${p.id}/stages/${renewed}`, owner.token, { name: 'Renewed!' });
    assert.equal(next.stages[2].name, 'Renewed!');

    // Errors: validation (400), duplicate and foreign stages (422), unknown ids (404).
    for (const body of [{ name: '', stages: ['a'] }, { name: 'x', stages: [] }, { name: 'x', stages: [''] }, { name: 'x' }, { name: 'x', stages: ['a'], extra: 1 }]) {
      assert.equal((await call('POST', '/pipelines', owner.token, body)).status, 400, JSON.stringify(body));
    }
    const dup = await call('POST', '/pipelines', owner.token, { name: 'x', stages: ['Won', 'won'] });
    assert.equal(dup.status, 422);
    assert.deepEqual(dup.body.error.details, { field: 'stages[1]' });
    assert.equal((await call('POST', `/pipelines/${p.id}/stages`, owner.token, { name: 'DUE' })).status, 422);
    assert.equal((await call('PATCH', `/pipelines/${p.id}/stages/${renewed}`, owner.token, { name: 'due' })).status, 422);
    const foreign = await call('PUT', `/pipelines/${p.id}/stages/order`, owner.token, { stageIds: [contacted, due, stage(0)] });
    assert.deepEqual([foreign.status, foreign.body.error.details], [422, { field: 'stageIds[2]' }]);
    assert.equal((await call('PUT', `/pipelines/${p.id}/stages/order`, owner.token, { stageIds: [contacted, due] })).status, 422);
    assert.equal((await call('PUT', `/pipelines/${p.id}/stages/order`, owner.token, { stageIds: [contacted, contacted, due] })).status, 422);
    assert.equal((await call('PATCH', '/pipelines/pl_nope', owner.token, { name: 'x' })).status, 404);
    assert.equal((await call('DELETE', `/pipelines/${p.id}/stages/ps_nope`, owner.token)).status, 404);

    // A stage with an opportunity in it stays (409 stage_in_use); an empty one goes; the last one stays (409 last_stage).
    const opp = await create({ pipelineId: p.id, stageId: due });
    const used = await call('DELETE', `/pipelines/${p.id}/stages/${due}`, owner.token);
    assert.equal(used.status, 409);
    assert.equal(used.body.error.code, 'stage_in_use');
    assert.deepEqual(used.body.error.details, { count: 1 });
    assert.match(used.body.error.message, /1 opportunity is in the stage “Due”/);
    next = await ok('DELETE', `/pipelines/${p.id}/stages/${contacted}`, owner.token);
    assert.deepEqual(next.stages.map((s: any) => [s.name, s.position]), [['Due', 0], ['Renewed!', 1]]);
    await ok('PATCH', `/opportunities/${opp.id}`, owner.token, { stageId: renewed });
    await ok('DELETE', `/pipelines/${p.id}/stages/${due}`, owner.token);
    // A deleted opportunity no longer holds its stage.
    await ok('DELETE', `/opportunities/${opp.id}`, owner.token);
    const last = await call('DELETE', `/pipelines/${p.id}/stages/${renewed}`, owner.token);
    assert.deepEqual([last.status, last.body.error.code], [409, 'last_stage']);

    // Agents read pipelines but do not manage them.
    assert.ok((await ok('GET', '/pipelines', agent.token)).items.length >= 2);
    assert.equal((await call('POST', '/pipelines', agent.token, { name: 'Mine', stages: ['a'] })).status, 403);
    assert.equal((await call('PATCH', `/pipelines/${p.id}`, agent.token, { name: 'x' })).status, 403);
    assert.equal((await call('POST', `/pipelines/${p.id}/stages`, agent.token, { name: 'x' })).status, 403);
    assert.equal((await call('DELETE', `/pipelines/${p.id}/stages/${renewed}`, agent.token)).status, 403);
    // The host backend manages them with the secret key.
    assert.equal((await call('POST', '/pipelines', ws.secretKey, { name: 'From the host', stages: ['One'] })).status, 201);

    // Every change is in the workspace's audit (no contact), by who made it; refused and no-op calls write nothing.
    const audit = await h.opened.db.selectFrom('audit_events').select(['action', 'changes', 'actor_id', 'actor_type', 'contact_id']).where('workspace_id', '=', ws.id).where('action', 'like', 'pipeline.%').orderBy('at').orderBy('id').execute();
    const forP = audit.filter((a) => a.changes.includes(p.id));
    assert.deepEqual(forP.map((a) => a.action), ['pipeline.created', 'pipeline.updated', 'pipeline.stage_added', 'pipeline.stage_added', 'pipeline.stages_reordered', 'pipeline.stage_renamed', 'pipeline.stage_removed', 'pipeline.stage_removed']);
    assert.ok(forP.every((a) => a.actor_id === owner.memberId && a.contact_id === null));
    assert.deepEqual(JSON.parse(forP[1]!.changes).name, { before: 'Renewals', after: 'Renewals 2027' });
    assert.deepEqual(JSON.parse(forP[4]!.changes).stageIds, { before: [due, contacted, renewed], after: [contacted, due, renewed] });
    assert.deepEqual(JSON.parse(forP[6]!.changes).stage, { before: { id: contacted, name: 'Contacted', position: 0 }, after: null });
    assert.equal(audit.at(-1)!.actor_type, 'api');
    assert.deepEqual(JSON.parse(audit.at(-1)!.changes).pipeline.after.name, 'From the host');
  });

  it('deletes a pipeline only while no opportunity, live or deleted, points at it', async () => {
    const p = await ok('POST', '/pipelines', owner.token, { name: 'Short-lived', stages: ['One', 'Two'] }, 201);
    const o = await create({ pipelineId: p.id });
    assert.equal((await call('DELETE', `/pipelines/${p.id}`, agent.token)).status, 403);
    const used = await call('DELETE', `/pipelines/${p.id}`, owner.token);
    assert.deepEqual([used.status, used.body.error.code, used.body.error.details], [409, 'pipeline_in_use', { count: 1 }]);
    assert.match(used.body.error.message, /1 opportunity is in the pipeline “Short-lived”/);
    // A deleted opportunity is kept for history (an unmerge may bring back a link to it): it still holds the pipeline.
    await ok('DELETE', `/opportunities/${o.id}`, owner.token);
    const kept = await call('DELETE', `/pipelines/${p.id}`, owner.token);
    assert.deepEqual([kept.status, kept.body.error.code, kept.body.error.details], [409, 'pipeline_in_use', { count: 0 }]);
    const empty = await ok('POST', '/pipelines', owner.token, { name: 'Unused', stages: ['One'] }, 201);
    assert.equal((await ok('DELETE', `/pipelines/${empty.id}`, owner.token)).name, 'Unused');
    const gone = await h.opened.db.selectFrom('audit_events').select(['changes', 'actor_id']).where('workspace_id', '=', ws.id).where('action', '=', 'pipeline.deleted').execute();
    assert.deepEqual(gone.map((a) => [JSON.parse(a.changes).pipeline.before, a.actor_id]), [[{ id: empty.id, name: 'Unused', stages: ['One'] }, owner.memberId]]);
    assert.ok(!(await ok('GET', '/pipelines', owner.token)).items.some((x: any) => x.id === empty.id));
    assert.equal((await call('GET', `/pipelines/${empty.id}`, owner.token)).status, 404);
    assert.equal((await call('DELETE', `/pipelines/${empty.id}`, owner.token)).status, 404);
    // Another workspace's pipeline is not found; the host backend may delete with the secret key.
    const other = await h.workspace();
    const theirs = await ok('POST', '/pipelines', other.secretKey, { name: 'Theirs', stages: ['One'] }, 201);
    assert.equal((await call('DELETE', `/pipelines/${theirs.id}`, owner.token)).status, 404);
    assert.equal((await call('DELETE', `/pipelines/${theirs.id}`, other.secretKey)).status, 200);
  });

  it('creates an opportunity with its fields and defaults, and refuses wrong ones', async () => {
    const o = await create({ name: ' Big deal ', value: 1999, currency: 'eur', source: 'Website', closeDate: '2027-03-31' });
    assert.match(o.id, /^op_/);
    assert.equal(o.name, 'Big deal');
    assert.deepEqual([o.pipeline.name, o.stage.name, o.value, o.currency, o.status, o.source, o.closeDate], ['Sales', 'Lead', 1999, 'EUR', 'open', 'Website', '2027-03-31']);
    assert.deepEqual(o.owner, { id: owner.memberId, name: 'owner owner-1' }, 'the creator owns it by default');
    assert.deepEqual(o.contacts.map((c: any) => [c.id, c.name, c.role]), [[ada, 'Ada Deals', 'primary']]);
    const won = await create({ status: 'won', stageId: stage(2), ownerId: agent.memberId, value: 0, currency: 'JPY' });
    assert.equal(won.statusChangedAt, h.clock.now());
    assert.equal(won.owner.id, agent.memberId);

    const bad: [Record<string, unknown>, number, string?][] = [
      [{ name: '' }, 400],
      [{ value: 19.99 }, 400],
      [{ value: -1 }, 400],
      [{ currency: 'XYZ' }, 400],
      [{ currency: 'US' }, 400],
      [{ closeDate: '2027-02-30' }, 400],
      [{ status: 'maybe' }, 400],
      [{ pipelineId: 'pl_nope' }, 422, 'pipelineId'],
      [{ stageId: 'ps_nope' }, 422, 'stageId'],
      [{ ownerId: 'mb_nope' }, 422, 'ownerId'],
      [{ contactId: 'ct_nope' }, 422, 'contactId'],
    ];
    for (const [body, status, field] of bad) {
      const res = await call('POST', '/opportunities', owner.token, { name: 'x', pipelineId: pipeline.id, currency: 'USD', ...body });
      assert.equal(res.status, status, JSON.stringify(body));
      if (field) assert.deepEqual(res.body.error.details, { field });
    }
    // A stage of another pipeline is refused.
    const other = (await ok('GET', '/pipelines', owner.token)).items.find((p: any) => p.id !== pipeline.id);
    assert.equal((await call('POST', '/opportunities', owner.token, { name: 'x', pipelineId: pipeline.id, stageId: other.stages[0].id, currency: 'USD' })).status, 422);
    // A contact in the restore bin takes no new opportunity.
    const binned = (await call('POST', '/contacts', owner.token, { firstName: 'Gone' })).body.id;
    await call('DELETE', `/contacts/${binned}`, owner.token);
    const res = await call('POST', '/opportunities', owner.token, { name: 'x', pipelineId: pipeline.id, currency: 'USD', contactId: binned });
    assert.deepEqual([res.status, res.body.error.code], [409, 'contact_deleted']);
  });

  it('moves stages (and pipelines), changes status with a lost reason, and reopens', async () => {
    const o = await create({ name: 'Mover' });
    let now = await ok('PATCH', `/opportunities/${o.id}`, agent.token, { stageId: stage(1) });
    assert.equal(now.stage.name, 'Qualified');
    now = await ok('PATCH', `/opportunities/${o.id}`, agent.token, { status: 'lost', lostReason: 'Budget' });
    assert.deepEqual([now.status, now.lostReason], ['lost', 'Budget']);
    now = await ok('PATCH', `/opportunities/${o.id}`, agent.token, { status: 'open' });
    assert.deepEqual([now.status, now.lostReason], ['open', null], 'reopening clears the lost reason');
    now = await ok('PATCH', `/opportunities/${o.id}`, agent.token, { lostReason: 'ignored while open' });
    assert.equal(now.lostReason, null);
    now = await ok('PATCH', `/opportunities/${o.id}`, agent.token, { ownerId: null, source: '', closeDate: null, value: 5000, currency: 'GBP' });
    assert.deepEqual([now.owner, now.source, now.value, now.currency], [null, null, 5000, 'GBP']);
    // Another pipeline without a stage: its first stage.
    const renewals = await ok('POST', '/pipelines', owner.token, { name: 'Moved to', stages: ['First', 'Second'] }, 201);
    now = await ok('PATCH', `/opportunities/${o.id}`, agent.token, { pipelineId: renewals.id });
    assert.deepEqual([now.pipeline.name, now.stage.name], ['Moved to', 'First']);
    assert.equal((await call('PATCH', `/opportunities/${o.id}`, agent.token, { stageId: stage(0) })).status, 422, 'a stage of another pipeline');
    assert.equal((await call('PATCH', `/opportunities/${o.id}`, agent.token, {})).status, 400);
    assert.equal((await call('PATCH', `/opportunities/${o.id}`, agent.token, { contactId: bo })).status, 400);
    assert.equal((await call('PATCH', '/opportunities/op_nope', agent.token, { name: 'x' })).status, 404);
  });

  it('links and unlinks contacts: one primary, role changes, never deletes the opportunity', async () => {
    const o = await create({ name: 'Shared' });
    let now = await ok('POST', `/opportunities/${o.id}/contacts`, agent.token, { contactId: bo });
    assert.deepEqual(now.contacts.map((c: any) => [c.id, c.role]), [[ada, 'primary'], [bo, 'associated']]);
    now = await ok('POST', `/opportunities/${o.id}/contacts`, agent.token, { contactId: bo, role: 'primary' });
    assert.deepEqual(now.contacts.map((c: any) => [c.id, c.role]), [[bo, 'primary'], [ada, 'associated']]);
    now = await ok('DELETE', `/opportunities/${o.id}/contacts/${bo}`, agent.token);
    assert.deepEqual(now.contacts.map((c: any) => [c.id, c.role]), [[ada, 'primary']], 'the next one becomes primary');
    now = await ok('DELETE', `/opportunities/${o.id}/contacts/${ada}`, agent.token);
    assert.deepEqual(now.contacts, []);
    assert.equal((await ok('GET', `/opportunities/${o.id}`, owner.token)).name, 'Shared', 'still there');
    assert.equal((await call('DELETE', `/opportunities/${o.id}/contacts/${ada}`, agent.token)).status, 404);
    // The first contact linked is the primary whatever was asked.
    now = await ok('POST', `/opportunities/${o.id}/contacts`, agent.token, { contactId: bo, role: 'associated' });
    assert.deepEqual(now.contacts.map((c: any) => c.role), ['primary']);
    assert.equal((await call('POST', `/opportunities/${o.id}/contacts`, agent.token, { contactId: 'ct_nope' })).status, 422);
    assert.equal((await call('POST', `/opportunities/${o.id}/contacts`, agent.token, { contactId: bo, role: 'boss' })).status, 400);
  });

  it('lists a contact’s opportunities (open first) and searches all of them with keyset pages', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Lister' })).body.id;
    h.clock.advance(10);
    const a = await create({ name: 'Alpha search', contactId: c });
    h.clock.advance(10);
    const b = await create({ name: 'Beta search', contactId: c, status: 'won' });
    h.clock.advance(10);
    await create({ name: 'Gamma search', contactId: c });
    const list = await ok('GET', `/contacts/${c}/opportunities`, agent.token);
    assert.deepEqual(list.items.map((o: any) => o.name), ['Gamma search', 'Alpha search', 'Beta search']);
    assert.deepEqual((await ok('GET', `/contacts/${c}/opportunities?status=won`, agent.token)).items.map((o: any) => o.id), [b.id]);
    assert.equal((await call('GET', `/contacts/${c}/opportunities?status=maybe`, agent.token)).status, 400);
    assert.equal((await call('GET', '/contacts/ct_nope/opportunities', agent.token)).status, 404);

    const first = await ok('GET', '/opportunities?q=SEARCH&limit=2', agent.token);
    assert.deepEqual(first.items.map((o: any) => o.name), ['Gamma search', 'Beta search']);
    const second = await ok('GET', `/opportunities?q=search&limit=2&cursor=${first.nextCursor}`, agent.token);
    assert.deepEqual([second.items.map((o: any) => o.id), second.nextCursor], [[a.id], null]);
    assert.deepEqual((await ok('GET', `/opportunities?q=search&status=won`, agent.token)).items.map((o: any) => o.id), [b.id]);
    assert.deepEqual((await ok('GET', `/opportunities?q=100%25`, agent.token)).items, [], 'LIKE wildcards are literal');
    assert.equal((await call('GET', '/opportunities?cursor=garbage', agent.token)).status, 400);
  });

  it('lets agents delete only what they created; deleted ones leave every list', async () => {
    const theirs = await create({ name: 'Owner made' });
    const mine = await create({ name: 'Agent made' }, agent.token);
    assert.equal(theirs.canDelete, true);
    assert.equal((await ok('GET', `/opportunities/${theirs.id}`, agent.token)).canDelete, false);
    assert.equal((await call('DELETE', `/opportunities/${theirs.id}`, agent.token)).status, 403);
    await ok('DELETE', `/opportunities/${mine.id}`, agent.token);
    await ok('DELETE', `/opportunities/${theirs.id}`, owner.token);
    assert.equal((await call('GET', `/opportunities/${theirs.id}`, owner.token)).status, 404);
    assert.equal((await call('DELETE', `/opportunities/${theirs.id}`, owner.token)).status, 404);
    const listed = (await ok('GET', `/contacts/${ada}/opportunities`, owner.token)).items.map((o: any) => o.id);
    assert.ok(!listed.includes(theirs.id) && !listed.includes(mine.id));
  });

  it('shows restricted members only the opportunities of their contacts or their own', async () => {
    const restricted = await ws.token('agent', { externalId: 'restricted-opp', restrictToAssigned: true });
    const theirsContact = (await call('POST', '/contacts', owner.token, { firstName: 'Assigned', ownerId: restricted.memberId })).body.id;
    const visible = await create({ name: 'Visible one', contactId: theirsContact });
    const hidden = await create({ name: 'Hidden one', contactId: ada });
    const own = await create({ name: 'Own one', contactId: undefined, ownerId: restricted.memberId });
    const names = (await ok('GET', '/opportunities?q=one', restricted.token)).items.map((o: any) => o.name);
    assert.deepEqual(names.sort(), ['Own one', 'Visible one']);
    assert.equal((await call('GET', `/opportunities/${hidden.id}`, restricted.token)).status, 404);
    assert.equal((await call('PATCH', `/opportunities/${hidden.id}`, restricted.token, { name: 'x' })).status, 404);
    assert.equal((await call('GET', `/contacts/${ada}/opportunities`, restricted.token)).status, 404);
    // Linking a contact they cannot see is refused; the contacts they cannot see are left out of what they read.
    assert.equal((await call('POST', `/opportunities/${own.id}/contacts`, restricted.token, { contactId: ada })).status, 422);
    await ok('POST', `/opportunities/${visible.id}/contacts`, owner.token, { contactId: ada });
    assert.deepEqual((await ok('GET', `/opportunities/${visible.id}`, restricted.token)).contacts.map((c: any) => c.id), [theirsContact]);
  });

  it('keeps other workspaces out of every route', async () => {
    const stranger = await (await h.workspace()).token('owner');
    const o = await create({ name: 'Private' });
    const t = stranger.token;
    const refused: [string, string, unknown?][] = [
      ['GET', `/opportunities/${o.id}`],
      ['PATCH', `/opportunities/${o.id}`, { name: 'x' }],
      ['DELETE', `/opportunities/${o.id}`],
      ['POST', `/opportunities/${o.id}/contacts`, { contactId: bo }],
      ['DELETE', `/opportunities/${o.id}/contacts/${ada}`],
      ['GET', `/contacts/${ada}/opportunities`],
      ['GET', `/pipelines/${pipeline.id}`],
      ['PATCH', `/pipelines/${pipeline.id}`, { name: 'x' }],
      ['POST', `/pipelines/${pipeline.id}/stages`, { name: 'x' }],
      ['PATCH', `/pipelines/${pipeline.id}/stages/${stage(0)}`, { name: 'x' }],
      ['PUT', `/pipelines/${pipeline.id}/stages/order`, { stageIds: pipeline.stages.map((s: any) => s.id) }],
      ['DELETE', `/pipelines/${pipeline.id}/stages/${stage(2)}`],
    ];
    for (const [method, path, body] of refused) assert.equal((await call(method, path, t, body)).status, 404, `${method} ${path}`);
    assert.deepEqual((await ok('GET', '/opportunities', t)).items, []);
    assert.deepEqual((await ok('GET', '/pipelines', t)).items, []);
    // Their pipeline cannot hold our contact, nor ours theirs.
    const theirs = await ok('POST', '/pipelines', t, { name: 'Theirs', stages: ['One'] }, 201);
    assert.equal((await call('POST', '/opportunities', t, { name: 'x', pipelineId: theirs.id, currency: 'USD', contactId: ada })).status, 422);
    assert.equal((await call('POST', '/opportunities', owner.token, { name: 'x', pipelineId: theirs.id, currency: 'USD' })).status, 422);
    assert.equal((await call('GET', '/opportunities', '')).status, 401);
  });

  it('audits on every linked contact, shows in Activity, sends each webhook once and publishes live events', async () => {
    const endpoint = await h.call('POST', '/api/v1/webhook-endpoints', { token: ws.secretKey, body: { url: 'https://hooks.example.com/opps', eventTypes: ['opportunity.created', 'opportunity.updated', 'opportunity.stage_changed', 'opportunity.status_changed', 'opportunity.deleted'] } });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    const o = await create({ name: 'Hooked', value: 1000 });
    h.clock.advance(1);
    await ok('POST', `/opportunities/${o.id}/contacts`, owner.token, { contactId: bo });
    h.clock.advance(1);
    await ok('PATCH', `/opportunities/${o.id}`, owner.token, { stageId: stage(2) });
    h.clock.advance(1);
    await ok('PATCH', `/opportunities/${o.id}`, owner.token, { status: 'won', value: 1200 });
    h.clock.advance(1);
    await ok('DELETE', `/opportunities/${o.id}`, owner.token);
    stop();

    const audit = await h.opened.db.selectFrom('audit_events').select(['action', 'contact_id']).where('context', 'like', `%${o.id}%`).orderBy('at').orderBy('action').execute();
    const byContact = (id: string) => audit.filter((a) => a.contact_id === id).map((a) => a.action);
    // Rows of one change share its time (ordered here by action).
    assert.deepEqual(byContact(ada), ['opportunity.created', 'opportunity.stage_changed', 'opportunity.status_changed', 'opportunity.updated', 'opportunity.deleted']);
    assert.deepEqual(byContact(bo), ['opportunity.linked', 'opportunity.stage_changed', 'opportunity.status_changed', 'opportunity.updated', 'opportunity.deleted']);

    const activity = await ok('GET', `/contacts/${ada}/activity?kind=opportunity`, owner.token);
    assert.deepEqual(activity.items.filter((i: any) => i.audit?.context?.opportunity?.id === o.id).map((i: any) => [i.group, i.kind]), [
      ['opportunity', 'opportunity.deleted'],
      ['opportunity', 'opportunity.status_changed'],
      ['opportunity', 'opportunity.stage_changed'],
      ['opportunity', 'opportunity.created'],
    ]);

    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload', 'contact_id']).where('endpoint_id', '=', endpoint.body.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => d.event_type), ['opportunity.created', 'opportunity.updated', 'opportunity.stage_changed', 'opportunity.updated', 'opportunity.status_changed', 'opportunity.deleted']);
    assert.ok(deliveries.every((d) => d.contact_id === ada), 'ordered with the primary contact');
    const data = deliveries.map((d) => JSON.parse(d.payload).data);
    assert.equal(data[0].opportunity.name, 'Hooked');
    assert.deepEqual([data[1].change, data[1].contactId], ['contact_linked', bo]);
    assert.deepEqual([data[2].from.stage, data[2].to.stage, data[2].opportunity.stage.name], ['Lead', 'Proposal', 'Proposal']);
    assert.deepEqual(data[3].changes.value, { before: 1000, after: 1200 });
    assert.deepEqual([data[4].from, data[4].to, data[4].opportunity.status], ['open', 'won', 'won']);
    assert.deepEqual(data[5].opportunity, { id: o.id, name: 'Hooked' });

    const live = seen.filter((e) => 'id' in e && e.id === o.id).map((e) => `${e.type}:${(e as { contactId: string }).contactId === ada ? 'ada' : 'bo'}`);
    assert.deepEqual(live, ['opportunity.created:ada', 'opportunity.updated:ada', 'opportunity.updated:bo', 'opportunity.updated:ada', 'opportunity.updated:bo', 'opportunity.updated:ada', 'opportunity.updated:bo', 'opportunity.deleted:ada', 'opportunity.deleted:bo']);
  });
});
