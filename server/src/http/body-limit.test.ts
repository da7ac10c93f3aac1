import assert from 'node:assert/strict';
import { request, Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../testing.js';
import { capturing, createLink, pdfDocument } from '../test-share.js';

/** Posts `total` bytes (generated, never held) and reports the answer and how much the server let us send. */
function post(base: string, path: string, total: number, opts: { chunked?: boolean; headers?: Record<string, string>; agent?: Agent; sendAll?: boolean } = {}) {
  return new Promise<{ status: number; body: any; sent: number }>((resolve, reject) => {
    const url = new URL(path, base);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    if (!opts.chunked) headers['content-length'] = String(total);
    const req = request(url, { method: 'POST', headers, agent: opts.agent });
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk[0] = 0x7b; // "{", then spaces: valid JSON so far, never finished
    const pump = () => {
      while ((opts.sendAll || !answered) && sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (opts.sendAll || !answered) req.end();
    };
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, sent }));
      res.on('error', reject);
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    pump();
  });
}

describe('request body limits (real server)', () => {
  let h: Harness;
  let base: string;
  let owner: string;
  let slug: string;
  before(async () => {
    h = await harness({}, capturing());
    const ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    const doc = await pdfDocument(h, owner);
    slug = (await createLink(h, owner, { documentId: doc, require: 'email' })).slug;
    base = await h.listen();
  });
  after(() => h.close());

  it('refuses a 400 MB body on the public gate from its Content-Length, without reading it', async () => {
    const res = await post(base, `/api/v1/public/share/${slug}/send-code`, 400 * 1024 * 1024);
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
    assert.equal(res.body.error.details.limitBytes, 4096);
    assert.ok(res.sent < 100 * 1024 * 1024, `the server stopped the upload early (${res.sent} bytes sent)`);
  });

  it('counts a chunked body as it arrives and stops at the limit (gate, report, JSON routes)', async () => {
    for (const [path, limit, headers] of [
      [`/api/v1/public/share/${slug}/verify`, 4096, {}],
      [`/api/v1/public/share/${slug}/report`, 32 * 1024, { 'content-type': 'text/plain' }],
      ['/api/v1/contacts/query', 1024 * 1024, { authorization: `Bearer ${owner}` }],
    ] as const) {
      const res = await post(base, path, 50 * 1024 * 1024, { chunked: true, headers });
      assert.equal(res.status, 413, path);
      assert.equal(res.body.error.code, 'payload_too_large', path);
      assert.equal(res.body.error.details.limitBytes, limit, path);
    }
  });

  it('refuses 10 MB on an authenticated JSON route; a client that sends the whole body keeps its connection', async () => {
    const res = await post(base, '/api/v1/contacts', 10 * 1024 * 1024, { headers: { authorization: `Bearer ${owner}` } });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.details.limitBytes, 1024 * 1024);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const small = await post(base, '/api/v1/contacts', 2 * 1024 * 1024, { headers: { authorization: `Bearer ${owner}` }, agent, sendAll: true });
      assert.equal(small.status, 413);
      const next = await new Promise<number>((resolve, reject) => {
        request(new URL('/healthz', base), { agent }, (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject).end();
      });
      assert.equal(next, 200);
    } finally {
      agent.destroy();
    }
  });

  it('still takes bodies under the limits', async () => {
    const ok = await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Under', lastName: 'x'.repeat(100) } });
    assert.equal(ok.status, 201);
    const sent = await h.call('POST', `/api/v1/public/share/${slug}/send-code`, { body: { channel: 'email', identifier: 'small@example.com' } });
    assert.equal(sent.status, 202);
  });
});
