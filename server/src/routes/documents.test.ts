import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collectBlobs, purgeDeletedDocuments } from '../domain/documents.js';
import * as f from '../test-fixtures.js';
import { blobFiles, unzip, upload } from '../test-documents.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const DAY = 86_400_000;

describe('documents API', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let agent: string;
  let manager: string;
  let contactId: string;
  const newContact = async (body: Record<string, unknown> = { firstName: 'Doc' }) => (await h.call('POST', '/api/v1/contacts', { token: owner, body })).body.id as string;

  before(async () => {
    h = await harness({ documents: { maxBytes: 4096, linkSeconds: 60 } });
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    agent = (await ws.token('agent')).token;
    manager = (await ws.token('manager')).token;
    contactId = await newContact();
  });
  after(() => h.close());

  it('uploads several files in one multipart request, sniffing kinds and cleaning names', async () => {
    const res = await upload(h, owner, contactId, [
      { name: '../../etc/Contract.pdf', content: f.pdf('contract') },
      { name: 'scan', content: f.png() },
      { name: 'leads.csv', content: Buffer.from('name,email\nZoë,zoe@example.com\n') },
    ], { section: 'sent', shareOnPortal: 'true' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const [a, b, c] = res.body.items;
    assert.deepEqual([a.name, a.kind, a.mediaType, a.section, a.origin, a.shareOnPortal], ['Contract.pdf', 'pdf', 'application/pdf', 'sent', 'upload', true]);
    assert.deepEqual([b.name, b.kind, b.inline], ['scan.png', 'png', true]);
    assert.deepEqual([c.name, c.kind, c.mediaType, c.inline], ['leads.csv', 'csv', 'text/csv; charset=utf-8', false]);
    assert.equal(a.size, f.pdf('contract').length);
    assert.match(a.sha256, /^[0-9a-f]{64}$/);
    assert.ok(a.uploadedBy);
  });

  it('lists with counts per section, search, filters, sorts and keyset cursors', async () => {
    const id = await newContact({ firstName: 'Lister' });
    await upload(h, owner, id, [{ name: 'Alpha.pdf', content: f.pdf('a') }, { name: 'beta notes.txt', content: Buffer.from('hello beta') }]);
    h.clock.advance(1000);
    await upload(h, owner, id, [{ name: 'Gamma.pdf', content: f.pdf('gamma gamma') }], { section: 'received' });
    h.clock.advance(1000);
    await upload(h, owner, id, [{ name: '100%_done.txt', content: Buffer.from('x') }], { section: 'sent' });
    const all = await h.call('GET', `/api/v1/contacts/${id}/documents`, { token: agent });
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.counts, { all: 4, internal: 2, sent: 1, received: 1, fields: 0 });
    assert.equal(all.body.items[0].name, '100%_done.txt', 'newest first by default');
    const received = await h.call('GET', `/api/v1/contacts/${id}/documents?section=received`, { token: agent });
    assert.deepEqual(received.body.items.map((d: any) => d.name), ['Gamma.pdf']);
    assert.deepEqual(received.body.counts, { all: 4, internal: 2, sent: 1, received: 1, fields: 0 }, 'counts ignore the section filter');
    const search = await h.call('GET', `/api/v1/contacts/${id}/documents?q=BETA`, { token: agent });
    assert.deepEqual(search.body.items.map((d: any) => d.name), ['beta notes.txt']);
    assert.deepEqual(search.body.counts, { all: 1, internal: 1, sent: 0, received: 0, fields: 0 });
    const literal = await h.call('GET', `/api/v1/contacts/${id}/documents?q=${encodeURIComponent('%_')}`, { token: agent });
    assert.deepEqual(literal.body.items.map((d: any) => d.name), ['100%_done.txt'], '% and _ are literal');
    const byName = await h.call('GET', `/api/v1/contacts/${id}/documents?sort=name`, { token: agent });
    assert.deepEqual(byName.body.items.map((d: any) => d.name), ['100%_done.txt', 'Alpha.pdf', 'beta notes.txt', 'Gamma.pdf']);
    const bySize = await h.call('GET', `/api/v1/contacts/${id}/documents?sort=size&dir=desc`, { token: agent });
    const sizes = bySize.body.items.map((d: any) => d.size);
    assert.deepEqual(sizes, [...sizes].sort((x: number, y: number) => y - x));
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await h.call('GET', `/api/v1/contacts/${id}/documents?sort=name&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token: agent });
      names.push(...page.body.items.map((d: any) => d.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(names, byName.body.items.map((d: any) => d.name));
    assert.equal((await h.call('GET', `/api/v1/contacts/${id}/documents?origin=email`, { token: agent })).body.items.length, 0);
    // Shared on the client portal: a filter that the counts follow, like the search.
    await upload(h, owner, id, [{ name: 'Portal.pdf', content: f.pdf('portal') }], { shareOnPortal: 'true' });
    const portal = await h.call('GET', `/api/v1/contacts/${id}/documents?portal=true`, { token: agent });
    assert.deepEqual(portal.body.items.map((d: any) => [d.name, d.shareOnPortal]), [['Portal.pdf', true]]);
    assert.deepEqual(portal.body.counts, { all: 1, internal: 1, sent: 0, received: 0, fields: 0 });
    assert.equal((await h.call('GET', `/api/v1/contacts/${id}/documents?portal=false`, { token: agent })).body.items.length, 4, 'false: not shared');
    assert.equal((await h.call('GET', `/api/v1/contacts/${id}/documents?sort=weird`, { token: agent })).status, 400);
    assert.equal((await h.call('GET', `/api/v1/contacts/${id}/documents?cursor=nope`, { token: agent })).status, 400);
  });

  it('renames, moves, shares, deletes and restores, each audited on the contact and checked by role', async () => {
    const id = await newContact({ firstName: 'Audit' });
    const doc = (await upload(h, agent, id, [{ name: 'plan.pdf', content: f.pdf('plan') }])).body.items[0];
    assert.equal((await h.call('PATCH', `/api/v1/documents/${doc.id}`, { token: agent, body: { name: 'x.pdf' } })).status, 403);
    assert.equal((await h.call('DELETE', `/api/v1/documents/${doc.id}`, { token: agent })).status, 403);
    const step = () => h.clock.advance(10);
    step();
    const renamed = await h.call('PATCH', `/api/v1/documents/${doc.id}`, { token: manager, body: { name: 'Final plan' } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Final plan.pdf', 'the real extension is kept');
    step();
    const disguised = await h.call('PATCH', `/api/v1/documents/${doc.id}`, { token: manager, body: { name: 'photo.png' } });
    assert.equal(disguised.body.name, 'photo.png.pdf');
    step();
    const evil = await h.call('PATCH', `/api/v1/documents/${doc.id}`, { token: manager, body: { name: '../evil.html' } });
    assert.equal(evil.status, 422);
    step();
    const moved = await h.call('PATCH', `/api/v1/documents/${doc.id}`, { token: manager, body: { section: 'received', shareOnPortal: true } });
    assert.deepEqual([moved.body.section, moved.body.shareOnPortal], ['received', true]);
    step();
    const deleted = await h.call('DELETE', `/api/v1/documents/${doc.id}`, { token: manager });
    assert.ok(deleted.body.deletedAt);
    assert.equal((await h.call('GET', `/api/v1/contacts/${id}/documents`, { token: owner })).body.items.length, 0);
    const bin = await h.call('GET', `/api/v1/contacts/${id}/documents?deleted=true`, { token: owner });
    assert.deepEqual(bin.body.items.map((d: any) => d.id), [doc.id]);
    assert.equal((await h.call('GET', `/api/v1/documents/${doc.id}/content`, { token: owner })).status, 404);
    assert.equal((await h.call('POST', `/api/v1/documents/${doc.id}/restore`, { token: agent })).status, 403);
    step();
    const restored = await h.call('POST', `/api/v1/documents/${doc.id}/restore`, { token: manager });
    assert.equal(restored.status, 200);
    assert.equal(restored.body.deletedAt, null);
    assert.equal((await h.call('POST', `/api/v1/documents/${doc.id}/restore`, { token: manager })).status, 409);
    const audit = await h.call('GET', `/api/v1/contacts/${id}/audit`, { token: owner });
    const actions = audit.body.items.map((e: any) => e.action).filter((a: string) => a.startsWith('document.'));
    // Moving and sharing in one PATCH are two events with the same time (their order between them is arbitrary).
    assert.deepEqual([...actions.slice(0, 2), ...actions.slice(2, 4).sort(), ...actions.slice(4)],
      ['document.restored', 'document.deleted', 'document.moved', 'document.shared', 'document.renamed', 'document.renamed', 'document.uploaded']);
  });

  it('keeps deleted documents restorable for the workspace restore window, then purges them and their blobs', async () => {
    const id = await newContact({ firstName: 'Bin' });
    const content = f.pdf('only-here-for-the-bin');
    const doc = (await upload(h, owner, id, [{ name: 'bin.pdf', content }])).body.items[0];
    await h.call('DELETE', `/api/v1/documents/${doc.id}`, { token: owner });
    h.clock.advance(31 * DAY);
    owner = (await ws.token('owner')).token;
    agent = (await ws.token('agent')).token;
    manager = (await ws.token('manager')).token;
    const late = await h.call('POST', `/api/v1/documents/${doc.id}/restore`, { token: owner });
    assert.equal(late.status, 410);
    assert.equal(late.body.error.code, 'restore_expired');
    assert.ok((await blobFiles(h)).includes(doc.sha256));
    assert.ok((await purgeDeletedDocuments(h.opened.db, h.clock.now())) >= 1);
    assert.ok((await collectBlobs(h.opened.db, h.blobs, h.clock.now())) >= 1);
    assert.ok(!(await blobFiles(h)).includes(doc.sha256));
  });

  it('stores the same content once however often it is uploaded', async () => {
    const content = f.pdf('dedupe-me');
    const other = await newContact({ firstName: 'Dup' });
    const before = (await blobFiles(h)).length;
    const one = await upload(h, owner, contactId, [{ name: 'one.pdf', content }, { name: 'two.pdf', content }]);
    const two = await upload(h, agent, other, [{ name: 'three.pdf', content }]);
    assert.equal(one.status, 201);
    assert.equal(two.status, 201);
    const sha = one.body.items[0].sha256;
    assert.equal((await blobFiles(h)).length, before + 1);
    const rows = await h.opened.db.selectFrom('documents').select('id').where('sha256', '=', sha).execute();
    assert.equal(rows.length, 3);
    const blobRows = await h.opened.db.selectFrom('blobs').selectAll().where('sha256', '=', sha).execute();
    assert.equal(blobRows.length, 1);
    assert.equal(await h.blobs.tempFileCount(), 0);
  });

  it('refuses 413 at the byte: the limit is accepted, one byte more is not, and nothing is left behind', async () => {
    const exact = Buffer.alloc(4096, 'a');
    const ok = await upload(h, owner, contactId, [{ name: 'exact.txt', content: exact }]);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.items[0].size, 4096);
    const countBefore = (await h.opened.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const filesBefore = (await blobFiles(h)).length;
    const over = await upload(h, owner, contactId, [{ name: 'small.pdf', content: f.pdf('fine') }, { name: 'over.txt', content: Buffer.alloc(4097, 'b') }]);
    assert.equal(over.status, 413);
    assert.equal(over.body.error.code, 'file_too_large');
    assert.equal(over.body.error.details.maxBytes, 4096);
    const raw = await h.app.request(`/api/v1/contacts/${contactId}/documents?name=raw.txt`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(4097, 'c') });
    assert.equal(raw.status, 413);
    const rawOk = await h.app.request(`/api/v1/contacts/${contactId}/documents?name=raw.txt&section=received`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(4096, 'c') });
    assert.equal(rawOk.status, 201);
    const countAfter = (await h.opened.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    assert.equal(countAfter, countBefore + 1, 'the refused request stored none of its files, not even the small one');
    assert.equal((await blobFiles(h)).length, filesBefore + 1);
    assert.equal(await h.blobs.tempFileCount(), 0);
  });

  it('refuses dangerous and disguised files with 415 and the reason', async () => {
    const cases: [string, Buffer, string][] = [
      ['invoice.pdf', f.html(), 'markup'],
      ['logo.png', f.svg(), 'markup'],
      ['report.pdf', f.exe(), 'executable'],
      ['report.pdf.exe', f.pdf(), 'dangerous_extension'],
      ['photo.png', f.pdf(), 'type_mismatch'],
      ['funny.gif', await f.gifar(), 'polyglot'],
      ['macros.docx', await f.docm(), 'macros'],
      ['archive.zip', await f.zip({ 'a.txt': 'a' }), 'unknown'],
    ];
    for (const [name, content, reason] of cases) {
      const res = await upload(h, owner, contactId, [{ name, content }]);
      assert.equal(res.status, 415, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.details.reason, reason, name);
    }
    await h.opened.db.updateTable('workspaces').set({ document_types: JSON.stringify(['pdf']) }).where('id', '=', ws.id).execute();
    const png = await upload(h, owner, contactId, [{ name: 'a.png', content: f.png() }]);
    assert.equal(png.status, 415);
    assert.equal(png.body.error.details.reason, 'not_allowed');
    await h.opened.db.updateTable('workspaces').set({ document_types: null }).where('id', '=', ws.id).execute();
    assert.equal(await h.blobs.tempFileCount(), 0);
  });

  it('refuses uploads to a contact in the restore bin and requests without a file', async () => {
    const id = await newContact({ firstName: 'Gone' });
    assert.equal((await upload(h, owner, id, [], { section: 'internal' })).status, 400);
    assert.equal((await upload(h, owner, id, [{ name: 'a.pdf', content: f.pdf() }], { section: 'elsewhere' })).status, 400);
    assert.equal((await h.call('GET', `/api/v1/contacts/${id}/documents`, { token: owner })).body.contactDeleted, false);
    await h.call('DELETE', `/api/v1/contacts/${id}`, { token: owner });
    const refused = await upload(h, owner, id, [{ name: 'a.pdf', content: f.pdf() }]);
    assert.deepEqual([refused.status, refused.body.error.code], [409, 'contact_deleted']);
    assert.equal((await h.call('GET', `/api/v1/contacts/${id}/documents`, { token: owner })).body.contactDeleted, true, 'the list says so, so widgets hide Add');
  });

  it('downloads as an attachment with a safe encoded name, ETag, nosniff and single byte ranges', async () => {
    const content = f.pdf('range-test-content-0123456789');
    const raw = await h.app.request(`/api/v1/contacts/${contactId}/documents?name=${encodeURIComponent('Résumé "final"; 履歴書.pdf')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' },
      body: content,
    });
    const doc = ((await raw.json()) as any).items[0];
    const get = (headers: Record<string, string> = {}, query = '') => h.app.request(`/api/v1/documents/${doc.id}/content${query}`, { headers: { authorization: `Bearer ${agent}`, ...headers } });
    const full = await get();
    assert.equal(full.status, 200);
    assert.deepEqual(Buffer.from(await full.arrayBuffer()), content);
    assert.equal(full.headers.get('content-type'), 'application/pdf');
    assert.equal(full.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(full.headers.get('accept-ranges'), 'bytes');
    assert.equal(full.headers.get('content-length'), String(content.length));
    assert.equal(full.headers.get('etag'), `"${doc.sha256}"`);
    const disposition = full.headers.get('content-disposition')!;
    assert.equal(doc.name, 'Résumé _final_; 履歴書.pdf', 'quotes are replaced, unicode kept');
    assert.equal(disposition, "attachment; filename=\"R_sum_ _final__ ___.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20_final_%3B%20%E5%B1%A5%E6%AD%B4%E6%9B%B8.pdf");
    const part = await get({ range: 'bytes=0-3' });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), '%PDF');
    assert.equal(part.headers.get('content-range'), `bytes 0-3/${content.length}`);
    const suffix = await get({ range: 'bytes=-6' });
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), content.subarray(content.length - 6));
    const open = await get({ range: `bytes=${content.length - 2}-` });
    assert.equal(open.status, 206);
    assert.equal((await open.arrayBuffer()).byteLength, 2);
    const beyond = await get({ range: `bytes=${content.length}-` });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${content.length}`);
    const multi = await get({ range: 'bytes=0-1,4-5' });
    assert.equal(multi.status, 200, 'multiple ranges: the whole file');
    const staleIfRange = await get({ range: 'bytes=0-3', 'if-range': '"other"' });
    assert.equal(staleIfRange.status, 200);
    assert.equal((await get({ 'if-none-match': `"${doc.sha256}"` })).status, 304);
    const inline = await get({}, '?inline=1');
    assert.match(inline.headers.get('content-disposition')!, /^inline;/);
    assert.match(inline.headers.get('content-security-policy')!, /sandbox; default-src 'none'/);
    const csv = (await upload(h, owner, contactId, [{ name: 'c.csv', content: Buffer.from('a,b\n') }])).body.items[0];
    const csvInline = await h.call('GET', `/api/v1/documents/${csv.id}/content?inline=1`, { token: owner });
    assert.equal(csvInline.status, 400);
    assert.equal(csvInline.body.error.code, 'inline_not_allowed');
  });

  it('offers short-lived signed links that work without a token and expire', async () => {
    const content = f.png();
    const doc = (await upload(h, owner, contactId, [{ name: 'avatar.png', content }])).body.items[0];
    const link = await h.call('POST', `/api/v1/documents/${doc.id}/link`, { token: agent, body: { inline: true } });
    assert.equal(link.status, 201);
    const url = new URL(link.body.url);
    assert.equal(link.body.expiresAt, Math.floor(h.clock.now() / 1000) * 1000 + 60_000);
    const res = await h.app.request(url.pathname + url.search);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), content);
    assert.match(res.headers.get('content-disposition')!, /^inline;/);
    const tampered = new URL(url);
    tampered.searchParams.set('inline', '0');
    assert.equal((await h.app.request(tampered.pathname + tampered.search)).status, 403);
    const otherDoc = (await upload(h, owner, contactId, [{ name: 'b.png', content: Buffer.concat([f.png(), Buffer.from('x')]) }])).body.items[0];
    assert.equal((await h.app.request(url.pathname.replace(doc.id, otherDoc.id) + url.search)).status, 403);
    h.clock.advance(61_000);
    const expired = await h.app.request(url.pathname + url.search);
    assert.equal(expired.status, 403);
    assert.equal(((await expired.json()) as any).error.code, 'link_invalid');
  });

  it('streams a ZIP of several documents with unique names, and a signed ZIP link', async () => {
    const id = await newContact({ firstName: 'Zip' });
    const docs = (await upload(h, owner, id, [
      { name: 'same.pdf', content: f.pdf('first') },
      { name: 'same.pdf', content: f.pdf('second') },
      { name: 'notes.txt', content: Buffer.from('zip me '.repeat(100)) },
    ])).body.items;
    const ids = docs.map((d: any) => d.id);
    const res = await h.app.request('/api/v1/documents/zip', { method: 'POST', headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    assert.deepEqual(Object.keys(entries), ['same.pdf', 'same (2).pdf', 'notes.txt']);
    assert.deepEqual(entries['same.pdf'], f.pdf('first'));
    assert.deepEqual(entries['same (2).pdf'], f.pdf('second'));
    assert.equal(entries['notes.txt']!.toString(), 'zip me '.repeat(100));
    const missing = await h.call('POST', '/api/v1/documents/zip', { token: agent, body: { ids: [...ids, 'doc_nope'] } });
    assert.equal(missing.status, 404);
    const link = await h.call('POST', '/api/v1/documents/zip/link', { token: agent, body: { ids } });
    const url = new URL(link.body.url);
    const viaLink = await h.app.request(url.pathname + url.search);
    assert.equal(viaLink.status, 200);
    assert.equal(Object.keys(await unzip(Buffer.from(await viaLink.arrayBuffer()))).length, 3);
  });

  it('isolates workspaces and restricted members: foreign ids answer 404 everywhere', async () => {
    const doc = (await upload(h, owner, contactId, [{ name: 'secret.pdf', content: f.pdf('secret') }])).body.items[0];
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    const checks: [string, string, unknown?][] = [
      ['GET', `/api/v1/contacts/${contactId}/documents`],
      ['GET', `/api/v1/documents/${doc.id}`],
      ['GET', `/api/v1/documents/${doc.id}/content`],
      ['PATCH', `/api/v1/documents/${doc.id}`, { name: 'mine.pdf' }],
      ['DELETE', `/api/v1/documents/${doc.id}`],
      ['POST', `/api/v1/documents/${doc.id}/restore`],
      ['POST', `/api/v1/documents/${doc.id}/link`, {}],
      ['POST', '/api/v1/documents/zip', { ids: [doc.id] }],
    ];
    for (const [method, path, body] of checks) {
      const res = await h.call(method, path, { token: stranger, body });
      assert.equal(res.status, 404, `${method} ${path} → ${res.status}`);
    }
    assert.equal((await upload(h, stranger, contactId, [{ name: 'x.pdf', content: f.pdf() }])).status, 404);
    const restricted = (await ws.token('agent', { externalId: 'restricted-1', restrictToAssigned: true })).token;
    assert.equal((await h.call('GET', `/api/v1/documents/${doc.id}`, { token: restricted })).status, 404);
    assert.equal((await h.call('GET', `/api/v1/contacts/${contactId}/documents`, { token: restricted })).status, 404);
    assert.equal((await h.call('GET', `/api/v1/documents/${doc.id}`, { token: owner })).status, 200);
    assert.equal((await h.call('GET', `/api/v1/documents/${doc.id}`)).status, 401);
  });
});
