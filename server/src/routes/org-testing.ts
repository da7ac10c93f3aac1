// Helpers for the organization tests: organizations, their workspaces and keys made through the admin API.
import type { Harness } from '../testing.js';

export const ADMIN_KEY = 'dak_org-tests-operator-key-0123456789';

export interface TestOrg {
  id: string;
  orgKey: string;
  /** Its workspaces: id, name and secret key. */
  workspaces: { id: string; name: string; secretKey: string }[];
}

async function ok(res: Promise<{ status: number; body: any }>, status: number) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** An organization with an organization key and one workspace per name (harness config needs `adminKey: ADMIN_KEY`). */
export async function testOrg(h: Harness, name: string, workspaceNames: string[]): Promise<TestOrg> {
  const token = ADMIN_KEY;
  const org = await ok(h.call('POST', '/api/v1/admin/organizations', { token, body: { name } }), 201);
  const workspaces = [];
  for (const wsName of workspaceNames) {
    const created = await ok(h.call('POST', '/api/v1/admin/workspaces', { token, body: { name: wsName, organizationId: org.id } }), 201);
    workspaces.push({ id: created.workspace.id as string, name: wsName, secretKey: created.secretKey as string });
  }
  const key = await ok(h.call('POST', `/api/v1/admin/organizations/${org.id}/keys`, { token, body: { name: 'backend' } }), 201);
  return { id: org.id, orgKey: key.secretKey, workspaces };
}

export const member = { externalId: 'agency-user-1', name: 'Ada Agency', email: 'ada@agency.example' };

/** POST /api/v1/org-sessions; the answer as it came. */
export const mintOrgSession = (h: Harness, orgKey: string, workspaces: { workspaceId: string; role: string; restrictToAssigned?: boolean }[], extra: Record<string, unknown> = {}) =>
  h.call('POST', '/api/v1/org-sessions', { token: orgKey, body: { member, workspaces, ...extra } });
