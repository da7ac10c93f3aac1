// CSV imports that cannot be read to their end import nothing, the connection stays usable, encodings are detected,
// and the report names every skipped row.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const MAP = { First: 'firstName', Last: 'lastName', Email: 'email', Mobile: 'phone', Office: 'phone', Company: 'companyName' };

describe('CSV import: the whole file or nothing, encodings, the report', () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await harness({ importMaxBytes: 8 * 1024 * 1024 });
    base = await h.listen();
  });
  after(() => h.close());

  const fresh = async () => {
    const ws: TestWorkspace = await h.workspace();
    return { ws, token: (await ws.token('owner')).token };
  };
  const count = async (wsId: string) => Number((await h.opened.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', wsId).executeTakeFirstOrThrow()).n);
  const path = (map: object = MAP, dedupe = 'skip') => `/api/v1/contacts/import?${new URLSearchParams({ mapping: JSON.stringify(map), dedupe })}`;

  /** POSTs over real HTTP on a keep-alive agent; returns the answer. */
  function post(token: string, body: Buffer, agent?: Agent, p = path()) {
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(new URL(p, base), { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(body.length) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('refuses a file with a 2 MB line in the middle and imports none of it; the keep-alive connection still works', async () => {
    const { ws, token } = await fresh();
    const lines = ['First,Email'];
    for (let i = 0; i < 3000; i++) lines.push(`Good${i},good${i}@example.com`);
    lines.push(`Huge,${'x'.repeat(2 * 1024 * 1024)}`);
    for (let i = 0; i < 10; i++) lines.push(`After${i},after${i}@example.com`);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const res = await post(token, Buffer.from(lines.join('\n')), agent, path({ First: 'firstName', Email: 'email' }));
      assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 300));
      assert.equal(res.body.error.code, 'invalid_csv');
      assert.equal(res.body.error.details.row, 3001);
      assert.match(res.body.error.message, /Row 3001 \(line 3002\) is longer than 1 MB\. Nothing was imported/);
      assert.equal(await count(ws.id), 0);
      const next = await new Promise<number>((resolve, reject) => request(new URL('/healthz', base), { agent }, (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject).end());
      assert.equal(next, 200);
      const ok = await post(token, Buffer.from('First,Email\nLater,later@example.com\n'), agent, path({ First: 'firstName', Email: 'email' }));
      assert.equal(ok.status, 200);
      assert.equal(ok.body.summary.created, 1);
    } finally {
      agent.destroy();
    }
  });

  it('refuses a quote that is never closed, naming where it starts', async () => {
    const { ws, token } = await fresh();
    const res = await post(token, Buffer.from('First,Email\nA,a@example.com\n"B,b@example.com\nC,c@example.com\n'));
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_csv');
    assert.match(res.body.error.message, /starts in row 2/);
    assert.equal(await count(ws.id), 0);
  });

  it('refuses a file over the size limit (413) and an upload that breaks off, importing nothing', async () => {
    const { ws, token } = await fresh();
    const big = Buffer.from(`First\n${'Name\n'.repeat(2 * 1024 * 1024)}`);
    const res = await post(token, big);
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
    assert.equal(await count(ws.id), 0);

    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`POST ${path()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\nFirst,Email\nCut,cut@example.com\n`);
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await count(ws.id), 0);
    assert.equal((await h.call('GET', '/healthz')).status, 200);
  });

  it('reads Windows-1252 (Latin-1) files as such, says so in the report, and reads UTF-16 with a BOM', async () => {
    const { token } = await fresh();
    // "Müller", "Zoë", "Bäckerei – Café" and "€" in Windows-1252 bytes (0x96 is the en dash, 0x80 the euro sign).
    const latin = Buffer.concat([Buffer.from('First,Last,Company\n'), Buffer.from([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e]), Buffer.from(',M'), Buffer.from([0xfc]), Buffer.from('ller,B'), Buffer.from([0xe4]), Buffer.from('ckerei '), Buffer.from([0x96]), Buffer.from(' Caf'), Buffer.from([0xe9, 0x20, 0x80]), Buffer.from('\n')]);
    const res = await post(token, latin, undefined, path({ First: 'firstName', Last: 'lastName', Company: 'companyName' }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.summary.created, 1);
    assert.ok(res.body.errors.some((e: { message: string }) => /read as Windows-1252/.test(e.message)));
    const found = (await h.call('POST', '/api/v1/contacts/query', { token, body: { q: 'jürgen' } })).body.items[0];
    assert.deepEqual([found.firstName, found.lastName, found.companyName], ['Jürgen', 'Müller', 'Bäckerei – Café €']);

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('First,Last\nZoë,Ångström\n', 'utf16le')]);
    const res16 = await post(token, utf16, undefined, path({ First: 'firstName', Last: 'lastName' }));
    assert.equal(res16.status, 200);
    assert.ok(!res16.body.errors.length, JSON.stringify(res16.body.errors));
    const zoe = (await h.call('POST', '/api/v1/contacts/query', { token, body: { q: 'ångström' } })).body.items[0];
    assert.equal(zoe.firstName, 'Zoë');
  });

  it('labels numbers from a "Mobile" column as mobile (and "Office" as work), and lists every skipped duplicate', async () => {
    const { token } = await fresh();
    const first = await post(token, Buffer.from('First,Email,Mobile,Office\nAda,ada@example.com,+1 415 555 2671,+1 415 555 2672\nBob,bob@example.com,+1 415 555 2673,\n'));
    assert.equal(first.status, 200);
    const ada = (await h.call('POST', '/api/v1/contacts/query', { token, body: { q: 'ada' } })).body.items[0];
    assert.deepEqual(ada.phones.map((p: { value: string; label: string }) => [p.value, p.label]), [['+14155552671', 'mobile'], ['+14155552672', 'work']]);

    const again = await post(token, Buffer.from('First,Email,Mobile\nAda again,ADA@example.com,\nNew,new@example.com,\nBob twice,,(415) 555-2673\nNew twice,new@example.com,\n'));
    assert.deepEqual(again.body.summary, { created: 1, skipped: 3 });
    const skipped = again.body.errors.filter((e: { skipped?: boolean }) => e.skipped);
    assert.deepEqual(skipped.map((e: { row: number }) => e.row), [1, 3, 4]);
    assert.match(skipped[0].message, /Skipped: a contact with email ada@example.com already exists/);
    assert.equal(skipped[0].id, ada.id);
    assert.match(skipped[1].message, /phone \+14155552673/);
    assert.match(skipped[2].message, /an earlier row of the file has the same email new@example.com/);

    // Update mode adds a "Mobile" number to a contact that already has a mobile one without a clashing label.
    const updated = await post(token, Buffer.from('Email,Mobile\nada@example.com,+1 415 555 2690\n'), undefined, path({ Email: 'email', Mobile: 'phone' }, 'update'));
    assert.deepEqual(updated.body.summary, { updated: 1 }, JSON.stringify(updated.body.errors));
  });
});
