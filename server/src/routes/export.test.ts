import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { csvCell } from '../domain/csv-export.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

describe('CSV cells', () => {
  it('quotes separators and neutralizes formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    for (const evil of ['=SUM(A1)', '+1', '-2', '@cmd', '\tx', '\rx']) assert.ok(csvCell(evil).replace(/^"/, '').startsWith("'"), evil);
    assert.equal(csvCell('=1,2'), `"'=1,2"`);
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(12), '12');
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
        `"'=HYPERLINK(""x"")",Ünïcode,"Comma, Inc",a; b,Pro,\r\n` +
        "Zed,,,,,'+14155552671\r\n",
    );
    const withBom = await download({ columns: ['firstName'], bom: true, q: 'zed' });
    assert.deepEqual([...withBom.bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(new TextDecoder('utf-8', { ignoreBOM: true }).decode(withBom.bytes), '\uFEFFFirst name\r\nZed\r\n');
  });

  it('pages through many contacts without gaps', async () => {
    for (let i = 0; i < 1205; i += 1) {
      await h.opened.db.insertInto('contacts').values({ id: `ct_bulk${String(i).padStart(5, '0')}`, workspace_id: ws.id, display_name: `Row ${i}`, first_name: `Row${i}`, created_at: i, updated_at: i }).execute();
    }
    const { bytes } = await download({ columns: ['id'], q: 'row' });
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    assert.equal(lines.length, 1206);
    assert.equal(new Set(lines).size, 1206);
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
});
