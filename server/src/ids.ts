import { randomBytes } from 'node:crypto';

/** Random, URL-safe id (16 bytes → 22 chars); a prefix makes ids readable in logs. */
export function newId(prefix = ''): string {
  return prefix + randomBytes(16).toString('base64url');
}

/** A secret that is shown once: 32 random bytes. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}
