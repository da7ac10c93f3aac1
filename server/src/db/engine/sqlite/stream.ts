// Export rows on SQLite: one statement per chunk, each walking the segment's sort index from the last row's key
// and run to completion on the raw handle (rows as arrays, a quarter cheaper than objects), so nothing stays open
// on the one connection between chunks and no read transaction pins the WAL while a download is slow.
import type Database from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import type { Db, RawRow, RowStreaming } from '../types.js';

export function sqliteStreaming(sqlite: Database.Database): RowStreaming {
  const statements = new Map<string, Database.Statement>();
  /** Kysely's connection lock is held meanwhile, so a chunk never runs inside another query's open transaction. */
  const run = (db: Db, query: CompiledQuery) =>
    db.connection().execute(async () => {
      let statement = statements.get(query.sql);
      if (!statement) statements.set(query.sql, (statement = sqlite.prepare(query.sql).raw(true)));
      return statement.all(...query.parameters) as RawRow[];
    });
  return {
    async *rows(db, queries, chunk) {
      for (let segment = 0, from: { v: string | number; id: string } | undefined; segment < queries.length; ) {
        const rows = await run(db, queries[segment]!(from).limit(chunk).compile());
        if (rows.length) yield rows;
        if (rows.length < chunk) {
          segment++;
          from = undefined;
        } else {
          const last = rows[rows.length - 1]!;
          from = { v: last[1], id: last[0] };
        }
      }
    },
  };
}
