// Bulk loads on PostgreSQL: multi-row INSERTs (thousands of rows a statement), with the search index and cells
// triggers told to skip their work (the `dossier.bulk_load` setting) and to note the new contacts in a temporary
// table instead; the load then indexes those in a few large statements (postgres/migrations/007).
import { sql } from 'kysely';
import type { BulkLoad, Db } from '../types.js';

/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 60_000;
/** Contacts indexed per statement after a load. */
const INDEX_BATCH = 20_000;

async function indexNoted(db: Db) {
  for (;;) {
    const { n } = (await sql<{ n: number }>`SELECT dossier_index_bulk_added(${INDEX_BATCH}) AS n`.execute(db)).rows[0]!;
    if (Number(n) < INDEX_BATCH) return;
  }
}

export const postgresBulk: BulkLoad = {
  async insert(db, table, rows) {
    if (!rows.length) return;
    const size = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
    for (let i = 0; i < rows.length; i += size) await db.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  },

  /** In a transaction the switch is local to it; otherwise one pooled connection holds it for the whole load. */
  async paused(db, load) {
    const run = async (conn: Db, local: boolean) => {
      await sql`CREATE TEMPORARY TABLE IF NOT EXISTS dossier_bulk_added (id text COLLATE "C" NOT NULL)`.execute(conn);
      await sql`SELECT set_config('dossier.bulk_load', 'on', ${local})`.execute(conn);
      let failed = false;
      try {
        return await load(conn);
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        // A failed load inside a transaction leaves it aborted: its rollback drops the notes and the setting.
        if (!(failed && local)) {
          await sql`SELECT set_config('dossier.bulk_load', 'off', ${local})`.execute(conn);
          await indexNoted(conn);
        }
      }
    };
    return db.isTransaction ? run(db, true) : db.connection().execute((conn) => run(conn, false));
  },
};
