import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { contactQuerySchema } from '../domain/contact-query.js';
import { queryOrgContacts, type OrgContactPage } from '../domain/org-contacts.js';
import { OrgQueryLimit } from '../domain/org-query-limit.js';
import { signSessionToken } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { requireOrgKey, requireOrgSession, signOrgSessionToken, type OrgEnv } from '../http/org-auth.js';
import { fails, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { contactJson } from '../openapi/schemas/contact.js';
import { orgExternalId, sessionMemberFields, sessionRole, sessionSeconds, sessionTtl, upsertSessionMember } from './sessions.js';

/** Workspaces one organization session may span (the token lists a member id for each). */
const MAX_SESSION_WORKSPACES = 100;

const orgSessionBody = z
  .object({
    member: z.object(sessionMemberFields).strict(),
    workspaces: z
      .array(z.object({ workspaceId: z.string().min(1).max(100), role: sessionRole, restrictToAssigned: z.boolean().optional() }).strict())
      .min(1)
      .max(MAX_SESSION_WORKSPACES)
      .refine((list) => new Set(list.map((w) => w.workspaceId)).size === list.length, 'list each workspace once'),
    ttlSeconds: sessionTtl.optional(),
  })
  .strict();

const membershipJson = z.object({ workspaceId: z.string(), workspaceName: z.string(), memberId: z.string(), role: sessionRole, token: z.string() }).strict();
const orgSessionJson = z.object({ token: z.string(), expiresAt: z.number(), organizationId: z.string(), memberships: z.array(membershipJson) }).strict();
const orgWorkspaceJson = z.object({ workspaceId: z.string(), workspaceName: z.string(), memberId: z.string(), role: sessionRole, restrictToAssigned: z.boolean() }).strict();
const orgWorkspaceList = z.object({ organizationId: z.string(), items: z.array(orgWorkspaceJson) }).strict();

/** As POST /api/v1/contacts/query (search, filter tree, built-in sort, keyset pages, count), plus the Workspace filter. */
const orgQueryBody = contactQuerySchema
  .omit({ deleted: true })
  .extend({
    limit: z.number().int().min(1).max(200).default(50),
    /** nextCursor of the previous page (one position per workspace). */
    cursor: z.string().max(20_000).optional(),
    /** Defaults to true unless the page continues from a cursor; "exact" never estimates. */
    count: z.union([z.boolean(), z.literal('exact')]).optional(),
    /** Only these workspaces of the session (default: all of them). */
    workspaceIds: z.array(z.string().min(1).max(100)).min(1).max(MAX_SESSION_WORKSPACES).optional(),
  })
  .strict();
const orgContactJson = contactJson.extend({ workspaceId: z.string(), workspaceName: z.string() }).strict();
const orgContactPage = z.object({ items: z.array(orgContactJson), nextCursor: z.string().nullable(), count: z.number().int().nullable(), estimated: z.boolean() }).strict();
sameShape<SameShape<z.output<typeof orgContactPage>, OrgContactPage>>();

/**
 * POST /api/v1/org-sessions — the agency's backend (organization key) signs a member in to several workspaces of the
 * organization at once: the member is created or updated in each (its role per workspace), and the answer carries
 * an ordinary workspace session token per workspace (every write goes through the workspace routes with one) and
 * an organization session token for the read-only /api/v1/org routes.
 */
export function orgSessionRoutes(deps: AppDeps) {
  return new Hono<OrgEnv>().post(
    '/',
    responds(201, orgSessionJson, 'An organization session token, and a workspace session token per workspace.'),
    fails(403, 'workspace_not_in_organization'),
    fails(422, 'invalid_field'),
    requireOrgKey(deps),
    validate('json', orgSessionBody),
    async (c) => {
      const { member, workspaces, ttlSeconds } = c.req.valid('json');
      const grant = { organizationId: c.var.orgKey.organizationId, keyId: c.var.orgKey.keyId };
      const now = deps.clock.now();
      const expiresAt = now + sessionSeconds(deps, ttlSeconds) * 1000;
      // The agency's members live in the organization's namespace: a colliding externalId never takes over (or
      // demotes) a member the workspace's own backend created.
      const externalId = orgExternalId(grant.organizationId, member.externalId);
      // All or nothing: the check and every member in one transaction. A workspace moved out after it commits is
      // covered by the tokens' `org` claim (memberFromToken).
      const minted = await deps.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('workspaces')
          .select(['id', 'name'])
          .where('id', 'in', workspaces.map((w) => w.workspaceId))
          .where('organization_id', '=', grant.organizationId)
          .where('deleted_at', 'is', null)
          .execute();
        // Unknown and foreign workspaces answer alike: the key learns nothing about other organizations.
        const foreign = workspaces.find((w) => !rows.some((r) => r.id === w.workspaceId));
        if (foreign) {
          throw new ApiError(403, 'workspace_not_in_organization', `Workspace ${foreign.workspaceId} does not belong to this organization.`, { workspaceId: foreign.workspaceId });
        }
        const out = [];
        for (const w of workspaces) {
          const upserted = await upsertSessionMember(trx, w.workspaceId, { ...member, externalId, role: w.role, restrictToAssigned: w.restrictToAssigned }, now);
          out.push({ ...w, ...upserted, workspaceName: rows.find((r) => r.id === w.workspaceId)!.name });
        }
        return out;
      });
      for (const m of minted) if (m.accessChanged) deps.events?.publish({ type: 'access.changed', workspaceId: m.workspaceId });
      const memberships = [];
      for (const m of minted) {
        const token = await signSessionToken(deps.secrets.tokenSecret, m.workspaceId, m.memberId, expiresAt, grant);
        memberships.push({ workspaceId: m.workspaceId, workspaceName: m.workspaceName, memberId: m.memberId, role: m.role, token });
      }
      const token = await signOrgSessionToken(deps.secrets.tokenSecret, grant, memberships.map((m) => m.memberId), expiresAt);
      return c.json({ token, expiresAt, organizationId: grant.organizationId, memberships } satisfies z.output<typeof orgSessionJson>, 201);
    },
  );
}

