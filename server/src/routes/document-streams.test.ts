// Upload limits, interrupted uploads and live events over real HTTP (where streaming behaviour matters).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import * as f from '../test-fixtures.js';
import { Lifecycle } from '../lifecycle.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';
import { blobFiles, upload } from '../test-documents.js';

const LIMIT = 64 * 1024;

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 3000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(10);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/**
 * POSTs over a raw socket, chunk by chunk, reading the answer all along; stops sending as soon as the server
 * answers or closes. Returns the status and how many body bytes were sent by then.
 */
async function rawPost(url: string, path: string, headers: Record<string, string>, chunks: Iterable<Buffer>, chunked: boolean) {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  await once(socket, 'connect');
  let response = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (response += d.toString('latin1')));
  socket.on('error', () => undefined);
  const closing = new Promise<void>((r) => socket.once('close', () => r(void (closed = true)))); // once() rejects on EPIPE
  // Keep-alive, as browsers do: the server decides when to close.
  const head = Object.entries({ host: '127.0.0.1', ...headers, ...(chunked ? { 'transfer-encoding': 'chunked' } : {}) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
  let sent = 0;
  for (const chunk of chunks) {
    if (response || closed) break;
    const ok = socket.write(chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk);
    sent += chunk.length;
    if (!ok) await Promise.race([new Promise((r) => socket.once('drain', r)), closing]); // once() would reject on EPIPE
  }
  if (!response && !closed && chunked) socket.write('0\r\n\r\n');
  const complete = () => {
    const split = response.indexOf('\r\n\r\n');
    const length = Number(/^content-length: (\d+)$/im.exec(response.slice(0, split))?.[1] ?? NaN);
    return split > 0 && response.length - split - 4 >= length;
  };
  const deadline = Date.now() + 5000;
  while (!complete() && !closed && Date.now() < deadline) await sleep(5);
  socket.destroy();
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
  const split = response.indexOf('\r\n\r\n');
  return { status, sent, head: response.slice(0, split), body: response.slice(split + 4) };
}

function* repeat(chunk: Buffer, total: number, prefix?: Buffer) {
  if (prefix) yield prefix;
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, total - sent));
}

