// Shared by the searchable records (companies, custom object records): a case-insensitive "contains" on either
// engine, and keyset pages ordered by name then id.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/connection.js';
import { engineOf } from '../../db/engine/index.js';

/** `column` contains `q`, case-insensitively, the user's own % and _ taken literally. */
export function nameMatches(db: Db, column: string, q: string): Expression<SqlBool> {
  return engineOf(db).text.like(sql.ref(column), `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
}

/** A keyset position: the last row's name and id. */
export type NameCursor = [string, string];
export const isNameCursor = (v: unknown): v is NameCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';

/** Rows after the cursor in (name, id) order. */
export function afterName<Q extends { where: (...args: any[]) => Q }>(q: Q, nameCol: string, idCol: string, after: NameCursor | undefined): Q {
  if (!after) return q;
  const [name, id] = after;
  return q.where((eb: any) => eb.or([eb(nameCol, '>', name), eb.and([eb(nameCol, '=', name), eb(idCol, '>', id)])]));
}

/** One page: the first `limit` rows and the cursor after them when more follow. */
export function pageOf<R extends { name: string; id: string }, J>(rows: R[], limit: number, toJson: (r: R) => J) {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return { items: shown.map(toJson), next: rows.length > limit && last ? ([last.name, last.id] as NameCursor) : null };
}
