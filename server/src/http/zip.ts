// Streams several documents as one ZIP, reading each blob only when the archive reaches it.
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import yazl from 'yazl';
import type { DocumentRow } from '../db/schema.js';
import { uniqueNamer } from '../domain/file-names.js';
import type { BlobStore } from '../storage/blob-store.js';
import { contentDisposition } from './content.js';

// Already-compressed formats are stored as they are; deflating them again only costs CPU.
const STORE_ONLY = new Set(['pdf', 'png', 'jpg', 'gif', 'webp', 'docx', 'xlsx', 'pptx']);

export function sendZip(c: Context, blobs: BlobStore, rows: DocumentRow[], archiveName: string) {
  const zip = new yazl.ZipFile();
  const unique = uniqueNamer();
  for (const row of rows) {
    zip.addReadStreamLazy(
      unique(row.name),
      { size: row.size, mtime: new Date(row.created_at), compress: !STORE_ONLY.has(row.kind) },
      (cb) => cb(null, blobs.open(row.blob_key)),
    );
  }
  zip.end();
  const body = Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>;
  return c.body(body, 200, {
    'Content-Type': 'application/zip',
    'Content-Disposition': contentDisposition('attachment', archiveName),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  });
}
