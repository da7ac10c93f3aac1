import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer } from './main.js';

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
