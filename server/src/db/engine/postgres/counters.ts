// Per-workspace counters on PostgreSQL. Writers append one delta row per statement and workspace to
// `contact_changes` (triggers, postgres/migrations/005) instead of updating the workspace's row, so concurrent
// writers never queue (or deadlock) on that one hot row; a read adds the deltas to the workspace's columns, and
// folds them in once they pile up.
import { sql } from 'kysely';
import type { Counters } from '../types.js';

/** Deltas a read sums before it folds them into the workspace's row. */
const FOLD_AFTER = 256;

export const postgresCounters: Counters = {
  async read(db, workspaceId) {
    const row = (
      await sql<{ version: number; total: number; deltas: number }>`
        SELECT w.contacts_version + coalesce(d.changes, 0) AS version, w.live_contacts + coalesce(d.live, 0) AS total, coalesce(d.n, 0) AS deltas
        FROM workspaces w
        LEFT JOIN (SELECT sum(changes) AS changes, sum(live) AS live, count(*) AS n FROM contact_changes WHERE workspace_id = ${workspaceId}) d ON true
        WHERE w.id = ${workspaceId}`.execute(db)
    ).rows[0];
    // Folding takes the workspace row's lock: only outside a caller's transaction, whose own locks could then
    // wait on a writer that waits on this one.
    if (row && row.deltas > FOLD_AFTER && !db.isTransaction) await sql`SELECT dossier_fold_contact_changes(${workspaceId})`.execute(db);
    return { version: Number(row?.version ?? 0), total: Number(row?.total ?? 0) };
  },
};
