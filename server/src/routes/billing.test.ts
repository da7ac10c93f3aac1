import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../domain/events.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const DAY = 86_400_000;

// The price list and a contact's invoices: totals, numbering, draft → sent → paid / void, the hosted page, roles,
// tenant isolation, audit, webhooks and live events.
describe('billing: products and invoices', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let manager: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let contactId: string;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const ok = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
    const res = await call(method, path, token, body);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const invoice = (body: Record<string, unknown> = {}, token = owner.token, id = contactId) =>
    ok('POST', `/contacts/${id}/invoices`, token, { currency: 'USD', lines: [{ description: 'Consulting', quantity: '2', unitAmount: 10_000 }], dueAt: h.clock.now() + 30 * DAY, ...body }, 201);

  before(async () => {
    h = await harness({ publicUrl: 'https://crm.example.com' });
    ws = await h.workspace();
    owner = await ws.token('owner');
    manager = await ws.token('manager');
    agent = await ws.token('agent');
    contactId = (await ok('POST', '/contacts', owner.token, { firstName: 'Ada', lastName: 'Billing', emails: [{ value: 'ada@example.com' }], address: { line1: '1 Main St', city: 'Springfield', country: 'US' } }, 201)).id;
  });
  after(() => h.close());

  it('keeps a price list of one-off and recurring products', async () => {
    const setup = await ok('POST', '/products', owner.token, { name: 'Setup', unitAmount: 50_000, currency: 'USD', kind: 'one_off' }, 201);
    assert.match(setup.id, /^pr_/);
    assert.deepEqual([setup.interval, setup.intervalCount], [null, null]);
    const plan = await ok('POST', '/products', manager.token, { name: 'Pro plan', unitAmount: 2_900, currency: 'USD', kind: 'recurring', interval: 'month', intervalCount: 3 }, 201);
    assert.deepEqual([plan.interval, plan.intervalCount], ['month', 3]);
    const yearly = await ok('POST', '/products', owner.token, { name: 'Annual', unitAmount: 29_000, currency: 'USD', kind: 'recurring', interval: 'year' }, 201);
    assert.equal(yearly.intervalCount, 1);
    const bad: [Record<string, unknown>, number, string][] = [
      [{ name: 'x', unitAmount: 1, currency: 'USD', kind: 'recurring' }, 422, 'interval'],
      [{ name: 'x', unitAmount: 1, currency: 'USD', kind: 'one_off', interval: 'month' }, 422, 'interval'],
      [{ name: 'x', unitAmount: 1.5, currency: 'USD', kind: 'one_off' }, 400, 'unitAmount'],
      [{ name: 'x', unitAmount: -1, currency: 'USD', kind: 'one_off' }, 400, 'unitAmount'],
      [{ name: 'x', unitAmount: 1, currency: 'usd', kind: 'one_off' }, 400, 'currency'],
      [{ name: '', unitAmount: 1, currency: 'USD', kind: 'one_off' }, 400, 'name'],
      [{ name: 'x', unitAmount: 1, currency: 'USD', kind: 'recurring', interval: 'week' }, 400, 'interval'],
    ];
    for (const [body, status, field] of bad) {
      const res = await call('POST', '/products', owner.token, body);
      assert.equal(res.status, status, JSON.stringify(body));
      if (status === 422) assert.deepEqual(res.body.error.details, { field });
      else assert.equal(res.body.error.details[0].path, field);
    }
    // Agents read the price list but cannot change it.
    assert.equal((await call('POST', '/products', agent.token, { name: 'x', unitAmount: 1, currency: 'USD', kind: 'one_off' })).status, 403);
    assert.equal((await call('PATCH', `/products/${setup.id}`, agent.token, { name: 'y' })).status, 403);
    const names = (await ok('GET', '/products', agent.token)).items.map((p: { name: string }) => p.name);
    assert.deepEqual(names, ['Annual', 'Pro plan', 'Setup']);
    // Archived products leave the list unless asked for.
    const archived = await ok('PATCH', `/products/${yearly.id}`, owner.token, { archived: true, unitAmount: 30_000 });
    assert.deepEqual([archived.archived, archived.unitAmount], [true, 30_000]);
    assert.equal((await ok('GET', '/products', owner.token)).items.length, 2);
    assert.equal((await ok('GET', '/products?archived=true', owner.token)).items.length, 3);
    const oneOff = await ok('PATCH', `/products/${plan.id}`, owner.token, { kind: 'one_off' });
    assert.deepEqual([oneOff.kind, oneOff.interval], ['one_off', null]);
    await ok('PATCH', `/products/${plan.id}`, owner.token, { kind: 'recurring', interval: 'month', intervalCount: 3 });
  });

  it('prefills the invoice from the contact, computes totals on the server and numbers invoices per workspace', async () => {
    const inv = await invoice({
      lines: [
        { description: 'Design', quantity: '1.5', unitAmount: 12_000, discount: { percent: '10' }, taxIds: ['vat'] },
        { description: 'Hosting', quantity: '1', unitAmount: 5_000, taxIds: ['vat', 'city'] },
      ],
      taxes: [
        { id: 'vat', name: 'VAT', percent: '20' },
        { id: 'city', name: 'City tax', percent: '2.5' },
      ],
      discount: { amount: 1_000 },
      notes: 'Thank you!',
    });
    assert.match(inv.id, /^in_/);
    assert.match(inv.number, /^INV-\d{4}$/);
    assert.equal(inv.status, 'draft');
    assert.deepEqual(inv.billTo, { name: 'Ada Billing', email: 'ada@example.com', address: { line1: '1 Main St', city: 'Springfield', country: 'US' } });
    // 1.5 × 120.00 = 180.00 − 10 % = 162.00; 50.00; invoice discount 10.00 shared 162:50 → 7.64 / 2.36.
    assert.deepEqual(inv.lines.map((l: { amount: number; discountAmount: number; invoiceDiscountAmount: number }) => [l.amount, l.discountAmount, l.invoiceDiscountAmount]), [[18_000, 1_800, 764], [5_000, 0, 236]]);
    assert.equal(inv.subtotal, 23_000);
    assert.equal(inv.discountTotal, 2_800);
    // VAT on 154.36 and 47.64 → 30.87 + 9.53 (rounded per line); city tax on 47.64 → 1.19.
    assert.deepEqual(inv.taxes.map((t: { id: string; amount: number }) => [t.id, t.amount]), [['vat', 3_087 + 953], ['city', 119]]);
    assert.equal(inv.taxTotal, 4_159);
    assert.equal(inv.total, 23_000 - 2_800 + 4_159);
    const next = await invoice();
    assert.equal(Number(next.number.slice(4)), Number(inv.number.slice(4)) + 1);
    // Another workspace counts from 1.
    const other = await h.workspace();
    const otherOwner = await other.token('owner');
    const otherContact = (await ok('POST', '/contacts', otherOwner.token, { firstName: 'Zed' }, 201)).id;
    assert.equal((await invoice({}, otherOwner.token, otherContact)).number, 'INV-0001');
  });

  it('fills lines from the price list and refuses what does not add up', async () => {
    const product = await ok('POST', '/products', owner.token, { name: 'Workshop', unitAmount: 80_000, currency: 'USD', kind: 'one_off' }, 201);
    const yen = await ok('POST', '/products', owner.token, { name: 'Yen thing', unitAmount: 1_000, currency: 'JPY', kind: 'one_off' }, 201);
    const inv = await invoice({ lines: [{ productId: product.id, quantity: '2' }, { productId: product.id, description: 'Workshop (half day)', unitAmount: 40_000 }] });
    assert.deepEqual(inv.lines.map((l: { description: string; unitAmount: number; productId: string }) => [l.description, l.unitAmount, l.productId]), [['Workshop', 80_000, product.id], ['Workshop (half day)', 40_000, product.id]]);
    assert.equal(inv.total, 200_000);
    const jpy = await invoice({ currency: 'JPY', lines: [{ productId: yen.id, quantity: '3' }], taxes: [{ id: 'c', name: 'Consumption', percent: '10' }] });
    assert.equal(jpy.total, 3_000);
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ lines: [{ productId: yen.id }] }, 422, 'lines[0].productId'],
      [{ lines: [{ productId: 'pr_nope' }] }, 422, 'lines[0].productId'],
      [{ lines: [{ quantity: '1' , unitAmount: 5 }] }, 422, 'lines[0].description'],
      [{ lines: [{ description: 'x' }] }, 422, 'lines[0].unitAmount'],
      [{ lines: [{ description: 'x', unitAmount: 5, taxIds: ['vat'] }] }, 422, 'lines[0].taxIds'],
      [{ lines: [{ description: 'x', unitAmount: 5 }], taxes: [{ id: 'a', name: 'A', percent: '5' }, { id: 'a', name: 'B', percent: '6' }] }, 422, 'taxes'],
      [{ lines: [{ description: 'x', unitAmount: 5, quantity: '1.0001' }] }, 400, 'lines[0].quantity'],
      [{ lines: [{ description: 'x', unitAmount: 5, discount: { percent: '100.5' } }] }, 400, 'lines[0].discount'],
      [{ lines: [] }, 400, 'lines'],
      [{ lines: [{ description: 'x', unitAmount: 5 }], dueAt: 5 }, 400, 'dueAt'],
      [{ lines: [{ description: 'x', unitAmount: 5 }], currency: 'EURO' }, 400, 'currency'],
    ];
    for (const [body, status, field] of refusals) {
      const res = await call('POST', `/contacts/${contactId}/invoices`, owner.token, { currency: 'USD', dueAt: h.clock.now() + DAY, ...body });
      assert.equal(res.status, status, JSON.stringify(body) + JSON.stringify(res.body));
      if (status === 422) assert.deepEqual(res.body.error.details, { field });
      else assert.ok(res.body.error.details.some((d: { path: string }) => d.path.startsWith(field)), JSON.stringify(res.body.error.details));
    }
  });

  it('edits drafts only, sends on a channel with a hosted link, and is paid manually once', async () => {
    const draft = await invoice();
    const edited = await ok('PUT', `/contacts/${contactId}/invoices/${draft.id}`, owner.token, { currency: 'USD', lines: [{ description: 'Consulting', quantity: '3', unitAmount: 10_000 }], dueAt: draft.dueAt, billTo: { name: 'Ada B. Ltd' } });
    assert.equal(edited.total, 30_000);
    assert.equal(edited.billTo.name, 'Ada B. Ltd');
    assert.equal(edited.billTo.email, 'ada@example.com');
    assert.equal(edited.number, draft.number);
    // Not paid before it is sent.
    assert.equal((await call('POST', `/contacts/${contactId}/invoices/${draft.id}/pay`, owner.token, { method: 'manual', note: 'cash' })).status, 409);
    assert.equal((await call('POST', `/contacts/${contactId}/invoices/${draft.id}/send`, owner.token, { channel: 'fax' })).status, 400);
    const sent = await ok('POST', `/contacts/${contactId}/invoices/${draft.id}/send`, owner.token, { channel: 'whatsapp' });
    assert.equal(sent.status, 'sent');
    assert.equal(sent.sentChannel, 'whatsapp');
    assert.match(sent.hostedUrl, new RegExp(`^https://crm\\.example\\.com/invoices/${ws.id}/${draft.id}\\?exp=\\d+&sig=[\\w-]+$`));
    const edit = await call('PUT', `/contacts/${contactId}/invoices/${draft.id}`, owner.token, { currency: 'USD', lines: [{ description: 'x', unitAmount: 1 }], dueAt: draft.dueAt });
    assert.equal(edit.status, 409);
    // A resend on another channel keeps the link.
    h.clock.advance(1000);
    const again = await ok('POST', `/contacts/${contactId}/invoices/${draft.id}/send`, owner.token, { channel: 'email' });
    assert.deepEqual([again.sentChannel, again.hostedUrl, again.sentAt], ['email', sent.hostedUrl, sent.sentAt]);
    assert.equal((await call('POST', `/contacts/${contactId}/invoices/${draft.id}/pay`, owner.token, { method: 'manual', note: '' })).status, 400);
    const paid = await ok('POST', `/contacts/${contactId}/invoices/${draft.id}/pay`, owner.token, { method: 'manual', note: 'Bank transfer 2026-11-02' });
    assert.deepEqual([paid.status, paid.paidMethod, paid.paidNote, paid.paidAt], ['paid', 'manual', 'Bank transfer 2026-11-02', h.clock.now()]);
    for (const path of ['pay', 'void', 'send']) {
      const res = await call('POST', `/contacts/${contactId}/invoices/${draft.id}/${path}`, owner.token, path === 'pay' ? { method: 'manual', note: 'again' } : path === 'send' ? { channel: 'sms' } : undefined);
      assert.equal(res.status, 409, path);
      assert.equal(res.body.error.details.status, 'paid');
    }
  });

  it('voids unpaid invoices only, draft or sent', async () => {
    const draft = await invoice();
    assert.equal((await ok('POST', `/contacts/${contactId}/invoices/${draft.id}/void`, manager.token)).status, 'void');
    assert.equal((await call('POST', `/contacts/${contactId}/invoices/${draft.id}/void`, owner.token)).status, 409);
    assert.equal((await call('POST', `/contacts/${contactId}/invoices/${draft.id}/send`, owner.token, { channel: 'sms' })).status, 409);
    const sent = await invoice();
    await ok('POST', `/contacts/${contactId}/invoices/${sent.id}/send`, owner.token, { channel: 'sms' });
    assert.equal((await ok('POST', `/contacts/${contactId}/invoices/${sent.id}/void`, owner.token)).status, 'void');
  });

  it('refuses to send an invoice with nothing to pay', async () => {
    const free = await invoice({ lines: [{ description: 'Gift', unitAmount: 1_000, discount: { percent: '100' } }] });
    assert.equal(free.total, 0);
    const res = await call('POST', `/contacts/${contactId}/invoices/${free.id}/send`, owner.token, { channel: 'email' });
    assert.equal(res.status, 422);
  });

  it('lets agents read invoices but not create, send, pay or void them', async () => {
    const inv = await invoice();
    assert.equal((await ok('GET', `/contacts/${contactId}/invoices`, agent.token)).items.some((i: { id: string }) => i.id === inv.id), true);
    assert.equal((await ok('GET', `/contacts/${contactId}/invoices/${inv.id}`, agent.token)).id, inv.id);
    const attempts: [string, string, unknown][] = [
      ['POST', `/contacts/${contactId}/invoices`, { currency: 'USD', lines: [{ description: 'x', unitAmount: 1 }], dueAt: h.clock.now() + DAY }],
      ['PUT', `/contacts/${contactId}/invoices/${inv.id}`, { currency: 'USD', lines: [{ description: 'x', unitAmount: 1 }], dueAt: h.clock.now() + DAY }],
      ['POST', `/contacts/${contactId}/invoices/${inv.id}/send`, { channel: 'email' }],
      ['POST', `/contacts/${contactId}/invoices/${inv.id}/pay`, { method: 'manual', note: 'x' }],
      ['POST', `/contacts/${contactId}/invoices/${inv.id}/void`, undefined],
    ];
    for (const [method, path, body] of attempts) assert.equal((await call(method, path, agent.token, body)).status, 403, path);
  });

  it('keeps other workspaces and hidden contacts out of every invoice route', async () => {
    const inv = await invoice();
    const stranger = await (await h.workspace()).token('owner');
    const routes: [string, string, unknown][] = [
      ['GET', `/contacts/${contactId}/invoices`, undefined],
      ['GET', `/contacts/${contactId}/invoices/${inv.id}`, undefined],
      ['POST', `/contacts/${contactId}/invoices`, { currency: 'USD', lines: [{ description: 'x', unitAmount: 1 }], dueAt: h.clock.now() + DAY }],
      ['PUT', `/contacts/${contactId}/invoices/${inv.id}`, { currency: 'USD', lines: [{ description: 'x', unitAmount: 1 }], dueAt: h.clock.now() + DAY }],
      ['POST', `/contacts/${contactId}/invoices/${inv.id}/send`, { channel: 'email' }],
      ['POST', `/contacts/${contactId}/invoices/${inv.id}/pay`, { method: 'manual', note: 'x' }],
      ['POST', `/contacts/${contactId}/invoices/${inv.id}/void`, undefined],
    ];
    for (const [method, path, body] of routes) assert.equal((await call(method, path, stranger.token, body)).status, 404, `${method} ${path}`);
    // Products of another workspace are neither listed, changed nor usable on an invoice.
    const product = await ok('POST', '/products', owner.token, { name: 'Mine', unitAmount: 1, currency: 'USD', kind: 'one_off' }, 201);
    assert.equal((await ok('GET', '/products', stranger.token)).items.length, 0);
    assert.equal((await call('PATCH', `/products/${product.id}`, stranger.token, { name: 'Theirs' })).status, 404);
    const strangerContact = (await ok('POST', '/contacts', stranger.token, { firstName: 'S' }, 201)).id;
    const res = await call('POST', `/contacts/${strangerContact}/invoices`, stranger.token, { currency: 'USD', lines: [{ productId: product.id }], dueAt: h.clock.now() + DAY });
    assert.equal(res.status, 422);
    // A restricted member sees only the invoices of contacts assigned to them.
    const restricted = await ws.token('agent', { restrictToAssigned: true });
    assert.equal((await call('GET', `/contacts/${contactId}/invoices`, restricted.token)).status, 404);
    // A contact in the restore bin keeps its invoices readable but unchanged.
    const binned = (await ok('POST', '/contacts', owner.token, { firstName: 'Binned' }, 201)).id;
    const binnedInvoice = await invoice({}, owner.token, binned);
    await ok('DELETE', `/contacts/${binned}`, owner.token);
    assert.equal((await call('POST', `/contacts/${binned}/invoices/${binnedInvoice.id}/send`, owner.token, { channel: 'email' })).body.error.code, 'contact_deleted');
  });

  it('serves the hosted page of a sent invoice by its signed link only, under a strict CSP', async () => {
    const inv = await invoice({ lines: [{ description: 'Design <b>bold</b>', quantity: '1', unitAmount: 12_345, taxIds: ['vat'] }], taxes: [{ id: 'vat', name: 'VAT', percent: '20' }], notes: 'Pay within 30 days' });
    const draftPage = await h.app.request(`/invoices/${ws.id}/${inv.id}?exp=9999999999&sig=x`);
    assert.equal(draftPage.status, 403);
    const sent = await ok('POST', `/contacts/${contactId}/invoices/${inv.id}/send`, owner.token, { channel: 'email' });
    const path = new URL(sent.hostedUrl).pathname + new URL(sent.hostedUrl).search;
    const page = await h.app.request(path, { headers: { 'accept-language': 'en-US' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.doesNotMatch(page.headers.get('content-security-policy') ?? '', /script-src/);
    const html = await page.text();
    assert.match(html, new RegExp(`Invoice ${inv.number}`));
    assert.match(html, /Design &#60;b&#62;bold&#60;\/b&#62;/);
    assert.match(html, /\$123\.45/);
    assert.match(html, /\$24\.69/); // VAT 20 % of 123.45 = 24.69
    assert.match(html, /\$148\.14/);
    assert.match(html, /Ada Billing/);
    assert.match(html, /@media print/);
    assert.doesNotMatch(html, /<script/);
    const german = await (await h.app.request(path, { headers: { 'accept-language': 'de-DE' } })).text();
    assert.match(german, /<html lang="de-DE">/);
    assert.match(german, /Rechnung/);
    assert.match(german, /148,14\s€|148,14\s\$/);
    // A tampered signature, another invoice's id, or an expired link.
    assert.equal((await h.app.request(path.replace(/sig=[\w-]+/, 'sig=AAAA'))).status, 403);
    const other = await invoice();
    assert.equal((await h.app.request(path.replace(inv.id, other.id))).status, 403);
    const exp = Number(new URL(sent.hostedUrl).searchParams.get('exp'));
    const saved = h.clock.t;
    h.clock.t = exp * 1000 + 1;
    assert.equal((await h.app.request(path)).status, 403);
    h.clock.t = saved;
  });

  it('audits, announces invoice.* to webhooks, and publishes live events', async () => {
    const endpoint = await ok('POST', '/webhook-endpoints', ws.secretKey, { url: 'https://hooks.example.com/billing', eventTypes: ['invoice.created', 'invoice.updated', 'invoice.sent', 'invoice.paid', 'invoice.voided'] }, 201);
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    const inv = await invoice();
    h.clock.advance(1);
    await ok('PUT', `/contacts/${contactId}/invoices/${inv.id}`, owner.token, { currency: 'USD', lines: [{ description: 'More', unitAmount: 500 }], dueAt: inv.dueAt });
    h.clock.advance(1);
    const sent = await ok('POST', `/contacts/${contactId}/invoices/${inv.id}/send`, owner.token, { channel: 'sms' });
    h.clock.advance(1);
    await ok('POST', `/contacts/${contactId}/invoices/${inv.id}/pay`, owner.token, { method: 'manual', note: 'Cash' });
    const second = await invoice();
    h.clock.advance(1);
    await ok('POST', `/contacts/${contactId}/invoices/${second.id}/void`, owner.token);
    stop();
    const audit = await h.opened.db.selectFrom('audit_events').select('action').where('context', 'like', `%${inv.id}%`).orderBy('at').execute();
    assert.deepEqual(audit.map((a) => a.action), ['invoice.created', 'invoice.updated', 'invoice.sent', 'invoice.paid']);
    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => d.event_type), ['invoice.created', 'invoice.updated', 'invoice.sent', 'invoice.paid', 'invoice.created', 'invoice.voided']);
    const sentHook = JSON.parse(deliveries[2]!.payload).data;
    assert.equal(sentHook.invoice.hostedUrl, sent.hostedUrl);
    assert.equal(sentHook.invoice.sentChannel, 'sms');
    assert.equal(sentHook.invoice.total, 500);
    assert.equal(sentHook.contactId, contactId);
    assert.deepEqual(seen.filter((e) => e.type === 'invoice.updated').length, 6);
    // The Activity timeline shows them under its invoice filter.
    const activity = await ok('GET', `/contacts/${contactId}/activity?kind=invoice`, owner.token);
    assert.ok(activity.items.length >= 4, JSON.stringify(activity.items.map((i: { kind: string }) => i.kind)));
  });
});
