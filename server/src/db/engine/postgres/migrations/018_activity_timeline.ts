import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 018_activity_timeline: the same columns and indexes as SQLite's (see that file for why).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `ALTER TABLE activities ADD COLUMN external_id ${T}`,
    `ALTER TABLE activities ADD COLUMN attribution ${T}`,
    `ALTER TABLE activities ADD COLUMN actor_id ${T}`,
    `CREATE UNIQUE INDEX activities_event_id ON activities (workspace_id, external_id) WHERE external_id IS NOT NULL`,
    `CREATE INDEX activities_timeline ON activities (workspace_id, contact_id, at, id)`,
    `CREATE INDEX activities_timeline_kind ON activities (workspace_id, contact_id, kind, at, id)`,
    `CREATE INDEX activities_touches ON activities (workspace_id, contact_id, at, id) WHERE attribution IS NOT NULL`,
    `DROP INDEX activities_contact`,
    `CREATE INDEX audit_events_timeline ON audit_events (workspace_id, contact_id, at, id)`,
  ]);
}
