import { randomBytes, randomFillSync } from 'node:crypto';

// Ids are cut from a block of random bytes refilled every 256 ids: one call into the CSPRNG per block instead of
// one per id (an import of 100,000 rows makes half a million ids).
const pool = Buffer.alloc(16 * 256);
let offset = pool.length;

/** Random, URL-safe id (16 bytes → 22 chars); a prefix makes ids readable in logs. */
export function newId(prefix = ''): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += 16;
  return prefix + pool.toString('base64url', offset - 16, offset);
}

/** A secret that is shown once: 32 random bytes. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}
