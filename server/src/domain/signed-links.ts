// Short-lived signed URLs: for <img src>, <a href> and EventSource, which cannot send an Authorization header.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 over a purpose-specific payload and the expiry (seconds since the epoch), base64url. */
export function signPayload(secret: string, payload: string, exp: number): string {
  return createHmac('sha256', secret).update(`dossier-link\u0000${payload}\u0000${exp}`).digest('base64url');
}

/** True when `sig` was made for this payload and expiry, and the expiry is still ahead of `nowMs`. */
export function verifyPayload(secret: string, payload: string, exp: number, sig: string, nowMs: number): boolean {
  if (!Number.isSafeInteger(exp) || exp * 1000 <= nowMs) return false;
  const expected = Buffer.from(signPayload(secret, payload, exp));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const documentPayload = (workspaceId: string, documentId: string, inline: boolean) => `doc:${workspaceId}:${documentId}:${inline ? 1 : 0}`;
export const zipPayload = (workspaceId: string, ids: string[]) => `zip:${workspaceId}:${ids.join(',')}`;
export const invoicePayload = (workspaceId: string, invoiceId: string) => `invoice:${workspaceId}:${invoiceId}`;
