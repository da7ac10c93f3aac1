import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { Db } from '../db/connection.js';
import { requireSecretKey, signSessionToken } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { upsertMember } from '../domain/workspaces.js';
import { fails, responds } from '../http/route-meta.js';

/** The member fields both session routes take (org sessions give role and restriction per workspace). */
export const sessionMemberFields = {
  externalId: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
};

/** Session lifetimes: 60 s to a day, 1 hour unless asked, never beyond the server's maxSessionSeconds. */
export const sessionTtl = z.number().int().min(60).max(86_400);
export const sessionSeconds = (deps: AppDeps, ttlSeconds: number | undefined) => Math.min(ttlSeconds ?? 3600, deps.config?.maxSessionSeconds ?? 86_400);

export const sessionRole = z.enum(['owner', 'manager', 'agent']);

/** Members an organization session creates: their externalId lives in the organization's namespace, never the workspace's. */
export const ORG_EXTERNAL_ID_PREFIX = 'org:';
export const orgExternalId = (organizationId: string, externalId: string) => `${ORG_EXTERNAL_ID_PREFIX}${organizationId}:${externalId}`;

const sessionSchema = z
  .object({
    member: z
      .object({
        ...sessionMemberFields,
        // Reserved for the members organization sessions create (they never share an id with the workspace's own).
        externalId: sessionMemberFields.externalId.refine((id) => !id.startsWith(ORG_EXTERNAL_ID_PREFIX), `must not start with "${ORG_EXTERNAL_ID_PREFIX}" (reserved for organization sessions)`),
        role: sessionRole,
        restrictToAssigned: z.boolean().optional(),
      })
      .strict(),
    ttlSeconds: sessionTtl.optional(),
  })
  .strict();

const sessionJson = z.object({ token: z.string(), expiresAt: z.number(), memberId: z.string() }).strict();

type SessionMember = z.output<typeof sessionSchema>['member'];

/**
 * Creates or updates the member by its externalId (also for each workspace of an organization session: org.ts,
 * inside its transaction `db`). Whether the member's access changed (its tokens in use must be verified again):
 * the caller publishes `access.changed` once the write is committed.
 */
export async function upsertSessionMember(db: Db, workspaceId: string, member: SessionMember, now: number): Promise<{ memberId: string; accessChanged: boolean }> {
  const before = await db
    .selectFrom('members')
    .select(['role', 'restrict_to_assigned', 'name', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('external_id', '=', member.externalId)
    .executeTakeFirst();
  const memberId = await upsertMember(db, workspaceId, member, now);
  // The member's tokens already in use carry the new role (or restriction, name, email) from their next request.
  const same = before && before.role === member.role && before.restrict_to_assigned === (member.restrictToAssigned ? 1 : 0) && before.name === member.name && before.email === member.email.toLowerCase();
  return { memberId, accessChanged: Boolean(before && !same) };
}

/** POST /api/v1/sessions — the host backend (secret key) mints a short-lived widget token for one member. */
export function sessionRoutes(deps: AppDeps) {
  return new Hono<Env>().post('/', responds(201, sessionJson, 'A widget session token for the member (created or updated by its externalId).'), fails(422, 'invalid_field'), requireSecretKey(deps), validate('json', sessionSchema), async (c) => {
    const { member, ttlSeconds } = c.req.valid('json');
    const workspaceId = c.var.caller.workspace.id;
    const now = deps.clock.now();
    const ttl = sessionSeconds(deps, ttlSeconds);
    const { memberId, accessChanged } = await upsertSessionMember(deps.db, workspaceId, member, now);
    if (accessChanged) deps.events?.publish({ type: 'access.changed', workspaceId });
    const expiresAt = now + ttl * 1000;
    const token = await signSessionToken(deps.secrets.tokenSecret, workspaceId, memberId, expiresAt);
    return c.json({ token, expiresAt, memberId }, 201);
  });
}