/** /api/v1/org — reads across the session's workspaces that still belong to the organization (organization session token). */
export function orgRoutes(deps: AppDeps) {
  const limit = new OrgQueryLimit(deps.db, deps.config?.orgQueriesPerMinute);
  return new Hono<OrgEnv>()
    .use(requireOrgSession(deps))
    .get('/workspaces', responds(200, orgWorkspaceList, "The session's workspaces still in the organization, with the member's current role in each."), (c) =>
      c.json({
        organizationId: c.var.org.organizationId,
        items: c.var.org.memberships.map((m) => ({ workspaceId: m.workspace.id, workspaceName: m.workspace.name, memberId: m.member.id, role: m.member.role, restrictToAssigned: m.member.restrict_to_assigned === 1 })),
      } satisfies z.output<typeof orgWorkspaceList>),
    )
    .post('/contacts/query', responds(200, orgContactPage, 'A page of contacts of the workspaces, each with its workspaceId and workspaceName.'), fails(400, 'invalid_filter'), fails(403, 'workspace_not_in_session'), fails(429, 'rate_limited'), validate('json', orgQueryBody), async (c) => {
      const { workspaceIds, ...body } = c.req.valid('json');
      const all = c.var.org.memberships;
      // Every membership is the same agency member (its namespaced externalId); none left: nothing to fan out to.
      if (all[0]) await limit.spend(all[0].member.external_id, deps.clock.now());
      const outside = workspaceIds?.find((id) => !all.some((m) => m.workspace.id === id));
      if (outside) throw new ApiError(403, 'workspace_not_in_session', `Workspace ${outside} is not one of this organization session's workspaces.`, { workspaceId: outside });
      const members = workspaceIds ? all.filter((m) => workspaceIds.includes(m.workspace.id)) : all;
      return c.json(await queryOrgContacts(deps.db, members, body, deps.clock.now()));
    });
}
