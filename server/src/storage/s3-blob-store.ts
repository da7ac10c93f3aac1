// Blob store on an S3-compatible bucket: content at `<prefix>blobs/<sha256>`, uploads streamed as multipart to
// `<prefix>tmp/<random>` while hashing, then copied under their hash on commit (server-side, no bytes through us).
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { isBlobKey, type BlobEntry, type BlobStore, type BlobWriter, type PendingBlob } from './blob-store.js';

/** Bytes kept in memory from the start of an upload, so sniffing its type needs no round trip to the bucket. */
const HEAD_BYTES = 64 * 1024;
/** Multipart part size; with `QUEUE` parts in flight, an upload holds at most ~(QUEUE + 1) × PART bytes. */
const PART = 8 * 1024 * 1024;
const QUEUE = 2;
/** Temp uploads older than this are left over from a crash (an upload in progress is never this old). */
const STALE_TEMP_MS = 6 * 3_600_000;

export interface S3Options {
  bucket: string;
  /** Key prefix inside the bucket (e.g. `dossier/`), so one bucket can hold other things too. */
  prefix?: string;
  client: S3ClientConfig;
}

const notFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

export class S3BlobStore implements BlobStore {
  readonly s3: S3Client;
  readonly bucket: string;
  private readonly prefix: string;
  /** Uploads of this process not yet finished or aborted (their bytes are not listable in the bucket yet). */
  private writing = 0;

  constructor(opts: S3Options) {
    this.s3 = new S3Client(opts.client);
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ?? '';
  }

  /**
   * Checks the bucket answers and removes temp uploads a crash left behind: finished temp objects, and multipart
   * uploads never completed (where the server implements listing them; a lifecycle rule
   * "AbortIncompleteMultipartUpload" on the bucket covers the others). Call once at start-up.
   */
  async init(now = Date.now()): Promise<this> {
    for await (const entry of this.list(`${this.prefix}tmp/`)) {
      if (entry.modifiedAt < now - STALE_TEMP_MS) await this.deleteKey(entry.key);
    }
    const open = await this.s3.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: `${this.prefix}tmp/` })).catch(() => null);
    for (const u of open?.Uploads ?? []) {
      if ((u.Initiated?.getTime() ?? now) < now - STALE_TEMP_MS) {
        await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key!, UploadId: u.UploadId! })).catch(() => undefined);
      }
    }
    return this;
  }

  private blobKey(key: string): string {
    if (!isBlobKey(key)) throw new Error(`Invalid blob key: ${key.slice(0, 80)}`);
    return `${this.prefix}blobs/${key}`;
  }

  private async deleteKey(key: string) {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async *list(prefix: string): AsyncGenerator<{ key: string; size: number; modifiedAt: number }> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) yield { key: o.Key!, size: o.Size ?? 0, modifiedAt: o.LastModified?.getTime() ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async create(): Promise<BlobWriter> {
    const tmpKey = `${this.prefix}tmp/${randomBytes(12).toString('hex')}`;
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    const upload = new Upload({ client: this.s3, params: { Bucket: this.bucket, Key: tmpKey, Body: body }, partSize: PART, queueSize: QUEUE, leavePartsOnError: false });
    const uploaded = upload.done();
    uploaded.catch(() => undefined); // surfaced by finish(); an abort rejects it on purpose
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headSize = 0;
    let size = 0;
    const store = this;
    let writing = true;
    this.writing++;
    const stopWriting = () => {
      if (writing) this.writing--;
      writing = false;
    };
    return {
      async write(chunk) {
        hash.update(chunk);
        size += chunk.byteLength;
        if (headSize < HEAD_BYTES) {
          const part = Buffer.from(chunk.subarray(0, HEAD_BYTES - headSize));
          head.push(part);
          headSize += part.byteLength;
        }
        // Backpressure: wait while the multipart upload has its parts in flight.
        if (!body.write(chunk)) await Promise.race([once(body, 'drain'), uploaded.then(() => undefined)]);
      },
      async abort() {
        stopWriting();
        body.destroy();
        await upload.abort().catch(() => undefined);
        await store.deleteKey(tmpKey).catch(() => undefined);
      },
      async finish() {
        body.end();
        try {
          await uploaded;
        } finally {
          stopWriting();
        }
        return store.pending(tmpKey, hash.digest('hex'), size, Buffer.concat(head));
      },
    };
  }

  private pending(tmpKey: string, sha256: string, size: number, head: Buffer): PendingBlob {
    let done = false;
    return {
      sha256,
      size,
      read: async (position, length) => {
        const end = Math.min(size, position + length);
        if (end <= position) return Buffer.alloc(0);
        if (end <= head.byteLength) return head.subarray(position, end);
        const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: tmpKey, Range: `bytes=${position}-${end - 1}` }));
        return Buffer.from(await res.Body!.transformToByteArray());
      },
      commit: async () => {
        if (done) return sha256;
        const key = this.blobKey(sha256);
        // Same content stored once: when it is already there, the temp copy just goes.
        if ((await this.sizeOfKey(key)) !== size) {
          // One CopyObject handles up to 5 GB, far above the largest upload the server accepts.
          await this.s3.send(new CopyObjectCommand({ Bucket: this.bucket, Key: key, CopySource: `${this.bucket}/${tmpKey}` }));
        }
        await this.deleteKey(tmpKey);
        done = true;
        return sha256;
      },
      discard: async () => {
        if (done) return;
        done = true;
        await this.deleteKey(tmpKey);
      },
    };
  }

  open(key: string, range?: { start: number; end: number }): Readable {
    const out = new PassThrough({ highWaterMark: 256 * 1024 });
    const abort = new AbortController();
    // A reader that goes away (the client hung up) stops the download from the bucket too.
    out.on('close', () => abort.abort());
    this.s3
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.blobKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }), { abortSignal: abort.signal })
      .then((res) => {
        const body = res.Body as Readable;
        body.on('error', (err) => out.destroy(err));
        out.on('close', () => body.destroy());
        body.pipe(out);
      })
      .catch((err: unknown) => out.destroy(err as Error));
    return out;
  }

  private async sizeOfKey(key: string): Promise<number | null> {
    try {
      return (await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))).ContentLength ?? 0;
    } catch (err) {
      if (notFound(err)) return null;
      throw err;
    }
  }

  size(key: string): Promise<number | null> {
    return this.sizeOfKey(this.blobKey(key));
  }

  async remove(key: string): Promise<void> {
    await this.deleteKey(this.blobKey(key));
  }

  async *entries(): AsyncIterable<BlobEntry> {
    const from = `${this.prefix}blobs/`.length;
    for await (const o of this.list(`${this.prefix}blobs/`)) {
      const key = o.key.slice(from);
      if (isBlobKey(key)) yield { key, size: o.size, modifiedAt: o.modifiedAt };
    }
  }

  async ready(): Promise<void> {
    await this.s3.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Temp uploads present: this process's uploads in progress, and temp objects (tests check interrupted uploads leave none). */
  async tempFileCount(): Promise<number> {
    let n = this.writing;
    for await (const _ of this.list(`${this.prefix}tmp/`)) n++;
    return n;
  }
}
