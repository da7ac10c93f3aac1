// Bulk loads on PostgreSQL: INSERT … SELECT FROM unnest() with one array parameter per column (10,000 rows a
// statement, parsed and planned once), with the search index triggers told to skip their work (the
// `dossier.bulk_load` setting) and to note the new contacts in a temporary table instead; the load then indexes
// those in a few large statements (postgres/migrations/002).
import { sql } from 'kysely';
import type { BulkLoad, Db } from '../types.js';

const ROWS_PER_STATEMENT = 10_000;
/** Contacts indexed per statement after a load. */
const INDEX_BATCH = 20_000;

/** Column types by table (the same in every database of this schema), for the arrays' casts. */
const columnTypes = new Map<string, Promise<Map<string, string>>>();
function typesOf(db: Db, table: string) {
  let types = columnTypes.get(table);
  if (!types) {
    types = sql<{ name: string; type: string }>`SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`
      .execute(db)
      .then(({ rows }) => new Map(rows.map((r) => [r.name, r.type])));
    columnTypes.set(table, types);
    types.catch(() => columnTypes.delete(table));
  }
  return types;
}

async function indexNoted(db: Db) {
  for (;;) {
    const { n } = (await sql<{ n: number }>`SELECT dossier_index_bulk_added(${INDEX_BATCH}) AS n`.execute(db)).rows[0]!;
    if (Number(n) < INDEX_BATCH) return;
  }
}

export const postgresBulk: BulkLoad = {
  async insert(db, table, rows) {
    if (!rows.length) return;
    const columns = Object.keys(rows[0]!);
    const types = await typesOf(db, table);
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const arrays = columns.map((c) => sql`${chunk.map((r) => r[c] ?? null)}::${sql.raw(types.get(c) ?? 'text')}[]`);
      await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(db);
    }
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
