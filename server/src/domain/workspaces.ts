import type { Db } from '../db/connection.js';
import type { Role } from '../db/schema.js';
import { hashSecret, SECRET_KEY_PREFIX } from '../http/auth.js';
import { newId, newSecret } from '../ids.js';

export interface NewWorkspace {
  name: string;
  origins?: string[];
  defaultRegion?: string;
  restoreDays?: number;
}

/** Creates a workspace and its first secret key. The key is returned once; only its hash is stored. */
export async function createWorkspace(db: Db, input: NewWorkspace, now: number) {
  const workspaceId = newId('ws_');
  const secretKey = newSecret(SECRET_KEY_PREFIX);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('workspaces')
      .values({
        id: workspaceId,
        name: input.name,
        default_region: input.defaultRegion ?? 'US',
        allowed_origins: JSON.stringify(input.origins ?? []),
        restore_days: input.restoreDays ?? 30,
        created_at: now,
      })
      .execute();
    await trx.insertInto('api_keys').values({ id: newId('key_'), workspace_id: workspaceId, secret_hash: hashSecret(secretKey), created_at: now, revoked_at: null }).execute();
  });
  return { workspaceId, secretKey };
}

/** Adds (or updates, by external id) a member; the same upsert the sessions endpoint does. */
export async function upsertMember(
  db: Db,
  workspaceId: string,
  m: { externalId: string; name: string; email: string; role: Role; restrictToAssigned?: boolean },
  now: number,
) {
  const values = { name: m.name, email: m.email.toLowerCase(), role: m.role, restrict_to_assigned: m.restrictToAssigned ? 1 : 0, updated_at: now };
  const row = await db
    .insertInto('members')
    .values({ id: newId('mb_'), workspace_id: workspaceId, external_id: m.externalId, created_at: now, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'external_id']).doUpdateSet(values))
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return row.id;
}
