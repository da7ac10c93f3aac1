import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type TestWorkspace } from '../testing.js';
import { capturing, createLink, gate, pdfDocument } from '../test-share.js';
import { addEndpoint, startReceiver, type Receiver } from '../test-webhooks.js';
import { WebhookWorker } from './webhook-worker.js';

describe('webhook events', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let rx: Receiver;
  let worker: WebhookWorker;
  let capture: ReturnType<typeof capturing>['capture'];
  const sent = async (type: string) => {
    await worker.drain();
    return rx.received.filter((r) => r.json.type === type).map((r) => r.json.data);
  };

  before(async () => {
    const c = capturing();
    capture = c.capture;
    const config = { trustProxy: 1 as const, webhooks: { allowPrivate: true } };
    h = await harness(config, { transports: c.transports });
    ws = await h.workspace();
    rx = await startReceiver();
    worker = new WebhookWorker({ db: h.opened.db, clock: h.clock, config });
    await addEndpoint(h, ws.secretKey, { url: rx.url });
  });
  after(async () => {
    await rx.close();
    await h.close();
  });

  it('tells the owner and followers of a message in or out, with their external ids, and the documents it brought', async () => {
    const owner = await ws.token('owner', { externalId: 'u-owner' });
    const follower = await ws.token('agent', { externalId: 'u-follow' });
    const c = (await h.call('POST', '/api/v1/contacts', { token: ws.secretKey, body: { firstName: 'Grace', emails: [{ value: 'grace@example.com' }], ownerId: owner.memberId, followerIds: [follower.memberId] } })).body;
    const res = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'email', contact: { email: 'grace@example.com' }, subject: 'Contract', text: 'Signed.' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const [interaction] = await sent('contact.interaction');
    assert.equal(interaction.contactId, c.id);
    assert.equal(interaction.contactName, 'Grace');
    assert.deepEqual([interaction.kind, interaction.channel, interaction.direction, interaction.summary, interaction.messageId], ['message', 'email', 'inbound', 'Contract', res.body.messageId]);
    assert.deepEqual(interaction.owner, { memberId: owner.memberId, externalId: 'u-owner', name: 'owner u-owner', email: 'u-owner@example.com' });
    assert.deepEqual(interaction.followers.map((f: any) => [f.memberId, f.externalId]), [[follower.memberId, 'u-follow']]);
    assert.deepEqual(interaction.documents, []);
  });

  it('announces uploaded documents with their origin, and deletions', async () => {
    const staff = (await ws.token('owner')).token;
    const docId = await pdfDocument(h, staff, 1, 'Deck.pdf');
    const [created] = (await sent('document.created')).filter((d) => d.document.id === docId);
    assert.deepEqual([created.origin, created.received, created.document.name, created.actor.type], ['upload', false, 'Deck.pdf', 'member']);
    assert.equal((await h.call('DELETE', `/api/v1/documents/${docId}`, { token: staff })).status, 200);
    const [deleted] = (await sent('document.deleted')).filter((d) => d.document.id === docId);
    assert.equal(deleted.contactId, created.contactId);
    assert.equal((await h.call('POST', `/api/v1/documents/${docId}/restore`, { token: staff })).status, 200);
    const [restored] = (await sent('document.restored')).filter((d) => d.document.id === docId);
    assert.deepEqual([restored.contactId, restored.document.name, restored.actor.type], [created.contactId, 'Deck.pdf', 'member']);
  });

  it('announces a share-link view, the viewer verifying, and the view as an interaction', async () => {
    const staff = (await ws.token('owner')).token;
    const docId = await pdfDocument(h, staff, 2, 'Offer.pdf');
    const link = await createLink(h, staff, { documentId: docId, require: 'email', verifyOtp: true });
    const g = gate(h);
    await g.send(link.slug, 'reader@example.com');
    const ok = await g.verify(link.slug, 'reader@example.com', capture.last('reader@example.com')!.code);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const [viewed] = await sent('share_link.viewed');
    assert.deepEqual(viewed.viewer, { channel: 'email', identifier: 'reader@example.com', verified: true });
    assert.deepEqual([viewed.link.id, viewed.document.id], [link.id, docId]);
    const [verified] = await sent('share_link.viewer_verified');
    assert.equal(verified.contactId, viewed.contactId);
    const view = (await sent('contact.interaction')).find((i) => i.kind === 'share_link_view');
    assert.equal(view.contactId, viewed.contactId);
    assert.equal(view.link.id, link.id);
    assert.deepEqual([viewed.viewId, viewed.pages, viewed.durationMs], [ok.body.viewId, [], 0]);

    // The viewer page reports pages and time as the view goes on; each report that changes the view is announced.
    const report = (body: object) => h.call('POST', `/api/v1/public/share/${link.slug}/report`, { token: ok.body.token, body });
    assert.equal((await report({ durationMs: 30_000, pages: [1, 2] })).status, 200);
    assert.equal((await report({ durationMs: 10_000, pages: [2] })).status, 200); // nothing new: no event
    assert.equal((await report({ durationMs: 45_000, pages: [3], downloaded: true })).status, 200);
    const updates = await sent('share_link.view_updated');
    assert.deepEqual(
      updates.map((u) => [u.viewId, u.pages, u.durationMs, u.downloaded]),
      [
        [ok.body.viewId, [1, 2], 30_000, false],
        [ok.body.viewId, [1, 2, 3], 45_000, true],
      ],
    );
    assert.deepEqual([updates[1].contactId, updates[1].link.slug, updates[1].document.id, updates[1].viewer], [viewed.contactId, link.slug, docId, { channel: 'email', identifier: 'reader@example.com' }]);
  });

  it('announces deletes, restores, merges and unmerges', async () => {
    const mk = async (firstName: string) => (await h.call('POST', '/api/v1/contacts', { token: ws.secretKey, body: { firstName } })).body;
    const [a, b] = [await mk('Keep'), await mk('Fold')];
    await h.call('DELETE', `/api/v1/contacts/${b.id}`, { token: ws.secretKey });
    await h.call('POST', `/api/v1/contacts/${b.id}/restore`, { token: ws.secretKey });
    assert.deepEqual((await sent('contact.deleted')).map((d) => d.contactId), [b.id]);
    assert.deepEqual((await sent('contact.restored')).map((d) => d.contactId), [b.id]);
    const owner = (await ws.token('owner')).token;
    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: a.id, mergedIds: [b.id] } });
    assert.equal(merged.status, 201, JSON.stringify(merged.body));
    const [m] = await sent('contact.merged');
    assert.deepEqual([m.contactId, m.mergeId, m.merged.map((x: any) => x.id)], [a.id, merged.body.mergeId, [b.id]]);
    assert.equal((await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: owner })).status, 200);
    assert.deepEqual((await sent('contact.unmerged')).map((d) => d.contactId).sort(), [a.id, b.id].sort());
  });
});
