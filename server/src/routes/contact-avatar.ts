import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AVATAR_MEDIA_TYPE, DEFAULT_AVATAR_LIMITS, encodeAvatar, type AvatarLimits } from '../domain/avatar-image.js';
import { avatarUrl, setContactAvatar, storeAvatarBlob, verifyAvatarSignature } from '../domain/contact-avatar.js';
import { getVisibleContact, publishContact } from '../domain/contacts.js';
import { assertCan } from '../http/auth.js';
import { limitBody, payloadTooLarge } from '../http/body-limit.js';
import type { Caller, Env } from '../http/env.js';
import { ApiError, notFound } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { isBlobKey } from '../storage/blob-store.js';
import { createSafeFetcher, FetchRefused } from '../storage/fetch-attachment.js';
import { publicOrigin } from './share-links.js';
import { acceptsBody, fails, responds, respondsRaw } from '../http/route-meta.js';
import { contactJson } from '../openapi/schemas/contact.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const pictureParam = z.object({ ws: z.string().min(1).max(64), file: z.string().regex(/^[0-9a-f]{64}\.webp$/) });
const signedQuery = z.object({ sig: z.string().min(1).max(100) }).strict();

export const avatarLimits = (deps: AppDeps): AvatarLimits => ({ ...DEFAULT_AVATAR_LIMITS, ...deps.config?.avatars });

/** What happened to a sender's picture given to POST /messages. */
export type SenderAvatarResult = { stored: true } | { stored: false; code: string; message: string };

/** Encodes and stores a picture, then makes it the contact's (or not, with `onlyIfNone`, when it has one). */
async function savePicture(deps: AppDeps, caller: Caller, contactId: string, bytes: Buffer, origin: string, onlyIfNone = false) {
  const encoded = await encodeAvatar(bytes, avatarLimits(deps));
  const now = deps.clock.now();
  const key = await storeAvatarBlob(deps.db, deps.blobs, encoded, now);
  const url = avatarUrl(origin, deps.secrets.tokenSecret, caller.workspace.id, key);
  const result = await setContactAvatar(deps.db, caller, contactId, { url, key }, now, { onlyIfNone });
  if (result.changed) publishContact(deps.events, caller.workspace.id, 'contact.updated', result.contact, { fields: ['avatarUrl'] });
  return result;
}

/**
 * Fetches a social channel sender's picture (under the attachment fetcher's network rules) and keeps it when the
 * contact has none. Never throws for the picture itself: a private, failing or non-image URL leaves the initials.
 */
export async function fetchSenderAvatar(deps: AppDeps, caller: Caller, contactId: string, url: string, requestUrl: string): Promise<SenderAvatarResult> {
  const limits = avatarLimits(deps);
  const fetcher = deps.fetcher ?? createSafeFetcher();
  try {
    const fetched = await fetcher.fetch(url, { maxBytes: limits.maxBytes, timeoutMs: limits.fetchTimeoutMs });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of fetched.body) {
        size += (chunk as Buffer).length;
        if (size > limits.maxBytes) throw payloadTooLarge(limits.maxBytes, 'The picture');
        chunks.push(chunk as Buffer);
      }
    } finally {
      fetched.body.destroy();
    }
    const { changed } = await savePicture(deps, caller, contactId, Buffer.concat(chunks), publicOrigin(deps)(requestUrl), true);
    return changed ? { stored: true } : { stored: false, code: 'has_picture', message: 'The contact already has a picture.' };
  } catch (err) {
    if (err instanceof FetchRefused) return { stored: false, code: 'avatar_fetch_failed', message: err.message };
    if (err instanceof ApiError) return { stored: false, code: err.code, message: err.message };
    return { stored: false, code: 'avatar_fetch_failed', message: `Fetching the picture failed: ${(err as Error).message}` };
  }
}

/** /api/v1/contacts/:id/avatar — upload (raw image body) and remove a contact's picture (who may edit it). */
export function contactAvatarRoutes(deps: AppDeps) {
  const limits = avatarLimits(deps);
  return new Hono<Env>()
    .put('/:id/avatar', acceptsBody(`The picture's bytes as the whole body (PNG, JPEG, GIF or WebP, at most ${limits.maxBytes} bytes); it is stored as a square WebP.`, ...['image/png', 'image/jpeg', 'image/gif', 'image/webp'].map((mediaType) => ({ mediaType }))), responds(200, contactJson, 'The contact with its new picture (ETag: its version).'), fails(413, 'payload_too_large'), fails(415, 'unsupported_image'), fails(422, 'image_too_large', 'image_unreadable'), validate('param', idParam), limitBody(limits.maxBytes), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id } = c.req.valid('param');
      // A contact the caller cannot see (or another workspace's) is refused before any picture work or storage.
      await getVisibleContact(deps.db, c.var.caller, id);
      const bytes = Buffer.from(await c.req.arrayBuffer());
      const { contact } = await savePicture(deps, c.var.caller, id, bytes, publicOrigin(deps)(c.req.url));
      c.header('ETag', `"${contact.version}"`);
      return c.json(contact, 200);
    })
    .delete('/:id/avatar', responds(200, contactJson, 'The contact without a picture (ETag: its version).'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const caller = c.var.caller;
      const { contact, changed } = await setContactAvatar(deps.db, caller, c.req.valid('param').id, null, deps.clock.now());
      if (changed) publishContact(deps.events, caller.workspace.id, 'contact.updated', contact, { fields: ['avatarUrl'] });
      c.header('ETag', `"${contact.version}"`);
      return c.json(contact, 200);
    });
}

/** /api/v1/signed/avatars/:ws/:sha256.webp?sig= — public: the signature is the credential; content never changes. */
export function signedAvatarRoutes(deps: AppDeps) {
  return new Hono<Env>().get('/avatars/:ws/:file', respondsRaw(200, 'image/webp', 'The picture.'), validate('param', pictureParam), validate('query', signedQuery), async (c) => {
    const { ws, file } = c.req.valid('param');
    const key = file.slice(0, 64);
    if (!isBlobKey(key) || !verifyAvatarSignature(deps.secrets.tokenSecret, ws, key, c.req.valid('query').sig)) {
      throw new ApiError(403, 'link_invalid', 'This picture link is invalid.');
    }
    const etag = `"${key}"`;
    const headers = {
      'Content-Type': AVATAR_MEDIA_TYPE,
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Referrer-Policy': 'no-referrer',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    const size = await deps.blobs.size(key);
    if (size === null) throw notFound('Picture');
    const chunks: Buffer[] = [];
    for await (const chunk of deps.blobs.open(key)) chunks.push(chunk as Buffer);
    return c.body(new Uint8Array(Buffer.concat(chunks)), 200, { ...headers, 'Content-Length': String(size) });
  });
}
