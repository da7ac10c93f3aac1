import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../domain/events.js';
import { sanitizeEmailHtml } from '../domain/email-html.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const DAY = 86_400_000;

// A contact's conversations from the messages the host pushes: threading by channel and host thread id, times and
// counts kept as messages arrive (late ones too), sanitized HTML email, calls, attachments as documents, keyset
// pages, errors, restricted members, tenant isolation, live events, idempotency, and the two table filters.
describe('contact conversations', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  const send = async (body: Record<string, unknown>) => {
    const res = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body });
    assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
    return res.body;
  };
  const get = (path: string, token = owner) => h.call('GET', `/api/v1${path}`, { token });
  const names = async (filter: unknown) => {
    const res = await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter, sort: { field: 'name', dir: 'asc' }, limit: 200 } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items.map((c: { firstName: string }) => c.firstName);
  };

  const incoming = async (id: string) => Number((await h.opened.db.selectFrom('contacts').select('last_incoming_at').where('id', '=', id).executeTakeFirstOrThrow()).last_incoming_at);

  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
  });
  after(() => h.close());

  it('threads messages by channel and host thread, keeping opened, last and last incoming times and counts', async () => {
    const t0 = h.clock.now();
    const first = await send({ channel: 'sms', contact: { phone: '+1 415 555 0101', firstName: 'Ada' }, text: 'Hi, is the quote ready?', at: t0 - 3 * DAY });
    assert.ok(first.conversationId?.startsWith('cv_'));
    const contactId = first.contactId;
    const reply = await send({ channel: 'sms', direction: 'outbound', contact: { phone: '+14155550101' }, text: 'Yes, sending it now.', sender: { name: 'Sam Agent' }, at: t0 - 2 * DAY });
    assert.equal(reply.conversationId, first.conversationId, 'one SMS thread per contact');
    // A late-arriving older message moves the opened time back, not the last message.
    await send({ channel: 'sms', contact: { phone: '+14155550101' }, text: 'Earlier hello', at: t0 - 5 * DAY });
    const a = await send({ channel: 'email', contact: { email: 'ada@example.com' }, subject: 'Contract', text: 'Draft attached', threadId: 'thread-a', at: t0 - DAY });
    const b = await send({ channel: 'email', contact: { email: 'ada@example.com' }, subject: 'Invoice', text: 'Another topic', threadId: 'thread-b', at: t0 - DAY / 2 });
    // (The email went to another contact: ada@example.com is no identifier of the SMS one.)
    assert.notEqual(a.conversationId, b.conversationId, 'threads by host thread id');

    const list = await get(`/contacts/${contactId}/conversations`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const sms = list.body.items.find((c: { channel: string }) => c.channel === 'sms');
    assert.deepEqual(
      { openedAt: sms.openedAt, lastMessageAt: sms.lastMessageAt, lastIncomingAt: sms.lastIncomingAt, messageCount: sms.messageCount, incomingCount: sms.incomingCount, threadId: sms.threadId },
      { openedAt: t0 - 5 * DAY, lastMessageAt: t0 - 2 * DAY, lastIncomingAt: t0 - 3 * DAY, messageCount: 3, incomingCount: 2, threadId: null },
    );
    assert.deepEqual(sms.lastMessage, { id: reply.messageId, direction: 'outbound', preview: 'Yes, sending it now.', at: t0 - 2 * DAY });

    const messages = await get(`/contacts/${contactId}/conversations/${first.conversationId}/messages`);
    assert.deepEqual(messages.body.items.map((m: { text: string }) => m.text), ['Yes, sending it now.', 'Hi, is the quote ready?', 'Earlier hello']);
    assert.deepEqual(messages.body.items[0].sender, { name: 'Sam Agent', address: null });
    assert.equal(messages.body.items[0].direction, 'outbound');
    assert.equal((await incoming(contactId)), t0 - 3 * DAY);
  });

  it('lists conversations latest first and pages messages newest first by keyset', async () => {
    const t0 = h.clock.now();
    let conversationId = '';
    let contactId = '';
    for (let i = 0; i < 7; i++) {
      const r = await send({ channel: 'whatsapp', direction: i % 2 ? 'outbound' : 'inbound', contact: { phone: '+1 415 555 0102', firstName: 'Paging' }, text: `m${i}`, at: t0 - (10 - i) * 60_000 });
      conversationId = r.conversationId;
      contactId = r.contactId;
    }
    await send({ channel: 'call', contact: { phone: '+1 415 555 0102' }, call: { durationSeconds: 95, summary: 'Asked about pricing' }, at: t0 });
    const list = await get(`/contacts/${contactId}/conversations?limit=1`);
    assert.deepEqual(list.body.items.map((c: { channel: string }) => c.channel), ['call']);
    const rest = await get(`/contacts/${contactId}/conversations?limit=1&cursor=${list.body.nextCursor}`);
    assert.deepEqual(rest.body.items.map((c: { channel: string }) => c.channel), ['whatsapp']);
    assert.equal(rest.body.nextCursor, null);
    assert.deepEqual((await get(`/contacts/${contactId}/conversations?channel=call`)).body.items[0].lastMessage.preview, 'Asked about pricing');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { text: string }[]; nextCursor: string | null } } = await get(`/contacts/${contactId}/conversations/${conversationId}/messages?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((m) => m.text));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
    const callConversation = (await get(`/contacts/${contactId}/conversations?channel=call`)).body.items[0];
    const call = (await get(`/contacts/${contactId}/conversations/${callConversation.id}/messages`)).body.items[0];
    assert.deepEqual(call.call, { durationSeconds: 95, recordingUrl: null, summary: 'Asked about pricing' });
  });

  it('stores an email\'s HTML and serves it sanitized only, with its attachments as documents', async () => {
    const html = '<p onclick="steal()">Hello <b>Ada</b><script>alert(1)</script><img src="https://t.example/pixel.gif"><a href="javascript:alert(1)">x</a> <a href="https://example.com" target="_self">site</a></p><style>p{}</style>';
    const raw = [
      'From: Ada Lovelace <ada.html@example.com>',
      'To: team@example.com',
      'Subject: Report',
      'Message-ID: <root@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '--b',
      'Content-Type: text/plain; name="notes.txt"',
      'Content-Disposition: attachment; filename="notes.txt"',
      '',
      'attached notes',
      '--b--',
      '',
    ].join('\r\n');
    const res = await h.request('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'message/rfc822' }, body: raw });
    const body = (await res.json()) as { contactId: string; conversationId: string; messageId: string; documents: { id: string }[] };
    assert.equal(res.status, 201, JSON.stringify(body));
    const replyRaw = raw.replace('Message-ID: <root@example.com>', 'Message-ID: <reply@example.com>\r\nIn-Reply-To: <root@example.com>\r\nReferences: <root@example.com>').replace('Subject: Report', 'Subject: Re: Report');
    const reply = await h.request('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'message/rfc822' }, body: replyRaw });
    assert.equal(((await reply.json()) as { conversationId: string }).conversationId, body.conversationId, 'a reply joins its thread');

    const messages = (await get(`/contacts/${body.contactId}/conversations/${body.conversationId}/messages`)).body.items;
    const m = messages.find((x: { id: string }) => x.id === body.messageId);
    assert.doesNotMatch(m.html, /script|onclick|<img|javascript:|<style|_self/i);
    assert.match(m.html, /<b>Ada<\/b>/);
    assert.match(m.html, /<a href="https:\/\/example.com" target="_blank" rel="noopener noreferrer nofollow">site<\/a>/);
    assert.deepEqual(m.sender, { name: 'Ada Lovelace', address: 'ada.html@example.com' });
    assert.equal(m.subject, 'Report');
    assert.deepEqual(m.documents.map((d: { id: string; messageId: string }) => [d.id, d.messageId]), [[body.documents[0]!.id, body.messageId]]);
    // The attachment is a document of the contact's vault.
    const docs = (await get(`/contacts/${body.contactId}/documents`)).body.items.map((d: { id: string }) => d.id);
    assert.ok(docs.includes(body.documents[0]!.id));
    assert.equal(sanitizeEmailHtml('<svg onload="x()"><foreignObject>hi</foreignObject></svg><iframe src="https://e.com"></iframe>'), 'hi');
  });

  it('refuses invalid input with JSON problems', async () => {
    const bad = async (body: unknown, path: string) => {
      const res = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(res.body.error.details.some((d: { path: string }) => d.path === path), JSON.stringify(res.body.error.details));
    };
    await bad({ channel: 'sms', contact: { phone: '+14155550103' }, text: 'x', call: { durationSeconds: 3 } }, 'call');
    await bad({ channel: 'sms', contact: { phone: '+14155550103' }, html: '<p>x</p>' }, 'html');
    await bad({ channel: 'call', contact: { phone: '+14155550103' }, call: { durationSeconds: -1 } }, 'call.durationSeconds');
    await bad({ channel: 'call', contact: { phone: '+14155550103' }, call: { recordingUrl: 'javascript:alert(1)' } }, 'call.recordingUrl');
    const noPhone = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'call', contact: { email: 'x@example.com' } } });
    assert.equal(noPhone.status, 422);
    const contactId = (await send({ channel: 'sms', contact: { phone: '+14155550103' }, text: 'x' })).contactId;
    const q = await get(`/contacts/${contactId}/conversations?channel=form`);
    assert.equal(q.status, 400);
    assert.equal((await get(`/contacts/${contactId}/conversations?limit=0`)).status, 400);
    assert.equal((await get(`/contacts/${contactId}/conversations?cursor=nope`)).body.error.code, 'bad_request');
    const missing = await get(`/contacts/${contactId}/conversations/cv_missing/messages`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
    // Form submissions are no conversation and no incoming message.
    const form = await send({ channel: 'form', contact: { phone: '+14155550103' }, form: 'Contact us', text: 'hello', at: h.clock.now() + 1000 });
    assert.equal(form.conversationId, null);
    assert.ok((await incoming(contactId))! < h.clock.now() + 1000);
  });

  it('records a message once per external id and publishes it live once', async () => {
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    const one = await send({ channel: 'facebook', contact: { handle: 'live.person' }, text: 'Hello', externalId: 'fb-1' });
    const again = await send({ channel: 'facebook', contact: { handle: 'live.person' }, text: 'Hello', externalId: 'fb-1' });
    stop();
    assert.equal(again.duplicate, true);
    assert.equal(again.messageId, one.messageId);
    assert.equal(again.conversationId, one.conversationId);
    const items = seen.filter((e) => e.type === 'message.created');
    assert.deepEqual(items, [{ type: 'message.created', workspaceId: ws.id, contactId: one.contactId, id: one.messageId, conversationId: one.conversationId }]);
    const list = (await get(`/contacts/${one.contactId}/conversations`)).body.items;
    assert.equal(list[0].messageCount, 1);
  });

  it('shows restricted members only their contacts\' conversations, and no other workspace\'s', async () => {
    const r = await send({ channel: 'sms', contact: { phone: '+1 415 555 0104', firstName: 'Private' }, text: 'secret' });
    const path = `/contacts/${r.contactId}/conversations`;
    const restricted = await ws.token('agent', { externalId: 'restricted', restrictToAssigned: true });
    assert.equal((await get(path, restricted.token)).status, 404);
    assert.equal((await get(`${path}/${r.conversationId}/messages`, restricted.token)).status, 404);
    await h.call('PATCH', `/api/v1/contacts/${r.contactId}`, { token: owner, body: { ownerId: restricted.memberId } });
    assert.equal((await get(path, restricted.token)).status, 200);
    assert.equal((await get(`${path}/${r.conversationId}/messages`, restricted.token)).body.items[0].text, 'secret');
    const agent = await ws.token('agent');
    assert.equal((await get(path, agent.token)).status, 200, 'unrestricted agents read them');

    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    assert.equal((await get(path, stranger)).status, 404);
    assert.equal((await get(`${path}/${r.conversationId}/messages`, stranger)).status, 404);
    // Another workspace's contact cannot reach this conversation by id either.
    const theirs = (await h.call('POST', '/api/v1/contacts', { token: stranger, body: { firstName: 'Theirs' } })).body.id;
    assert.equal((await get(`/contacts/${theirs}/conversations/${r.conversationId}/messages`, stranger)).status, 404);
    assert.equal((await h.call('GET', `/api/v1${path}`, {})).status, 401);
  });

  it('filters contacts by conversation opened time and time since last incoming message, from real messages', async () => {
    const now = h.clock.now();
    await send({ channel: 'sms', contact: { phone: '+1 415 555 0111', firstName: 'Fresh' }, text: 'new', at: now - 60_000 });
    const old = await send({ channel: 'email', contact: { email: 'stale@example.com', firstName: 'Stale' }, text: 'old', at: now - 40 * DAY });
    await send({ channel: 'email', direction: 'outbound', contact: { email: 'stale@example.com' }, text: 'we replied', at: now - DAY });
    await send({ channel: 'email', direction: 'outbound', contact: { email: 'quiet@example.com', firstName: 'Quiet' }, text: 'hello?', at: now - 2 * DAY });
    const among = (list: string[]) => list.filter((n) => ['Fresh', 'Stale', 'Quiet'].includes(n));

    assert.deepEqual(among(await names({ field: 'conversationOpenedAt', op: 'older_than', value: { amount: 30, unit: 'days' } })), ['Stale']);
    assert.deepEqual(among(await names({ field: 'conversationOpenedAt', op: 'newer_than', value: { amount: 3, unit: 'days' } })), ['Fresh', 'Quiet']);
    assert.deepEqual(among(await names({ field: 'lastIncomingAt', op: 'older_than', value: { amount: 30, unit: 'days' } })), ['Stale']);
    assert.deepEqual(among(await names({ field: 'lastIncomingAt', op: 'in_last_days', value: 1 })), ['Fresh']);
    assert.deepEqual(among(await names({ field: 'lastIncomingAt', op: 'is_empty' })), ['Quiet'], 'only outbound: no incoming message');
    const none = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Nobody' } })).body.id;
    assert.ok((await names({ field: 'conversationOpenedAt', op: 'is_empty' })).includes('Nobody'), none);
    const bad = await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter: { field: 'conversationOpenedAt', op: 'older_than', value: 'soon' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.path, 'filter.value');
    const schema = await get('/contacts/table-schema');
    assert.ok(JSON.stringify(schema.body).includes('conversationOpenedAt'));
    assert.ok(old.contactId);
  });
});
