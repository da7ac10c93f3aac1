import { sql, type Kysely } from 'kysely';
import { RATE_LIMIT_DDL } from '../rate-limits.js';

// Hardening (issue 10): one-time tokens stay spent in the database (across restarts and server processes); rate
// limits move from the hand-written rate_hits table to rate-limiter-flexible's store; share links get a gate version
// that viewer tokens carry; a code whose delivery failed is marked so.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    RATE_LIMIT_DDL,
    `DROP TABLE rate_hits`,
    `ALTER TABLE share_links ADD COLUMN gate_version INTEGER NOT NULL DEFAULT 1`,
    `ALTER TABLE otp_challenges ADD COLUMN delivery_failed TEXT CHECK (delivery_failed IN ('retryable','permanent'))`,
    // One row per redeemed one-time token (SSE tickets), kept until the token would have expired anyway.
    `CREATE TABLE spent_tokens (
      jti TEXT PRIMARY KEY,
      expires_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX spent_tokens_expiry ON spent_tokens (expires_at)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
