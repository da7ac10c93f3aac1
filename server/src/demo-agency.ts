// The demo's agency: an organization owning the demo workspace and a second one ("Globex Clinic"), and the
// agency's backend (it holds the organization key and mints organization sessions for /demo/agency).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { App } from './app.js';
import type { OpenedDb } from './db/connection.js';
import { issueOrgKey } from './domain/org-keys.js';
import { createOrganization } from './domain/organizations.js';
import { createWorkspace } from './domain/workspaces.js';
import { log } from './log.js';
import { REPO_ROOT } from './paths.js';
import { seedContacts } from './seed/seed.js';

interface DemoAgency {
  organizationId: string;
  orgKey: string;
  workspaceIds: string[];
}

/** Creates the agency on the first demo start that lacks it (an older demo data folder gets it too); later starts reuse it. */
export async function ensureDemoAgency(opened: OpenedDb, dataDir: string, demo: { workspaceId: string }, contacts = 120): Promise<DemoAgency> {
  const file = join(dataDir, 'demo-agency.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoAgency;
    const still = await opened.db.selectFrom('organizations').select('id').where('id', '=', saved.organizationId).executeTakeFirst();
    if (still) return saved;
  }
  const now = Date.now();
  const org = await createOrganization(opened.db, 'Acme Agency', now);
  await opened.db.updateTable('workspaces').set({ organization_id: org.id }).where('id', '=', demo.workspaceId).execute();
  const second = await createWorkspace(opened.db, { name: 'Globex Clinic', organizationId: org.id }, now);
  await seedContacts(opened, second.workspaceId, contacts, { now, seed: 7 });
  const { secretKey } = await issueOrgKey(opened.db, org.id, 'demo agency backend', now);
  const agency = { organizationId: org.id, orgKey: secretKey, workspaceIds: [demo.workspaceId, second.workspaceId] };
  writeFileSync(file, JSON.stringify(agency, null, 2), { mode: 0o600 });
  log.info(`demo agency ${org.id}: the demo workspace and ${second.workspaceId} (${contacts} contacts) — open /demo/agency`);
  return agency;
}

/** /demo/agency (the agency's host page) and /demo/org-session (its backend's token endpoint). */
export function mountDemoAgency(root: Hono, app: App, agency: DemoAgency) {
  root.post('/demo/org-session', async (c) => {
    // What an agency's backend does: its organization key signs its user in to the workspaces it runs.
    const res = await app.request('/api/v1/org-sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${agency.orgKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        member: { externalId: 'agency-olivia', name: 'Olivia Agency', email: 'olivia@agency.example' },
        workspaces: agency.workspaceIds.map((workspaceId) => ({ workspaceId, role: 'manager' })),
        ttlSeconds: 900,
      }),
    });
    return c.json(await res.json(), res.status as 201);
  });
  root.get('/demo/agency', serveStatic({ root: join(REPO_ROOT, 'demo'), path: 'agency.html' }));
}
