import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ContactJson } from '../domain/contacts.js';
import { csvCell, csvLine } from '../domain/csv-export.js';
import { csvExport, exportRows } from '../domain/csv-export-job.js';
import { exportWorkers } from '../domain/csv-export-runner.js';
import { loadWorkspace } from '../http/auth.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

// The export as it was built before it moved into SQL (from each contact's API JSON): the oracle for every column.
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? '' : new Date(ms).toISOString());
const primary = (list: { value: string; primary: boolean }[]) => (list.find((e) => e.primary) ?? list[0])?.value ?? '';
const REFERENCE: Record<string, [string, (c: ContactJson, names: Map<string, string>) => unknown]> = {
  id: ['ID', (c) => c.id],
  name: ['Name', (c) => c.name],
  firstName: ['First name', (c) => c.firstName],
  lastName: ['Last name', (c) => c.lastName],
  companyName: ['Company', (c) => c.companyName],
  email: ['Email', (c) => primary(c.emails)],
  emails: ['Emails', (c) => c.emails.map((e) => e.value).join('; ')],
  phone: ['Phone', (c) => primary(c.phones)],
  phones: ['Phones', (c) => c.phones.map((p) => p.value).join('; ')],
  tags: ['Tags', (c) => c.tags.join('; ')],
  ownerId: ['Owner ID', (c) => c.ownerId],
  owner: ['Owner', (c, names) => (c.ownerId ? names.get(c.ownerId) ?? '' : '')],
  team: ['Team', (c, names) => (c.teamId ? names.get(c.teamId) ?? '' : '')],
  website: ['Website', (c) => c.website],
  source: ['Source', (c) => c.source],
  'address.line1': ['Address', (c) => c.address?.line1],
  'address.city': ['City', (c) => c.address?.city],
  'address.region': ['Region', (c) => c.address?.region],
  'address.postalCode': ['Postal code', (c) => c.address?.postalCode],
  'address.country': ['Country', (c) => c.address?.country],
  lastChannel: ['Last channel', (c) => c.lastChannel],
  lastInteractionAt: ['Last interaction', (c) => iso(c.lastInteractionAt)],
  lastAccessedAt: ['Last accessed', (c) => iso(c.lastAccessedAt)],
  accessCount: ['Access count', (c) => c.accessCount ?? 0],
  viewerType: ['Viewer type', (c) => (c.viewerChannels ?? []).map((ch) => ({ email: 'Email', whatsapp: 'WhatsApp' })[ch]).join('; ')],
  createdAt: ['Created', (c) => iso(c.createdAt)],
  updatedAt: ['Updated', (c) => iso(c.updatedAt)],
  deletedAt: ['Deleted', (c) => iso(c.deletedAt)],
};
const referenceCell = (key: string, c: ContactJson, names: Map<string, string>) => {
  if (!key.startsWith('custom.')) return REFERENCE[key]![1](c, names);
  const v = c.customFields[key.slice(7)];
  return Array.isArray(v) ? v.join('; ') : v;
};

describe('CSV cells', () => {
  it('quotes separators and neutralizes formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    for (const evil of ['=SUM(A1)', '+A1', '-2+cmd|x!A0', '+1+SUM(1)', '@cmd', '\tx', '\rx', '-', '+']) assert.ok(csvCell(evil).replace(/^"/, '').startsWith("'"), evil);
    assert.equal(csvCell('=1,2'), `"'=1,2"`);
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(12), '12');
  });

  it('leaves phone numbers and negative numbers alone: a leading + or - before digits is not a formula', () => {
    assert.equal(csvCell('+12136581625'), '+12136581625');
    assert.equal(csvCell('+1 (213) 658-1625'), '+1 (213) 658-1625');
    assert.equal(csvCell('-42'), '-42');
    assert.equal(csvCell('-3.5'), '-3.5');
    assert.equal(csvCell(-7), '-7');
  });

  it("quotes any cell holding ';' (the list separator of German or French Excel) and neutralizes formulas after a separator", () => {
    assert.equal(csvCell('x;=1+1'), `"x;'=1+1"`);
    assert.equal(csvCell('a;b'), '"a;b"');
    assert.equal(csvCell('x,@SUM(A1)'), `"x,'@SUM(A1)"`);
    assert.equal(csvCell('lead; vip'), '"lead; vip"', 'a space after the separator starts no formula');
    assert.equal(csvCell('+14155550100;+14155550101'), '"+14155550100;+14155550101"');
    assert.equal(csvCell('one\n=cmd|x'), `"one\n'=cmd|x"`);
  });
});

