import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as f from '../test-fixtures.js';
import { createLink, gate, pdfDocument } from '../test-share.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

describe('contact activity, host events and attribution', () => {
  let h: Harness;
  let ws: TestWorkspace;
  const create = async (body: unknown = { firstName: 'Ada' }, token = ws.secretKey) => {
    const res = await h.call('POST', '/api/v1/contacts', { token, body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const event = (id: string, body: unknown, token = ws.secretKey) => h.call('POST', `/api/v1/contacts/${id}/events`, { token, body });
  const timeline = (id: string, query = '', token = ws.secretKey) => h.call('GET', `/api/v1/contacts/${id}/activity${query}`, { token });
  const attribution = (id: string, token = ws.secretKey) => h.call('GET', `/api/v1/contacts/${id}/attribution`, { token });

  before(async () => {
    h = await harness();
    ws = await h.workspace({ region: 'US' });
  });
  after(() => h.close());

  it('records a visit with UTM parameters from its URL, and the first touch sets first and latest attribution', async () => {
    const id = await create();
    h.clock.advance(1000);
    const res = await event(id, { id: 'visit-1', kind: 'visit', url: 'https://acme.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=abc', referrer: 'https://www.google.com/' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.duplicate, false);
    const e = res.body.event;
    assert.equal(e.kind, 'visit');
    assert.equal(e.group, 'visit');
    assert.equal(e.title, 'acme.com/pricing');
    assert.equal(e.url, 'https://acme.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=abc');
    assert.deepEqual(
      { source: e.attribution.source, medium: e.attribution.medium, campaign: e.attribution.campaign, gclid: e.attribution.gclid, channel: e.attribution.channel, referrer: e.attribution.referrer },
      { source: 'google', medium: 'cpc', campaign: 'spring', gclid: 'abc', channel: 'paid_search', referrer: 'https://www.google.com/' },
    );
    const a = (await attribution(id)).body;
    assert.equal(a.first.campaign, 'spring');
    assert.equal(a.latest.campaign, 'spring');
    assert.equal(a.first.activityId, e.id);
    assert.equal(a.touches.length, 1);
    // The contact itself carries it too (the record's General tab).
    const contact = (await h.call('GET', `/api/v1/contacts/${id}`, { token: ws.secretKey })).body;
    assert.equal(contact.attribution.first.channel, 'paid_search');
  });

  it('keeps the first touch and moves the latest; an older late event moves neither; reset clears or recomputes', async () => {
    const id = await create();
    const t0 = h.clock.now();
    assert.equal((await event(id, { kind: 'visit', url: 'https://acme.com/', referrer: 'https://news.ycombinator.com/item?id=1', at: t0 + 10 })).status, 201);
    assert.equal((await event(id, { kind: 'form_submission', form: 'Demo request', utm: { source: 'newsletter', medium: 'email', campaign: 'nov' }, at: t0 + 20 })).status, 201);
    assert.equal((await event(id, { kind: 'visit', url: 'https://acme.com/old', at: t0 + 5 })).status, 201);
    let a = (await attribution(id)).body;
    assert.equal(a.first.channel, 'referral');
    assert.equal(a.first.source, 'news.ycombinator.com');
    assert.equal(a.latest.channel, 'email');
    assert.equal(a.latest.campaign, 'nov');
    assert.deepEqual(a.touches.map((t: any) => t.at), [t0 + 20, t0 + 10, t0 + 5]);
    // An inbound message is a touch through its channel.
    h.clock.advance(1000);
    const msg = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'whatsapp', direction: 'inbound', contact: { phone: '+14155550100' }, text: 'hi' } });
    assert.equal(msg.status, 201);

    // Agents may not reset; managers and the secret key may.
    const agent = (await ws.token('agent')).token;
    assert.equal((await h.call('POST', `/api/v1/contacts/${id}/attribution/reset`, { token: agent, body: {} })).status, 403);
    const manager = (await ws.token('manager')).token;
    const cleared = await h.call('POST', `/api/v1/contacts/${id}/attribution/reset`, { token: manager, body: { mode: 'clear' } });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal(cleared.body.first, null);
    assert.equal(cleared.body.latest, null);
    assert.equal(cleared.body.touches.length, 3, 'the touches stay');
    // The next touch becomes the first.
    assert.equal((await event(id, { kind: 'visit', url: 'https://acme.com/?utm_source=facebook&utm_medium=paid_social', at: t0 + 30 })).status, 201);
    a = (await attribution(id)).body;
    assert.equal(a.first.channel, 'paid_social');
    const recomputed = await h.call('POST', `/api/v1/contacts/${id}/attribution/reset`, { token: ws.secretKey, body: { mode: 'recompute' } });
    assert.equal(recomputed.status, 200);
    assert.equal(recomputed.body.first.url, 'https://acme.com/old');
    assert.equal(recomputed.body.latest.channel, 'paid_social');
    // The reset is in the audit log, and in the timeline as a field change.
    const fields = (await timeline(id, '?kind=field_change')).body.items;
    assert.ok(fields.some((i: any) => i.audit.changes.attribution), JSON.stringify(fields.map((i: any) => i.kind)));
    assert.equal((await h.call('POST', `/api/v1/contacts/${id}/attribution/reset`, { token: ws.secretKey, body: { mode: 'all' } })).status, 400);
  });

  it('updates attribution from inbound messages (channel) but not from outbound ones', async () => {
    const res = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'sms', direction: 'outbound', contact: { phone: '+14155550111' }, text: 'promo' } });
    const id = res.body.contactId;
    assert.equal((await attribution(id)).body.first, null);
    h.clock.advance(10);
    await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'sms', direction: 'inbound', contact: { phone: '+14155550111' }, text: 'yes' } });
    const a = (await attribution(id)).body;
    assert.equal(a.first.channel, 'sms');
    assert.equal(a.touches.length, 1);
  });

  it('is idempotent by the host id: same id → 200 with the same event, no duplicate, also under concurrency', async () => {
    const id = await create();
    const body = { id: 'order-42', kind: 'purchase', amount: 129.5, currency: 'EUR', title: 'Order #42' };
    const first = await event(id, body);
    assert.equal(first.status, 201);
    assert.deepEqual(first.body.event.amount, { value: 129.5, currency: 'EUR' });
    const again = await event(id, { ...body, title: 'changed' });
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.body.event.id, first.body.event.id);
    assert.equal(again.body.event.title, 'Order #42');

    const results = await Promise.all(Array.from({ length: 8 }, () => event(id, { id: 'call-7', kind: 'call', direction: 'inbound', durationSeconds: 300 })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.body.event.id)).size, 1);
    const rows = await h.opened.db.selectFrom('activities').select('id').where('workspace_id', '=', ws.id).where('external_id', '=', 'call-7').execute();
    assert.equal(rows.length, 1);
    // The same id on another contact is a conflict, not a second event.
    const other = await create({ firstName: 'Bo' });
    const clash = await event(other, body);
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'idempotency_conflict');
    // A call is an interaction on the calls channel.
    const contact = (await h.call('GET', `/api/v1/contacts/${id}`, { token: ws.secretKey })).body;
    assert.equal(contact.lastChannel, 'call');
  });

  it('validates events with field paths', async () => {
    const id = await create();
    const cases: [unknown, string][] = [
      [{ kind: 'visit' }, 'url'],
      [{ kind: 'visit', url: 'javascript:alert(1)' }, 'url'],
      [{ kind: 'purchase', amount: 10 }, 'currency'],
      [{ kind: 'purchase', currency: 'usd', amount: 1 }, 'currency'],
      [{ kind: 'payment' }, 'amount'],
      [{ kind: 'form_submission' }, 'form'],
      [{ kind: 'custom' }, 'title'],
      [{ kind: 'teleport' }, 'kind'],
      [{ kind: 'call', extra: 1 }, ''],
      [{ kind: 'call', at: -5 }, 'at'],
    ];
    for (const [body, path] of cases) {
      const res = await event(id, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(res.body.error.details.some((d: any) => d.path === path), `${JSON.stringify(body)} → ${JSON.stringify(res.body.error.details)}`);
    }
    assert.equal((await event('ct_missing', { kind: 'call' })).status, 404);
    const bad = await h.request(`/api/v1/contacts/${id}/events`, { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' }, body: '{' });
    assert.equal(bad.status, 400);
    assert.equal((await timeline(id, '?kind=nope')).status, 400);
    assert.equal((await timeline(id, '?cursor=xyz')).status, 400);
    // A contact in the restore bin takes no events.
    await h.call('DELETE', `/api/v1/contacts/${id}`, { token: ws.secretKey });
    const gone = await event(id, { kind: 'call' });
    assert.equal(gone.status, 409);
    assert.equal(gone.body.error.code, 'contact_deleted');
  });

  it('merges messages, host events, share views and record changes newest first, filters by kind, pages by keyset', async () => {
    const msg = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'email', direction: 'inbound', contact: { email: 'tl@example.com', firstName: 'Tim' }, subject: 'Hello', text: 'Question about pricing' } });
    const id = msg.body.contactId;
    for (let i = 0; i < 25; i++) {
      h.clock.advance(60_000);
      await event(id, { kind: i % 2 ? 'visit' : 'call', url: `https://acme.com/p/${i}`, direction: 'inbound' });
    }
    h.clock.advance(60_000);
    await h.call('PATCH', `/api/v1/contacts/${id}`, { token: ws.secretKey, body: { companyName: 'Acme' } });
    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const res = await timeline(id, `?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    // 1 message + 25 events + contact.created (by the message) + contact.updated (company).
    assert.equal(all.length, 28);
    assert.equal(new Set(all.map((i) => i.id)).size, 28);
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].at >= all[i].at, 'newest first');
    assert.equal(all[0].group, 'field_change');
    assert.equal(all[0].audit.changes.companyName.after, 'Acme');
    const message = all.find((i) => i.group === 'message');
    assert.equal(message.title, 'Hello');
    assert.equal(message.details, 'Question about pricing');
    assert.equal(message.channel, 'email');
    assert.equal(message.direction, 'inbound');

    const visits = (await timeline(id, '?kind=visit,message&limit=50')).body.items;
    assert.deepEqual([...new Set(visits.map((i: any) => i.group))].sort(), ['message', 'visit']);
    assert.equal(visits.length, 13);
    const calls = (await timeline(id, '?kind=call&limit=5')).body;
    assert.equal(calls.items.length, 5);
    assert.ok(calls.nextCursor);
    const next = (await timeline(id, `?kind=call&limit=50&cursor=${calls.nextCursor}`)).body;
    assert.equal(next.items.length, 8);
    assert.equal(next.nextCursor, null);
  });

  it('shows notes written and tasks created, completed and reopened (from the audit log), filterable as note / task', async () => {
    const id = await create({ firstName: 'Noted' });
    const owner = await ws.token('owner');
    h.clock.advance(60_000);
    const note = await h.call('POST', `/api/v1/contacts/${id}/notes`, { token: owner.token, body: { body: 'Wants the Pro plan' } });
    assert.equal(note.status, 201, JSON.stringify(note.body));
    h.clock.advance(60_000);
    const task = await h.call('POST', `/api/v1/contacts/${id}/tasks`, { token: owner.token, body: { title: 'Send the offer', dueAt: h.clock.now() + 3_600_000, assigneeId: owner.memberId } });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    h.clock.advance(60_000);
    assert.equal((await h.call('PATCH', `/api/v1/contacts/${id}/tasks/${task.body.id}`, { token: owner.token, body: { status: 'completed' } })).status, 200);
    const items = (await timeline(id, '?kind=note,task')).body.items;
    assert.deepEqual(items.map((i: any) => [i.group, i.kind]), [['task', 'task.completed'], ['task', 'task.created'], ['note', 'note.created']]);
    assert.ok(items.every((i: any) => i.audit), 'told with the audit log’s sentences');
  });

  it('shows share-link views with pages and duration, and documents that came with a message', async () => {
    const docId = await pdfDocument(h, ws.secretKey, 4, 'Offer.pdf');
    const link = await createLink(h, ws.secretKey, { documentId: docId, name: 'Client link', require: 'email', verifyOtp: false });
    const opened = await gate(h).open(link.slug, { channel: 'email', identifier: 'views@example.com' });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const id = opened.body.contactId;
    h.clock.advance(120_000); // reports are capped by the time since the view began
    const report = await h.call('POST', `/api/v1/public/share/${link.slug}/report`, { token: opened.body.token, body: { durationMs: 95_000, pages: [1, 2, 4] } });
    assert.ok(report.status < 300, JSON.stringify(report.body));
    const items = (await timeline(id, '?kind=share_view')).body.items;
    assert.equal(items.length, 1);
    assert.equal(items[0].title, 'Viewed "Offer.pdf" via "Client link"');
    assert.deepEqual(items[0].view, { linkId: link.id, documentId: docId, durationMs: 95_000, pages: [1, 2, 4], downloaded: false });

    const form = f.multipartBody({ message: JSON.stringify({ channel: 'email', direction: 'inbound', contact: { email: 'views@example.com' }, subject: 'Signed' }) }, [{ name: 'signed.pdf', content: f.pdf('signed') }]);
    const withFile = await h.request('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': form.contentType }, body: form.body });
    assert.equal(withFile.status, 201, await withFile.clone().text());
    const docs = (await timeline(id, '?kind=message')).body.items;
    assert.equal(docs[0].title, 'Signed');
    assert.deepEqual(docs[0].documents.map((d: any) => d.name), ['signed.pdf']);
  });

  it('keeps workspaces apart and restricted members to their contacts', async () => {
    const id = await create({ firstName: 'Secret' });
    await event(id, { kind: 'call' });
    const other = await h.workspace();
    assert.equal((await timeline(id, '', other.secretKey)).status, 404);
    assert.equal((await event(id, { kind: 'call' }, other.secretKey)).status, 404);
    assert.equal((await attribution(id, other.secretKey)).status, 404);
    assert.equal((await h.call('POST', `/api/v1/contacts/${id}/attribution/reset`, { token: other.secretKey, body: {} })).status, 404);
    // A host id is per workspace: the other workspace may use the same one.
    const theirs = (await h.call('POST', '/api/v1/contacts', { token: other.secretKey, body: { firstName: 'Theirs' } })).body.id;
    assert.equal((await event(id, { id: 'shared-id', kind: 'call' })).status, 201);
    assert.equal((await event(theirs, { id: 'shared-id', kind: 'call' }, other.secretKey)).status, 201);

    const restricted = await ws.token('agent', { externalId: 'restricted-agent', restrictToAssigned: true });
    assert.equal((await timeline(id, '', restricted.token)).status, 404);
    assert.equal((await event(id, { kind: 'call' }, restricted.token)).status, 404);
    const mine = await create({ firstName: 'Mine', ownerId: restricted.memberId });
    assert.equal((await event(mine, { kind: 'call', title: 'Called back' }, restricted.token)).status, 201);
    const items = (await timeline(mine, '', restricted.token)).body.items;
    assert.equal(items.find((i: any) => i.kind === 'call').data.actor.id, restricted.memberId);
  });

  it('tells the live contact stream and queues contact.interaction webhooks', async () => {
    const id = await create();
    const seen: any[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    await event(id, { kind: 'visit', url: 'https://acme.com/live' });
    stop();
    assert.ok(seen.some((e) => e.type === 'contact.updated' && e.contacts.some((c: any) => c.id === id) && e.fields.includes('activity')));
    const hook = await h.call('POST', '/api/v1/webhook-endpoints', { token: ws.secretKey, body: { url: 'https://hooks.example.com/x', eventTypes: ['contact.interaction'] } });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    await event(id, { id: 'pay-1', kind: 'payment', amount: 20, currency: 'USD' });
    const rows = await h.opened.db.selectFrom('webhook_deliveries').select(['payload']).where('workspace_id', '=', ws.id).where('event_type', '=', 'contact.interaction').execute();
    const data = JSON.parse(rows.at(-1)!.payload).data;
    assert.equal(data.kind, 'payment');
    assert.equal(data.eventId, 'pay-1');
    assert.equal(data.amount, 20);
  });
});
