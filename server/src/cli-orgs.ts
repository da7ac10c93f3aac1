// `dossier organization …` and `dossier org-key …`: organizations and their keys managed from the data folder, through
// the same domain functions as the admin API (/api/v1/admin/organizations) and the same admin audit entries (by `cli`).
import type { Db } from './db/connection.js';
import { recordAdmin } from './domain/admin-audit.js';
import { MAX_ROTATION_GRACE_SECONDS, rotationDetails } from './domain/key-rotation.js';
import { issueOrgKey, listOrgKeys, revokeOrgKey, rotateOrgKey } from './domain/org-keys.js';
import { createOrganization, getOrganization, listOrganizations } from './domain/organizations.js';
import { ApiError } from './http/errors.js';

const audit = (db: Db, action: string, targetType: 'organization' | 'org_key', targetId: string, details: Record<string, unknown>, now: number) =>
  recordAdmin(db, { keyId: 'cli', action, targetType, targetId, details }, now);

/** Refused changes (unknown organization, expired key) become an Error with the server's message. */
async function refused<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError) throw new Error(err.message);
    throw err;
  }
}

const needs = (command: string) => (value: string | undefined, flag: string): string => {
  if (!value?.trim()) throw new TypeError(`${command} needs ${flag}`);
  return value.trim();
};

/** `organization create --name NAME`, `organization list`. Bad usage is a TypeError (the CLI shows its help). */
export async function organizationCommand(db: Db, sub: string | undefined, v: { name?: string }, now: number) {
  switch (sub) {
    case 'create': {
      const org = await createOrganization(db, needs('organization create')(v.name, '--name'), now);
      await audit(db, 'organization.created', 'organization', org.id, { name: org.name }, now);
      return org;
    }
    case 'list': {
      // Every organization, however many pages the admin API would take.
      const items = [];
      let after: string | undefined;
      do {
        const page = await listOrganizations(db, { after, limit: 200 });
        items.push(...page.items);
        after = page.nextCursor ?? undefined;
      } while (after);
      return { items };
    }
    default:
      throw new TypeError('expected "organization create" or "organization list"');
  }
}

/**
 * `org-key create|list|revoke|rotate --organization ORG_ID …`. `create` and `rotate` print the new key once
 * (`secretKey`); `list` shows prefixes only.
 */
export async function orgKeyCommand(db: Db, sub: string | undefined, v: { organization?: string; key?: string; name?: string; graceSeconds?: string }, now: number) {
  const need = needs(`org-key ${sub ?? ''}`.trim());
  if (!['create', 'list', 'revoke', 'rotate'].includes(sub ?? '')) throw new TypeError('expected "org-key create|list|revoke|rotate"');
  const organizationId = need(v.organization, '--organization');
  const grace = v.graceSeconds === undefined ? 86_400 : Number(v.graceSeconds);
  if (sub === 'rotate' && (!Number.isInteger(grace) || grace < 0 || grace > MAX_ROTATION_GRACE_SECONDS)) {
    throw new TypeError(`--grace-seconds must be a whole number from 0 to ${MAX_ROTATION_GRACE_SECONDS}`);
  }
  const keyId = sub === 'revoke' || sub === 'rotate' ? need(v.key, '--key') : '';
  return refused(async () => {
    const org = await getOrganization(db, organizationId);
    switch (sub) {
      case 'create': {
        const issued = await issueOrgKey(db, org.id, v.name?.trim() || 'Organization key', now);
        await audit(db, 'org_key.created', 'org_key', issued.key.id, { organizationId: org.id, name: issued.key.name, prefix: issued.key.prefix }, now);
        return issued;
      }
      case 'list':
        return { items: await listOrgKeys(db, org.id, now) };
      case 'revoke': {
        // Organization tokens check the key on every request; membership tokens a server has cached are verified
        // again within its caller cache's ttl (http/caller-cache.ts: the bound on what the CLI leaves stale).
        const key = await revokeOrgKey(db, org.id, keyId, now);
        await audit(db, 'org_key.revoked', 'org_key', key.id, { organizationId: org.id, prefix: key.prefix }, now);
        return key;
      }
      default: {
        const rotated = await rotateOrgKey(db, org.id, keyId, grace, now);
        await audit(db, 'org_key.rotated', 'org_key', rotated.previous.id, { organizationId: org.id, ...rotationDetails(rotated) }, now);
        return rotated;
      }
    }
  });
}
