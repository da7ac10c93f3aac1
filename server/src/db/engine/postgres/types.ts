// How node-postgres turns column values into JS: 64-bit integers (ms timestamps, counts) and numerics as numbers,
// as better-sqlite3 answers them; everything else as pg does.
import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;

/** Given to the pool and to export cursors; ms timestamps and counts stay far below 2^53. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};
