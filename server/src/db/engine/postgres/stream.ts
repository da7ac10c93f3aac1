// Export rows on PostgreSQL: each segment's whole ordered query runs once through a server-side cursor on one
// pooled connection, read `chunk` rows at a time as the download asks for them (one chunk ahead: flat memory), all
// in one read-only snapshot. A download that stops asking for STALLED_MS gives its connection back.
import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { RawRow, RowStreaming } from '../types.js';
import { pgTypes } from './types.js';

const STALLED_MS = 10 * 60_000;

export function postgresStreaming(pool: pg.Pool): RowStreaming {
  return {
    async *rows(_db, queries, chunk) {
      const client = await pool.connect();
      let broken: Error | undefined;
      let stalled: NodeJS.Timeout | undefined;
      let committed = false;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        for (const query of queries) {
          const compiled = query().compile();
          const cursor = client.query(new Cursor<RawRow>(compiled.sql, compiled.parameters as unknown[], { rowMode: 'array', types: pgTypes }));
          // One chunk read ahead: the database reads the next rows while the download writes these (two cores busy).
          let next = cursor.read(chunk);
          try {
            for (;;) {
              const rows = await next;
              if (!rows.length) break;
              next = cursor.read(chunk);
              stalled = setTimeout(() => {
                broken = new Error('The export was not read for 10 minutes; export again.');
                client.release(broken);
              }, STALLED_MS).unref();
              yield rows;
              clearTimeout(stalled);
              if (broken) throw broken;
            }
          } finally {
            if (!broken) {
              await next.catch(() => {});
              await cursor.close().catch(() => {});
            }
          }
        }
        await client.query('COMMIT');
        committed = true;
      } finally {
        clearTimeout(stalled);
        // Stopped early (a cancelled download) or failed: the connection goes back after a rollback.
        if (!broken) {
          if (!committed) await client.query('ROLLBACK').catch(() => {});
          client.release();
        }
      }
    },
  };
}
