// POST /api/v1/org/contacts/query fans out to up to 100 workspaces per call: a budget per agency member (all the
// sessions minted for one externalId of one organization count together, so minting a new session resets nothing).
// Counted in the shared rate_limits table (db/rate-limits.ts: every server process), in windows of the injected
// clock's minute — the key names the minute, so the test clock moves to the next window as production time does.
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { rateLimits, type RateLimit } from '../db/rate-limits.js';
import { tooMany } from './share-gate-limits.js';

/** Far above what a person scrolling and filtering a table sends (a page each few hundred ms at most). */
export const DEFAULT_ORG_QUERIES_PER_MINUTE = 600;

export class OrgQueryLimit {
  private readonly budget: RateLimit;

  constructor(db: Db, readonly perMinute = DEFAULT_ORG_QUERIES_PER_MINUTE) {
    this.budget = rateLimits(db)('org-query', { points: perMinute, windowSeconds: 60 });
  }

  /** Counts a query of the agency member (its namespaced externalId); 429 `rate_limited` with Retry-After once spent. */
  async spend(memberExternalId: string, now: number): Promise<void> {
    const minute = Math.floor(now / 60_000);
    // Hashed: an externalId may be 200 characters, the store's key at most 255.
    const who = createHash('sha256').update(memberExternalId).digest('base64url');
    if ((await this.budget.hit(`${who}:${minute}`)) === null) return;
    throw tooMany('rate_limited', `Too many organization queries: at most ${this.perMinute} a minute. Wait a little and try again.`, ((minute + 1) * 60_000 - now) / 1000);
  }
}
