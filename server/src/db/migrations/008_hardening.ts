import { sql, type Kysely } from 'kysely';

// Hardening (issue 10): one-time tokens stay spent in the database (across restarts and server processes).
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // One row per redeemed one-time token (SSE tickets), kept until the token would have expired anyway.
    `CREATE TABLE spent_tokens (
      jti TEXT PRIMARY KEY,
      expires_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX spent_tokens_expiry ON spent_tokens (expires_at)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
