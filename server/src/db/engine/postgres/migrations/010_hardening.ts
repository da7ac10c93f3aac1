import type { Kysely } from 'kysely';
import { POSTGRES_RATE_LIMIT_DDL } from '../../../rate-limits.js';
import { runAll, T } from './sql.js';

// PostgreSQL body of 010_hardening: rate limits in rate-limiter-flexible's RateLimiterPostgres table (its own DDL)
// instead of rate_hits, share links' gate version, codes whose delivery failed, and spent one-time tokens.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    POSTGRES_RATE_LIMIT_DDL,
    `DROP TABLE rate_hits`,
    `ALTER TABLE share_links ADD COLUMN gate_version integer NOT NULL DEFAULT 1`,
    `ALTER TABLE otp_challenges ADD COLUMN delivery_failed ${T} CHECK (delivery_failed IN ('retryable','permanent'))`,
    // One row per redeemed one-time token (SSE tickets), kept until the token would have expired anyway.
    `CREATE TABLE spent_tokens (
      jti ${T} PRIMARY KEY,
      expires_at bigint NOT NULL
    )`,
    `CREATE INDEX spent_tokens_expiry ON spent_tokens (expires_at)`,
  ]);
}
