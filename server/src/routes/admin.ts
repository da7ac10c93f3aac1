import { Hono } from 'hono';
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { listAdminAudit, recordAdmin } from '../domain/admin-audit.js';
import { issueApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../domain/api-keys.js';
import { MAX_ROTATION_GRACE_SECONDS, rotationDetails } from '../domain/key-rotation.js';
import { isOrigin } from '../domain/origins.js';
import { issueOrgKey, listOrgKeys, revokeOrgKey, rotateOrgKey } from '../domain/org-keys.js';
import { createOrganization, deleteOrganization, getOrganization, listOrganizations, renameOrganization } from '../domain/organizations.js';
import { changeOrigin, createWorkspace, deleteWorkspace, getWorkspace, listWorkspaces, updateWorkspace } from '../domain/workspaces.js';
import { requireAdminKey, type AdminEnv } from '../http/admin-auth.js';
import type { KnownOrigins } from '../http/cors.js';
import { validate } from '../http/validate.js';
import { fails, responds } from '../http/route-meta.js';
import { deletedJson } from '../openapi/schemas/common.js';
import { adminAuditPage, apiKeyIssued, apiKeyJson, apiKeyList, apiKeyRotated, organizationJson, organizationPage, orgKeyIssued, orgKeyJson, orgKeyList, orgKeyRotated, workspaceCreated, workspaceJson, workspacePage } from '../openapi/schemas/admin.js';

const name = z.string().trim().min(1).max(200);
const origin = z.string().refine(isOrigin, 'must be an origin like https://app.example.com (scheme, host and port only)');
const region = z.string().refine((r) => isSupportedCountry(r), 'must be an ISO 3166 region code such as US or DE');
const restoreDays = z.number().int().min(1).max(365);
const page = z.object({ cursor: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

const newWorkspace = z
  .object({ name, origins: z.array(origin).max(50).optional(), defaultRegion: region.optional(), restoreDays: restoreDays.optional(), organizationId: z.string().max(100).nullable().optional() })
  .strict();
const workspaceChange = z
  .object({ name: name.optional(), origins: z.array(origin).max(50).optional(), defaultRegion: region.optional(), restoreDays: restoreDays.optional(), organizationId: z.string().max(100).nullable().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');
const originBody = z.object({ origin }).strict();
const keyBody = z.object({ name: name.optional() }).strict();
const rotateBody = z.object({ graceSeconds: z.number().int().min(0).max(MAX_ROTATION_GRACE_SECONDS).default(86_400) }).strict();
const orgBody = z.object({ name }).strict();

/** Keys present in `after` whose value differs from `before`: what an update changed, for the admin audit. */
function changed<T extends object>(before: T, after: T) {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key as string] = { from: before[key], to: after[key] };
  }
  return out;
}

/**
 * /api/v1/admin — the operator's API (an operator key, never a workspace key): workspaces, their allowed origins
 * and secret keys, and organizations with their keys. Every call that changes something is written to the admin audit.
 */
export function adminRoutes(deps: AppDeps, origins: KnownOrigins) {
  const db = deps.db;
  const now = () => deps.clock.now();
  const audit = (keyId: string, action: string, targetType: 'workspace' | 'api_key' | 'organization' | 'org_key', targetId: string, details?: Record<string, unknown>) =>
    recordAdmin(db, { keyId, action, targetType, targetId, details }, now());
  /** Widget tokens of the workspace cached in any process are verified again (http/caller-cache.ts). */
  const accessChanged = (workspaceId: string) => deps.events?.publish({ type: 'access.changed', workspaceId });

  return new Hono<AdminEnv>()
    .use(requireAdminKey(deps))
    .get('/workspaces', responds(200, workspacePage), validate('query', page.extend({ organizationId: z.string().max(100).optional() })), async (c) => {
      const q = c.req.valid('query');
      return c.json(await listWorkspaces(db, { organizationId: q.organizationId, after: q.cursor, limit: q.limit }));
    })
    .post('/workspaces', responds(201, workspaceCreated, 'The workspace and its first secret key, shown this once.'), fails(404, 'not_found'), fails(422, 'invalid_field'), validate('json', newWorkspace), async (c) => {
      const body = c.req.valid('json');
      const created = await createWorkspace(db, body, now());
      origins.invalidate();
      const workspace = await getWorkspace(db, created.workspaceId);
      await audit(c.var.adminKeyId, 'workspace.created', 'workspace', workspace.id, { name: workspace.name, origins: workspace.origins, keyId: created.keyId });
      return c.json({ workspace, secretKey: created.secretKey, keyId: created.keyId } satisfies z.output<typeof workspaceCreated>, 201);
    })
    .get('/workspaces/:id', responds(200, workspaceJson), async (c) => c.json(await getWorkspace(db, c.req.param('id'))))
    .patch('/workspaces/:id', responds(200, workspaceJson, 'The workspace as it is now.'), fails(422, 'invalid_field'), validate('json', workspaceChange), async (c) => {
      const { before, after } = await updateWorkspace(db, c.req.param('id'), c.req.valid('json'));
      origins.invalidate();
      accessChanged(after.id);
      await audit(c.var.adminKeyId, 'workspace.updated', 'workspace', after.id, changed(before, after));
      return c.json(after);
    })
    .delete('/workspaces/:id', responds(200, deletedJson, 'Deleted: its keys stop working at once, its data is purged in the background.'), async (c) => {
      const ws = await deleteWorkspace(db, c.req.param('id'), now());
      origins.invalidate();
      accessChanged(ws.id);
      await audit(c.var.adminKeyId, 'workspace.deleted', 'workspace', ws.id, { name: ws.name, contacts: ws.contacts });
      return c.json({ id: ws.id, deleted: true } satisfies z.output<typeof deletedJson>);
    })
    .post('/workspaces/:id/origins', responds(201, workspaceJson, 'The origin was added.'), responds(200, workspaceJson, 'The origin was already allowed: nothing changed.'), validate('json', originBody), async (c) => {
      const { origin: o } = c.req.valid('json');
      const { changed: added, workspace } = await changeOrigin(db, c.req.param('id'), o, 'add');
      origins.invalidate();
      accessChanged(workspace.id);
      if (added) await audit(c.var.adminKeyId, 'workspace.origin_added', 'workspace', workspace.id, { origin: o });
      return c.json(workspace, added ? 201 : 200);
    })
    .delete('/workspaces/:id/origins', responds(200, workspaceJson, 'The workspace as it is now.'), validate('query', originBody), async (c) => {
      const { origin: o } = c.req.valid('query');
      const { workspace } = await changeOrigin(db, c.req.param('id'), o, 'remove');
      origins.invalidate();
      accessChanged(workspace.id);
      await audit(c.var.adminKeyId, 'workspace.origin_removed', 'workspace', workspace.id, { origin: o });
      return c.json(workspace);
    })
    .get('/workspaces/:id/keys', responds(200, apiKeyList, 'Every key of the workspace, revoked and expired ones too.'), async (c) => {
      const ws = await getWorkspace(db, c.req.param('id'));
      return c.json({ items: await listApiKeys(db, ws.id, now()) });
    })
    .post('/workspaces/:id/keys', responds(201, apiKeyIssued, 'The new key; `secretKey` is shown this once.'), validate('json', keyBody), async (c) => {
      const ws = await getWorkspace(db, c.req.param('id'));
      const { secretKey, key } = await issueApiKey(db, ws.id, c.req.valid('json').name ?? 'Secret key', now());
      await audit(c.var.adminKeyId, 'api_key.created', 'api_key', key.id, { workspaceId: ws.id, name: key.name, prefix: key.prefix });
      return c.json({ key, secretKey }, 201);
    })
    .post('/workspaces/:id/keys/:keyId/rotate', responds(201, apiKeyRotated, 'The new key (`secretKey` shown this once) and the previous one with the end of its grace period.'), validate('json', rotateBody), async (c) => {
      const ws = await getWorkspace(db, c.req.param('id'));
      const { graceSeconds } = c.req.valid('json');
      const rotated = await rotateApiKey(db, ws.id, c.req.param('keyId'), graceSeconds, now());
      await audit(c.var.adminKeyId, 'api_key.rotated', 'api_key', rotated.previous.id, { workspaceId: ws.id, ...rotationDetails(rotated) });
      return c.json(rotated, 201);
    })
    .delete('/workspaces/:id/keys/:keyId', responds(200, apiKeyJson, 'The key, revoked.'), async (c) => {
      const ws = await getWorkspace(db, c.req.param('id'));
      const key = await revokeApiKey(db, ws.id, c.req.param('keyId'), now());
      await audit(c.var.adminKeyId, 'api_key.revoked', 'api_key', key.id, { workspaceId: ws.id, prefix: key.prefix });
      return c.json(key);
    })
    .get('/organizations', responds(200, organizationPage), validate('query', page), async (c) => {
      const q = c.req.valid('query');
      return c.json(await listOrganizations(db, { after: q.cursor, limit: q.limit }));
    })
    .post('/organizations', responds(201, organizationJson, 'The organization created.'), validate('json', orgBody), async (c) => {
      const org = await createOrganization(db, c.req.valid('json').name, now());
      await audit(c.var.adminKeyId, 'organization.created', 'organization', org.id, { name: org.name });
      return c.json(org, 201);
    })
    .get('/organizations/:id', responds(200, organizationJson), async (c) => c.json(await getOrganization(db, c.req.param('id'))))
    .patch('/organizations/:id', responds(200, organizationJson, 'The organization as it is now.'), validate('json', orgBody), async (c) => {
      const { before, after } = await renameOrganization(db, c.req.param('id'), c.req.valid('json').name, now());
      await audit(c.var.adminKeyId, 'organization.updated', 'organization', after.id, changed(before, after));
      return c.json(after);
    })
    .delete('/organizations/:id', responds(200, deletedJson), async (c) => {
      const org = await deleteOrganization(db, c.req.param('id'));
      await audit(c.var.adminKeyId, 'organization.deleted', 'organization', org.id, { name: org.name });
      return c.json({ id: org.id, deleted: true } satisfies z.output<typeof deletedJson>);
    })
    // Organization keys mint organization sessions (POST /api/v1/org-sessions); kept and audited like secret keys.
    .get('/organizations/:id/keys', responds(200, orgKeyList, 'Every key of the organization, revoked and expired ones too (prefix only).'), async (c) => {
      const org = await getOrganization(db, c.req.param('id'));
      return c.json({ items: await listOrgKeys(db, org.id, now()) });
    })
    .post('/organizations/:id/keys', responds(201, orgKeyIssued, 'The new key; `secretKey` (`dok_…`) is shown this once.'), validate('json', keyBody), async (c) => {
      const org = await getOrganization(db, c.req.param('id'));
      const { key, secretKey } = await issueOrgKey(db, org.id, c.req.valid('json').name ?? 'Organization key', now());
      await audit(c.var.adminKeyId, 'org_key.created', 'org_key', key.id, { organizationId: org.id, name: key.name, prefix: key.prefix });
      return c.json({ key, secretKey }, 201);
    })
    .post('/organizations/:id/keys/:keyId/rotate', responds(201, orgKeyRotated, 'The new key (`secretKey` shown this once) and the previous one with the end of its grace period; the sessions it minted run to their own end.'), fails(404, 'not_found'), validate('json', rotateBody), async (c) => {
      const org = await getOrganization(db, c.req.param('id'));
      const rotated = await rotateOrgKey(db, org.id, c.req.param('keyId'), c.req.valid('json').graceSeconds, now());
      await audit(c.var.adminKeyId, 'org_key.rotated', 'org_key', rotated.previous.id, { organizationId: org.id, ...rotationDetails(rotated) });
      return c.json(rotated, 201);
    })
    .delete('/organizations/:id/keys/:keyId', responds(200, orgKeyJson, 'The key, revoked: it mints no more sessions, and the sessions it minted end at once.'), async (c) => {
      const org = await getOrganization(db, c.req.param('id'));
      const key = await revokeOrgKey(db, org.id, c.req.param('keyId'), now());
      // The membership tokens that key minted stop at once: cached callers of the organization's workspaces go.
      const owned = await db.selectFrom('workspaces').select('id').where('organization_id', '=', org.id).execute();
      for (const w of owned) accessChanged(w.id);
      await audit(c.var.adminKeyId, 'org_key.revoked', 'org_key', key.id, { organizationId: org.id, prefix: key.prefix });
      return c.json(key);
    })
    .get('/audit', responds(200, adminAuditPage, 'Admin calls, newest first.'), validate('query', page.extend({ targetId: z.string().max(100).optional() })), async (c) => {
      const q = c.req.valid('query');
      return c.json(await listAdminAudit(db, { targetId: q.targetId, before: q.cursor, limit: q.limit }));
    });
}
