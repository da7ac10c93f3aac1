// Response schemas of the operator's API (/api/v1/admin), each tied to what the domain function returns.
import { z } from 'zod';
import type { AdminAuditJson, listAdminAudit } from '../../domain/admin-audit.js';
import type { ApiKeyJson, issueApiKey, rotateApiKey } from '../../domain/api-keys.js';
import type { issueOrgKey, OrgKeyJson, rotateOrgKey } from '../../domain/org-keys.js';
import type { listOrganizations, OrganizationJson } from '../../domain/organizations.js';
import type { listWorkspaces, WorkspaceJson } from '../../domain/workspaces.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';
import { cursorPage } from './common.js';

export const workspaceJson = z
  .object({
    id: z.string(),
    name: z.string(),
    organizationId: z.string().nullable(),
    defaultRegion: z.string(),
    origins: z.array(z.string()),
    restoreDays: z.number().int(),
    createdAt: z.number(),
    contacts: z.number().int(),
  })
  .strict();
sameShape<SameShape<z.output<typeof workspaceJson>, WorkspaceJson>>();
export const workspacePage = cursorPage(workspaceJson);
sameShape<SameShape<z.output<typeof workspacePage>, Awaited<ReturnType<typeof listWorkspaces>>>>();
/** A workspace just created, with its first secret key (shown this once). */
export const workspaceCreated = z.object({ workspace: workspaceJson, secretKey: z.string(), keyId: z.string() }).strict();

/** `expiring`: rotated, in its grace period. */
const keyStatus = z.enum(['active', 'expiring', 'expired', 'revoked']);

export const apiKeyJson = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.number(),
    expiresAt: z.number().nullable(),
    revokedAt: z.number().nullable(),
    lastUsedAt: z.number().nullable(),
    status: keyStatus,
  })
  .strict();
sameShape<SameShape<z.output<typeof apiKeyJson>, ApiKeyJson>>();
export const apiKeyList = z.object({ items: z.array(apiKeyJson) }).strict();
/** A new secret key: the key in full this once, then only its prefix. */
export const apiKeyIssued = z.object({ key: apiKeyJson, secretKey: z.string() }).strict();
sameShape<SameShape<z.output<typeof apiKeyIssued>, Awaited<ReturnType<typeof issueApiKey>>>>();
/** A rotation: the new key (in full this once) and the previous one with the end of its grace period. */
export const apiKeyRotated = apiKeyIssued.extend({ previous: apiKeyJson }).strict();
sameShape<SameShape<z.output<typeof apiKeyRotated>, Awaited<ReturnType<typeof rotateApiKey>>>>();

export const organizationJson = z.object({ id: z.string(), name: z.string(), createdAt: z.number(), updatedAt: z.number(), workspaces: z.number().int() }).strict();
sameShape<SameShape<z.output<typeof organizationJson>, OrganizationJson>>();
export const organizationPage = cursorPage(organizationJson);
sameShape<SameShape<z.output<typeof organizationPage>, Awaited<ReturnType<typeof listOrganizations>>>>();

export const orgKeyJson = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.number(),
    expiresAt: z.number().nullable(),
    lastUsedAt: z.number().nullable(),
    revokedAt: z.number().nullable(),
    status: keyStatus,
  })
  .strict();
sameShape<SameShape<z.output<typeof orgKeyJson>, OrgKeyJson>>();
export const orgKeyList = z.object({ items: z.array(orgKeyJson) }).strict();
/** A new organization key: the key in full this once, then only its prefix. */
export const orgKeyIssued = z.object({ key: orgKeyJson, secretKey: z.string() }).strict();
sameShape<SameShape<z.output<typeof orgKeyIssued>, Awaited<ReturnType<typeof issueOrgKey>>>>();
/** A rotation: the new key (in full this once) and the previous one with the end of its grace period. */
export const orgKeyRotated = orgKeyIssued.extend({ previous: orgKeyJson }).strict();
sameShape<SameShape<z.output<typeof orgKeyRotated>, Awaited<ReturnType<typeof rotateOrgKey>>>>();

export const adminAuditJson = z
  .object({
    id: z.string(),
    keyId: z.string(),
    action: z.string(),
    targetType: z.enum(['workspace', 'api_key', 'organization', 'admin_key', 'org_key']),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof adminAuditJson>, AdminAuditJson>>();
export const adminAuditPage = cursorPage(adminAuditJson);
sameShape<SameShape<z.output<typeof adminAuditPage>, Awaited<ReturnType<typeof listAdminAudit>>>>();
