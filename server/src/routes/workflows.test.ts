import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../domain/events.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

// Workflows and the client portal: host catalogues (secret key only, idempotent by host ids), host enrolment records
// (created, updated, repeated, claimed from a staff request, followed through a merge), staff enrol / remove and
// grant / revoke / join / leave, every refusal, roles, restricted members, tenant isolation, audit, Activity,
// webhooks and live events.
describe('workflows and client portal', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let contactId: string;
  let nurture: any;
  let draft: any;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const ok = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
    const res = await call(method, path, token, body);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const newContact = async (firstName: string, token = owner.token) => (await ok('POST', '/contacts', token, { firstName }, 201)).id as string;

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    contactId = await newContact('Ada');
    nurture = await ok('PUT', '/workflows/wf-nurture', ws.secretKey, { name: 'Lead nurture', status: 'active' }, 201);
    draft = await ok('PUT', '/workflows/wf-draft', ws.secretKey, { name: 'Onboarding', status: 'draft' }, 201);
  });
  after(() => h.close());

  it('registers workflows by host id: created once, updated and repeated idempotently, listed by name; members may not register', async () => {
    assert.match(nurture.id, /^wf_/);
    assert.deepEqual([nurture.hostId, nurture.name, nurture.status], ['wf-nurture', 'Lead nurture', 'active']);
    const again = await ok('PUT', '/workflows/wf-nurture', ws.secretKey, { name: 'Lead nurture', status: 'active' });
    assert.deepEqual(again, nurture, 'the same call again changes nothing');
    h.clock.advance(1);
    const renamed = await ok('PUT', '/workflows/wf-nurture', ws.secretKey, { name: 'Lead nurture (EU)', status: 'active' });
    assert.equal(renamed.id, nurture.id);
    assert.equal(renamed.name, 'Lead nurture (EU)');
    assert.ok(renamed.updatedAt > nurture.updatedAt);
    await ok('PUT', '/workflows/wf-nurture', ws.secretKey, { name: 'Lead nurture', status: 'active' });
    await ok('PUT', '/workflows/wf-old', ws.secretKey, { name: 'Old campaign', status: 'inactive' }, 201);

    const all = await ok('GET', '/workflows', agent.token);
    assert.deepEqual(all.items.map((w: any) => w.name), ['Lead nurture', 'Old campaign', 'Onboarding']);
    const active = await ok('GET', '/workflows?status=active', agent.token);
    assert.deepEqual(active.items.map((w: any) => w.hostId), ['wf-nurture']);
    assert.deepEqual((await ok('GET', '/workflows?q=board', owner.token)).items.map((w: any) => w.hostId), ['wf-draft']);
    const first = await ok('GET', '/workflows?limit=2', owner.token);
    assert.equal(first.items.length, 2);
    const rest = await ok('GET', `/workflows?limit=2&cursor=${first.nextCursor}`, owner.token);
    assert.deepEqual(rest.items.map((w: any) => w.name), ['Onboarding']);
    assert.equal(rest.nextCursor, null);

    for (const token of [owner.token, agent.token]) {
      const res = await call('PUT', '/workflows/wf-x', token, { name: 'Mine', status: 'active' });
      assert.equal(res.status, 403);
      assert.match(res.body.error.message, /secret key/);
    }
    const bad = await call('PUT', '/workflows/has space', ws.secretKey, { name: '', status: 'paused' });
    assert.equal(bad.status, 400);
    const fields = bad.body.error.details.map((d: any) => d.path ?? d.field).join(',');
    assert.match(fields, /hostId|name|status/);
    assert.equal((await call('PUT', '/workflows/wf-y', ws.secretKey, { name: 'Y', status: 'active', extra: 1 })).status, 400);
  });

  it('staff add a contact to an active workflow and remove it: recorded at once, refused when not possible', async () => {
    const c = await newContact('Grace');
    const added = await ok('POST', `/contacts/${c}/workflows`, agent.token, { workflowId: nurture.id }, 201);
    assert.match(added.id, /^we_/);
    assert.deepEqual([added.status, added.hostId, added.step, added.endedAt, added.enrolledBy.id], ['enrolled', null, null, null, agent.memberId]);
    assert.equal(added.workflow.name, 'Lead nurture');

    const twice = await call('POST', `/contacts/${c}/workflows`, agent.token, { workflowId: nurture.id });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'already_enrolled');
    const notActive = await call('POST', `/contacts/${c}/workflows`, agent.token, { workflowId: draft.id });
    assert.equal(notActive.status, 422);
    assert.match(notActive.body.error.message, /not active/);
    assert.equal((await call('POST', `/contacts/${c}/workflows`, agent.token, { workflowId: 'wf_nope' })).status, 422);
    assert.equal((await call('POST', `/contacts/${c}/workflows`, agent.token, {})).status, 400);

    const active = await ok('GET', `/contacts/${c}/workflows`, agent.token);
    assert.deepEqual(active.items.map((e: any) => e.id), [added.id]);
    assert.deepEqual((await ok('GET', `/contacts/${c}/workflows?status=past`, agent.token)).items, []);

    h.clock.advance(1000);
    const removed = await ok('DELETE', `/contacts/${c}/workflows/${added.id}`, agent.token);
    assert.deepEqual([removed.status, removed.endedAt, removed.stoppedBy.id], ['stopped', h.clock.now(), agent.memberId]);
    const again = await call('DELETE', `/contacts/${c}/workflows/${added.id}`, agent.token);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'not_enrolled');
    assert.deepEqual((await ok('GET', `/contacts/${c}/workflows?status=past`, agent.token)).items.map((e: any) => e.id), [added.id]);
    assert.deepEqual((await ok('GET', `/contacts/${c}/workflows`, agent.token)).items, []);
    // Re-enrolling after a removal is a new enrolment.
    const back = await ok('POST', `/contacts/${c}/workflows`, owner.token, { workflowId: nurture.id }, 201);
    assert.notEqual(back.id, added.id);
    const other = await newContact('Other');
    assert.equal((await call('DELETE', `/contacts/${other}/workflows/${back.id}`, owner.token)).status, 404, 'the enrolment of another contact');

    await ok('DELETE', `/contacts/${c}`, owner.token);
    const binned = await call('POST', `/contacts/${c}/workflows`, owner.token, { workflowId: nurture.id });
    assert.equal(binned.status, 409);
    assert.equal(binned.body.error.code, 'contact_deleted');
    assert.equal((await call('DELETE', `/contacts/${c}/workflows/${back.id}`, owner.token)).body.error.code, 'contact_deleted');
  });

  it('records the host’s enrolments idempotently by its ids, claims a staff request, follows merges, refuses what does not fit', async () => {
    const c = await newContact('Hopper');
    const path = '/workflows/wf-nurture/enrolments/enr-1';
    const made = await ok('PUT', path, ws.secretKey, { contactId: c, status: 'enrolled', step: 'Welcome email', enrolledAt: h.clock.now() - 60_000 }, 201);
    assert.deepEqual([made.hostId, made.status, made.step, made.enrolledAt, made.enrolledBy], ['enr-1', 'enrolled', 'Welcome email', h.clock.now() - 60_000, null]);
    const same = await ok('PUT', path, ws.secretKey, { contactId: c, status: 'enrolled', step: 'Welcome email', enrolledAt: h.clock.now() - 60_000 });
    assert.deepEqual(same, made, 'the same record again changes nothing');
    h.clock.advance(1000);
    const stepped = await ok('PUT', path, ws.secretKey, { contactId: c, status: 'enrolled', step: 'Follow-up call' });
    assert.equal(stepped.step, 'Follow-up call');
    assert.equal(stepped.enrolledAt, made.enrolledAt, 'fields not sent are kept');
    h.clock.advance(1000);
    const done = await ok('PUT', path, ws.secretKey, { contactId: c, status: 'completed' });
    assert.deepEqual([done.status, done.endedAt, done.step], ['completed', h.clock.now(), 'Follow-up call']);
    h.clock.advance(1000);
    assert.equal((await ok('PUT', path, ws.secretKey, { contactId: c, status: 'completed' })).endedAt, done.endedAt, 'the end time stays on a repeat');
    const audit = await h.opened.db.selectFrom('audit_events').select(['action', 'actor_type']).where('contact_id', '=', c).where('action', 'like', 'workflow.%').orderBy('at').execute();
    assert.deepEqual(audit.map((a) => `${a.action}:${a.actor_type}`), ['workflow.enrolled:api', 'workflow.step_changed:api', 'workflow.completed:api']);

    // A record of an enrolment staff asked for carries its id: the host's id is attached, no second one made.
    const asked = await ok('POST', `/contacts/${c}/workflows`, owner.token, { workflowId: nurture.id }, 201);
    const claimed = await ok('PUT', '/workflows/wf-nurture/enrolments/enr-2', ws.secretKey, { contactId: c, status: 'enrolled', step: 'Day 1', enrolmentId: asked.id });
    assert.deepEqual([claimed.id, claimed.hostId, claimed.step, claimed.enrolledBy.id], [asked.id, 'enr-2', 'Day 1', owner.memberId]);
    const claimAgain = await call('PUT', '/workflows/wf-nurture/enrolments/enr-3', ws.secretKey, { contactId: c, status: 'enrolled', enrolmentId: asked.id });
    assert.equal(claimAgain.status, 422, 'already under another host id');
    assert.equal((await ok('GET', `/contacts/${c}/workflows`, owner.token)).items.length, 1);

    // Refusals.
    const wrong = await call('PUT', '/workflows/wf-nope/enrolments/enr-9', ws.secretKey, { contactId: c, status: 'enrolled' });
    assert.equal(wrong.status, 404);
    assert.equal((await call('PUT', '/workflows/wf-nurture/enrolments/enr-9', ws.secretKey, { contactId: 'ct_nope', status: 'enrolled' })).status, 422);
    const other = await newContact('Other');
    const moved = await call('PUT', path, ws.secretKey, { contactId: other, status: 'completed' });
    assert.equal(moved.status, 409, 'an enrolment stays with its contact');
    const otherWf = await call('PUT', '/workflows/wf-draft/enrolments/enr-1', ws.secretKey, { contactId: c, status: 'completed' });
    assert.equal(otherWf.status, 409, 'and with its workflow');
    const running = await call('PUT', '/workflows/wf-nurture/enrolments/enr-9', ws.secretKey, { contactId: c, status: 'enrolled', endedAt: h.clock.now() });
    assert.equal(running.status, 422);
    const backwards = await call('PUT', '/workflows/wf-nurture/enrolments/enr-9', ws.secretKey, { contactId: c, status: 'stopped', enrolledAt: h.clock.now(), endedAt: h.clock.now() - 1 });
    assert.equal(backwards.status, 400);
    assert.equal((await call('PUT', path, owner.token, { contactId: c, status: 'completed' })).status, 403, 'members do not record for the host');

    // A contact merged since: the record lands on the survivor.
    const dup = await newContact('Hopper dup');
    await ok('POST', '/contacts/merge', owner.token, { survivorId: c, mergedIds: [dup] }, 201);
    const followed = await ok('PUT', '/workflows/wf-nurture/enrolments/enr-10', ws.secretKey, { contactId: dup, status: 'enrolled' }, 201);
    assert.equal(followed.contactId, c);
  });

  it('manages the portal catalogues (secret key) and grants, revokes, joins and leaves per contact', async () => {
    const course = await ok('PUT', '/portal/offers/course-101', ws.secretKey, { name: 'Course 101', status: 'active' }, 201);
    assert.match(course.id, /^po_/);
    assert.deepEqual(await ok('PUT', '/portal/offers/course-101', ws.secretKey, { name: 'Course 101', status: 'active' }), course);
    const old = await ok('PUT', '/portal/offers/course-old', ws.secretKey, { name: 'Archived course', status: 'inactive' }, 201);
    const group = await ok('PUT', '/portal/groups/members', ws.secretKey, { name: 'Members lounge', status: 'active' }, 201);
    assert.match(group.id, /^pg_/);
    assert.equal((await ok('PUT', '/portal/groups/course-101', ws.secretKey, { name: 'Course 101 group', status: 'active' }, 201)).kind, 'group', 'host ids are per catalogue');
    assert.equal((await call('PUT', '/portal/offers/x', owner.token, { name: 'X', status: 'active' })).status, 403);
    assert.equal((await call('PUT', '/portal/groups/x', ws.secretKey, { name: 'X', status: 'archived' })).status, 400);
    assert.deepEqual((await ok('GET', '/portal/offers', agent.token)).items.map((o: any) => o.name), ['Archived course', 'Course 101']);
    assert.deepEqual((await ok('GET', '/portal/offers?status=active', agent.token)).items.map((o: any) => o.id), [course.id]);
    assert.deepEqual((await ok('GET', '/portal/groups?q=lounge', agent.token)).items.map((o: any) => o.id), [group.id]);

    const c = await newContact('Lovelace');
    assert.deepEqual(await ok('GET', `/contacts/${c}/portal`, agent.token), { offers: [], groups: [] });
    const granted = await ok('PUT', `/contacts/${c}/portal/offers/${course.id}`, agent.token, undefined, 201);
    assert.deepEqual([granted.item.name, granted.grantedBy.id], ['Course 101', agent.memberId]);
    assert.deepEqual(await ok('PUT', `/contacts/${c}/portal/offers/${course.id}`, agent.token), granted, 'granting twice keeps one');
    const inactive = await call('PUT', `/contacts/${c}/portal/offers/${old.id}`, agent.token);
    assert.equal(inactive.status, 409);
    assert.equal(inactive.body.error.code, 'item_inactive');
    assert.equal((await call('PUT', `/contacts/${c}/portal/offers/${group.id}`, agent.token)).status, 404, 'a group is not an offer');
    await ok('PUT', `/contacts/${c}/portal/groups/${group.id}`, agent.token, undefined, 201);
    const both = await ok('GET', `/contacts/${c}/portal`, agent.token);
    assert.deepEqual([both.offers.map((g: any) => g.item.id), both.groups.map((g: any) => g.item.id)], [[course.id], [group.id]]);

    assert.equal((await ok('DELETE', `/contacts/${c}/portal/offers/${course.id}`, agent.token)).id, course.id);
    assert.equal((await call('DELETE', `/contacts/${c}/portal/offers/${course.id}`, agent.token)).status, 404, 'not granted any more');
    await ok('DELETE', `/contacts/${c}/portal/groups/${group.id}`, agent.token);
    assert.deepEqual(await ok('GET', `/contacts/${c}/portal`, agent.token), { offers: [], groups: [] });
    const audit = await h.opened.db.selectFrom('audit_events').select('action').where('contact_id', '=', c).where('action', 'like', 'portal.%').orderBy('at').execute();
    assert.deepEqual(audit.map((a) => a.action), ['portal.offer_granted', 'portal.group_joined', 'portal.offer_revoked', 'portal.group_left']);

    await ok('DELETE', `/contacts/${c}`, owner.token);
    assert.equal((await call('PUT', `/contacts/${c}/portal/offers/${course.id}`, owner.token)).body.error.code, 'contact_deleted');
  });

  it('keeps to roles, restricted members and the workspace', async () => {
    const other = await h.workspace();
    const stranger = await other.token('owner', { externalId: 'stranger' });
    const offer = await ok('PUT', '/portal/offers/iso', ws.secretKey, { name: 'Iso', status: 'active' }, 201);
    assert.deepEqual((await ok('GET', '/workflows', stranger.token)).items, [], 'another workspace sees none of these workflows');
    assert.deepEqual((await ok('GET', '/portal/offers', other.secretKey)).items, []);
    for (const [method, path] of [['GET', `/contacts/${contactId}/workflows`], ['GET', `/contacts/${contactId}/portal`], ['PUT', `/contacts/${contactId}/portal/offers/${offer.id}`]] as const) {
      assert.equal((await call(method, path, stranger.token)).status, 404, `${method} ${path} from another workspace`);
    }
    const theirs = await newContact('Theirs', stranger.token);
    assert.equal((await call('POST', `/contacts/${theirs}/workflows`, stranger.token, { workflowId: nurture.id })).status, 422, 'a workflow of another workspace');
    assert.equal((await call('PUT', `/contacts/${theirs}/portal/offers/${offer.id}`, stranger.token)).status, 404, 'an offer of another workspace');
    assert.equal((await call('PUT', '/workflows/wf-nurture/enrolments/x1', other.secretKey, { contactId, status: 'enrolled' })).status, 404);
    await ok('PUT', '/workflows/wf-nurture', other.secretKey, { name: 'Their nurture', status: 'active' }, 201);
    assert.equal((await call('PUT', '/workflows/wf-nurture/enrolments/x1', other.secretKey, { contactId, status: 'enrolled' })).status, 422, 'a contact of another workspace');
    await ok('PUT', '/workflows/wf-nurture/enrolments/x1', other.secretKey, { contactId: theirs, status: 'enrolled' }, 201);
    const ours = await ok('PUT', '/workflows/wf-nurture/enrolments/x1', ws.secretKey, { contactId, status: 'enrolled' }, 201);
    assert.equal(ours.contactId, contactId, 'host ids are per workspace');

    const restricted = await ws.token('agent', { externalId: 'restricted', restrictToAssigned: true });
    assert.equal((await call('GET', `/contacts/${contactId}/workflows`, restricted.token)).status, 404);
    assert.equal((await call('POST', `/contacts/${contactId}/workflows`, restricted.token, { workflowId: nurture.id })).status, 404);
    assert.equal((await call('GET', `/contacts/${contactId}/portal`, restricted.token)).status, 404);
    const mine = (await ok('POST', '/contacts', restricted.token, { firstName: 'Mine', ownerId: restricted.memberId }, 201)).id;
    await ok('POST', `/contacts/${mine}/workflows`, restricted.token, { workflowId: nurture.id }, 201);
    await ok('PUT', `/contacts/${mine}/portal/offers/${offer.id}`, restricted.token, undefined, 201);
    assert.equal((await call('GET', `/contacts/${contactId}/workflows`, '')).status, 401);
  });

  it('audits, shows in Activity, sends webhooks for staff requests and portal changes, and publishes live events', async () => {
    const endpoint = await ok('POST', '/webhook-endpoints', ws.secretKey, { url: 'https://hooks.example.com/wfp', eventTypes: ['workflow.enroll_requested', 'workflow.remove_requested', 'portal.offer_granted', 'portal.offer_revoked', 'portal.group_joined', 'portal.group_left'] }, 201);
    const c = await newContact('Hooked');
    const offer = await ok('PUT', '/portal/offers/hook-course', ws.secretKey, { name: 'Hook course', status: 'active' }, 201);
    const group = await ok('PUT', '/portal/groups/hook-group', ws.secretKey, { name: 'Hook group', status: 'active' }, 201);
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    const tick = () => h.clock.advance(1);
    const e = await ok('POST', `/contacts/${c}/workflows`, owner.token, { workflowId: nurture.id }, 201);
    tick();
    await ok('PUT', '/workflows/wf-nurture/enrolments/hook-1', ws.secretKey, { contactId: c, status: 'enrolled', step: 'Step 1', enrolmentId: e.id });
    tick();
    await ok('DELETE', `/contacts/${c}/workflows/${e.id}`, owner.token);
    tick();
    await ok('PUT', '/workflows/wf-nurture/enrolments/hook-2', ws.secretKey, { contactId: c, status: 'completed', enrolledAt: h.clock.now() - 5000 }, 201);
    tick();
    await ok('PUT', `/contacts/${c}/portal/offers/${offer.id}`, owner.token, undefined, 201);
    tick();
    await ok('DELETE', `/contacts/${c}/portal/offers/${offer.id}`, owner.token);
    tick();
    await ok('PUT', `/contacts/${c}/portal/groups/${group.id}`, owner.token, undefined, 201);
    tick();
    await ok('DELETE', `/contacts/${c}/portal/groups/${group.id}`, owner.token);
    stop();

    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => d.event_type), ['workflow.enroll_requested', 'workflow.remove_requested', 'portal.offer_granted', 'portal.offer_revoked', 'portal.group_joined', 'portal.group_left'], 'the host’s own records send nothing back');
    const enroll = JSON.parse(deliveries[0]!.payload).data;
    assert.deepEqual([enroll.contactId, enroll.workflow.hostId, enroll.enrolment.id, enroll.actor.id], [c, 'wf-nurture', e.id, owner.memberId]);
    assert.equal(JSON.parse(deliveries[1]!.payload).data.enrolment.status, 'stopped');
    assert.deepEqual(JSON.parse(deliveries[2]!.payload).data.offer, { id: offer.id, hostId: 'hook-course', name: 'Hook course' });
    assert.deepEqual(JSON.parse(deliveries[4]!.payload).data.group, { id: group.id, hostId: 'hook-group', name: 'Hook group' });

    assert.deepEqual(seen.filter((x) => x.type.startsWith('workflow.') || x.type.startsWith('portal.')).map((x) => x.type), ['workflow.created', 'workflow.updated', 'workflow.updated', 'workflow.created', 'portal.created', 'portal.deleted', 'portal.created', 'portal.deleted']);

    const activity = await ok('GET', `/contacts/${c}/activity?kind=workflow,portal`, owner.token);
    assert.deepEqual(activity.items.map((i: any) => `${i.group}:${i.kind}`), [
      'portal:portal.group_left', 'portal:portal.group_joined', 'portal:portal.offer_revoked', 'portal:portal.offer_granted',
      'workflow:workflow.completed', 'workflow:workflow.stopped', 'workflow:workflow.enrolled', 'workflow:workflow.enrolled',
    ]);
    assert.equal(activity.items[4].audit.context.workflow.name, 'Lead nurture');
    const log = await ok('GET', `/contacts/${c}/audit?limit=50`, owner.token);
    assert.ok(log.items.some((x: any) => x.action === 'workflow.step_changed' || x.action === 'workflow.enrolled'));
  });
});
