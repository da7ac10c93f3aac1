import type { Readable } from 'node:stream';

/** Content received so far, hashed and flushed to disk but not yet visible under its key. */
export interface PendingBlob {
  /** Hex SHA-256 of the content; becomes the key on commit. */
  sha256: string;
  size: number;
  /** Reads part of the content (for sniffing the type before accepting it). */
  read(position: number, length: number): Promise<Buffer>;
  /** Makes the content available under its key (stored once however often it is committed); returns the key. */
  commit(): Promise<string>;
  /** Throws the content away; safe to call more than once and after commit (then it does nothing). */
  discard(): Promise<void>;
}

export interface BlobWriter {
  /** Appends a chunk; resolves when it was handed to the OS, which is the upload's backpressure. */
  write(chunk: Uint8Array): Promise<void>;
  /** Flushes (fsync) and returns the pending blob. */
  finish(): Promise<PendingBlob>;
  /** Removes everything written so far. */
  abort(): Promise<void>;
}

/** One stored blob, as listed by `entries()`. */
export interface BlobEntry {
  key: string;
  size: number;
  /** When it was written (ms). */
  modifiedAt: number;
}

/** Content-addressed storage for document bytes. Keys are hex SHA-256 and never come from user input. */
export interface BlobStore {
  create(): Promise<BlobWriter>;
  /** Streams a key's content, or an inclusive byte range of it. */
  open(key: string, range?: { start: number; end: number }): Readable;
  size(key: string): Promise<number | null>;
  remove(key: string): Promise<void>;
  /** Every stored blob (not temp uploads), in no particular order. */
  entries(): AsyncIterable<BlobEntry>;
  /** Temp uploads present: unfinished or left by a crash (tests check interrupted uploads leave none). */
  tempFileCount(): Promise<number>;
  /** Resolves when the store can take writes now (the folder is writable, the bucket answers); /readyz asks. */
  ready(): Promise<void>;
}

export const isBlobKey = (key: string) => /^[0-9a-f]{64}$/.test(key);
