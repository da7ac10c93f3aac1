// What the audit log records for each kind of event: only what changed, and who or what else was involved
// (`context`: the bulk job, the contacts merged, the document and link viewed) — and that rows written before
// `context` existed read the same way.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../ids.js';
import { createLink, gate, pdfDocument } from '../test-share.js';
import { harness, waitForJob, type Harness, type TestWorkspace } from '../testing.js';

describe('audit log', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    for (const [key, type] of [['industry', 'text'], ['seats', 'number'], ['plan', 'text']]) {
      await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key, label: key, type } });
    }
  });
  after(() => h.close());

  const create = async (body: Record<string, unknown>) => (await h.call('POST', '/api/v1/contacts', { token: owner, body })).body as { id: string; name: string };
  const audit = async (id: string) => (await h.call('GET', `/api/v1/contacts/${id}/audit?limit=100`, { token: owner })).body.items as any[];

  it('records only the custom fields and DND channels that changed, each under its own key', async () => {
    const c = await create({ firstName: 'Cf', customFields: { industry: 'Retail', plan: 'Pro' }, dnd: { email: true } });
    h.clock.advance(1000);
    await h.call('PATCH', `/api/v1/contacts/${c.id}`, { token: owner, body: { customFields: { seats: 12 }, dnd: { sms: true } } });
    const [event] = await audit(c.id);
    assert.equal(event.action, 'contact.updated');
    assert.deepEqual(event.changes, { 'customFields.seats': { before: null, after: 12 }, 'dnd.sms': { before: false, after: true } });
    assert.deepEqual(event.context, {});
  });

  it('keeps the bulk job out of the changes: it is context', async () => {
    const c = await create({ firstName: 'Bulk', tags: ['keep'] });
    const res = await h.call('POST', '/api/v1/contacts/bulk', { token: owner, body: { action: 'add_tags', ids: [c.id], params: { tags: ['bulk-added'] } } });
    const job = await waitForJob(h, owner, res.body.id);
    const [event] = await audit(c.id);
    assert.deepEqual(event.changes, { tags: { before: ['keep'], after: ['bulk-added', 'keep'] } });
    assert.deepEqual(event.context, { bulkJobId: job.id });
  });

  it('says whom a merge took in and whom it went into, and whom an unmerge split', async () => {
    const survivor = await create({ firstName: 'Survivor', lastName: 'Smith' });
    const merged = await create({ firstName: 'Absorbed', lastName: 'Jones', customFields: { plan: 'Team' } });
    const res = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: survivor.id, mergedIds: [merged.id], pick: {} } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const mergeId = res.body.mergeId as string;
    const into = (await audit(survivor.id)).find((e) => e.action === 'contact.merged');
    assert.deepEqual(into.context, { mergeId, merged: [{ id: merged.id, name: 'Absorbed Jones' }] });
    assert.deepEqual(into.changes, { 'customFields.plan': { before: null, after: 'Team' } });
    const gone = (await h.opened.db.selectFrom('audit_events').select(['action', 'changes', 'context']).where('contact_id', '=', merged.id).execute()).find((e) => e.action === 'contact.merged_into')!;
    assert.deepEqual(JSON.parse(gone.context), { mergeId, survivor: { id: survivor.id, name: 'Survivor Smith' } });
    assert.deepEqual(JSON.parse(gone.changes), {});
    h.clock.advance(1000);
    assert.equal((await h.call('POST', `/api/v1/merges/${mergeId}/unmerge`, { token: owner })).status, 200);
    const split = (await audit(survivor.id)).find((e) => e.action === 'contact.unmerged');
    assert.deepEqual(split.context, { mergeId, survivor: { id: survivor.id, name: 'Survivor Smith' }, merged: [{ id: merged.id, name: 'Absorbed Jones' }] });
  });

  it('names the document and the link of a share-link view, of link changes and of document events', async () => {
    const docId = await pdfDocument(h, owner, 1, 'Offer.pdf');
    const link = await createLink(h, owner, { documentId: docId, require: 'email', verifyOtp: false, name: 'Client link' });
    h.clock.advance(1000);
    assert.equal((await h.call('PATCH', `/api/v1/share-links/${link.id}`, { token: owner, body: { allowDownload: true } })).status, 200);
    const staff = await audit((await h.call('GET', `/api/v1/documents/${docId}`, { token: owner })).body.contactId);
    const linkRef = { id: link.id, name: 'Client link', slug: link.slug };
    const created = staff.find((e) => e.action === 'share_link.created');
    assert.deepEqual(created.context, { link: linkRef, document: { id: docId, name: 'Offer.pdf' } });
    assert.deepEqual(created.changes, {});
    const updated = staff.find((e) => e.action === 'share_link.updated');
    assert.deepEqual(updated.changes, { allowDownload: { before: false, after: true } });
    assert.deepEqual(updated.context.link, linkRef);
    const uploaded = staff.find((e) => e.action === 'document.uploaded');
    assert.deepEqual(uploaded.context, { document: { id: docId, name: 'Offer.pdf', section: 'internal', kind: 'pdf', size: uploaded.context.document.size } });
    assert.ok(uploaded.context.document.size > 0);

    const opened = await gate(h).open(link.slug, { channel: 'email', identifier: 'reader@example.com' });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const viewer = await h.opened.db.selectFrom('contact_emails').select('contact_id').where('value', '=', 'reader@example.com').executeTakeFirstOrThrow();
    const viewed = (await audit(viewer.contact_id)).find((e) => e.action === 'share_link.viewed');
    assert.deepEqual(viewed.changes, {});
    assert.deepEqual(viewed.context, { link: linkRef, document: { id: docId, name: 'Offer.pdf' }, channel: 'email', identifier: 'reader@example.com', verified: false, viewId: opened.body.viewId });
  });

  it('reads rows written before context existed the same way', async () => {
    const other = await create({ firstName: 'Old', lastName: 'Partner' });
    const c = await create({ firstName: 'Legacy' });
    const row = (action: string, changes: unknown) => ({
      id: newId('ev_'), workspace_id: ws.id, contact_id: c.id, actor_id: null, actor_type: 'api' as const, action, changes: JSON.stringify(changes), at: h.clock.now(),
    });
    await h.opened.db.insertInto('audit_events').values([
      row('contact.updated', { tags: { before: [], after: ['x'] }, bulk: { before: null, after: 'job_1' } }),
      row('contact.updated', { customFields: { before: { industry: 'Retail', plan: 'Pro' }, after: { industry: 'Retail', plan: 'Team', seats: 3 } } }),
      row('contact.merged', { companyName: { before: null, after: 'Acme' }, mergedIds: { before: null, after: [other.id] }, mergeId: { before: null, after: 'mg_1' } }),
      row('contact.merged_into', { mergedIntoId: { before: null, after: other.id }, mergeId: { before: null, after: 'mg_2' } }),
      row('share_link.viewed', { view: { before: null, after: { summary: 'Viewed "Old.pdf" via "Old link"', linkId: 'sl_1', documentId: 'doc_1', viewId: 'lv_1', channel: 'email', identifier: 'old@example.com', verified: true } } }),
      row('share_link.updated', { shareLink: { before: { id: 'sl_1', name: 'Old link', documentId: 'doc_1', allowDownload: false }, after: { id: 'sl_1', name: 'Old link', documentId: 'doc_1', allowDownload: true } } }),
      row('document.moved', { section: { before: 'internal', after: 'sent' }, document: { before: 'doc_1', after: 'doc_1' } }),
    ]).execute();
    const byAction = (a: string) => events.filter((e) => e.action === a);
    // Same millisecond: listed newest written first; reversed into the order written above.
    const events = (await audit(c.id)).filter((e) => e.actor.type === 'api').reverse();
    const [bulk, fields] = byAction('contact.updated');
    assert.deepEqual([bulk.changes, bulk.context], [{ tags: { before: [], after: ['x'] } }, { bulkJobId: 'job_1' }]);
    assert.deepEqual(fields.changes, { 'customFields.plan': { before: 'Pro', after: 'Team' }, 'customFields.seats': { before: null, after: 3 } });
    const [merged] = byAction('contact.merged');
    assert.deepEqual([merged.changes, merged.context], [{ companyName: { before: null, after: 'Acme' } }, { mergeId: 'mg_1', merged: [{ id: other.id, name: 'Old Partner' }] }]);
    const [into] = byAction('contact.merged_into');
    assert.deepEqual([into.changes, into.context], [{}, { mergeId: 'mg_2', survivor: { id: other.id, name: 'Old Partner' } }]);
    const [viewed] = byAction('share_link.viewed');
    assert.deepEqual([viewed.changes, viewed.context], [{}, { link: { id: 'sl_1', name: 'Old link' }, document: { id: 'doc_1', name: 'Old.pdf' }, channel: 'email', identifier: 'old@example.com', verified: true }]);
    const [link] = byAction('share_link.updated');
    assert.deepEqual([link.changes, link.context], [{ allowDownload: { before: false, after: true } }, { link: { id: 'sl_1', name: 'Old link' }, document: { id: 'doc_1' } }]);
    const [moved] = byAction('document.moved');
    assert.deepEqual([moved.changes, moved.context], [{ section: { before: 'internal', after: 'sent' } }, { document: { id: 'doc_1' } }]);
  });
});
