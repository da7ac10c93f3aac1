import type { Kysely } from 'kysely';
import { BULK_LOADING, runAll, T } from './sql.js';

// PostgreSQL body of 002_table: the search index (and the export cells), saved views, merges and bulk jobs. (The
// sort indexes SQLite makes here and replaces in 003 are made in their final form by 003.)
//
// Search and export cells, kept by triggers for every writer (SQLite keeps an FTS5 table here and `contacts.cells`
// from 007), one row per contact in each of two narrow tables, refreshed together by one statement:
// contact_search — `words`: names, company, emails, tags and text-like custom values as unaccented, lower-cased
// alphanumeric runs (what SQLite's unicode61 tokenizer with remove_diacritics makes), without positions, for prefix
// queries on a GIN index; `phones`: each number's digits, for substring matches on a pg_trgm index (SQLite indexes
// digit variants made in JavaScript, which a trigger here cannot call);
// contact_cells — the contact's list values for the CSV export, the shape of SQLite's `contacts.cells`.
// Rows of their own, not columns on `contacts`: a refresh never rewrites the contact's row or its dozen indexes, and
// a search that visits thousands of candidate rows reads small ones.
const agg = (table: string, words: string) => `(SELECT contact_id, ${words} AS words, jsonb_agg(value ORDER BY position) AS list,
      coalesce((array_agg(value ORDER BY position) FILTER (WHERE is_primary = 1))[1], (array_agg(value ORDER BY position))[1]) AS main
    FROM ${table} WHERE contact_id = ANY(contact_ids) GROUP BY contact_id)`;
const FUNCTIONS = [
  `CREATE FUNCTION dossier_search_words(doc text) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT strip(to_tsvector('simple'::regconfig, regexp_replace(unaccent('unaccent'::regdictionary, coalesce(doc, '')), '[^[:alnum:]]+', ' ', 'g')))
  $$`,
  // The words of a search text, each a prefix, all required (an empty query when there are none). Declared
  // IMMUTABLE (unaccent's rules are a fixed file) so the planner folds it into a constant: no call per row checked.
  `CREATE FUNCTION dossier_search_query(q text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(quote_literal(w) || ':*', ' & '), '')::tsquery
    FROM unnest(regexp_split_to_array(lower(unaccent('unaccent'::regdictionary, q)), '[^[:alnum:]]+')) AS w WHERE w <> ''
  $$`,
  // Set-based (one aggregate per part table, not a subquery per contact), so a bulk load's 20,000 contacts cost one
  // statement. PL/pgSQL keeps the statement's plan for the session (an SQL function would plan it on every call).
  `CREATE FUNCTION dossier_index_refresh(contact_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    WITH parts AS (SELECT c.id, c.workspace_id,
      dossier_search_words(concat_ws(' ', c.first_name, c.last_name, c.display_name, c.company_name, e.words, t.words, v.words)) AS words,
      coalesce(p.words, '') AS phones,
      jsonb_build_object('e', coalesce(e.list, '[]'::jsonb), 'pe', e.main, 'p', coalesce(p.list, '[]'::jsonb), 'pp', p.main,
        't', coalesce(t.tag_ids, '[]'::jsonb), 'c', coalesce(v.cells, '{}'::jsonb)) AS cells
    FROM contacts c
    LEFT JOIN ${agg('contact_emails', `string_agg(value, ' ')`)} e ON e.contact_id = c.id
    LEFT JOIN ${agg('contact_phones', `string_agg(regexp_replace(value, '[^0-9]', '', 'g'), ' ')`)} p ON p.contact_id = c.id
    LEFT JOIN (SELECT ct.contact_id, string_agg(tg.name::text, ' ') AS words, jsonb_agg(ct.tag_id ORDER BY ct.tag_id) AS tag_ids
      FROM contact_tags ct JOIN tags tg ON tg.id = ct.tag_id WHERE ct.contact_id = ANY(contact_ids) GROUP BY ct.contact_id) t ON t.contact_id = c.id
    LEFT JOIN (SELECT fv.contact_id, string_agg(fv.value_text, ' ') FILTER (WHERE f.type IN ('text','url','select','multi_select')) AS words,
        jsonb_object_agg(fv.field_id, fv.value_json::jsonb) AS cells
      FROM contact_field_values fv JOIN custom_fields f ON f.id = fv.field_id WHERE fv.contact_id = ANY(contact_ids) GROUP BY fv.contact_id) v ON v.contact_id = c.id
    WHERE c.id = ANY(contact_ids)),
    -- Unchanged rows are left alone (no new row version, no index update).
    searched AS (INSERT INTO contact_search (contact_id, workspace_id, words, phones) SELECT id, workspace_id, words, phones FROM parts
      ON CONFLICT (contact_id) DO UPDATE SET words = excluded.words, phones = excluded.phones
      WHERE (contact_search.words, contact_search.phones) IS DISTINCT FROM (excluded.words, excluded.phones))
    INSERT INTO contact_cells (contact_id, cells) SELECT id, cells FROM parts
      ON CONFLICT (contact_id) DO UPDATE SET cells = excluded.cells WHERE contact_cells.cells IS DISTINCT FROM excluded.cells;
  END $$`,
  // New contacts (one statement: a create, or thousands from a bulk load that has not paused indexing).
  `CREATE FUNCTION dossier_index_contacts_added() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF ${BULK_LOADING} THEN
      INSERT INTO dossier_bulk_added (id) SELECT id FROM added;
    ELSE
      PERFORM dossier_index_refresh(ARRAY(SELECT id FROM added));
    END IF;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION dossier_index_contact_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM dossier_index_refresh(ARRAY[NEW.id]);
    RETURN NULL;
  END $$`,
  // Emails, phones, tags or custom values of some contacts changed: re-index those contacts (old and new owners
  // of a moved row). Inserts skip while a bulk load has paused indexing; updates and deletes always apply.
  `CREATE FUNCTION dossier_index_parts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      IF NOT ${BULK_LOADING} THEN PERFORM dossier_index_refresh(ARRAY(SELECT DISTINCT contact_id FROM added)); END IF;
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM dossier_index_refresh(ARRAY(SELECT DISTINCT contact_id FROM removed));
    ELSE
      PERFORM dossier_index_refresh(ARRAY(SELECT contact_id FROM removed UNION SELECT contact_id FROM added));
    END IF;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION dossier_index_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM dossier_index_refresh(ARRAY(SELECT contact_id FROM contact_tags WHERE tag_id = NEW.id));
    RETURN NULL;
  END $$`,
  // Takes up to \`batch\` contact ids a paused bulk load noted (engine/postgres/bulk.ts) and indexes them; answers
  // how many it took.
  `CREATE FUNCTION dossier_index_bulk_added(batch int) RETURNS int LANGUAGE plpgsql AS $$
  DECLARE
    ids text[];
  BEGIN
    WITH taken AS (
      DELETE FROM dossier_bulk_added WHERE ctid = ANY(ARRAY(SELECT ctid FROM dossier_bulk_added LIMIT batch)) RETURNING id
    ) SELECT array_agg(id) INTO ids FROM taken;
    IF ids IS NULL THEN RETURN 0; END IF;
    PERFORM dossier_index_refresh(ids);
    RETURN cardinality(ids);
  END $$`,
];