describe('CSV export API', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    await h.call('POST', '/api/v1/custom-fields', { token: owner, body: { key: 'plan', label: 'Plan', type: 'select', options: ['Pro', 'Free'] } });
    await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: '=HYPERLINK("x")', lastName: 'Ünïcode', companyName: 'Comma, Inc', tags: ['b', 'a'], emails: [{ value: 'z@example.com' }], customFields: { plan: 'Pro' } } });
    h.clock.advance(1000);
    await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Zed', phones: [{ value: '+14155552671' }] } });
  });
  after(() => h.close());

  const download = async (body: unknown, token = owner) => {
    const link = await h.call('POST', '/api/v1/contacts/export', { token, body });
    assert.equal(link.status, 201, JSON.stringify(link.body));
    const res = await h.app.request(link.body.url); // a plain link: no Authorization header
    return { res, bytes: new Uint8Array(await res.arrayBuffer()), url: link.body.url as string };
  };

  it('streams chosen columns as UTF-8 with escaping, and an optional BOM', async () => {
    const { res, bytes } = await download({ columns: ['firstName', 'lastName', 'companyName', 'tags', 'custom.plan', 'phone'], sort: { field: 'name', dir: 'asc' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(res.headers.get('content-disposition')!, /^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.notEqual(bytes[0], 0xef);
    const text = new TextDecoder().decode(bytes);
    assert.equal(
      text,
      'First name,Last name,Company,Tags,Plan,Phone\r\n' +
        `"'=HYPERLINK(""x"")",Ünïcode,"Comma, Inc","a; b",Pro,\r\n` +
        'Zed,,,,,+14155552671\r\n',
    );
    const withBom = await download({ columns: ['firstName'], bom: true, q: 'zed' });
    assert.deepEqual([...withBom.bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(new TextDecoder('utf-8', { ignoreBOM: true }).decode(withBom.bytes), '\uFEFFFirst name\r\nZed\r\n');
  });

  it('pages through many contacts without gaps, across chunks and ties in the sort key', async () => {
    const rows = Array.from({ length: 4205 }, (_, i) => ({ id: `ct_bulk${String(i).padStart(5, '0')}`, workspace_id: ws.id, display_name: `Row ${i}`, first_name: `Row${i}`, created_at: Math.floor(i / 3), updated_at: i }));
    await h.opened.db.transaction().execute((trx) => h.opened.engine.bulk.insert(trx, 'contacts', rows));
    const { bytes } = await download({ columns: ['id'], q: 'row' });
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    assert.equal(lines.length, 4206);
    assert.equal(new Set(lines).size, 4206);
    const ids = lines.slice(1);
    assert.deepEqual(ids, [...ids].sort((a, b) => Math.floor(Number(b.slice(7)) / 3) - Math.floor(Number(a.slice(7)) / 3) || (a < b ? 1 : -1)));
  });

  it('reads rows in a worker thread (SQLite) or through a cursor (PostgreSQL): the same bytes as in-process, and a cancelled download ends it', async () => {
    const body = { columns: ['id', 'name', 'email', 'phone', 'tags', 'custom.plan', 'createdAt'], q: 'row' };
    const { bytes } = await download(body);
    const caller = { kind: 'api' as const, workspace: (await loadWorkspace(h.opened.db, ws.id))!, member: null };
    const job = { caller, def: { ...body, bom: false, limit: 50 } as never, now: h.clock.now() };
    const inProcess: Uint8Array[] = [];
    for await (const chunk of csvExport(h.opened.db, job, exportRows(h.opened.db, job))) inProcess.push(chunk);
    assert.equal(Buffer.concat(inProcess).toString(), Buffer.from(bytes).toString());
    assert.ok(bytes.length > 2000 * 10, 'several chunks');

    const link = await h.call('POST', '/api/v1/contacts/export', { token: owner, body });
    const res = await h.app.request(link.body.url);
    const reader = res.body!.getReader();
    await reader.read(); // the header
    await reader.read(); // the first rows: read by the worker, or the cursor's connection
    const { engine } = h.opened;
    const busy = () => (engine.kind === 'sqlite' ? exportWorkers() : engine.pool.totalCount - engine.pool.idleCount);
    assert.equal(busy(), 1);
    await reader.cancel();
    assert.equal(busy(), 0);
  });

  it('refuses unknown columns, bad filters, tampered and expired links', async () => {
    const bad = await h.call('POST', '/api/v1/contacts/export', { token: owner, body: { columns: ['name', 'shoe'] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.path, 'columns[1]');
    const filter = await h.call('POST', '/api/v1/contacts/export', { token: owner, body: { filter: { field: 'x', op: 'is' } } });
    assert.equal(filter.body.error.details.path, 'filter.field');
    const link = await h.call('POST', '/api/v1/contacts/export', { token: owner, body: {} });
    const tampered = await h.app.request(`${link.body.url.slice(0, -3)}abc`);
    assert.equal(tampered.status, 401);
    // A session token is not an export link, and an export link is not a session token.
    assert.equal((await h.app.request(`/api/v1/exports/${owner}`)).status, 401);
    const asBearer = await h.call('GET', '/api/v1/contacts', { token: link.body.url.split('/').pop() });
    assert.equal(asBearer.status, 401);
    h.clock.advance(6 * 60_000);
    assert.equal((await h.app.request(link.body.url)).status, 410);
  });

  it('is tenant-scoped and dies with the member who made it', async () => {
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    const { bytes } = await download({ columns: ['name'] }, stranger);
    assert.equal(new TextDecoder().decode(bytes), 'Name\r\n');
    const agent = await ws.token('agent');
    const link = await h.call('POST', '/api/v1/contacts/export', { token: agent.token, body: { columns: ['name'] } });
    assert.equal(link.status, 201);
    assert.equal((await h.app.request(link.body.url)).status, 200);
    await h.opened.db.deleteFrom('members').where('id', '=', agent.memberId).execute();
    assert.equal((await h.app.request(link.body.url)).status, 403);
    assert.equal((await h.call('POST', '/api/v1/contacts/export', { body: {} })).status, 401);
  });

  it('writes every column exactly as the contact JSON says, after edits, for live contacts, a filter and the restore bin', async () => {
    const h2 = await harness();
    try {
      const w = await h2.workspace();
      const { token } = await w.token('owner');
      const agent = await w.token('agent');
      const fields = [
        { key: 'note', label: 'Note', type: 'text' },
        { key: 'seats', label: 'Seats', type: 'number' },
        { key: 'renewal', label: 'Renewal', type: 'date' },
        { key: 'plan', label: 'Plan', type: 'select', options: ['Pro', 'Free'] },
        { key: 'topics', label: 'Topics', type: 'multi_select', options: ['A', 'B', 'C'] },
        { key: 'vip', label: 'VIP', type: 'checkbox' },
        { key: 'site', label: 'Site', type: 'url' },
      ];
      for (const body of fields) assert.equal((await h2.call('POST', '/api/v1/custom-fields', { token, body })).status, 201);
      const create = async (body: unknown) => {
        const res = await h2.call('POST', '/api/v1/contacts', { token, body });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        h2.clock.advance(1000);
        return res.body.id as string;
      };
      const team = await h2.call('POST', '/api/v1/teams', { token, body: { name: 'Sales, "EMEA"' } });
      assert.equal(team.status, 201, JSON.stringify(team.body));
      const full = await create({
        teamId: team.body.id, firstName: '=cmd', lastName: 'Smith "Jr"', companyName: 'Acme, Inc', website: 'acme.example', source: '-src',
        emails: [{ value: 'a@example.com' }, { value: 'b@example.com', primary: true }],
        phones: [{ value: '+14155552671', label: 'work' }, { value: '+14155552672', label: 'mobile', primary: true }],
        tags: ['Zeta', 'alpha', 'Mid'], ownerId: agent.memberId,
        address: { line1: '1 Main\nSt', city: 'Paris', region: '@region', postalCode: '+123', country: 'FR' },
        customFields: { note: 'tab\there, "quoted"', seats: 12.5, renewal: '2027-01-31', plan: 'Pro', topics: ['C', 'A'], vip: false, site: 'https://x.example/a?b=1' },
      });
      await create({ phones: [{ value: '+14155552673' }], tags: ['vip'], customFields: { vip: true, seats: -3 } });
      const binned = await create({ firstName: 'Gone', emails: [{ value: 'gone@example.com' }] });
      await create({ firstName: 'Ünïcode 名前', ownerId: agent.memberId });
      assert.equal((await h2.call('DELETE', `/api/v1/contacts/${binned}`, { token })).status, 200);
      // Edits after creation: the cells copy on the contact row must follow every child-table change.
      const edit = await h2.call('PATCH', `/api/v1/contacts/${full}`, {
        token,
        body: { emails: [{ value: 'b@example.com' }, { value: 'c@example.com', primary: true }], phones: [{ value: '+14155552671', label: 'work' }], tags: ['Mid', 'new'], customFields: { seats: 7, topics: ['B'], note: null } },
      });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      await h2.opened.db.updateTable('contacts').set({ last_interaction_at: Date.UTC(2026, 0, 2), last_channel: 'sms', last_accessed_at: Date.UTC(2026, 0, 3), access_count: 4 }).where('id', '=', full).execute();

      const schema = await h2.call('GET', '/api/v1/contacts/table-schema', { token });
      const columns: string[] = schema.body.exportColumns;
      assert.equal(columns.length, 28 + fields.length);
      const names = new Map([[agent.memberId, (await h2.opened.db.selectFrom('members').select('name').where('id', '=', agent.memberId).executeTakeFirstOrThrow()).name], [team.body.id, team.body.name]]);
      for (const view of [{}, { filter: { field: 'tags', op: 'has_any', value: ['vip'] } }, { deleted: true }, { sort: { field: 'name', dir: 'asc' }, q: 'smith' }]) {
        const items: ContactJson[] = (await h2.call('POST', '/api/v1/contacts/query', { token, body: { ...view, limit: 200 } })).body.items;
        const link = await h2.call('POST', '/api/v1/contacts/export', { token, body: { ...view, columns } });
        const text = await (await h2.app.request(link.body.url)).text();
        const headers = columns.map((k) => (k.startsWith('custom.') ? fields.find((f) => f.key === k.slice(7))!.label : REFERENCE[k]![0]));
        const expected = csvLine(headers) + items.map((c) => csvLine(columns.map((k) => referenceCell(k, c, names)))).join('');
        assert.equal(text, expected, JSON.stringify(view));
        assert.ok(items.length >= 1, JSON.stringify(view));
      }
    } finally {
      await h2.close();
    }
  });
});
