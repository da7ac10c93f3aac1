// Organization credentials: the organization key (`dok_…`, the agency's backend) mints organization sessions; the
// organization session token is accepted by the /api/v1/org routes only. It is signed with a key derived from the
// token secret, so a workspace route never accepts it (its signature does not verify there) and an org route never
// accepts a workspace session token. The membership tokens an org session mints are workspace tokens that also
// name the organization and the minting key (`org`, `okey`): memberFromToken refuses them once either is gone.
import { createHmac } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { sign, verify } from 'hono/jwt';
import type { AppDeps } from '../deps.js';
import { findOrgKey, ORG_KEY_PREFIX } from '../domain/org-keys.js';
import { ADMIN_KEY_PREFIX } from '../domain/admin-keys.js';
import { bearer, orgKeyLive, SECRET_KEY_PREFIX, workspaceInfo, type OrgGrant } from './auth.js';
import type { Caller } from './env.js';
import { originAllowed } from './cors.js';
import { ApiError, unauthorized } from './errors.js';
import { withMeta } from './route-meta.js';

export type MemberCaller = Extract<Caller, { kind: 'member' }>;

/** An organization session as it stands at this request: only workspaces still in the organization. */
export interface OrgSession {
  organizationId: string;
  expiresAt: number;
  /** In the order the session was minted with; each is the caller the workspace routes would build for that member. */
  memberships: MemberCaller[];
}

export interface OrgEnv {
  Variables: {
    orgKey: { keyId: string; organizationId: string };
    org: OrgSession;
  };
}

interface OrgClaims {
  typ: 'org';
  org: string;
  /** The organization key that minted the session: revoking it ends the session. */
  okey: string;
  /** The member's id in each workspace of the session. */
  mb: string[];
  exp: number;
  [key: string]: unknown;
}

const orgSecret = (tokenSecret: string) => createHmac('sha256', tokenSecret).update('dossier organization session').digest('base64url');

export async function signOrgSessionToken(tokenSecret: string, grant: OrgGrant, memberIds: string[], expiresAt: number) {
  const claims: OrgClaims = { typ: 'org', org: grant.organizationId, okey: grant.keyId, mb: memberIds, exp: Math.floor(expiresAt / 1000) };
  return sign(claims, orgSecret(tokenSecret), 'HS256');
}

/** Accepts only an organization key (POST /api/v1/org-sessions). */
export function requireOrgKey(deps: AppDeps) {
  return withMeta(createMiddleware<OrgEnv>(async (c, next) => {
    const secret = bearer(c.req.header('authorization'));
    if (!secret) throw unauthorized('Send an organization key as "Authorization: Bearer dok_…".');
    if (secret.startsWith(SECRET_KEY_PREFIX) || secret.startsWith(ADMIN_KEY_PREFIX)) {
      throw new ApiError(403, 'org_key_required', 'Organization sessions are minted with an organization key (dok_…), not a workspace secret key or operator key.');
    }
    const key = secret.startsWith(ORG_KEY_PREFIX) ? await findOrgKey(deps.db, secret, deps.clock.now()) : null;
    if (!key) throw unauthorized('Unknown or revoked organization key.');
    c.set('orgKey', key);
    await next();
  }), { security: ['orgKey'], errors: { 401: ['unauthorized'], 403: ['org_key_required'] } });
}

/**
 * Accepts only an organization session token. Membership is read at every request: a workspace moved out of the
 * organization (or deleted) and a member gone drop out of the session at once; roles are the members' current ones.
 * A revoked (or deleted) organization key ends the sessions it minted. A request with a foreign origin keeps only
 * the workspaces that allow that origin (`originAllowed`, as for one workspace); none: 403.
 */
export function requireOrgSession(deps: AppDeps) {
  return withMeta(createMiddleware<OrgEnv>(async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    if (!token) throw unauthorized('Send an organization session token as "Authorization: Bearer <token>" (POST /api/v1/org-sessions).');
    if (token.startsWith(SECRET_KEY_PREFIX) || token.startsWith(ORG_KEY_PREFIX) || token.startsWith(ADMIN_KEY_PREFIX)) {
      throw new ApiError(403, 'org_session_required', 'The organization routes take an organization session token (POST /api/v1/org-sessions), not a key.');
    }
    let claims: OrgClaims;
    try {
      claims = (await verify(token, orgSecret(deps.secrets.tokenSecret), { alg: 'HS256', exp: false })) as OrgClaims;
    } catch {
      throw unauthorized('Invalid organization session token (a workspace session token is not one).');
    }
    const now = deps.clock.now();
    if (claims.typ !== 'org' || typeof claims.org !== 'string' || typeof claims.okey !== 'string' || !Array.isArray(claims.mb)) throw unauthorized('Invalid organization session token.');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) throw unauthorized('Organization session token expired.');
    if (!(await orgKeyLive(deps.db, claims.okey))) throw unauthorized('The organization key that granted this session was revoked.');
    const members = claims.mb.length ? await deps.db.selectFrom('members').selectAll().where('id', 'in', claims.mb).execute() : [];
    const workspaces = members.length
      ? await deps.db
          .selectFrom('workspaces')
          .selectAll()
          .where('id', 'in', members.map((m) => m.workspace_id))
          .where('organization_id', '=', claims.org)
          .where('deleted_at', 'is', null)
          .execute()
      : [];
    const byId = new Map(workspaces.map((w) => [w.id, workspaceInfo(w)]));
    const inOrg = claims.mb.flatMap((id): MemberCaller[] => {
      const member = members.find((m) => m.id === id);
      const workspace = member && byId.get(member.workspace_id);
      return member && workspace ? [{ kind: 'member', workspace, member }] : [];
    });
    const origin = c.req.header('origin');
    // A page on one client's origin must not read the other clients' workspaces.
    const memberships = inOrg.filter((m) => originAllowed(deps, c.req.url, origin, m.workspace.allowedOrigins));
    if (!memberships.length && !originAllowed(deps, c.req.url, origin, [])) throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed by any workspace of this organization session.`);
    c.set('org', { organizationId: claims.org, expiresAt: claims.exp * 1000, memberships });
    await next();
  }), { security: ['orgSessionToken'], errors: { 401: ['unauthorized'], 403: ['org_session_required', 'origin_not_allowed'] } });
}
