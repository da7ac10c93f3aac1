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
import type { App } from './app.js';

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
    if (still) return saved;
  }
  const now = Date.now();
  const created = await createWorkspace(opened.db, { name: 'Acme Demo' }, now);
  await seedContacts(opened, created.workspaceId, contacts, { now, seed: 42 });
  writeFileSync(file, JSON.stringify(created, null, 2), { mode: 0o600 });
  console.log(`[dossier] demo workspace ${created.workspaceId} seeded with ${contacts} contacts`);
  return created;
}

export function mountDemoHost(root: Hono, app: App, demo: DemoWorkspace) {
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
  root.get('/dist/*', serveStatic({ root: REPO_ROOT }));
}
