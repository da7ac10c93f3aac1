import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { capturing, createLink, gate, pdfDocument, type CapturingTransport } from '../test-share.js';
import { harness, type Harness } from '../testing.js';

// What the contact table shows of a share-link viewer: a view is an interaction (last interaction and channel), and
// the viewer's Type (Email / WhatsApp) is in the contact JSON, the export and the shipped "Viewers" view.
describe('share-link viewers in the contact table', () => {
  let h: Harness;
  let owner: string;
  let capture: CapturingTransport;
  let doc: string;
  let g: ReturnType<typeof gate>;
  before(async () => {
    const c = capturing();
    capture = c.capture;
    h = await harness({ trustProxy: 1 }, { transports: c.transports });
    const ws = await h.workspace({ region: 'GB' });
    owner = (await ws.token('owner', { ttlSeconds: 86_400 })).token;
    doc = await pdfDocument(h, owner, 2, 'Deck.pdf');
    g = gate(h);
  });
  after(() => h.close());

  const pass = async (slug: string, who: string) => {
    assert.equal((await g.send(slug, who)).status, 202);
    const v = await g.verify(slug, who, capture.last(who)!.code);
    assert.equal(v.status, 201, JSON.stringify(v.body));
    h.clock.advance(31_000);
    return v.body as { contactId: string };
  };
  const contact = async (id: string) => (await h.call('GET', `/api/v1/contacts/${id}`, { token: owner })).body;

  it('a view is an interaction: last interaction and last channel follow it, for new and existing contacts', async () => {
    const link = await createLink(h, owner, { documentId: doc, require: 'either', name: 'Either' });
    const existing = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Known', emails: [{ value: 'known@example.com' }] } });
    assert.equal((await contact(existing.body.id)).lastInteractionAt, null);
    const at = h.clock.now();
    const viewed = await pass(link.slug, 'known@example.com');
    assert.equal(viewed.contactId, existing.body.id);
    const after = await contact(existing.body.id);
    assert.equal(after.lastInteractionAt, at);
    assert.equal(after.lastChannel, 'email');
    const wa = await pass(link.slug, '+447911123456');
    const waContact = await contact(wa.contactId);
    assert.ok(waContact.lastInteractionAt >= at);
    assert.equal(waContact.lastChannel, 'whatsapp');
    // A message recorded later than the view is not overwritten by an older view time.
    await h.opened.db.updateTable('contacts').set({ last_interaction_at: h.clock.now() + 3_600_000, last_channel: 'sms' }).where('id', '=', existing.body.id).execute();
    await pass(link.slug, 'known@example.com');
    assert.equal((await contact(existing.body.id)).lastChannel, 'sms');
  });

  it('the viewer type is in the contact, the filter, the export ("Viewer type") and the Viewers view', async () => {
    const link = await createLink(h, owner, { documentId: doc, require: 'either', name: 'Typed' });
    const both = await pass(link.slug, 'both@example.com');
    await h.call('PATCH', `/api/v1/contacts/${both.contactId}`, { token: owner, body: { firstName: 'Both', phones: [{ value: '+447911123457' }] } });
    await pass(link.slug, '+447911123457');
    const wa = await pass(link.slug, '+447911123458');
    await h.call('PATCH', `/api/v1/contacts/${wa.contactId}`, { token: owner, body: { firstName: 'Wanda' } });
    assert.deepEqual((await contact(both.contactId)).viewerChannels, ['email', 'whatsapp']);
    assert.deepEqual((await contact(wa.contactId)).viewerChannels, ['whatsapp']);
    const plain = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Plain' } });
    assert.deepEqual(plain.body.viewerChannels, []);

    const exp = await h.call('POST', '/api/v1/contacts/export', {
      token: owner,
      body: { filter: { field: 'shareLink', op: 'is_any', value: [link.id] }, sort: { field: 'name', dir: 'asc' }, columns: ['firstName', 'viewerType'] },
    });
    assert.equal(exp.status, 201, JSON.stringify(exp.body));
    const lines = (await (await h.app.request(exp.body.url)).text()).trim().split('\r\n');
    assert.deepEqual(lines, ['First name,Viewer type', 'Both,"Email; WhatsApp"', 'Wanda,WhatsApp']);

    const views = (await h.call('GET', '/api/v1/views', { token: owner })).body.items;
    const viewers = views.find((v: { name: string }) => v.name === 'Viewers');
    assert.deepEqual(viewers.definition.columns, ['name', 'viewerType', 'email', 'phone', 'lastAccessedAt', 'accessCount', 'source']);
  });
});
