// The real server, for browser tests: a fresh SQLite file per run, one workspace, and a `/test/token`
// endpoint that plays the host backend (it holds the secret key and mints member tokens).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from './app.js';
import { migrate, openDb } from './db/connection.js';
import { systemClock } from './deps.js';
import { createWorkspace } from './domain/workspaces.js';
import { LocalBlobStore } from './storage/local-blob-store.js';

export async function createTestBackend() {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-browser-'));
  const opened = openDb(join(dir, 'test.sqlite'));
  await migrate(opened.db);
  const blobs = await new LocalBlobStore(join(dir, 'blobs')).init();
  const app = createApp({ db: opened.db, clock: systemClock, secrets: { tokenSecret: 'browser-test-secret' }, blobs });
  const { secretKey } = await createWorkspace(opened.db, { name: 'Browser tests' }, Date.now());

  const root = new Hono();
  root.post('/test/token', async (c) => {
    const role = c.req.query('role') ?? 'owner';
    const externalId = c.req.query('externalId') ?? `${role}-browser`;
    const res = await app.request('/api/v1/sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        member: { externalId, name: c.req.query('name') ?? `${role[0]!.toUpperCase()}${role.slice(1)} Tester`, email: `${externalId}@example.com`, role, restrictToAssigned: c.req.query('restricted') === '1' },
        ttlSeconds: Number(c.req.query('ttl') ?? 3600),
      }),
    });
    return c.json(await res.json(), res.status as 201);
  });
  /** The secret key, so tests can act as the host backend (create custom fields, push data). */
  root.get('/test/secret', (c) => c.json({ secretKey }));
  root.route('/', app);

  const listener = getRequestListener(root.fetch);
  return {
    /** Koa-style middleware for @web/test-runner's dev server. */
    middleware: async (ctx: { path: string; req: unknown; res: unknown; respond: boolean }, next: () => Promise<void>) => {
      if (!/^\/(api|test|healthz)(\/|$)/.test(ctx.path)) return next();
      ctx.respond = false;
      await listener(ctx.req as never, ctx.res as never);
    },
  };
}
