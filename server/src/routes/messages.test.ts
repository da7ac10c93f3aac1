import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSafeFetcher } from '../storage/fetch-attachment.js';
import * as f from '../test-fixtures.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

/** A raw RFC 822 email with a text body and base64 attachments. */
function rawEmail(opts: { from: string; to: string; subject: string; date: string; attachments: { name: string; type: string; content: Buffer }[] }) {
  const b = 'mixed-boundary-42';
  const parts = [
    `From: ${opts.from}`, `To: ${opts.to}`, `Subject: ${opts.subject}`, `Date: ${opts.date}`, `Message-ID: <${opts.subject.replace(/\W/g, '')}@mail.example.com>`, 'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', 'Hello, the signed contract is attached.', '',
  ];
  for (const a of opts.attachments) {
    parts.push(`--${b}`, `Content-Type: ${a.type}; name="${a.name}"`, `Content-Disposition: attachment; filename="${a.name}"`, 'Content-Transfer-Encoding: base64', '', a.content.toString('base64').replace(/.{76}/g, '$&\r\n'), '');
  }
  parts.push(`--${b}--`, '');
  return parts.join('\r\n');
}

describe('message ingestion', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let files: http.Server;
  let base: string;
  const post = (body: unknown, query = '') => h.call('POST', `/api/v1/messages${query}`, { token: ws.secretKey, body });
  const contactRow = (id: string) => h.opened.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const documentsOf = async (contactId: string, query = '') =>
    (await h.call('GET', `/api/v1/contacts/${contactId}/documents${query}`, { token: ws.secretKey })).body;

  before(async () => {
    files = http.createServer((req, res) => {
      if (req.url === '/contract.pdf') return void res.end(f.pdf('contract'));
      if (req.url === '/photo') return void res.end(f.jpg());
      if (req.url === '/page.pdf') return void res.end(f.html());
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    // The test file server is on loopback: allowed here explicitly, refused by the default fetcher (tested below).
    h = await harness({ documents: { maxBytes: 100_000 } }, { fetcher: createSafeFetcher({ allowAddresses: ['127.0.0.1'] }) });
    ws = await h.workspace({ region: 'US' });
  });
  after(async () => {
    files.closeAllConnections();
    files.close();
    await h.close();
  });

  it('records an inbound email, creates the unknown contact and stores URL attachments as received documents', async () => {
    h.clock.advance(1000);
    const res = await post({
      channel: 'email',
      direction: 'inbound',
      contact: { email: 'Ada@Example.com', firstName: 'Ada', lastName: 'Lovelace' },
      subject: 'Signed contract',
      text: 'Here it is.',
      attachments: [{ url: `${base}/contract.pdf` }, { url: `${base}/photo`, name: 'me.jpg' }, { url: `${base}/page.pdf` }, { url: `${base}/nope.pdf` }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.contactCreated, true);
    assert.deepEqual(res.body.documents.map((d: any) => [d.name, d.section, d.origin, d.messageId]), [
      ['contract.pdf', 'received', 'email', res.body.messageId],
      ['me.jpg', 'received', 'email', res.body.messageId],
    ]);
    assert.deepEqual(res.body.skipped.map((s: any) => s.code), ['unsupported_file', 'attachment_fetch_failed']);
    const contact = (await h.call('GET', `/api/v1/contacts/${res.body.contactId}`, { token: ws.secretKey })).body;
    assert.equal(contact.name, 'Ada Lovelace');
    assert.equal(contact.source, 'email');
    assert.equal(contact.emails[0].value, 'ada@example.com');
    const row = await contactRow(res.body.contactId);
    assert.deepEqual([row.last_interaction_at, row.last_channel, row.last_incoming_at], [h.clock.now(), 'email', h.clock.now()]);
    const activity = await h.opened.db.selectFrom('activities').selectAll().where('id', '=', res.body.messageId).executeTakeFirstOrThrow();
    assert.deepEqual([activity.kind, activity.channel, activity.direction, activity.summary], ['message', 'email', 'inbound', 'Signed contract']);
    assert.equal(JSON.parse(activity.data!).documentIds.length, 2);
  });

  it('files an outbound email to a known contact under sent, without touching last_incoming_at', async () => {
    const first = await post({ channel: 'email', contact: { email: 'grace@example.com' }, text: 'hi' });
    const incomingAt = (await contactRow(first.body.contactId)).last_incoming_at;
    h.clock.advance(5000);
    const res = await post({ channel: 'email', direction: 'outbound', contact: { email: 'GRACE@example.com' }, subject: 'Proposal', attachments: [{ url: `${base}/contract.pdf`, name: 'proposal.pdf' }] });
    assert.equal(res.status, 201);
    assert.equal(res.body.contactId, first.body.contactId);
    assert.equal(res.body.contactCreated, false);
    assert.equal(res.body.documents[0].section, 'sent');
    const row = await contactRow(res.body.contactId);
    assert.equal(row.last_incoming_at, incomingAt);
    assert.equal(row.last_interaction_at, h.clock.now());
    const docs = await documentsOf(res.body.contactId);
    assert.deepEqual(docs.counts, { all: 1, internal: 0, sent: 1, received: 0, fields: 0 });
  });

  it('finds SMS and WhatsApp contacts by normalized phone and files multipart attachments by direction', async () => {
    const sms = await post({ channel: 'sms', contact: { phone: '(415) 555-2671' }, text: 'Photo of the damage' });
    assert.equal(sms.status, 201, JSON.stringify(sms.body));
    const contact = (await h.call('GET', `/api/v1/contacts/${sms.body.contactId}`, { token: ws.secretKey })).body;
    assert.equal(contact.phones[0].value, '+14155552671');
    assert.equal(contact.source, 'sms');
    const form = new FormData();
    form.append('message', JSON.stringify({ channel: 'whatsapp', direction: 'outbound', contact: { phone: '+1 415 555 2671' }, text: 'Your invoice' }));
    form.append('file', new Blob([new Uint8Array(f.pdf('invoice'))]), 'invoice.pdf');
    form.append('file', new Blob([new Uint8Array(f.exe())]), 'tool.exe');
    const res = await h.request('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}` }, body: form });
    const body = (await res.json()) as any;
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.contactId, sms.body.contactId);
    assert.deepEqual(body.documents.map((d: any) => [d.name, d.section, d.origin]), [['invoice.pdf', 'sent', 'whatsapp']]);
    assert.deepEqual(body.skipped.map((s: any) => [s.name, s.code]), [['tool.exe', 'unsupported_file']]);
    assert.equal((await contactRow(body.contactId)).last_channel, 'whatsapp');
    assert.equal(await h.blobs.tempFileCount(), 0);
  });

  it('creates one contact for an unknown sender whose messages arrive at the same time', async () => {
    // On PostgreSQL the requests run in parallel; each must find the contact another is creating.
    const sent = await Promise.all(Array.from({ length: 5 }, (_, i) => post({ channel: 'sms', contact: { phone: '+1 415 555 0177' }, text: `burst ${i}` })));
    assert.deepEqual(sent.map((r) => r.status), [201, 201, 201, 201, 201]);
    assert.equal(new Set(sent.map((r) => r.body.contactId)).size, 1, 'one contact');
    assert.equal(sent.filter((r) => r.body.contactCreated).length, 1);
  });

  it('identifies Instagram and Facebook contacts by handle', async () => {
    const one = await post({ channel: 'instagram', contact: { handle: '@Ada.Builds', firstName: 'Ada' }, text: 'DM with a photo', attachments: [{ url: `${base}/photo`, name: 'dm.jpg' }] });
    assert.equal(one.status, 201, JSON.stringify(one.body));
    assert.deepEqual([one.body.documents[0].origin, one.body.documents[0].section], ['instagram', 'received']);
    const two = await post({ channel: 'instagram', direction: 'outbound', contact: { handle: 'ada.builds' }, text: 'thanks' });
    assert.equal(two.body.contactId, one.body.contactId);
    const fb = await post({ channel: 'facebook', contact: { handle: 'ada.builds' }, text: 'same handle, other network' });
    assert.notEqual(fb.body.contactId, one.body.contactId, 'handles are per channel');
    assert.equal((await h.call('GET', `/api/v1/contacts/${fb.body.contactId}`, { token: ws.secretKey })).body.source, 'facebook');
  });

  it('names a contact known only by a handle after it, with its channel, and lists the handles', async () => {
    const dm = await post({ channel: 'instagram', contact: { handle: '@Jane.Doe' }, text: 'hi' });
    assert.equal(dm.status, 201, JSON.stringify(dm.body));
    const contact = (await h.call('GET', `/api/v1/contacts/${dm.body.contactId}`, { token: ws.secretKey })).body;
    assert.equal(contact.name, '@jane.doe · Instagram');
    assert.deepEqual(contact.handles, [{ channel: 'instagram', handle: 'jane.doe' }]);
    const found = await h.call('POST', '/api/v1/contacts/query', { token: ws.secretKey, body: { q: 'jane.doe', sort: { field: 'name', dir: 'asc' } } });
    assert.deepEqual(found.body.items.map((c: { id: string }) => c.id), [dm.body.contactId], 'found and sorted by the handle');
    // A real name (or a phone, or an email) still comes first.
    await h.call('PATCH', `/api/v1/contacts/${contact.id}`, { token: ws.secretKey, body: { emails: [{ value: 'jane@x.example' }] } });
    assert.equal((await h.call('GET', `/api/v1/contacts/${contact.id}`, { token: ws.secretKey })).body.name, 'jane@x.example');
  });

  it('records form and survey submissions with their files, filterable by form name', async () => {
    const form = new FormData();
    form.append('message', JSON.stringify({ channel: 'form', form: 'Intake', contact: { email: 'lin@example.com', firstName: 'Lin' } }));
    form.append('id-scan', new Blob([new Uint8Array(f.png())]), 'passport.png');
    const res = await h.request('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}` }, body: form });
    const body = (await res.json()) as any;
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.deepEqual([body.documents[0].origin, body.documents[0].form, body.documents[0].section], ['form', 'Intake', 'received']);
    await post({ channel: 'survey', form: 'NPS', contact: { email: 'lin@example.com' }, attachments: [{ url: `${base}/contract.pdf`, name: 'feedback.pdf' }] });
    const intake = await documentsOf(body.contactId, '?form=Intake');
    assert.deepEqual(intake.items.map((d: any) => d.name), ['passport.png']);
    const surveys = await documentsOf(body.contactId, '?origin=survey');
    assert.deepEqual(surveys.items.map((d: any) => [d.name, d.form]), [['feedback.pdf', 'NPS']]);
    const activity = await h.opened.db.selectFrom('activities').select(['kind', 'summary']).where('id', '=', body.messageId).executeTakeFirstOrThrow();
    assert.deepEqual(activity, { kind: 'form_submission', summary: 'Intake submitted' });
    assert.equal((await post({ channel: 'form', contact: { email: 'lin@example.com' } })).status, 400, 'a form needs its name');
  });

  it('accepts a raw RFC 822 email with attachments (inbound from From, outbound to To)', async () => {
    const mime = rawEmail({
      from: '"Marie Curie" <marie@lab.example>',
      to: 'sales@company.example',
      subject: 'Lab results',
      date: 'Sat, 01 Nov 2026 10:00:00 +0000',
      attachments: [
        { name: 'results.pdf', type: 'application/pdf', content: f.pdf('results') },
        { name: 'chart.png', type: 'image/png', content: f.png() },
        { name: 'setup.exe', type: 'application/octet-stream', content: f.exe() },
      ],
    });
    const res = await h.request('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'message/rfc822' }, body: mime });
    const body = (await res.json()) as any;
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.deepEqual(body.documents.map((d: any) => [d.name, d.kind, d.section, d.origin]), [['results.pdf', 'pdf', 'received', 'email'], ['chart.png', 'png', 'received', 'email']]);
    assert.deepEqual(body.skipped.map((s: any) => s.name), ['setup.exe']);
    const contact = (await h.call('GET', `/api/v1/contacts/${body.contactId}`, { token: ws.secretKey })).body;
    assert.deepEqual([contact.name, contact.emails[0].value, contact.source], ['Marie Curie', 'marie@lab.example', 'email']);
    const content = await h.request(`/api/v1/documents/${body.documents[0].id}/content`, { headers: { authorization: `Bearer ${ws.secretKey}` } });
    assert.deepEqual(Buffer.from(await content.arrayBuffer()), f.pdf('results'));
    const activity = await h.opened.db.selectFrom('activities').selectAll().where('id', '=', body.messageId).executeTakeFirstOrThrow();
    assert.equal(activity.at, Date.UTC(2026, 10, 1, 10));
    assert.equal(JSON.parse(activity.data!).externalId, '<Labresults@mail.example.com>');

    const again = await h.request('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'message/rfc822' }, body: mime });
    const againBody = (await again.json()) as any;
    assert.equal(again.status, 200, 'a retried webhook is recognised by its Message-ID');
    assert.deepEqual([againBody.duplicate, againBody.messageId, againBody.documents.length], [true, body.messageId, 2]);
    assert.equal((await h.call('GET', `/api/v1/contacts/${body.contactId}/documents`, { token: ws.secretKey })).body.counts.all, 2);
    assert.equal(await h.blobs.tempFileCount(), 0);

    const outbound = rawEmail({ from: 'sales@company.example', to: 'Marie Curie <MARIE@lab.example>', subject: 'Re: Lab results', date: 'Sat, 01 Nov 2026 11:00:00 +0000', attachments: [{ name: 'quote.pdf', type: 'application/pdf', content: f.pdf('quote') }] });
    const out = await h.request('/api/v1/messages?direction=outbound', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'message/rfc822' }, body: outbound });
    const outBody = (await out.json()) as any;
    assert.equal(outBody.contactId, body.contactId);
    assert.equal(outBody.documents[0].section, 'sent');
  });

  it('accepts only the secret key and validates the message', async () => {
    const owner = (await ws.token('owner')).token;
    const asMember = await h.call('POST', '/api/v1/messages', { token: owner, body: { channel: 'sms', contact: { phone: '+14155550100' } } });
    assert.equal(asMember.status, 401);
    assert.equal((await h.call('POST', '/api/v1/messages', { body: {} })).status, 401);
    const noPhone = await post({ channel: 'sms', contact: { email: 'a@example.com' } });
    assert.equal(noPhone.status, 422);
    assert.equal(noPhone.body.error.details.field, 'contact.phone');
    assert.equal((await post({ channel: 'sms', contact: { phone: '123' } })).status, 422);
    assert.equal((await post({ channel: 'pigeon', contact: {} })).status, 400);
    const text = await h.request('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'text/plain' }, body: 'hi' });
    assert.equal(text.status, 415);
  });

  it('refuses attachment URLs on private addresses with the default fetcher', async () => {
    const strict = await harness();
    try {
      const other = await strict.workspace();
      const res = await strict.call('POST', '/api/v1/messages', {
        token: other.secretKey,
        body: { channel: 'email', contact: { email: 'x@example.com' }, attachments: [{ url: `${base}/contract.pdf` }, { url: 'http://169.254.169.254/latest/meta-data/iam' }] },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.documents.length, 0);
      assert.deepEqual(res.body.skipped.map((s: any) => s.code), ['attachment_fetch_failed', 'attachment_fetch_failed']);
      assert.match(res.body.skipped[0].message, /private, loopback or link-local/);
    } finally {
      await strict.close();
    }
  });
});