const PART_TABLES = ['contact_emails', 'contact_phones', 'contact_tags', 'contact_field_values'];
const TRIGGERS = [
  `CREATE TRIGGER contacts_index_ins AFTER INSERT ON contacts REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_index_contacts_added()`,
  `CREATE TRIGGER contacts_index_upd AFTER UPDATE OF first_name, last_name, display_name, company_name ON contacts FOR EACH ROW
    WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name OR OLD.last_name IS DISTINCT FROM NEW.last_name
      OR OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.company_name IS DISTINCT FROM NEW.company_name)
    EXECUTE FUNCTION dossier_index_contact_renamed()`,
  ...PART_TABLES.flatMap((t) => [
    `CREATE TRIGGER ${t}_index_ins AFTER INSERT ON ${t} REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_index_parts_changed()`,
    `CREATE TRIGGER ${t}_index_del AFTER DELETE ON ${t} REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION dossier_index_parts_changed()`,
    `CREATE TRIGGER ${t}_index_upd AFTER UPDATE ON ${t} REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_index_parts_changed()`,
  ]),
  // citext compares without case: a rename that only changes case still changes what the index holds.
  `CREATE TRIGGER tags_index_rename AFTER UPDATE OF name ON tags FOR EACH ROW WHEN (OLD.name::text IS DISTINCT FROM NEW.name::text)
    EXECUTE FUNCTION dossier_index_tag_renamed()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `CREATE TABLE contact_search (
      contact_id ${T} PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
      workspace_id ${T} NOT NULL,
      words tsvector NOT NULL,
      phones ${T} NOT NULL DEFAULT ''
    )`,
    `CREATE INDEX contact_search_words ON contact_search USING gin (words)`,
    `CREATE INDEX contact_search_phones ON contact_search USING gin (phones gin_trgm_ops)`,
    `CREATE TABLE contact_cells (
      contact_id ${T} PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
      cells jsonb NOT NULL
    )`,
    ...FUNCTIONS,
    ...TRIGGERS,
    `CREATE INDEX contacts_ws_updated ON contacts (workspace_id, updated_at, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_incoming ON contacts (workspace_id, last_incoming_at) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_owner_created ON contacts (workspace_id, owner_id, created_at, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_merged_into ON contacts (merged_into_id) WHERE merged_into_id IS NOT NULL`,
    `CREATE INDEX contact_dnd_channel ON contact_dnd (channel, contact_id)`,
    `CREATE TABLE saved_views (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      owner_member_id ${T} REFERENCES members(id) ON DELETE CASCADE,
      name ${T} NOT NULL,
      scope ${T} NOT NULL CHECK (scope IN ('personal','workspace')),
      definition ${T} NOT NULL,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL
    )`,
    `CREATE INDEX saved_views_ws ON saved_views (workspace_id, scope, owner_member_id)`,
    `CREATE TABLE merges (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      survivor_id ${T} NOT NULL,
      merged_ids ${T} NOT NULL,
      snapshot ${T} NOT NULL,
      actor_id ${T},
      created_at bigint NOT NULL,
      undone_at bigint
    )`,
    `CREATE INDEX merges_survivor ON merges (workspace_id, survivor_id, created_at)`,
    `CREATE TABLE bulk_jobs (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      member_id ${T},
      kind ${T} NOT NULL,
      status ${T} NOT NULL CHECK (status IN ('running','done','failed')),
      total bigint NOT NULL DEFAULT 0,
      done bigint NOT NULL DEFAULT 0,
      failed bigint NOT NULL DEFAULT 0,
      errors ${T} NOT NULL DEFAULT '[]',
      summary ${T},
      created_at bigint NOT NULL,
      finished_at bigint
    )`,
    `CREATE INDEX bulk_jobs_ws ON bulk_jobs (workspace_id, created_at)`,
  ]);
}
