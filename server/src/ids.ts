import { randomBytes, randomFillSync } from 'node:crypto';

// Ids are cut from a block of random bytes refilled every 256 ids: one call into the CSPRNG per block instead of
// one per id (an import of 100,000 rows makes half a million ids).
const pool = Buffer.alloc(16 * 256);
let offset = pool.length;

// 0-9, A-Z, a-z: digits in ASCII order, so ids compare (SQLite BINARY) in the order of their time part.
const SORTABLE = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 8; // 62^8 ms reaches the year 8900

function timePart(ms: number): string {
  let text = '';
  for (let i = 0, n = Math.max(0, Math.floor(ms)); i < TIME_CHARS; i++, n = Math.floor(n / 62)) text = SORTABLE[n % 62]! + text;
  return text;
}

/**
 * URL-safe id, 22 chars after the prefix: 8 chars of time (ms), then 84 random bits. Ids made later sort later,
 * so new rows land at the end of every index keyed by id (inserts append instead of splitting pages all over
 * the b-tree), as with ULIDs. `at` backdates the time part (seeded history). A prefix makes ids readable in logs.
 */
export function newId(prefix = '', at = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += 16;
  return prefix + timePart(at) + pool.toString('base64url', offset - 16, offset - 5).slice(0, 14);
}

/** A secret that is shown once: 32 random bytes. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}
