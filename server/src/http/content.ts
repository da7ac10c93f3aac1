// Sends stored document bytes: download headers, ETag/304, single byte ranges (206/416), inline for safe kinds.
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { DocumentRow } from '../db/schema.js';
import { INLINE_KINDS, isDocumentKind } from '../domain/file-types.js';
import type { BlobStore } from '../storage/blob-store.js';
import { ApiError } from './errors.js';

/** Even inline content runs sandboxed: no scripts, no plugins, nothing loaded from elsewhere. */
export const INLINE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'none'; frame-ancestors *";
const ATTACHMENT_CSP = "sandbox; default-src 'none'";

/** RFC 6266 Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(type: 'attachment' | 'inline', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Parses a single `bytes=` range; null = serve everything (absent, multiple or unparseable ranges). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
    if (b !== '' && Number(b) < start) return null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export async function sendContent(c: Context, blobs: BlobStore, doc: DocumentRow, opts: { inline: boolean; cacheSeconds?: number }) {
  const inlineOk = isDocumentKind(doc.kind) && INLINE_KINDS.has(doc.kind);
  if (opts.inline && !inlineOk) {
    throw new ApiError(400, 'inline_not_allowed', 'Only images and PDFs can be shown inline; download this file instead.');
  }
  const size = await blobs.size(doc.blob_key);
  if (size === null) throw new ApiError(500, 'content_missing', 'The stored content of this document is missing.');
  const etag = `"${doc.sha256}"`;
  const headers: Record<string, string> = {
    'Content-Type': doc.media_type,
    'Content-Disposition': contentDisposition(opts.inline ? 'inline' : 'attachment', doc.name),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': opts.inline ? INLINE_CSP : ATTACHMENT_CSP,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': opts.cacheSeconds ? `private, max-age=${opts.cacheSeconds}` : 'private, no-cache',
    'Referrer-Policy': 'no-referrer',
  };
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    return c.body(null, 304, headers);
  }
  const ifRange = c.req.header('if-range');
  const range = ifRange && ifRange !== etag ? null : parseRange(c.req.header('range'), size);
  if (range === 'unsatisfiable') {
    return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
  }
  if (c.req.method === 'HEAD') {
    return c.body(null, 200, { ...headers, 'Content-Length': String(size) });
  }
  if (range) {
    const body = Readable.toWeb(blobs.open(doc.blob_key, range)) as ReadableStream<Uint8Array>;
    return c.body(body, 206, { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${size}`, 'Content-Length': String(range.end - range.start + 1) });
  }
  const body = Readable.toWeb(blobs.open(doc.blob_key)) as ReadableStream<Uint8Array>;
  return c.body(body, 200, { ...headers, 'Content-Length': String(size) });
}
