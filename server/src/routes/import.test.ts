import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diff } from '../domain/audit.js';
import { CREATE_UNTRACKED } from '../domain/contacts.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

describe('CSV import API', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'seats', label: 'Seats', type: 'number' } });
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'vip', label: 'VIP', type: 'checkbox' } });
  });
  after(() => h.close());

  const mapping = { 'First Name': 'firstName', Surname: 'lastName', 'E-mail': 'email', Mobile: 'phone', Labels: 'tags', Seats: 'custom.seats', VIP: 'custom.vip', Town: 'address.city' };
  const upload = async (csv: string, opts: { dedupe?: string; map?: unknown; token?: string } = {}) => {
    const params = new URLSearchParams({ mapping: JSON.stringify(opts.map ?? mapping), dedupe: opts.dedupe ?? 'skip' });
    const res = await h.app.request(`/api/v1/contacts/import?${params}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token ?? owner}`, 'content-type': 'text/csv' },
      body: csv,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('imports rows and reports every bad row with its row number and field', async () => {
    const csv = [
      '\uFEFFFirst Name,Surname,E-mail,Mobile,Labels,Seats,VIP,Town,Ignored',
      'Ada,Lovelace,ADA@example.com,(415) 555-2671,vip; lead,12,yes,London,x',
      'Bad,Email,not-an-email,,,,,,',
      'Bad,Phone,,123,,,,,',
      '"Quoted, Name",Multi,"q@example.com",,,"1,200",no,"New\nYork",',
      'Bad,Seats,,,,many,,,',
      ',,,,,,,,',
    ].join('\n');
    const res = await upload(csv);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const job = res.body;
    assert.equal(job.kind, 'import');
    assert.equal(job.status, 'done');
    assert.equal(job.total, 5);
    assert.equal(job.done, 2);
    assert.equal(job.failed, 3);
    assert.deepEqual(job.summary, { created: 2 });
    assert.deepEqual(
      job.errors.map((e: { row: number; field: string }) => [e.row, e.field]),
      [[2, 'emails[0].value'], [3, 'phones[0].value'], [5, 'customFields.seats']],
    );
    const found = await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { q: 'lovelace' } });
    const ada = found.body.items[0];
    assert.deepEqual([ada.emails[0].value, ada.phones[0].value, ada.tags, ada.customFields, ada.address, ada.source], [
      'ada@example.com', '+14155552671', ['lead', 'vip'], { seats: 12, vip: true }, { city: 'London' }, 'import',
    ]);
    const quoted = await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { q: 'multi' } });
    assert.equal(quoted.body.items[0].firstName, 'Quoted, Name');
    assert.equal(quoted.body.items[0].customFields.seats, 1200);
    assert.equal(quoted.body.items[0].address.city, 'New\nYork');
    const jobs = await h.call('GET', '/api/v1/bulk-jobs', { token: owner });
    assert.equal(jobs.body.items[0].id, job.id);
  });

  it('dedupes by email or phone: skip, update or create', async () => {
    const again = 'First Name,E-mail,Mobile,Labels\nAugusta,ada@example.com,,poet\nGrace,,+1 415 555 2671,\n';
    const skipped = await upload(again);
    assert.deepEqual(skipped.body.summary, { skipped: 2 });
    const updated = await upload(again, { dedupe: 'update' });
    assert.deepEqual(updated.body.summary, { updated: 2 });
    const ada = (await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { q: 'lovelace' } })).body.items[0];
    assert.equal(ada.firstName, 'Grace'); // both rows matched Ada; the later row wins
    assert.deepEqual(ada.tags, ['lead', 'poet', 'vip']);
    assert.equal(ada.emails.length, 1);
    const created = await upload(again, { dedupe: 'create' });
    assert.deepEqual(created.body.summary, { created: 2 });
  });

  it('handles a large file streamed in chunks', async () => {
    const rows = 3000;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('First Name,E-mail\n'));
        for (let i = 0; i < rows; i++) controller.enqueue(encoder.encode(`Bulk${i},bulk${i}@example.com\n`));
        controller.close();
      },
    });
    const params = new URLSearchParams({ mapping: JSON.stringify({ 'First Name': 'firstName', 'E-mail': 'email' }), dedupe: 'create' });
    const res = await h.app.request(`/api/v1/contacts/import?${params}`, { method: 'POST', headers: { authorization: `Bearer ${owner}` }, body: stream, duplex: 'half' } as RequestInit);
    const job = (await res.json()) as any;
    assert.equal(job.done, rows, JSON.stringify(job).slice(0, 500));
    assert.equal((await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { q: 'bulk2999' } })).body.count, 1);
  });

  it('refuses bad mappings, and needs contacts.import; tenant-scoped dedupe', async () => {
    const bad = await upload('a\n1\n', { map: { a: 'shoeSize' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.path, 'mapping.a');
    const agent = (await ws.token('agent')).token;
    assert.equal((await upload('First Name\nX\n', { map: { 'First Name': 'firstName' }, token: agent })).status, 403);
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    const res = await upload('E-mail\nada@example.com\n', { map: { 'E-mail': 'email' }, token: stranger });
    assert.deepEqual(res.body.summary, { created: 1 }); // Ada lives in another workspace: no match
  });

  it('imports thousands of rows: duplicates in the file and in the workspace, bad rows reported, searchable, audited', async () => {
    const w = await h.workspace();
    const { token } = await w.token('owner');
    assert.equal((await h.call('POST', '/api/v1/contacts', { token, body: { firstName: 'Old', emails: [{ value: 'old@example.com' }], phones: [{ value: '+14152999999' }] } })).status, 201);
    const rows = 3000;
    const lines = ['First,Email,Phone,Website,Tags'];
    const expected = { created: 0, odd: 0, skipped: 0, errors: [] as [number, string][] };
    const seen = new Set(['old@example.com', '+14152999999']);
    for (let i = 0; i < rows; i++) {
      const email = i % 10 === 3 ? `bad${i}@` : i % 10 === 7 ? `Imp${i - 5}@Example.com` : i % 50 === 11 ? 'OLD@example.com' : `imp${i}@example.com`;
      const phone = i % 100 === 55 ? '123' : i % 50 === 21 ? '(415) 299-9999' : `+1415${2000000 + i}`;
      const website = i % 100 === 42 ? 'not a url' : '';
      lines.push(`Imp${i},${email},${phone},${website},${i % 2 ? 'odd; Shared' : 'shared'}`);
      const keys = [email.toLowerCase(), phone === '(415) 299-9999' ? '+14152999999' : phone];
      if (keys.some((k) => seen.has(k))) expected.skipped++;
      else if (i % 10 === 3) expected.errors.push([i + 1, 'emails[0].value']);
      else if (i % 100 === 42) expected.errors.push([i + 1, 'website']);
      else if (i % 100 === 55) expected.errors.push([i + 1, 'phones[0].value']);
      else {
        expected.created++;
        expected.odd += i % 2;
        keys.forEach((k) => seen.add(k));
      }
    }
    const params = new URLSearchParams({ mapping: JSON.stringify({ First: 'firstName', Email: 'email', Phone: 'phone', Website: 'website', Tags: 'tags' }), dedupe: 'skip' });
    const res = await h.app.request(`/api/v1/contacts/import?${params}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: lines.join('\n') });
    const job = (await res.json()) as any;
    assert.equal(job.status, 'done');
    assert.equal(job.total, rows);
    assert.deepEqual(job.summary, { created: expected.created, skipped: expected.skipped });
    assert.equal(job.done, expected.created + expected.skipped);
    assert.equal(job.failed, expected.errors.length);
    assert.deepEqual(job.errors.filter((e: { skipped?: true }) => !e.skipped).map((e: { row: number; field: string }) => [e.row, e.field]), expected.errors);
    assert.equal(job.errors.filter((e: { skipped?: true }) => e.skipped).length, expected.skipped, 'every skipped row is in the report');

    // The search index knows imported contacts by name and by phone; tags are shared, first spelling kept.
    const byName = await h.call('POST', '/api/v1/contacts/query', { token, body: { q: 'imp1234' } });
    assert.deepEqual(byName.body.items.map((c: any) => c.emails[0].value), ['imp1234@example.com']);
    const byPhone = await h.call('POST', '/api/v1/contacts/query', { token, body: { q: '(415) 200-1234' } });
    assert.deepEqual(byPhone.body.items.map((c: any) => c.firstName), ['Imp1234']);
    const contact = byName.body.items[0];
    assert.deepEqual([contact.name, contact.tags, contact.source, contact.phones[0].primary], ['Imp1234', ['shared'], 'import', true]);
    const tagged = await h.call('POST', '/api/v1/contacts/query', { token, body: { filter: { field: 'tags', op: 'has_all', value: ['odd', 'shared'] }, count: 'exact' } });
    assert.equal(tagged.body.count, expected.odd);
    assert.deepEqual(tagged.body.items[0].tags, ['odd', 'shared']);

    // The audit event is the one a single create writes: the contact as read back.
    const audit = await h.call('GET', `/api/v1/contacts/${contact.id}/audit`, { token });
    assert.deepEqual(audit.body.items.map((e: any) => e.action), ['contact.created']);
    assert.deepEqual(audit.body.items[0].changes, diff(null, contact, CREATE_UNTRACKED));
    const events = await h.opened.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', w.id).where('action', '=', 'contact.created').executeTakeFirstOrThrow();
    assert.equal(Number(events.n), expected.created + 1);
  });
});
