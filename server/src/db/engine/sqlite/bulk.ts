// Bulk loads on SQLite: rows go in through prepared statements on the raw handle (much cheaper than a Kysely
// query per row), with the per-row search index and cells triggers paused and rebuilt in one statement per table.
import type Database from 'better-sqlite3';
import { cellsOf } from '../../migrations/007_contact_cells.js';
import { channelsOf } from '../../migrations/012_contact_channels.js';
import type { BulkLoad, Db } from '../types.js';
import { pauseSearch } from './search-functions.js';

const MAX_VARIABLES = 32_766;
/** Rows per INSERT: past a few dozen, the statement's size stops paying back. */
const ROWS_PER_STATEMENT = 100;

export function sqliteBulk(sqlite: Database.Database): BulkLoad {
  const statements = new Map<string, Database.Statement>();
  const statementFor = (table: string, columns: string[], rows: number) => {
    const key = `${table}(${columns.join(',')})x${rows}`;
    let statement = statements.get(key);
    if (!statement) {
      const row = `(${columns.map(() => '?').join(', ')})`;
      statement = sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`);
      statements.set(key, statement);
    }
    return statement;
  };
  // The raw handle bypasses Kysely's connection lock: hold it (a transaction already does) so no other query's
  // open transaction is running on the connection meanwhile.
  const holding = <T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> => (db.isTransaction ? work(db) : db.connection().execute(work));

  return {
    insert: (db, table, rows) =>
      holding(db, async () => {
        if (!rows.length) return;
        const columns = Object.keys(rows[0]!);
        // Many rows a statement (one call into SQLite instead of one per row), under its limit of 32,766 variables.
        const per = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_VARIABLES / columns.length)));
        const values = (slice: Record<string, unknown>[]) => slice.flatMap((row) => columns.map((c) => row[c] ?? null));
        let at = 0;
        if (rows.length >= per) {
          const statement = statementFor(table, columns, per);
          for (; at + per <= rows.length; at += per) statement.run(values(rows.slice(at, at + per)));
        }
        // The rest one by one: a statement per remainder size would pile up in the cache.
        if (at < rows.length) {
          const single = statementFor(table, columns, 1);
          for (const row of rows.slice(at)) single.run(values([row]));
        }
      }),

    /**
     * Indexes every contact whose rowid is above the highest one before the load in a single statement (much
     * faster than one trigger per child row), and fills their channels (migration 012, before the index: the search
     * document reads them) and export cells (migration 007) the same way.
     */
    paused: (db, load) =>
      holding(db, async (held) => {
        const { top } = sqlite.prepare('SELECT coalesce(max(rowid), 0) AS top FROM contacts').get() as { top: number };
        pauseSearch(sqlite, true);
        try {
          return await load(held);
        } finally {
          try {
            // Still paused, so the channels' own re-index trigger stays off: the one pass below indexes these rows.
            sqlite.prepare(`UPDATE contacts SET channels = ${channelsOf('contacts.id', 'contacts.last_channel')} WHERE rowid > ?`).run(top);
          } finally {
            pauseSearch(sqlite, false);
          }
          sqlite.prepare('DELETE FROM contacts_fts WHERE rowid > ?').run(top);
          sqlite.prepare('INSERT INTO contacts_fts (rowid, doc) SELECT rid, doc FROM contact_search_docs WHERE rid > ?').run(top);
          sqlite.prepare(`UPDATE contacts SET cells = ${cellsOf('contacts.id')} WHERE rowid > ?`).run(top);
        }
      }),
  };
}
