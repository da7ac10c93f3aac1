import { sql, type Kysely } from 'kysely';

// The search document of a contact: names, company, emails, phone digit variants (see db/search-doc.ts), tags and
// text-like custom field values. dossier_phone_tokens and dossier_search_live are registered by openDb().
const SEARCH_DOCS_VIEW = `CREATE VIEW contact_search_docs AS
SELECT c.rowid AS rid, c.id AS contact_id, c.workspace_id AS workspace_id, concat_ws(' ',
  c.first_name, c.last_name, c.display_name, c.company_name,
  (SELECT group_concat(e.value, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
  (SELECT group_concat(dossier_phone_tokens(p.value), ' ') FROM contact_phones p WHERE p.contact_id = c.id),
  (SELECT group_concat(t.name, ' ') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id),
  (SELECT group_concat(v.value_text, ' ') FROM contact_field_values v JOIN custom_fields f ON f.id = v.field_id
    WHERE v.contact_id = c.id AND f.type IN ('text','url','select','multi_select'))
) AS doc
FROM contacts c`;

/** Re-indexes one contact: drop its row, insert the fresh document (nothing when the contact is gone). */
const refresh = (id: string) => `DELETE FROM contacts_fts WHERE rowid = (SELECT rowid FROM contacts WHERE id = ${id});
  INSERT INTO contacts_fts (rowid, doc) SELECT rid, doc FROM contact_search_docs WHERE contact_id = ${id};`;

// Triggers keep the index right for every writer (routes, merge, import, CLI). Inserts can be paused
// (dossier_search_live() = 0) by bulk loaders that rebuild afterwards; updates and deletes always apply.
const CHILD_TABLES = ['contact_emails', 'contact_phones', 'contact_tags', 'contact_field_values'];
const TRIGGERS = [
  `CREATE TRIGGER contacts_fts_ins AFTER INSERT ON contacts WHEN dossier_search_live() BEGIN ${refresh('NEW.id')} END`,
  `CREATE TRIGGER contacts_fts_upd AFTER UPDATE OF first_name, last_name, display_name, company_name ON contacts BEGIN ${refresh('NEW.id')} END`,
  `CREATE TRIGGER contacts_fts_del AFTER DELETE ON contacts BEGIN DELETE FROM contacts_fts WHERE rowid = OLD.rowid; END`,
  ...CHILD_TABLES.flatMap((t) => [
    `CREATE TRIGGER ${t}_fts_ins AFTER INSERT ON ${t} WHEN dossier_search_live() BEGIN ${refresh('NEW.contact_id')} END`,
    `CREATE TRIGGER ${t}_fts_del AFTER DELETE ON ${t} BEGIN ${refresh('OLD.contact_id')} END`,
    `CREATE TRIGGER ${t}_fts_upd AFTER UPDATE ON ${t} BEGIN ${refresh('OLD.contact_id')} ${refresh('NEW.contact_id')} END`,
  ]),
  `CREATE TRIGGER tags_fts_rename AFTER UPDATE OF name ON tags BEGIN
    DELETE FROM contacts_fts WHERE rowid IN (SELECT c.rowid FROM contacts c JOIN contact_tags ct ON ct.contact_id = c.id WHERE ct.tag_id = NEW.id);
    INSERT INTO contacts_fts (rowid, doc) SELECT rid, doc FROM contact_search_docs WHERE contact_id IN (SELECT contact_id FROM contact_tags WHERE tag_id = NEW.id);
  END`,
];

// The contact table: full-text search, sort indexes, saved views, merges (with undo) and bulk jobs.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Contentless FTS5: the index only, keyed by contacts.rowid; contentless_delete lets triggers drop a row by rowid.
    `CREATE VIRTUAL TABLE contacts_fts USING fts5(doc, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2", prefix='2 3')`,
    SEARCH_DOCS_VIEW,
    ...TRIGGERS,
    // Sorts the table offers, each (workspace, key, id) over live contacts so keyset pages seek instead of scanning.
    `CREATE INDEX contacts_ws_name ON contacts (workspace_id, display_name COLLATE NOCASE, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_updated ON contacts (workspace_id, updated_at, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_last ON contacts (workspace_id, coalesce(last_interaction_at, -1), id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_incoming ON contacts (workspace_id, last_incoming_at) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_owner_created ON contacts (workspace_id, owner_id, created_at, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_merged_into ON contacts (merged_into_id) WHERE merged_into_id IS NOT NULL`,
    `CREATE INDEX contact_dnd_channel ON contact_dnd (channel, contact_id)`,
    `CREATE TABLE saved_views (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      owner_member_id TEXT REFERENCES members(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      scope TEXT NOT NULL CHECK (scope IN ('personal','workspace')),
      definition TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX saved_views_ws ON saved_views (workspace_id, scope, owner_member_id)`,
    `CREATE TABLE merges (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      survivor_id TEXT NOT NULL,
      merged_ids TEXT NOT NULL,
      snapshot TEXT NOT NULL,
      actor_id TEXT,
      created_at INTEGER NOT NULL,
      undone_at INTEGER
    ) STRICT`,
    `CREATE INDEX merges_survivor ON merges (workspace_id, survivor_id, created_at)`,
    `CREATE TABLE bulk_jobs (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      member_id TEXT,
      kind TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running','done','failed')),
      total INTEGER NOT NULL DEFAULT 0,
      done INTEGER NOT NULL DEFAULT 0,
      failed INTEGER NOT NULL DEFAULT 0,
      errors TEXT NOT NULL DEFAULT '[]',
      summary TEXT,
      created_at INTEGER NOT NULL,
      finished_at INTEGER
    ) STRICT`,
    `CREATE INDEX bulk_jobs_ws ON bulk_jobs (workspace_id, created_at)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
  // Index the contacts that already exist.
  await sql.raw(`INSERT INTO contacts_fts (rowid, doc) SELECT rid, doc FROM contact_search_docs`).execute(db);
}
