import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { MOVED_TABLES, OWNED_TABLES } from '../domain/contact-tables.js';
import { newId } from '../ids.js';
import { samplePdf } from '../seed/sample-pdf.js';
import { upload } from '../test-documents.js';
import { createLink, gate } from '../test-share.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';
import { testProvider } from '../payments/config.js';

const MERGE_ACTIONS = ['contact.merged', 'contact.merged_into', 'contact.unmerged'];

describe('merge and unmerge', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let ownerId: string;
  let agentId: string;
  let a: any;
  let b: any;
  let c: any;
  let opps: string[];
  let d: any;
  let companyId: string;
  before(async () => {
    h = await harness(undefined, { payments: testProvider('test-secret-0123456789') });
    ws = await h.workspace();
    ({ token: owner, memberId: ownerId } = await ws.token('owner'));
    agentId = (await ws.token('agent')).memberId;
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'seats', label: 'Seats', type: 'number' } });
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'plan', label: 'Plan', type: 'text' } });
    const make = async (body: unknown) => {
      const res = await h.call('POST', '/api/v1/contacts', { token: owner, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      h.clock.advance(60_000);
      return res.body;
    };
    a = await make({
      firstName: 'Ada', emails: [{ value: 'ada@one.example', label: 'work' }], phones: [{ value: '+14155552671', label: 'mobile' }],
      tags: ['vip'], customFields: { seats: 5 }, followerIds: [agentId], dnd: { sms: true },
    });
    b = await make({
      firstName: 'Augusta', lastName: 'King', companyName: 'Engines', ownerId,
      emails: [{ value: 'ada@one.example' }, { value: 'augusta@two.example', primary: true }],
      phones: [{ value: '+14155552672', label: 'mobile' }, { value: '+14155552673', label: 'work' }],
      tags: ['lead', 'VIP'], customFields: { seats: 9, plan: 'Pro' }, followerIds: [ownerId], dnd: { email: true },
    });
    c = await make({ lastName: 'Byron', phones: [{ value: '+442079460958' }], tags: ['poet'] });
    for (const [contact, n] of [[a, 2], [b, 3], [c, 1]] as const) {
      for (let i = 0; i < n; i++) {
        await h.opened.db.insertInto('activities').values({ id: newId('ac_'), workspace_id: ws.id, contact_id: contact.id, kind: 'message', channel: 'email', direction: 'inbound', summary: `msg ${i}`, data: null, at: h.clock.now() + i }).execute();
      }
    }
    await h.call('PATCH', `/api/v1/contacts/${b.id}`, { token: owner, body: { website: 'engines.example' } });
    // Documents, a handle, and share-link viewing by a and b of the same link: all of it must move and come back.
    for (const [contact, name] of [[b, 'b.txt'], [c, 'c.pdf']] as const) {
      const res = await upload(h, owner, contact.id, [{ name, content: name.endsWith('.pdf') ? samplePdf(1) : Buffer.from('notes of b') }]);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    await h.opened.db.insertInto('contact_handles').values({ workspace_id: ws.id, contact_id: c.id, channel: 'instagram', handle: 'lord.byron', created_at: h.clock.now() }).execute();
    // Workflow enrolments (asked from the record and recorded by the host) and portal grants, overlapping on b.
    const wf = (await h.call('PUT', '/api/v1/workflows/wf-merge', { token: ws.secretKey, body: { name: 'Merge flow', status: 'active' } })).body;
    const offer = (await h.call('PUT', '/api/v1/portal/offers/o-merge', { token: ws.secretKey, body: { name: 'Merge course', status: 'active' } })).body;
    const group = (await h.call('PUT', '/api/v1/portal/groups/g-merge', { token: ws.secretKey, body: { name: 'Merge group', status: 'active' } })).body;
    assert.equal((await h.call('POST', `/api/v1/contacts/${a.id}/workflows`, { token: owner, body: { workflowId: wf.id } })).status, 201);
    assert.equal((await h.call('PUT', '/api/v1/workflows/wf-merge/enrolments/m-1', { token: ws.secretKey, body: { contactId: b.id, status: 'completed', step: 'Last' } })).status, 201);
    for (const [contact, path] of [[a, `portal/offers/${offer.id}`], [b, `portal/offers/${offer.id}`], [b, `portal/groups/${group.id}`]] as const) {
      assert.equal((await h.call('PUT', `/api/v1/contacts/${contact.id}/${path}`, { token: owner })).status, 201);
    }
    // Billing: b's sent invoice, c's draft and c's subscription follow the merge and come back.
    const bill = (id: string) => h.call('POST', `/api/v1/contacts/${id}/invoices`, { token: owner, body: { currency: 'USD', lines: [{ description: 'Consulting', unitAmount: 12_000 }], dueAt: h.clock.now() + 86_400_000 } });
    const bInvoice = (await bill(b.id)).body;
    assert.equal((await h.call('POST', `/api/v1/contacts/${b.id}/invoices/${bInvoice.id}/send`, { token: owner, body: { channel: 'email' } })).status, 200);
    assert.equal((await bill(c.id)).status, 201);
    const plan = await h.call('POST', '/api/v1/products', { token: owner, body: { name: 'Plan', unitAmount: 900, currency: 'USD', kind: 'recurring', interval: 'month' } });
    await h.opened.db.insertInto('subscriptions').values({ id: newId('su_'), workspace_id: ws.id, contact_id: c.id, product_id: plan.body.id, description: 'Plan', quantity: 1000, unit_amount: 900, amount: 900, currency: 'USD', interval: 'month', interval_count: 1, start_at: h.clock.now(), periods_billed: 0, next_bill_at: h.clock.now(), attempts: 0, retry_at: null, last_error: null, payment_method_id: 'pm_test', status: 'scheduled', cancelled_at: null, created_by: null, created_at: h.clock.now(), updated_at: h.clock.now() }).execute();
    const docs = await h.call('GET', `/api/v1/contacts/${c.id}/documents`, { token: owner });
    const link = await createLink(h, owner, { documentId: docs.body.items[0].id, require: 'either', verifyOtp: false });
    const g = gate(h);
    // Opportunity links: b is primary where a is associated, c alone on another, a primary where b is associated.
    const pipeline = (await h.call('POST', '/api/v1/pipelines', { token: owner, body: { name: 'Sales', stages: ['Lead'] } })).body;
    const opp = async (name: string, links: [any, 'primary' | 'associated'][]) => {
      const o = (await h.call('POST', '/api/v1/opportunities', { token: owner, body: { name, pipelineId: pipeline.id, currency: 'USD' } })).body;
      for (const [contact, role] of links) {
        h.clock.advance(1);
        assert.equal((await h.call('POST', `/api/v1/opportunities/${o.id}/contacts`, { token: owner, body: { contactId: contact.id, role } })).status, 200);
      }
      return o.id as string;
    };
    opps = [await opp('Engines deal', [[b, 'primary'], [a, 'associated']]), await opp('Poems deal', [[c, 'primary']]), await opp('Ada deal', [[a, 'primary'], [b, 'associated']])];
    for (const who of [{ channel: 'email', identifier: 'augusta@two.example' }, { channel: 'email', identifier: 'augusta@two.example' }, { channel: 'whatsapp', identifier: '+14155552671' }]) {
      h.clock.advance(1000);
      assert.equal((await g.open(link.slug, who)).status, 201);
    }
    // Associations: a and b both work at one company (one link after the merge), b is c's spouse and a manages b
    // (links inside the merge: they would join the survivor to itself), b manages d and d is c's spouse (they move).
    d = await make({ firstName: 'Dora', lastName: 'Outside' });
    companyId = (await h.call('POST', '/api/v1/companies', { token: owner, body: { name: 'Analytical Engines', domain: 'engines.example' } })).body.id;
    const type = async (body: unknown) => (await h.call('POST', '/api/v1/association-types', { token: owner, body })).body.id as string;
    const employee = await type({ targetKind: 'company', label: 'Employee of', reverseLabel: 'Employs' });
    const spouse = await type({ targetKind: 'contact', label: 'Spouse' });
    const manager = await type({ targetKind: 'contact', label: 'Manager of', reverseLabel: 'Reports to' });
    for (const [from, typeId, targetId] of [[a, employee, companyId], [b, employee, companyId], [b, spouse, c.id], [a, manager, b.id], [b, manager, d.id], [d, spouse, c.id]] as const) {
      const res = await h.call('POST', `/api/v1/contacts/${from.id}/associations`, { token: owner, body: { typeId, targetId } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    // An opportunity link made in the Associations tab is an opportunity_contacts row like the others: c joins Ada deal.
    h.clock.advance(1);
    const viaTab = await h.call('POST', `/api/v1/contacts/${c.id}/associations`, { token: owner, body: { typeId: 'opportunity.associated', targetId: opps[2] } });
    assert.equal(viaTab.status, 201, JSON.stringify(viaTab.body));
    // Payments: a card on a, two on b with a charge, a refund and a declined charge; all of it moves and comes back.
    const card = async (contactId: string, number: string) => {
      const setup = (await h.call('POST', `/api/v1/contacts/${contactId}/payments/cards/setup`, { token: owner, body: {} })).body;
      const tok = await h.app.request('/test-provider/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret: setup.clientSecret, number, expMonth: 3, expYear: 2031, cvc: '123' }) });
      const pm = ((await tok.json()) as { paymentMethodId: string }).paymentMethodId;
      h.clock.advance(1000);
      const res = await h.call('POST', `/api/v1/contacts/${contactId}/payments/cards`, { token: owner, body: { setupIntentId: setup.setupIntentId, paymentMethodId: pm } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };
    await card(a.id, '4242424242424242');
    const bCard = await card(b.id, '5555555555554444');
    const bDeclined = await card(b.id, '4000000000000002');
    const charged = await h.call('POST', `/api/v1/contacts/${b.id}/payments/charges`, { token: owner, body: { cardId: bCard, amount: 2_500, currency: 'eur', idempotencyKey: 'merge-charge-1' } });
    assert.equal(charged.status, 201, JSON.stringify(charged.body));
    h.clock.advance(1000);
    assert.equal((await h.call('POST', `/api/v1/contacts/${b.id}/payments/charges/${charged.body.id}/refunds`, { token: owner, body: { amount: 500, idempotencyKey: 'merge-refund-1' } })).status, 201);
    assert.equal((await h.call('POST', `/api/v1/contacts/${b.id}/payments/charges`, { token: owner, body: { cardId: bDeclined, amount: 100, currency: 'eur', idempotencyKey: 'merge-charge-2' } })).status, 402);
  });
  after(() => h.close());

  /**
   * Every contact's JSON and every child row, in a stable order, for deep comparison. Without the version: it only
   * grows (an unmerge is a change too), so a client holding a version from before the merge is still stale.
   */
  async function state(ids: string[]) {
    const db = h.opened.db as unknown as Kysely<any>;
    const contacts = [];
    for (const id of ids) contacts.push({ ...(await h.call('GET', `/api/v1/contacts/${id}`, { token: owner })).body, version: 0 });
    const rows: Record<string, unknown[]> = {};
    for (const table of [...OWNED_TABLES, ...MOVED_TABLES]) {
      const list = await db.selectFrom(table).selectAll().where('contact_id', 'in', ids).execute();
      rows[table] = list
        .filter((r: any) => table !== 'audit_events' || !MERGE_ACTIONS.includes(r.action))
        .map((r: any) => JSON.stringify(r))
        .sort();
    }
    rows.associations = (await db.selectFrom('associations').selectAll().where((eb: any) => eb.or([eb('contact_id', 'in', ids), eb('target_id', 'in', ids)])).execute()).map((r: any) => JSON.stringify(r)).sort();
    const raw = (await db.selectFrom('contacts').selectAll().where('id', 'in', ids).orderBy('id').execute()).map((r: any) => ({ ...r, version: 0 }));
    return { contacts, rows, raw };
  }

  it('previews without writing, then merges everything into the survivor', async () => {
    const before = await state([a.id, b.id, c.id]);
    const body = { survivorId: a.id, mergedIds: [b.id, c.id], pick: { lastName: b.id, 'customFields.seats': b.id } };
    const preview = await h.call('POST', '/api/v1/contacts/merge/preview', { token: owner, body });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.deepEqual(await state([a.id, b.id, c.id]), before, 'preview wrote nothing');
    assert.ok(preview.body.conflicts.some((x: { field: string }) => x.field === 'firstName'));
    assert.ok(preview.body.conflicts.some((x: { field: string }) => x.field === 'customFields.seats'));

    h.clock.advance(1000);
    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body });
    assert.equal(merged.status, 201, JSON.stringify(merged.body));
    const s = merged.body.survivor;
    assert.deepEqual({ ...s, updatedAt: 0 }, { ...preview.body.result, updatedAt: 0 }, 'preview = merge');
    assert.equal(s.name, 'Ada King');
    assert.equal(s.companyName, 'Engines');
    assert.equal(s.ownerId, ownerId);
    assert.equal(s.website, 'https://engines.example/');
    assert.deepEqual(s.emails.map((e: any) => [e.value, e.primary]), [['ada@one.example', true], ['augusta@two.example', false]]);
    assert.deepEqual(s.phones.map((p: any) => [p.value, p.label, p.primary]), [
      ['+14155552671', 'mobile', true], ['+14155552672', null, false], ['+14155552673', 'work', false], ['+442079460958', null, false],
    ]);
    assert.deepEqual(s.tags, ['lead', 'poet', 'vip']);
    assert.deepEqual(s.followerIds, [agentId, ownerId].sort());
    assert.deepEqual(s.customFields, { seats: 9, plan: 'Pro' });
    assert.equal(s.dnd.sms && s.dnd.email, true);
    assert.equal(s.createdAt, a.createdAt);
    const acts = await h.opened.db.selectFrom('activities').select('id').where('contact_id', '=', a.id).execute();
    assert.equal(acts.length, before.rows.activities!.length);
    const docs = await h.call('GET', `/api/v1/contacts/${a.id}/documents`, { token: owner });
    assert.deepEqual(docs.body.items.map((d: { name: string }) => d.name).sort(), ['b.txt', 'c.pdf']);
    const cards = (await h.call('GET', `/api/v1/contacts/${a.id}/payments/cards`, { token: owner })).body.items;
    assert.deepEqual(cards.map((x: { last4: string; isDefault: boolean }) => `${x.last4}:${x.isDefault}`), ['4242:false', '4444:true', '0002:false'], 'the default is the card made default last');
    const ledger = (await h.call('GET', `/api/v1/contacts/${a.id}/payments/history`, { token: owner })).body.items;
    assert.deepEqual(ledger.map((e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`), ['charge.failed:0', 'refund.succeeded:-500', 'charge.succeeded:2500', 'invoice.sent:0']);
    const invoices = await h.call('GET', `/api/v1/contacts/${a.id}/invoices`, { token: owner });
    assert.deepEqual(invoices.body.items.map((i: { status: string }) => i.status).sort(), ['draft', 'sent']);
    assert.equal((await h.call('GET', `/api/v1/contacts/${a.id}/subscriptions`, { token: owner })).body.items.length, 1);
    const handles = await h.opened.db.selectFrom('contact_handles').select('handle').where('contact_id', '=', a.id).execute();
    assert.deepEqual(handles.map((x) => x.handle), ['lord.byron']);
    const viewers = await h.opened.db.selectFrom('share_link_contacts').selectAll().where('contact_id', 'in', [a.id, b.id, c.id]).execute();
    assert.deepEqual(viewers.map((v) => [v.contact_id, v.view_count]), [[a.id, 3]], 'one viewer row for the link, views added up');
    assert.equal(s.accessCount, 3);
    // Every opportunity link moved to the survivor, one link each, primary where either contact was.
    const links = await h.opened.db.selectFrom('opportunity_contacts').select(['opportunity_id', 'contact_id', 'role']).where('contact_id', 'in', [a.id, b.id, c.id]).orderBy('opportunity_id').execute();
    assert.deepEqual(links.map((l) => [l.opportunity_id, l.contact_id, l.role]), [...opps].sort().map((id) => [id, a.id, 'primary']));
    const survivorOpps = await h.call('GET', `/api/v1/contacts/${a.id}/opportunities`, { token: owner });
    assert.deepEqual(survivorOpps.body.items.map((o: { name: string }) => o.name).sort(), ['Ada deal', 'Engines deal', 'Poems deal']);
    const audit = await h.call('GET', `/api/v1/contacts/${a.id}/audit?limit=200`, { token: owner });
    assert.ok(audit.body.items.some((e: { action: string }) => e.action === 'contact.updated'), 'b’s history moved to the survivor');
    const enrolments = [...(await h.call('GET', `/api/v1/contacts/${a.id}/workflows`, { token: owner })).body.items, ...(await h.call('GET', `/api/v1/contacts/${a.id}/workflows?status=past`, { token: owner })).body.items];
    assert.deepEqual(enrolments.map((e: { status: string; hostId: string | null }) => `${e.status}:${e.hostId}`), ['enrolled:null', 'completed:m-1'], 'both enrolments moved to the survivor');
    const portal = (await h.call('GET', `/api/v1/contacts/${a.id}/portal`, { token: owner })).body;
    assert.deepEqual([portal.offers.map((g: { item: { name: string } }) => g.item.name), portal.groups.map((g: { item: { name: string } }) => g.item.name)], [['Merge course'], ['Merge group']], 'grants united, one each');
    const gone = await h.call('GET', `/api/v1/contacts/${b.id}`, { token: owner });
    assert.equal(gone.body.mergedIntoId, a.id);
    const list = await h.call('POST', '/api/v1/contacts/query', { token: owner, body: {} });
    assert.deepEqual(list.body.items.map((x: { id: string }) => x.id).sort(), [a.id, d.id].sort());
    const bin = await h.call('GET', '/api/v1/contacts?deleted=true', { token: owner });
    assert.deepEqual(bin.body.items, [], 'merged contacts are not in the restore bin');
    assert.equal((await h.call('POST', `/api/v1/contacts/${b.id}/restore`, { token: owner })).status, 409);
    assert.deepEqual((await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { q: 'augusta' } })).body.items.map((x: { id: string }) => x.id), [a.id]);

    // Associations: the absorbed contacts' links are the survivor's; the ones between merged contacts are gone.
    const assocLinks = (await h.call('GET', `/api/v1/contacts/${a.id}/associations`, { token: owner })).body.items;
    assert.deepEqual(assocLinks.map((l: any) => [l.label, l.target.id]).sort(), [
      ['Employee of', companyId], ['Manager of', d.id],
      // Each opportunity once (its one opportunity_contacts row; nothing stored in associations), the survivor primary.
      ...[...opps].sort().map((id) => ['Primary contact', id]),
      ['Spouse', d.id],
    ]);
    const dLinks = (await h.call('GET', `/api/v1/contacts/${d.id}/associations`, { token: owner })).body.items;
    assert.deepEqual(dLinks.map((l: any) => [l.label, l.target.id]).sort(), [['Reports to', a.id], ['Spouse', a.id]]);
    assert.deepEqual((await h.call('GET', `/api/v1/contacts/${b.id}/associations`, { token: owner })).body.items, [], 'the absorbed contact keeps none');

    const merges = await h.call('GET', `/api/v1/merges?contactId=${a.id}`, { token: owner });
    assert.equal(merges.body.items[0].id, merged.body.mergeId);
    h.clock.advance(1000);
    const undone = await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: owner });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.deepEqual(await state([a.id, b.id, c.id]), before, 'unmerge restores every contact and row exactly');
    const cOpps = (await h.call('GET', `/api/v1/contacts/${c.id}/associations`, { token: owner })).body.items.filter((l: any) => l.target.kind === 'opportunity');
    assert.deepEqual(cOpps.map((l: any) => [l.target.name, l.label]), [['Poems deal', 'Primary contact'], ['Ada deal', 'Associated contact']]);
    assert.deepEqual((await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { q: 'augusta' } })).body.items.map((x: { id: string }) => x.id), [b.id]);
    assert.equal((await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: owner })).status, 409);
  });

  it('splits one contact off a merge of several: reviewed first, the others stay merged with the same picks', async () => {
    const make = async (body: unknown) => (await h.call('POST', '/api/v1/contacts', { token: owner, body })).body;
    const s = await make({ firstName: 'Sam', emails: [{ value: 'sam@s.example' }], tags: ['s'] });
    const x = await make({ firstName: 'Xena', lastName: 'Warrior', emails: [{ value: 'xena@x.example' }], tags: ['x'] });
    const y = await make({ firstName: 'Yuri', companyName: 'Y Corp', emails: [{ value: 'yuri@y.example' }], phones: [{ value: '+442079460999' }], tags: ['y'] });
    const before = await state([s.id, x.id, y.id]);
    h.clock.advance(1000);
    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: s.id, mergedIds: [x.id, y.id], pick: { lastName: x.id, companyName: y.id } } });
    assert.equal(merged.status, 201, JSON.stringify(merged.body));
    assert.equal(merged.body.survivor.name, 'Sam Warrior');
    const url = `/api/v1/merges/${merged.body.mergeId}/unmerge`;

    // Step 1 of the dialog: every merged contact's profile as it would come back.
    const all = await h.call('POST', `${url}/preview`, { token: owner, body: {} });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(all.body.restored.map((c: any) => [c.name, c.emails.map((e: any) => e.value)]), [['Xena Warrior', ['xena@x.example']], ['Yuri', ['yuri@y.example']]]);
    assert.equal(all.body.remaining, null);
    // Step 2: review splitting off Xena alone — written by nothing.
    const snapshot = await state([s.id, x.id, y.id]);
    const review = await h.call('POST', `${url}/preview`, { token: owner, body: { contactIds: [x.id] } });
    assert.equal(review.status, 200, JSON.stringify(review.body));
    assert.deepEqual(await state([s.id, x.id, y.id]), snapshot, 'the preview wrote nothing');
    assert.deepEqual(review.body.restored.map((c: any) => c.id), [x.id]);
    assert.equal(review.body.survivor.name, 'Sam', 'the pick that named Xena falls back to the survivor’s own value');
    assert.equal(review.body.survivor.companyName, 'Y Corp', 'the pick that named Yuri stays');
    assert.deepEqual(review.body.survivor.emails.map((e: any) => e.value), ['sam@s.example', 'yuri@y.example']);
    assert.deepEqual(review.body.survivor.tags, ['s', 'y']);

    // Step 3: confirm.
    h.clock.advance(1000);
    const done = await h.call('POST', url, { token: owner, body: { contactIds: [x.id] } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual({ ...done.body.survivor, updatedAt: 0, version: 0 }, { ...review.body.survivor, updatedAt: 0, version: 0 }, 'preview = unmerge');
    assert.deepEqual(done.body.restored.map((c: any) => [c.name, c.deletedAt, c.mergedIntoId, c.tags]), [['Xena Warrior', null, null, ['x']]]);
    assert.deepEqual(done.body.remaining.mergedIds, [y.id]);
    assert.equal((await h.call('GET', `/api/v1/contacts/${y.id}`, { token: owner })).body.mergedIntoId, s.id, 'Yuri stays merged');
    const merges = (await h.call('GET', `/api/v1/merges?contactId=${s.id}`, { token: owner })).body.items;
    assert.equal(merges.find((m: any) => !m.undoneAt).id, done.body.remaining.mergeId, 'the merge that holds Yuri now is the one to undo next');
    const audit = (await h.call('GET', `/api/v1/contacts/${x.id}/audit`, { token: owner })).body.items;
    assert.equal(audit[0].action, 'contact.unmerged');
    assert.deepEqual(audit[0].context.merged.map((m: any) => m.id), [x.id]);
    assert.equal(audit[0].context.remainingMergeId, done.body.remaining.mergeId);

    // Undoing the rest brings everyone back as they were before any merge.
    assert.equal((await h.call('POST', `/api/v1/merges/${done.body.remaining.mergeId}/unmerge`, { token: owner })).status, 200);
    assert.deepEqual(await state([s.id, x.id, y.id]), before);
  });

  it('refuses to split off a contact the merge did not take, or an older merge under a newer one', async () => {
    const make = async (firstName: string) => (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName } })).body.id as string;
    const [s, x, y] = [await make('S2'), await make('X2'), await make('Y2')];
    const first = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: s, mergedIds: [x] } });
    h.clock.advance(1000);
    const second = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: s, mergedIds: [y] } });
    const wrong = await h.call('POST', `/api/v1/merges/${second.body.mergeId}/unmerge`, { token: owner, body: { contactIds: [x] } });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.details.field, 'contactIds[0]');
    const older = await h.call('POST', `/api/v1/merges/${first.body.mergeId}/unmerge`, { token: owner, body: {} });
    assert.equal(older.status, 409);
    assert.equal(older.body.error.details.mergeId, second.body.mergeId);
    assert.equal((await h.call('POST', `/api/v1/merges/${second.body.mergeId}/unmerge`, { token: owner })).status, 200, 'no body: the whole merge');
    assert.equal((await h.call('POST', `/api/v1/merges/${first.body.mergeId}/unmerge`, { token: owner })).status, 200);
  });

  it('enforces the 11-phone limit and refuses bad ids, picks and self-merge', async () => {
    const many = async (offset: number) =>
      (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'P', phones: Array.from({ length: 6 }, (_, i) => ({ value: `+1415555${3000 + offset + i}` })) } })).body.id;
    const x = await many(0);
    const y = await many(10);
    const res = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: x, mergedIds: [y] } });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.details.field, 'phones');
    assert.equal((await h.call('GET', `/api/v1/contacts/${y}`, { token: owner })).body.mergedIntoId, null, 'nothing written');
    const self = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: x, mergedIds: [x] } });
    assert.equal(self.body.error.details.field, 'mergedIds');
    const pick = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: a.id, mergedIds: [c.id], pick: { firstName: y } } });
    assert.equal(pick.body.error.details.field, 'pick.firstName');
    const missing = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: a.id, mergedIds: ['ct_nope'] } });
    assert.equal(missing.body.error.details.field, 'mergedIds[0]');
  });

  it('merges a contact into one survivor only, when two merges of it arrive at once', async () => {
    const make = async (name: string) => (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: name } })).body.id as string;
    const [x, y, z] = [await make('Twice'), await make('Either'), await make('Other')];
    // On PostgreSQL both run in parallel: the second must see the first's merge, not the contact as it was.
    const results = await Promise.all([y, z].map((survivorId) => h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId, mergedIds: [x] } })));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 422], JSON.stringify(results.map((r) => r.body)));
    const winner = results.find((r) => r.status === 201)!.body.survivor.id;
    assert.equal((await h.call('GET', `/api/v1/contacts/${x}`, { token: owner })).body.mergedIntoId, winner);
    const merges = await h.opened.db.selectFrom('merges').select('survivor_id').where('merged_ids', 'like', `%${x}%`).execute();
    assert.deepEqual(merges.map((m) => m.survivor_id), [winner]);
  });

  it('needs contacts.merge and stays inside the workspace', async () => {
    const agent = (await ws.token('agent')).token;
    const body = { survivorId: a.id, mergedIds: [c.id] };
    assert.equal((await h.call('POST', '/api/v1/contacts/merge', { token: agent, body })).status, 403);
    assert.equal((await h.call('POST', '/api/v1/contacts/merge/preview', { token: agent, body })).status, 403);
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    const res = await h.call('POST', '/api/v1/contacts/merge', { token: stranger, body });
    assert.equal(res.status, 422);
    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body });
    assert.equal(merged.status, 201);
    assert.equal((await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: stranger })).status, 404);
    assert.equal((await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: agent })).status, 403);
    assert.deepEqual((await h.call('GET', `/api/v1/merges?contactId=${a.id}`, { token: stranger })).body.items, []);
  });
});
