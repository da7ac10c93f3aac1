// Plays the customer's backend for the demo: it owns the workspace secret key, mints widget tokens for a
// signed-in "staff member", and serves the host pages that embed dist/dossier.js with a plain script tag.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { OpenedDb } from './db/connection.js';
import { createWorkspace } from './domain/workspaces.js';
import { REPO_ROOT } from './paths.js';
import { seedContacts } from './seed/seed.js';
import { seedNotesAndTasks } from './seed/notes-tasks.js';
import { seedAppointments } from './seed/appointments.js';
import { seedWorkflowsAndPortal } from './seed/workflows-portal.js';
import { seedOpportunities } from './seed/opportunities.js';
import { seedAssociations } from './seed/associations.js';
import type { App } from './app.js';
import { samplePdf } from './seed/sample-pdf.js';
import { listOutbox } from './transports/outbox.js';
import { log } from './log.js';

interface DemoWorkspace {
  workspaceId: string;
  secretKey: string;
}

export const DEMO_MEMBERS = {
  owner: { externalId: 'seed-0', name: 'Olivia Owner', email: 'olivia@dossier.example', role: 'owner' },
  manager: { externalId: 'seed-1', name: 'Max Manager', email: 'max@dossier.example', role: 'manager' },
  agent: { externalId: 'seed-2', name: 'Ada Agent', email: 'ada@dossier.example', role: 'agent' },
} as const;

/** Creates and seeds the demo workspace on first start; later starts reuse it. */
export async function ensureDemoWorkspace(opened: OpenedDb, dataDir: string, contacts = 500): Promise<DemoWorkspace> {
  const file = join(dataDir, 'demo-workspace.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoWorkspace;
    const still = await opened.db.selectFrom('workspaces').select('id').where('id', '=', saved.workspaceId).executeTakeFirst();
    if (still) {
      // A demo data folder from before notes and tasks existed gets them too.
      await seedNotesAndTasks(opened.db, saved.workspaceId, Date.now());
      await seedAppointments(opened.db, saved.workspaceId, Date.now());
      await seedWorkflowsAndPortal(opened.db, saved.workspaceId, Date.now());
      await seedOpportunities(opened.db, saved.workspaceId, Date.now());
      await seedAssociations(opened.db, saved.workspaceId, Date.now());
      return saved;
    }
  }
  const now = Date.now();
  const created = await createWorkspace(opened.db, { name: 'Acme Demo' }, now);
  await seedContacts(opened, created.workspaceId, contacts, { now, seed: 42 });
  await seedNotesAndTasks(opened.db, created.workspaceId, now);
  await seedAppointments(opened.db, created.workspaceId, now);
  await seedWorkflowsAndPortal(opened.db, created.workspaceId, now);
  await seedOpportunities(opened.db, created.workspaceId, now);
  await seedAssociations(opened.db, created.workspaceId, now);
  writeFileSync(file, JSON.stringify(created, null, 2), { mode: 0o600 });
  log.info(`demo workspace ${created.workspaceId} seeded with ${contacts} contacts`);
  return created;
}

/**
 * One document with an email-gated share link (one-time code on), seeded on first start so the share flow works
 * out of the box: open the link, enter any email, read the code in the Dev inbox. Created through the API with
 * the secret key, exactly as a host backend would.
 */
export async function ensureDemoShareLink(app: App, opened: OpenedDb, demo: DemoWorkspace): Promise<{ slug: string; linkId: string; documentId: string }> {
  const existing = await opened.db
    .selectFrom('share_links')
    .select(['id', 'slug', 'document_id'])
    .where('workspace_id', '=', demo.workspaceId)
    .where('name', '=', DEMO_LINK_NAME)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (existing) return { slug: existing.slug, linkId: existing.id, documentId: existing.document_id };
  const headers = { authorization: `Bearer ${demo.secretKey}` };
  const json = { ...headers, 'content-type': 'application/json' };
  // On the newest seeded contact (the table's first row, the record the demo opens first), so the demo keeps exactly
  // the contacts it was seeded with and a new user finds the document at once.
  const newest = await opened.db.selectFrom('contacts').select('id').where('workspace_id', '=', demo.workspaceId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const contact = newest ?? ((await (await app.request('/api/v1/contacts', { method: 'POST', headers: json, body: JSON.stringify({ firstName: 'Dana', lastName: 'Prospect', companyName: 'Globex' }) })).json()) as { id: string });
  const form = new FormData();
  form.append('section', 'sent');
  form.append('file', new Blob([new Uint8Array(samplePdf(5, 'Acme proposal for Globex'))]), 'Acme proposal.pdf');
  const up = await app.request(`/api/v1/contacts/${contact.id}/documents`, { method: 'POST', headers, body: form });
  if (up.status !== 201) throw new Error(`demo document upload failed: ${up.status} ${await up.text()}`);
  const doc = ((await up.json()) as { items: { id: string }[] }).items[0]!;
  const res = await app.request('/api/v1/share-links', { method: 'POST', headers: json, body: JSON.stringify({ documentId: doc.id, name: DEMO_LINK_NAME, require: 'email', verifyOtp: true, allowDownload: true }) });
  if (res.status !== 201) throw new Error(`demo share link failed: ${res.status} ${await res.text()}`);
  const link = (await res.json()) as { id: string; slug: string };
  log.info(`demo share link created: /s/${link.slug} (email gate with a one-time code; read it in /demo/inbox)`);
  return { slug: link.slug, linkId: link.id, documentId: doc.id };
}

export const DEMO_LINK_NAME = 'Acme proposal';

export function mountDemoHost(root: Hono, app: App, demo: DemoWorkspace, share?: { slug: string; linkId: string; documentId: string }, opened?: OpenedDb) {
  // The dev transport's outbox, for the Dev inbox page (demo only: it shows codes to whoever asks).
  root.get('/demo/outbox', async (c) => c.json({ items: opened ? await listOutbox(opened.db, 50) : [] }));
  root.get('/demo/share-link', (c) => (share ? c.json({ ...share, path: `/s/${share.slug}` }) : c.json({ error: { code: 'not_found', message: 'No demo share link.' } }, 404)));
  root.get('/demo/inbox', serveStatic({ root: join(REPO_ROOT, 'demo'), path: 'inbox.html' }));
  root.post('/demo/token', async (c) => {
    const role = (c.req.query('role') ?? 'owner') as keyof typeof DEMO_MEMBERS;
    const member = DEMO_MEMBERS[role] ?? DEMO_MEMBERS.owner;
    // Exactly what a customer's backend does: call our API with the secret key, hand the token to the page.
    const res = await app.request('/api/v1/sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ member, ttlSeconds: 900 }),
    });
    return c.json(await res.json(), res.status as 201);
  });
  root.get('/', serveStatic({ root: join(REPO_ROOT, 'demo'), path: 'index.html' }));
  root.get('/demo/*', serveStatic({ root: REPO_ROOT }));
}
