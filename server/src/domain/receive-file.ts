// Streams one incoming file into the blob store, enforcing the size limit at the byte, then sniffs its kind.
// Nothing is kept when anything fails: the temp file is removed before the error propagates.
import type { DocumentLimits } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { BlobStore, PendingBlob } from '../storage/blob-store.js';
import { extensionOf, safeFileName } from './file-names.js';
import { DANGEROUS_EXTENSIONS, MEDIA_TYPES, type DocumentKind } from './file-types.js';
import { settleName, sniffKind, SniffError } from './sniff.js';
import { TextCheck } from './text-check.js';

export interface ReceivedFile {
  pending: PendingBlob;
  name: string;
  kind: DocumentKind;
  mediaType: string;
  size: number;
  sha256: string;
}

export const tooLarge = (maxBytes: number, name?: string) =>
  new ApiError(413, 'file_too_large', `Files may be at most ${maxBytes} bytes${name ? ` (${name} is larger)` : ''}.`, { maxBytes, name });

export const refused = (err: SniffError, name: string) =>
  new ApiError(415, 'unsupported_file', err.message, { reason: err.reason, name, ...err.details });

/** Refuses a declared name before any byte is read, when the name alone settles it (e.g. `x.exe`). */
export function checkDeclaredName(raw: string): string {
  const name = safeFileName(raw);
  const ext = extensionOf(name);
  if (DANGEROUS_EXTENSIONS.has(ext)) throw refused(new SniffError('dangerous_extension', `Files named .${ext} are not accepted.`, { extension: ext }), name);
  return name;
}

export async function receiveFile(
  blobs: BlobStore,
  source: AsyncIterable<Uint8Array>,
  declaredName: string,
  limits: Pick<DocumentLimits, 'maxBytes'>,
  allowed: ReadonlySet<DocumentKind>,
): Promise<ReceivedFile> {
  const cleanName = checkDeclaredName(declaredName);
  const writer = await blobs.create();
  const text = new TextCheck();
  let size = 0;
  let pending: PendingBlob | null = null;
  try {
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > limits.maxBytes) throw tooLarge(limits.maxBytes, cleanName);
      text.update(chunk);
      await writer.write(chunk);
    }
    pending = await writer.finish();
    const sniffed = await sniffKind(pending, text.isText);
    const { name, kind } = settleName(cleanName, sniffed);
    if (!allowed.has(kind)) {
      throw new ApiError(415, 'unsupported_file', `${kind.toUpperCase()} files are not accepted in this workspace.`, { reason: 'not_allowed', name, detected: kind });
    }
    return { pending, name, kind, mediaType: MEDIA_TYPES[kind], size: pending.size, sha256: pending.sha256 };
  } catch (err) {
    if (pending) await pending.discard();
    else await writer.abort();
    if (err instanceof SniffError) throw refused(err, cleanName);
    throw err;
  }
}
