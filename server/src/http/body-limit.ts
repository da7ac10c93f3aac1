// Request-body limits, enforced while the body is read: a Content-Length over the limit is refused before reading a
// byte, and a chunked body is counted as it arrives and refused as soon as it passes the limit (hono/body-limit).
// Either way the rest is never buffered: after the answer @hono/node-server discards what is still in flight (at most
// 64 MB, for at most 500 ms, so the client sees the 413 and a keep-alive connection stays usable) and then closes the
// connection.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './errors.js';

/** Authenticated JSON routes (contacts, views, bulk ids, share links…). */
export const JSON_BODY_BYTES = 1024 * 1024;
/** The public share gate (send-code, verify, open): an identifier and a code. */
export const GATE_BODY_BYTES = 4 * 1024;
/** A viewer's report (duration, up to 5,000 page numbers, the token). */
export const REPORT_BODY_BYTES = 32 * 1024;
/** A CSV import (streamed to a temp file; `AppConfig.importMaxBytes` overrides it). */
export const IMPORT_BODY_BYTES = 100 * 1024 * 1024;

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`);

export const payloadTooLarge = (limit: number, what = 'The request body') =>
  new ApiError(413, 'payload_too_large', `${what} is larger than ${size(limit)}.`, { limitBytes: limit });

/** Refuses bodies over `maxBytes` with 413 `payload_too_large`; the body read after it holds at most `maxBytes`. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const counting = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw payloadTooLarge(maxBytes);
    },
  });
  return async (c, next) => {
    // Decided from the header alone: hono's bodyLimit opens the body stream even then, and a body stream opened
    // but not read cannot be discarded any more, so the keep-alive connection would be dropped.
    const length = c.req.header('content-length');
    if (length !== undefined && !c.req.header('transfer-encoding')) {
      if (Number(length) > maxBytes) throw payloadTooLarge(maxBytes);
      return next();
    }
    return counting(c, next);
  };
}

/** The body as text, read through the same limit (for routes that parse it themselves). */
export async function readTextBody(c: Context, maxBytes: number): Promise<string> {
  let text = '';
  await limitBody(maxBytes)(c, async () => {
    text = await c.req.text();
  });
  return text;
}
