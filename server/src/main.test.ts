import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configureLog } from './log.js';
import { startServer } from './main.js';

// The served process as `dossier serve` runs it: request ids and log lines, readiness, graceful shutdown.
describe('the served process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-serve-'));
  const lines: string[] = [];
  let server: Awaited<ReturnType<typeof startServer>>;
  let release: () => void = () => undefined;
  let arrived: () => void = () => undefined;

  before(async () => {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logFormat: 'json',
      // A request that takes as long as the test says, to see shutdown wait for it.
      extend: (root) => {
        root.get('/test/slow', async (c) => {
          arrived();
          await new Promise<void>((r) => (release = r));
          return c.text('finished');
        });
      },
    });
    configureLog({ write: (line) => lines.push(line) });
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const url = (path: string) => `${server.url.replace('localhost', '127.0.0.1')}${path}`;

  it('is ready when the database and storage answer', async () => {
    const res = await fetch(url('/readyz'));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, checks: { database: 'ok', storage: 'ok' } });
  });

  it('gives every request an id, keeps a caller’s own, and logs one JSON line per request without the query', async () => {
    lines.length = 0;
    const mine = await fetch(url('/api/v1/me?ticket=secret-thing'), { headers: { 'x-request-id': 'lb-1234' } });
    assert.equal(mine.status, 401);
    assert.equal(mine.headers.get('x-request-id'), 'lb-1234');
    const generated = await fetch(url('/api/v1/nope'), { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(generated.headers.get('x-request-id') ?? '', /^req_/);
    await fetch(url('/healthz'));

    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = logged.find((l) => l.requestId === 'lb-1234');
    assert.ok(first, `a line for the request: ${lines.join('\n')}`);
    assert.deepEqual({ method: first.method, path: first.path, status: first.status, level: first.level }, { method: 'GET', path: '/api/v1/me', status: 401, level: 'info' });
    assert.equal(typeof first.ms, 'number');
    assert.ok(!lines.join('\n').includes('secret-thing'), 'the query string stays out of the log');
    assert.ok(!logged.some((l) => l.path === '/healthz'), 'health checks are not logged');
  });

  it('shuts down gracefully: not ready, no new connections, requests in flight finish', async () => {
    const inHandler = new Promise<void>((r) => (arrived = r));
    const slow = fetch(url('/test/slow'));
    await inHandler;
    const closed = server.close(5_000);
    let done = false;
    void closed.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(done, false, 'close waits for the request in flight');
    release();
    const res = await slow;
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'finished');
    await closed;
    await assert.rejects(fetch(url('/healthz')), 'no new connections after shutdown');
  });
});

describe('the served app (dossier serve)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-main-'));
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers unknown /api/v1 routes with the JSON error shape', async () => {
    for (const [method, path] of [['GET', '/api/v1/nope'], ['POST', '/api/v1/contacts-typo'], ['DELETE', '/api/v1/public/share/x/y/z'], ['GET', '/api']]) {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method });
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'not_found', path);
    }
  });
});

describe('DOSSIER_TRUST_PROXY', () => {
  it('is read at start, and a value that is neither a hop count nor addresses stops the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-main-'));
    const before = process.env.DOSSIER_TRUST_PROXY;
    try {
      process.env.DOSSIER_TRUST_PROXY = 'everything';
      await assert.rejects(startServer({ port: 0, host: '127.0.0.1', dataDir: dir }), /DOSSIER_TRUST_PROXY: "everything"/);
      process.env.DOSSIER_TRUST_PROXY = '10.0.0.0/8';
      const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir });
      await server.close();
    } finally {
      if (before === undefined) delete process.env.DOSSIER_TRUST_PROXY;
      else process.env.DOSSIER_TRUST_PROXY = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
