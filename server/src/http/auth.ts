import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { sign, verify } from 'hono/jwt';
import type { AppDeps } from '../deps.js';
import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { WorkspacesTable } from '../db/schema.js';
import { keyWorks } from '../domain/key-rotation.js';
import { can, type Permission } from '../domain/permissions.js';
import { forbidden, unauthorized } from './errors.js';
import { withMeta } from './route-meta.js';
import type { Caller, Env, WorkspaceInfo } from './env.js';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

export async function loadWorkspace(db: Db, id: string): Promise<WorkspaceInfo | null> {
  // A deleted workspace (admin API) is gone for every caller at once, before its data is purged.
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return row ? workspaceInfo(row) : null;
}

/** What a caller carries of its workspace (also built for each workspace of an organization session: org-auth.ts). */
export const workspaceInfo = (row: Selectable<WorkspacesTable>): WorkspaceInfo => ({
  id: row.id,
  name: row.name,
  defaultRegion: row.default_region,
  allowedOrigins: JSON.parse(row.allowed_origins) as string[],
  restoreDays: row.restore_days,
  organizationId: row.organization_id,
});

interface TokenClaims {
  ws: string;
  sub: string;
  exp: number;
  /** Membership tokens of an organization session only: the organization and the organization key that minted it. */
  org?: string;
  okey?: string;
  [key: string]: unknown;
}

/** Who minted a membership token of an organization session (POST /api/v1/org-sessions). */
export interface OrgGrant {
  organizationId: string;
  keyId: string;
}

/** Signs a widget session token for one member; `expiresAt` is in ms. `grant`: minted by an organization session. */
export async function signSessionToken(secret: string, workspaceId: string, memberId: string, expiresAt: number, grant?: OrgGrant) {
  const claims: TokenClaims = { ws: workspaceId, sub: memberId, exp: Math.floor(expiresAt / 1000), ...(grant && { org: grant.organizationId, okey: grant.keyId }) };
  return sign(claims, secret, 'HS256');
}

/** Whether the organization key is still live (not revoked, not deleted with its organization). */
export async function orgKeyLive(db: Db, keyId: string): Promise<boolean> {
  const row = await db.selectFrom('org_keys').select('id').where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}

/** Accepts only the workspace secret key (host backend → server calls). */
export function requireSecretKey(deps: AppDeps) {
  return withMeta(createMiddleware<Env>(async (c, next) => {
    const secret = bearer(c.req.header('authorization'));
    if (!secret) throw unauthorized('Send the workspace secret key as "Authorization: Bearer <secretKey>".');
    const now = deps.clock.now();
    const key = await deps.db
      .selectFrom('api_keys')
      .select(['id', 'workspace_id', 'last_used_at'])
      .where('secret_hash', '=', hashSecret(secret))
      // A rotated key works until the end of its grace period.
      .where(keyWorks(now))
      .executeTakeFirst();
    const workspace = key && (await loadWorkspace(deps.db, key.workspace_id));
    if (!workspace) throw unauthorized('Unknown, expired or revoked secret key.');
    // "Last used" tells an operator whether a rotated key is still in use; noted at most once a minute.
    if (key.last_used_at === null || key.last_used_at < now - 60_000) {
      await deps.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', key.id).execute();
    }
    c.set('caller', { kind: 'api', workspace, member: null });
    await next();
  }), { security: ['secretKey'], errors: { 401: ['unauthorized'] } });
}

/**
 * Verifies a widget session token and loads its member; returns the caller and when the token expires (ms). A token
 * verified moments ago is answered from `deps.callers` (dropped when the workspace's access changes).
 */
export async function memberFromToken(deps: AppDeps, token: string): Promise<{ caller: Caller; expiresAt: number }> {
  const now = deps.clock.now();
  const cached = deps.callers?.get(token, now);
  if (cached) return cached;
  let claims: TokenClaims;
  try {
    // Expiry is checked against the injected clock below, not the wall clock inside verify().
    claims = (await verify(token, deps.secrets.tokenSecret, { alg: 'HS256', exp: false })) as TokenClaims;
  } catch {
    throw unauthorized('Invalid session token.');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
    throw unauthorized('Session token expired.');
  }
  const granted = claims.org !== undefined || claims.okey !== undefined;
  const [workspace, member, keyLive] = await Promise.all([
    loadWorkspace(deps.db, claims.ws),
    deps.db.selectFrom('members').selectAll().where('id', '=', claims.sub).where('workspace_id', '=', claims.ws).executeTakeFirst(),
    granted && typeof claims.okey === 'string' ? orgKeyLive(deps.db, claims.okey) : granted ? false : true,
  ]);
  if (!workspace || !member) throw unauthorized('Session token refers to an unknown member.');
  // A membership token of an organization session lasts only as long as the agency's access: the workspace still
  // in that organization, the minting key not revoked. Ordinary tokens carry neither claim and skip this.
  if (granted && (typeof claims.org !== 'string' || claims.org !== workspace.organizationId)) {
    throw unauthorized('The workspace is no longer part of the organization that granted this session.');
  }
  if (!keyLive) throw unauthorized('The organization key that granted this session was revoked.');
  const caller: Caller = { kind: 'member', workspace, member };
  deps.callers?.set(token, caller, claims.exp * 1000, now);
  return { caller, expiresAt: claims.exp * 1000 };
}

/** Accepts a widget session token minted by POST /api/v1/sessions. Role changes apply at once (see memberFromToken). */
export function requireMember(deps: AppDeps) {
  return withMeta(createMiddleware<Env>(async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    if (!token) throw unauthorized('Send a session token as "Authorization: Bearer <token>".');
    c.set('caller', (await memberFromToken(deps, token)).caller);
    await next();
  }), { security: ['sessionToken'], errors: { 401: ['unauthorized'], 403: ['forbidden'] } });
}

/** Refuses with 403 unless the caller's role grants the permission. The secret key may do everything. */
export function assertCan(caller: Caller, permission: Permission): void {
  if (caller.kind === 'member' && !can(caller.member.role, permission)) throw forbidden();
}

/** Widget token or secret key: the host backend may use the same resource routes as the widgets. */
export function requireCaller(deps: AppDeps) {
  const member = requireMember(deps);
  const secret = requireSecretKey(deps);
  const either = createMiddleware<Env>(async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    return token?.startsWith(SECRET_KEY_PREFIX) ? secret(c, next) : member(c, next);
  });
  // 403 forbidden: a member whose role does not allow the action (assertCan in the handlers).
  return withMeta(either, { security: ['secretKey', 'sessionToken'], errors: { 401: ['unauthorized'], 403: ['forbidden'] } });
}

export const SECRET_KEY_PREFIX = 'dsk_';
