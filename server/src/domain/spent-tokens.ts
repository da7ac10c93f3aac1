// One-time tokens (live-event tickets) are spent in the database, not in memory: a spent ticket stays spent after a
// restart and for every server process sharing the database.
import type { Db } from '../db/connection.js';

/** Marks `jti` spent until `expiresAt`; true only for the first caller. Forgets tokens that expired anyway. */
export async function spendOnce(db: Db, jti: string, expiresAt: number, now: number): Promise<boolean> {
  const inserted = await db.insertInto('spent_tokens').values({ jti, expires_at: expiresAt }).onConflict((oc) => oc.column('jti').doNothing()).executeTakeFirst();
  if (Math.random() < 0.05) await db.deleteFrom('spent_tokens').where('expires_at', '<', now).execute();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}
