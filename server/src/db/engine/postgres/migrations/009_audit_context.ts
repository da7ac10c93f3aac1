import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 009_audit_context: what an audit event concerns beyond the fields it changed (bulk job, merged
// contacts, the document and link a viewer opened), as JSON text like `changes`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [`ALTER TABLE audit_events ADD COLUMN context ${T} NOT NULL DEFAULT '{}'`]);
}
