// The real server, for browser tests: a fresh database per run (SQLite file, or PostgreSQL under
// `npm run test:pg`: test-db.ts), one workspace, and a `/test/token` endpoint that plays the host backend (it holds
// the secret key and mints member tokens).
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from './app.js';
import { testProvider } from './payments/config.js';
import { FakeStripe } from './payments/fake-stripe.js';
import type { PaymentProvider } from './payments/provider.js';
import { StripeProvider } from './payments/stripe-provider.js';
import { systemClock } from './deps.js';
import { createWorkspace } from './domain/workspaces.js';
import { newId } from './ids.js';
import { openTestDatabase } from './test-db.js';
import { LocalBlobStore } from './storage/local-blob-store.js';
import { samplePdf } from './seed/sample-pdf.js';
import { listOutbox } from './transports/outbox.js';

const ADMIN_KEY = 'dak_browser-tests-operator-key-0123456789';

export async function createTestBackend() {
  const { opened, dir, close } = await openTestDatabase('dossier-browser-');
  const blobs = await new LocalBlobStore(join(dir, 'blobs')).init();
  // Payments with the test provider (Stripe's test cards); its tokenizing endpoint is served by the same app.
  // The operator key lets /test/org-session build its organization through the admin API.
  const appWith = (payments: PaymentProvider) => createApp({ db: opened.db, clock: systemClock, secrets: { tokenSecret: 'browser-test-secret' }, blobs, payments, config: { adminKey: ADMIN_KEY } });
  const app = appWith(testProvider('browser-test-secret'));
  const { secretKey, workspaceId } = await createWorkspace(opened.db, { name: 'Browser tests' }, Date.now());
  // The same server with the Stripe provider, under /stripe-app (same database and tokens): the server talks to a
  // local fake Stripe, and the browser loads the fake's Stripe.js from /fake-stripe/ (same origin, no CORS).
  const fakeStripe = await new FakeStripe().start();
  const stripeApp = appWith(new StripeProvider({ secretKey: fakeStripe.secretKey, publishableKey: fakeStripe.publishableKey, webhookSecret: fakeStripe.webhookSecret, apiBase: fakeStripe.url, stripeJsUrl: '/fake-stripe/stripe.js' }));

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
  /** A contact with a document (a 3-page PDF by default) and a share link on it; query: require, verify, download, deny, kind. */
  root.post('/test/share-link', async (c) => {
    const q = (k: string) => c.req.query(k);
    const headers = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' };
    const contact = await (await app.request('/api/v1/contacts', { method: 'POST', headers, body: JSON.stringify({ firstName: 'Share', lastName: 'Owner' }) })).json() as { id: string };
    const form = new FormData();
    const kind = q('kind') ?? 'pdf';
    const content = kind === 'txt' ? Buffer.from('Plain text shared with you.\nSecond line.') : samplePdf(Number(q('pages') ?? 3));
    form.append('file', new Blob([new Uint8Array(content)]), kind === 'txt' ? 'Notes.txt' : 'Proposal.pdf');
    const up = await app.request(`/api/v1/contacts/${contact.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${secretKey}` }, body: form });
    const doc = ((await up.json()) as { items: { id: string }[] }).items[0]!;
    const link = await app.request('/api/v1/share-links', {
      method: 'POST',
      headers,
      body: JSON.stringify({
        documentId: doc.id,
        name: q('name') ?? 'Proposal for you',
        require: q('require') ?? 'email',
        verifyOtp: q('verify') !== '0',
        allowDownload: q('download') === '1',
        denyList: q('deny') ? [q('deny')] : [],
      }),
    });
    return c.json({ ...(await link.json()) as object, documentId: doc.id }, link.status as 201);
  });
  root.post('/test/share-link/:id/disable', async (c) => {
    const res = await app.request(`/api/v1/share-links/${c.req.param('id')}`, { method: 'PATCH', headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
    return c.json(await res.json(), res.status as 200);
  });
  /** The views recorded for a share link (duration, pages seen, downloaded), for view-report tests. */
  root.get('/test/share-link/:id/views', async (c) =>
    c.json({ items: await opened.db.selectFrom('link_views').select(['id', 'duration_ms', 'pages_seen', 'downloaded']).where('link_id', '=', c.req.param('id')).execute() }),
  );
  /** The dev outbox (codes "sent" by the default transport), newest first. */
  root.get('/test/outbox', async (c) => c.json({ items: await listOutbox(opened.db, 20) }));
  /**
   * `n` contacts "Row<i> <tag>" tagged `tag`, in one transaction (thousands in well under a second, for scrolling
   * tests). Row i is the i-th newest, so the default sort (created, newest first) lists them in order.
   */
  root.post('/test/seed-rows', async (c) => {
    const n = Number(c.req.query('n') ?? 1000);
    await seedRows(workspaceId, n, c.req.query('tag') ?? 'rows');
    return c.json({ count: n });
  });
  async function seedRows(workspaceId: string, n: number, tag: string) {
    const { bulk } = opened.engine;
    const tagId = newId('tg_');
    const now = Date.now();
    const ids = Array.from({ length: n }, () => newId('ct_'));
    await opened.db.transaction().execute((trx) =>
      bulk.paused(trx, async (db) => {
        await db.insertInto('tags').values({ id: tagId, workspace_id: workspaceId, name: tag, created_at: now }).execute();
        await bulk.insert(db, 'contacts', ids.map((id, i) => ({ id, workspace_id: workspaceId, first_name: `Row${i}`, last_name: tag, display_name: `Row${i} ${tag}`, created_at: now - i, updated_at: now - i })));
        await bulk.insert(db, 'contact_tags', ids.map((id) => ({ workspace_id: workspaceId, contact_id: id, tag_id: tagId })));
      }),
    );
  }
  /**
   * An organization session (the agency's backend, with its organization key), as `role` in each of the
   * organization's two workspaces: "North Clinic" with 150 contacts "Row<i> north" and "South Clinic" with 40
   * "Row<i> south", made once per run.
   */
  let org: Promise<{ orgKey: string; workspaceIds: string[] }> | undefined;
  root.post('/test/org-session', async (c) => {
    org ??= makeOrg();
    const { orgKey, workspaceIds } = await org;
    const role = c.req.query('role') ?? 'manager';
    const res = await app.request('/api/v1/org-sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${orgKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ member: { externalId: 'agency-browser', name: 'Ada Agency', email: 'ada@agency.example' }, workspaces: workspaceIds.map((id) => ({ workspaceId: id, role })) }),
    });
    return c.json(await res.json(), res.status as 201);
  });
  async function makeOrg() {
    const admin = (path: string, body: object) =>
      Promise.resolve(app.request(`/api/v1/admin${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).then((r) => r.json() as Promise<any>);
    const { id } = await admin('/organizations', { name: 'Browser Agency' });
    const workspaceIds: string[] = [];
    for (const [name, tag, n] of [['North Clinic', 'north', 150], ['South Clinic', 'south', 40]] as const) {
      const created = await admin('/workspaces', { name, organizationId: id });
      workspaceIds.push(created.workspace.id);
      await seedRows(created.workspace.id, n, tag);
    }
    const key = await admin(`/organizations/${id}/keys`, { name: 'browser tests' });
    return { orgKey: key.secretKey as string, workspaceIds };
  }
  /** The secret key, so tests can act as the host backend (create custom fields, push data). */
  root.get('/test/secret', (c) => c.json({ secretKey }));
  root.route('/stripe-app', stripeApp);
  root.route('/', app);

  const listener = getRequestListener(root.fetch);
  return {
    /** Stops the fake Stripe and closes the database (and drops it, on PostgreSQL). */
    close: async () => {
      await fakeStripe.stop();
      await close();
    },
    /** Koa-style middleware for @web/test-runner's dev server. */
    middleware: async (ctx: { path: string; req: unknown; res: unknown; respond: boolean }, next: () => Promise<void>) => {
      if (ctx.path.startsWith('/fake-stripe/')) {
        ctx.respond = false;
        const req = ctx.req as { url: string };
        req.url = req.url.slice('/fake-stripe'.length);
        return fakeStripe.handler(ctx.req as never, ctx.res as never);
      }
      if (!/^\/(api|test|test-provider|stripe-app|healthz)(\/|$)/.test(ctx.path)) return next();
      ctx.respond = false;
      await listener(ctx.req as never, ctx.res as never);
    },
  };
}
