// PostgreSQL's spelling of text comparisons, JSON access and the count sample. Text columns use the "C"
// collation (postgres/migrations), so lower() folds ASCII only and strings order by bytes, as on SQLite.
import { sql, type SqlBool } from 'kysely';
import type pg from 'pg';
import type { JsonAccess, Locks, Sampling, TextOps } from '../types.js';

export const postgresText: TextOps = {
  equalsCaseless: (expr, value) => sql<SqlBool>`lower(${expr}) = lower(${value})`,
  like: (expr, pattern) => sql<SqlBool>`${expr} ILIKE ${pattern} ESCAPE '\\'`,
  // Index (field_id, lower(value_text), contact_id): order and compare on lower(); the bound is the raw value.
  caselessSort: (key) => ({ order: sql`lower(${key})`, compared: sql`lower(${key})`, bound: (value) => sql`lower(${value})` }),
  unindexed: (expr) => expr,
  least: (a, b) => sql<number>`least(${a}, ${b})`,
  greatest: (a, b) => sql<number>`greatest(${a}, ${b})`,
  joined: (expr, separator, order) => sql<string | null>`string_agg(${expr}, ${sql.lit(separator)} ORDER BY ${order})`,
  insertOrder: (alias) => sql<number>`${sql.ref(`${alias}.seq`)}`,
};

const ref = (column: string | ReturnType<typeof sql>) => (typeof column === 'string' ? sql.ref(column) : column);
/** JSON is kept as text (as on SQLite): cast for the jsonb operators. */
const jsonb = (column: string | ReturnType<typeof sql>) => sql`(${ref(column)})::jsonb`;

export const postgresJson: JsonAccess = {
  // Keys as literals, so an expression index on (data::jsonb ->> 'key') serves the comparison.
  text: (column, path) =>
    path.length === 1 ? sql`(${jsonb(column)} ->> ${sql.lit(path[0]!)})` : sql`(${jsonb(column)} #>> ${sql.lit(`{${path.map((k) => JSON.stringify(k)).join(',')}}`)})`,
  eachText: (column, alias) => sql`jsonb_array_elements_text(${jsonb(column)}) AS ${sql.ref(alias)}(value)`,
  // One primary-key lookup per exported row into the contact's cells row.
  cells: (paths) =>
    sql`(SELECT jsonb_build_array(${sql.join(paths.map((p) => sql`x.cells #> ${sql.lit(`{${p.map((k) => JSON.stringify(k)).join(',')}}`)}`))}) FROM contact_cells x WHERE x.contact_id = contacts.id)`,
  // As text (parsed like SQLite's); json_agg over an ordered subquery keeps its order.
  rowsOf: (rows, columns) =>
    sql<string>`(SELECT coalesce(json_agg(json_build_array(${sql.join(columns.map((c) => sql.ref(`agg.${c}`)))}))::text, '[]') FROM (${rows}) AS agg)`,
};

/** About this many pages of the table are read for a sample (a few rows each). */
const SAMPLE_PAGES = 300;

export const postgresSampling: Sampling = {
  /**
   * A fixed page sample of the table (TABLESAMPLE SYSTEM, repeatable, so one filter always sees the same rows),
   * then each sampled live contact of the workspace tested by id: the cost stays flat whatever the filter.
   */
  async matchRate(db, workspaceId, matching) {
    const { pages } = (await sql<{ pages: number }>`SELECT greatest(1, pg_relation_size('contacts') / current_setting('block_size')::int) AS pages`.execute(db)).rows[0]!;
    const percent = Math.min(100, (100 * SAMPLE_PAGES) / Number(pages));
    const sample = await sql<{ id: string }>`SELECT id FROM contacts TABLESAMPLE SYSTEM (${sql.lit(percent)}) REPEATABLE (7)
      WHERE workspace_id = ${workspaceId} AND deleted_at IS NULL`.execute(db);
    if (!sample.rows.length) return { sampled: 0, matched: 0 };
    const probe = matching().select(sql.lit(1).as('one')).whereRef('contacts.id', '=', sql.ref('s.id'));
    const hits = await sql<{ n: number }>`SELECT count(*) AS n FROM unnest(${sample.rows.map((r) => r.id)}::text[]) AS s(id) WHERE EXISTS (${probe})`.execute(db);
    return { sampled: sample.rows.length, matched: Number(hits.rows[0]!.n) };
  },
};

export const postgresLocks = (pool: pg.Pool): Locks => ({
  async hold(trx, keys) {
    if (!trx.isTransaction) throw new Error('Locks are held by a transaction: call hold() inside db.transaction().');
    for (const key of [...new Set(keys)].sort()) await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  },
  async exclusive(key, job) {
    const client = await pool.connect();
    let locked = false;
    try {
      locked = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key])).rows[0]!.ok;
      return locked ? await job() : null;
    } finally {
      if (locked) await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
      client.release();
    }
  },
});
