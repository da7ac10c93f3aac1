import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../domain/events.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const HOUR = 3_600_000;

// A contact's tasks and a member's open tasks across contacts: rules, errors, roles, restricted members, tenant
// isolation, audit, webhooks, live events and the header's due summary.
describe('tasks', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let contactId: string;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const add = async (body: Record<string, unknown>, token = owner.token, id = contactId) => {
    const res = await call('POST', `/contacts/${id}/tasks`, token, { assigneeId: owner.memberId, dueAt: h.clock.now() + HOUR, ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const titles = async (query: string, token = owner.token, path = `/contacts/${contactId}/tasks`) => {
    const res = await call('GET', `${path}${query}`, token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items.map((t: { title: string }) => t.title);
  };

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    contactId = (await call('POST', '/contacts', owner.token, { firstName: 'Tess', lastName: 'Tasks' })).body.id;
  });
  after(() => h.close());

  it('creates a task with its assignee and refuses missing or wrong fields', async () => {
    const task = await add({ title: ' Send the quote ', description: 'PDF with the new prices', assigneeId: agent.memberId });
    assert.match(task.id, /^tk_/);
    assert.equal(task.title, 'Send the quote');
    assert.deepEqual(task.assignee, { id: agent.memberId, name: 'agent agent-1' });
    assert.equal(task.status, 'open');
    assert.equal(task.contactName, 'Tess Tasks');
    for (const body of [{ dueAt: 1, assigneeId: owner.memberId, title: 'x' }, { title: '', dueAt: h.clock.now(), assigneeId: owner.memberId }, { title: 'x', assigneeId: owner.memberId }, { title: 'x', dueAt: h.clock.now() }]) {
      const res = await call('POST', `/contacts/${contactId}/tasks`, owner.token, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
    }
    const stranger = await call('POST', `/contacts/${contactId}/tasks`, owner.token, { title: 'x', dueAt: h.clock.now(), assigneeId: 'mb_nobody' });
    assert.equal(stranger.status, 422);
    assert.deepEqual(stranger.body.error.details, { field: 'assigneeId' });
    await call('DELETE', `/contacts/${contactId}/tasks/${task.id}`, owner.token);
  });

  it('filters open / completed / overdue / mine, searches, and sorts by due date both ways with keyset pages', async () => {
    const now = h.clock.now();
    await add({ title: 'Overdue call', dueAt: now - 2 * HOUR });
    await add({ title: 'Later email', dueAt: now + 48 * HOUR, assigneeId: agent.memberId });
    const done = await add({ title: 'Done call', dueAt: now + HOUR });
    const completed = await call('PATCH', `/contacts/${contactId}/tasks/${done.id}`, agent.token, { status: 'completed' });
    assert.equal(completed.status, 200);
    assert.equal(completed.body.completedAt, now);
    assert.deepEqual(completed.body.completedBy, { id: agent.memberId, name: 'agent agent-1' });

    assert.deepEqual(await titles(''), ['Overdue call', 'Done call', 'Later email']);
    assert.deepEqual(await titles('?dir=desc'), ['Later email', 'Done call', 'Overdue call']);
    assert.deepEqual(await titles('?status=open'), ['Overdue call', 'Later email']);
    assert.deepEqual(await titles('?status=completed'), ['Done call']);
    assert.deepEqual(await titles('?overdue=true'), ['Overdue call']);
    assert.deepEqual(await titles('?assignee=me', agent.token), ['Later email']);
    assert.deepEqual(await titles('?q=CALL'), ['Overdue call', 'Done call']);
    const first = await call('GET', `/contacts/${contactId}/tasks?limit=2`, owner.token);
    const second = await call('GET', `/contacts/${contactId}/tasks?limit=2&cursor=${first.body.nextCursor}`, owner.token);
    assert.deepEqual(second.body.items.map((t: { title: string }) => t.title), ['Later email']);
    assert.equal(second.body.nextCursor, null);
    assert.equal((await call('GET', `/contacts/${contactId}/tasks?status=maybe`, owner.token)).status, 400);

    const reopened = await call('PATCH', `/contacts/${contactId}/tasks/${done.id}`, owner.token, { status: 'open', title: 'Done call (again)' });
    assert.equal(reopened.body.status, 'open');
    assert.equal(reopened.body.completedAt, null);
    assert.equal(reopened.body.completedBy, null);

    // The header's summary: one overdue, none due later today (the end of "today" is the viewer's).
    const due = await call('GET', `/contacts/${contactId}/tasks/due?dayEnd=${now + 3 * HOUR}`, owner.token);
    assert.deepEqual(due.body, { overdue: 1, dueToday: 1 });
  });

  it('lets agents delete only the tasks they created; owners delete any', async () => {
    const theirs = await add({ title: 'Owner’s task' });
    const mine = await add({ title: 'Agent’s task' }, agent.token);
    const refused = await call('DELETE', `/contacts/${contactId}/tasks/${theirs.id}`, agent.token);
    assert.equal(refused.status, 403);
    assert.equal((await call('PATCH', `/contacts/${contactId}/tasks/${theirs.id}`, agent.token, { status: 'completed' })).status, 200, 'anyone completes');
    assert.equal((await call('DELETE', `/contacts/${contactId}/tasks/${mine.id}`, agent.token)).status, 200);
    assert.equal((await call('DELETE', `/contacts/${contactId}/tasks/${theirs.id}`, owner.token)).status, 200);
    assert.equal((await call('DELETE', `/contacts/${contactId}/tasks/${theirs.id}`, owner.token)).status, 404);
  });

  it('lists a member’s open tasks across the contacts they may see', async () => {
    const other = (await call('POST', '/contacts', owner.token, { firstName: 'Otto' })).body.id;
    await add({ title: 'Otto follow-up', assigneeId: agent.memberId, dueAt: h.clock.now() + 5 * HOUR }, owner.token, other);
    const mine = await call('GET', '/tasks?assignee=me&status=open', agent.token);
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.items.map((t: { title: string; contactName: string }) => [t.title, t.contactName]), [['Otto follow-up', 'Otto'], ['Later email', 'Tess Tasks']]);
    assert.equal((await call('GET', '/tasks?assignee=me', '')).status, 401);
    const api = await h.call('GET', '/api/v1/tasks?assignee=me', { token: ws.secretKey });
    assert.equal(api.status, 400);
    assert.equal((await h.call('GET', `/api/v1/tasks?assignee=${agent.memberId}&status=open`, { token: ws.secretKey })).body.items.length, 2);

    // A restricted member sees the tasks of their contacts only.
    const restricted = await ws.token('agent', { externalId: 'restricted', restrictToAssigned: true });
    await add({ title: 'For the restricted', assigneeId: restricted.memberId }, owner.token, other);
    assert.deepEqual(await titles('?assignee=me', restricted.token, '/tasks'), []);
    assert.equal((await call('GET', `/contacts/${other}/tasks`, restricted.token)).status, 404);
    await call('PATCH', `/contacts/${other}`, owner.token, { ownerId: restricted.memberId });
    assert.deepEqual(await titles('?assignee=me', restricted.token, '/tasks'), ['For the restricted']);
    // Tasks of a contact in the restore bin leave the cross-contact list.
    await call('DELETE', `/contacts/${other}`, owner.token);
    assert.deepEqual(await titles('?assignee=me', restricted.token, '/tasks'), []);
  });

  it('keeps other workspaces out', async () => {
    const stranger = await (await h.workspace()).token('owner');
    assert.equal((await call('GET', `/contacts/${contactId}/tasks`, stranger.token)).status, 404);
    assert.equal((await call('POST', `/contacts/${contactId}/tasks`, stranger.token, { title: 'x', dueAt: h.clock.now(), assigneeId: stranger.memberId })).status, 404);
    assert.deepEqual(await titles('', stranger.token, '/tasks'), []);
    const task = await add({ title: 'Private' });
    assert.equal((await call('PATCH', `/contacts/${contactId}/tasks/${task.id}`, stranger.token, { status: 'completed' })).status, 404);
  });

  it('audits, announces task.created / updated / completed / deleted to webhooks, and publishes live events', async () => {
    const endpoint = await h.call('POST', '/api/v1/webhook-endpoints', { token: ws.secretKey, body: { url: 'https://hooks.example.com/tasks', eventTypes: ['task.created', 'task.updated', 'task.completed', 'task.deleted'] } });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    // A millisecond apart, so the audit rows sort by time on either engine.
    const task = await add({ title: 'Hooked' });
    h.clock.advance(1);
    await call('PATCH', `/contacts/${contactId}/tasks/${task.id}`, owner.token, { dueAt: task.dueAt + HOUR });
    h.clock.advance(1);
    await call('PATCH', `/contacts/${contactId}/tasks/${task.id}`, owner.token, { status: 'completed' });
    h.clock.advance(1);
    await call('PATCH', `/contacts/${contactId}/tasks/${task.id}`, owner.token, { status: 'open' });
    h.clock.advance(1);
    await call('DELETE', `/contacts/${contactId}/tasks/${task.id}`, owner.token);
    stop();
    const audit = await h.opened.db.selectFrom('audit_events').select('action').where('context', 'like', `%${task.id}%`).orderBy('at').execute();
    assert.deepEqual(audit.map((a) => a.action), ['task.created', 'task.updated', 'task.completed', 'task.reopened', 'task.deleted']);
    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.body.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => d.event_type), ['task.created', 'task.updated', 'task.completed', 'task.updated', 'task.deleted']);
    assert.equal(JSON.parse(deliveries[2]!.payload).data.task.status, 'completed');
    assert.deepEqual(JSON.parse(deliveries[4]!.payload).data.task, { id: task.id, title: 'Hooked' });
    assert.deepEqual(seen.map((e) => e.type), ['task.created', 'task.updated', 'task.updated', 'task.updated', 'task.deleted']);
  });
});
