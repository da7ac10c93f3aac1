import { sql, type Kysely } from 'kysely';

// The contact activity timeline (GET /contacts/:id/activity) reads two tables, each newest first by (at, id) on an
// index that starts with (workspace_id, contact_id): `activities` (messages, submissions, share-link views, host
// events, and whatever later features write there) and `audit_events` (field changes, merges, documents added).
// Host events are idempotent by the host's id: `external_id`, unique per workspace (a concurrent retry of the same
// id hits the index and reads the row the first one wrote). `attribution` holds the touch an event made (UTM and
// click ids, referrer, landing page, channel) — the list behind "Understanding attribution".

/** The statements of both engines' bodies; `text` is the engine's text type (PostgreSQL's compares bytewise). */
export const timelineStatements = (text: string) => [
  `ALTER TABLE activities ADD COLUMN external_id ${text}`,
  `ALTER TABLE activities ADD COLUMN attribution ${text}`,
  `ALTER TABLE activities ADD COLUMN actor_id ${text}`,
  `CREATE UNIQUE INDEX activities_event_id ON activities (workspace_id, external_id) WHERE external_id IS NOT NULL`,
  `CREATE INDEX activities_timeline ON activities (workspace_id, contact_id, at, id)`,
  `CREATE INDEX activities_timeline_kind ON activities (workspace_id, contact_id, kind, at, id)`,
  `CREATE INDEX activities_touches ON activities (workspace_id, contact_id, at, id) WHERE attribution IS NOT NULL`,
  // Superseded by activities_timeline (every reader scopes by workspace first).
  `DROP INDEX activities_contact`,
  `CREATE INDEX audit_events_timeline ON audit_events (workspace_id, contact_id, at, id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of timelineStatements('TEXT')) await sql.raw(statement).execute(db);
}
