import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 005_query_engine: the custom-field sort index, the live-contacts-by-id index, and the
// per-workspace counters. SQLite's triggers update the workspace's row per changed row; here each statement
// appends one delta row per workspace to contact_changes (engine/postgres/counters.ts reads and folds them), so
// writers of one workspace never wait on its row.
const PART_TABLES = ['contact_emails', 'contact_phones', 'contact_tags', 'contact_field_values', 'contact_followers', 'contact_dnd'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    // Custom text sorts are case-insensitive (lower() folds ASCII under "C", like NOCASE); numbers use 001's index.
    // The value itself is included so walking the sort (a deep seek skips hundreds of thousands) reads the index alone.
    `CREATE INDEX contact_field_values_text_sort ON contact_field_values (field_id, lower(value_text), contact_id) INCLUDE (value_text)`,
    `CREATE INDEX contacts_ws_id ON contacts (workspace_id, id) WHERE deleted_at IS NULL`,
    `ALTER TABLE workspaces ADD COLUMN contacts_version bigint NOT NULL DEFAULT 0`,
    `ALTER TABLE workspaces ADD COLUMN live_contacts bigint NOT NULL DEFAULT 0`,
    `UPDATE workspaces SET live_contacts = (SELECT count(*) FROM contacts c WHERE c.workspace_id = workspaces.id AND c.deleted_at IS NULL)`,
    `CREATE TABLE contact_changes (
      workspace_id ${T} NOT NULL,
      changes bigint NOT NULL,
      live bigint NOT NULL
    )`,
    `CREATE INDEX contact_changes_ws ON contact_changes (workspace_id)`,
    // Rows changed (each counts, as SQLite counts each row) and the change in live (not deleted) contacts.
    `CREATE FUNCTION dossier_count_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO contact_changes (workspace_id, changes, live)
          SELECT workspace_id, count(*), count(*) FILTER (WHERE deleted_at IS NULL) FROM added GROUP BY workspace_id;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO contact_changes (workspace_id, changes, live)
          SELECT workspace_id, count(*), -count(*) FILTER (WHERE deleted_at IS NULL) FROM removed GROUP BY workspace_id;
      ELSE
        INSERT INTO contact_changes (workspace_id, changes, live)
          SELECT workspace_id, sum(n), sum(live) FROM (
            SELECT workspace_id, 1 AS n, -(deleted_at IS NULL)::int AS live FROM removed
            UNION ALL SELECT workspace_id, 1, (deleted_at IS NULL)::int FROM added
          ) AS rows GROUP BY workspace_id;
      END IF;
      RETURN NULL;
    END $$`,
    `CREATE FUNCTION dossier_count_parts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        INSERT INTO contact_changes (workspace_id, changes, live) SELECT workspace_id, count(*), 0 FROM removed GROUP BY workspace_id;
      ELSE
        INSERT INTO contact_changes (workspace_id, changes, live) SELECT workspace_id, count(*), 0 FROM added GROUP BY workspace_id;
      END IF;
      RETURN NULL;
    END $$`,
    `CREATE FUNCTION dossier_count_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO contact_changes (workspace_id, changes, live) VALUES (NEW.workspace_id, 1, 0);
      RETURN NULL;
    END $$`,
    // Moves a workspace's deltas into its row (one short transaction of its own; see counters.ts).
    `CREATE FUNCTION dossier_fold_contact_changes(ws text) RETURNS void LANGUAGE sql AS $$
      WITH moved AS (DELETE FROM contact_changes WHERE workspace_id = ws RETURNING changes, live)
      UPDATE workspaces SET contacts_version = contacts_version + (SELECT coalesce(sum(changes), 0) FROM moved),
        live_contacts = live_contacts + (SELECT coalesce(sum(live), 0) FROM moved)
      WHERE id = ws
    $$`,
    ...['contacts', ...PART_TABLES].flatMap((t) => {
      const fn = t === 'contacts' ? 'dossier_count_contacts' : 'dossier_count_parts';
      return [
        `CREATE TRIGGER ${t}_version_insert AFTER INSERT ON ${t} REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
        `CREATE TRIGGER ${t}_version_update AFTER UPDATE ON ${t} REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
        `CREATE TRIGGER ${t}_version_delete AFTER DELETE ON ${t} REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      ];
    }),
    // A renamed tag changes which contacts match a tag filter.
    `CREATE TRIGGER tags_version_rename AFTER UPDATE OF name ON tags FOR EACH ROW EXECUTE FUNCTION dossier_count_tag_renamed()`,
  ]);
}
