import { sql, type Expression, type SqlBool } from 'kysely';

/** `column LIKE 'prefix%'` with the user's own % and _ taken literally. */
export function startsWith(column: Expression<unknown> | string, prefix: string): Expression<SqlBool> {
  const pattern = `${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return sql<SqlBool>`${ref} LIKE ${pattern} ESCAPE '\\'`;
}

/** `column LIKE '%text%'` with the user's own % and _ taken literally. */
export function contains(column: Expression<unknown> | string, text: string): Expression<SqlBool> {
  const pattern = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return sql<SqlBool>`${ref} LIKE ${pattern} ESCAPE '\\'`;
}