describe('document streaming over HTTP', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let contactId: string;
  let url: string;

  before(async () => {
    h = await harness({ documents: { maxBytes: LIMIT, heartbeatMs: 50 } });
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    contactId = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Stream' } })).body.id;
    url = await h.listen();
  });
  after(() => h.close());

  const documentCount = async () =>
    Number((await h.opened.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('accepts exactly the limit and answers 413 for one byte more (chunked, no Content-Length)', async () => {
    const path = `/api/v1/contacts/${contactId}/documents?name=exact.txt`;
    const headers = { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' };
    const exact = await rawPost(url, path, headers, repeat(Buffer.alloc(1024, 'a'), LIMIT), true);
    assert.equal(exact.status, 201, exact.body);
    assert.match(exact.body, new RegExp(`"size":${LIMIT}`));
    const over = await rawPost(url, path, headers, repeat(Buffer.alloc(1024, 'a'), LIMIT + 1), true);
    assert.equal(over.status, 413, over.body);
    assert.match(over.body, /file_too_large/);
  });

  it('answers 413 while a too-large upload is still being sent, and stops reading it', async () => {
    const files = (await blobFiles(h)).length;
    const docs = await documentCount();
    const boundary = 'bigBoundary';
    const prefix = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.txt"\r\n\r\n`);
    const headers = { authorization: `Bearer ${owner}`, 'content-type': `multipart/form-data; boundary=${boundary}` };
    const total = 64 * 1024 * 1024;
    const res = await rawPost(url, `/api/v1/contacts/${contactId}/documents`, headers, repeat(Buffer.alloc(16 * 1024, 'x'), total, prefix), true);
    assert.equal(res.status, 413);
    assert.ok(res.sent < total / 4, `answered after ${res.sent} of ${total} bytes`);
    // A declared Content-Length over the limit is refused before a byte of the body is read.
    const declared = await rawPost(url, `/api/v1/contacts/${contactId}/documents?name=big.txt`, { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(LIMIT + 1) }, [], false);
    assert.equal(declared.status, 413);
    await until(async () => (await h.blobs.tempFileCount()) === 0, 'temp files to go');
    assert.equal((await blobFiles(h)).length, files);
    assert.equal(await documentCount(), docs);
  });

  it('refuses an upload to a contact in the restore bin while it is still being sent (contact_deleted)', async () => {
    const gone = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Binned' } })).body.id as string;
    await h.call('DELETE', `/api/v1/contacts/${gone}`, { token: owner });
    const boundary = 'binBoundary';
    const prefix = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="late.txt"\r\n\r\n`);
    const headers = { authorization: `Bearer ${owner}`, 'content-type': `multipart/form-data; boundary=${boundary}` };
    const total = 64 * 1024 * 1024;
    const res = await rawPost(url, `/api/v1/contacts/${gone}/documents`, headers, repeat(Buffer.alloc(16 * 1024, 'x'), total, prefix), true);
    assert.equal(res.status, 409, res.body);
    assert.match(res.body, /"code":"contact_deleted"/);
    assert.ok(res.sent < total / 4, `answered after ${res.sent} of ${total} bytes`);
  });

  it('leaves no document row and no temp or blob file when the client disconnects mid-upload', async () => {
    const files = (await blobFiles(h)).length;
    const docs = await documentCount();
    const { body } = f.multipartBody({ section: 'internal' }, [{ name: 'partial.pdf', content: Buffer.concat([f.pdf(), Buffer.alloc(40_000, 'p')]) }]);
    for (const mode of ['multipart', 'raw'] as const) {
      const path = mode === 'multipart' ? `/api/v1/contacts/${contactId}/documents` : `/api/v1/contacts/${contactId}/documents?name=partial.pdf`;
      const contentType = mode === 'multipart' ? 'multipart/form-data; boundary=dossierBoundary7MA4YWxk' : 'application/pdf';
      const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${owner}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body.subarray(0, 20_000));
      await until(async () => (await h.blobs.tempFileCount()) > 0, `${mode}: the temp file to exist`);
      socket.destroy();
      await until(async () => (await h.blobs.tempFileCount()) === 0, `${mode}: the temp file to be removed`);
    }
    await sleep(50);
    assert.equal(await documentCount(), docs);
    assert.equal((await blobFiles(h)).length, files);
  });

  it('streams document events for one contact over SSE, with retry and heartbeats', async () => {
    const manager = (await ws.token('manager')).token;
    const ticket = await h.call('POST', `/api/v1/contacts/${contactId}/documents/events/ticket`, { token: manager });
    assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
    const res = await fetch(`${url}/api/v1/contacts/${contactId}/documents/events?ticket=${encodeURIComponent(ticket.body.ticket)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const read = async (pattern: RegExp, what: string) => {
      const end = Date.now() + 3000;
      while (!pattern.test(text)) {
        if (Date.now() > end) assert.fail(`no ${what} in: ${text}`);
        const { value, done } = await reader.read();
        if (done) assert.fail(`stream ended before ${what}`);
        text += new TextDecoder().decode(value);
      }
    };
    await read(/event: ready/, 'ready event');
    assert.match(text, /retry: 3000/);
    const other = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Elsewhere' } })).body.id;
    await upload(h, owner, other, [{ name: 'not-for-this-stream.pdf', content: f.pdf('other') }]);
    const doc = (await upload(h, owner, contactId, [{ name: 'live.pdf', content: f.pdf('live') }])).body.items[0];
    await read(/"type":"created"/, 'created event');
    assert.match(text, /event: document/);
    assert.match(text, /live\.pdf/);
    assert.doesNotMatch(text, /not-for-this-stream/);
    await h.call('PATCH', `/api/v1/documents/${doc.id}`, { token: owner, body: { name: 'renamed live' } });
    await read(/"type":"updated"/, 'updated event');
    await h.call('DELETE', `/api/v1/documents/${doc.id}`, { token: owner });
    await read(/"type":"deleted"/, 'deleted event');
    await read(/: heartbeat/, 'heartbeat');
    await reader.cancel();
    await until(() => h.events.listenerCount() === 0, 'the subscription to end');
  });

  it('refuses event streams without a valid ticket or token, or for contacts the caller cannot see', async () => {
    const events = (id: string, query = '') => fetch(`${url}/api/v1/contacts/${id}/documents/events${query}`);
    assert.equal((await events(contactId)).status, 401);
    assert.equal((await events(contactId, '?ticket=nope')).status, 401);
    assert.equal((await events(contactId, `?token=${encodeURIComponent(owner)}`)).status, 400, 'the session token never goes in the URL');
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    assert.equal((await h.call('POST', `/api/v1/contacts/${contactId}/documents/events/ticket`, { token: stranger })).status, 404);
    assert.equal((await h.call('POST', `/api/v1/contacts/${contactId}/documents/events/ticket`)).status, 401);
    // A ticket opens one stream, for its own contact, once, within a minute.
    const ticket = (await h.call('POST', `/api/v1/contacts/${contactId}/documents/events/ticket`, { token: owner })).body.ticket as string;
    const elsewhere = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Elsewhere' } })).body.id as string;
    assert.equal((await events(elsewhere, `?ticket=${ticket}`)).status, 401);
    const first = await events(contactId, `?ticket=${ticket}`);
    assert.equal(first.status, 200);
    await first.body?.cancel();
    assert.equal((await events(contactId, `?ticket=${ticket}`)).status, 401, 'used once');
    const late = (await h.call('POST', `/api/v1/contacts/${contactId}/documents/events/ticket`, { token: owner })).body.ticket as string;
    h.clock.advance(61_000);
    assert.equal((await events(contactId, `?ticket=${late}`)).status, 401, 'expired');
    const withHeader = await fetch(`${url}/api/v1/contacts/${contactId}/documents/events`, { headers: { authorization: `Bearer ${owner}` } });
    assert.equal(withHeader.status, 200);
    await withHeader.body?.cancel();
  });

  it('ends event streams with a reconnect hint when the process shuts down', async () => {
    const lifecycle = new Lifecycle();
    const served = await harness(undefined, { lifecycle });
    try {
      const w = await served.workspace();
      const token = (await w.token('owner')).token;
      const id = (await served.call('POST', '/api/v1/contacts', { token, body: { firstName: 'Live' } })).body.id as string;
      const base = await served.listen();
      const ticket = (await served.call('POST', `/api/v1/contacts/${id}/documents/events/ticket`, { token })).body.ticket as string;
      const res = await fetch(`${base}/api/v1/contacts/${id}/documents/events?ticket=${encodeURIComponent(ticket)}`);
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('event: ready')) text += new TextDecoder().decode((await reader.read()).value);
      await lifecycle.drain(1000);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      assert.match(text, /event: shutdown\ndata: \{\}\nretry: 1000/);
      await until(() => served.events.listenerCount() === 0, 'the subscription to end');
    } finally {
      await served.close();
    }
  });
});
