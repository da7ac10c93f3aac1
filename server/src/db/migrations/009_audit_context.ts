import { sql, type Kysely } from 'kysely';

// What an audit event concerns beyond the fields it changed — the bulk job, the contacts a merge took in, the
// document and link a viewer opened — in its own JSON column, so `changes` holds only real before → after pairs.
// Older rows keep everything in `changes`; listAudit reads them into the same shape (audit-legacy.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_events ADD COLUMN context TEXT NOT NULL DEFAULT '{}'`.execute(db);
}
