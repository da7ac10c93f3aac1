// Blob store on the local disk: <root>/<aa>/<bb>/<sha256>, written to <root>/tmp first, fsynced, then renamed.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants, mkdir, open, readdir, rename, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isBlobKey, type BlobEntry, type BlobStore, type BlobWriter, type PendingBlob } from './blob-store.js';

const WRITE_BATCH_BYTES = 1024 * 1024;

export class LocalBlobStore implements BlobStore {
  private readonly tmp: string;

  constructor(private readonly root: string) {
    this.tmp = join(root, 'tmp');
  }

  /** Creates the folders and removes temp files a crash left behind. Call once at start-up. */
  async init(): Promise<this> {
    await mkdir(this.tmp, { recursive: true });
    for (const name of await readdir(this.tmp)) await rm(join(this.tmp, name), { force: true });
    return this;
  }

  private pathOf(key: string): string {
    // Keys are validated here, so no path is ever built from anything but 64 hex characters.
    if (!isBlobKey(key)) throw new Error(`Invalid blob key: ${key.slice(0, 80)}`);
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async create(): Promise<BlobWriter> {
    await mkdir(this.tmp, { recursive: true });
    const tmpPath = join(this.tmp, `${randomBytes(12).toString('hex')}.part`);
    const fh: FileHandle = await open(tmpPath, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await fh.close();
      }
    };
    // Chunks are gathered and written with one writev per ~1 MB (far fewer syscalls than one per socket read),
    // and one batch may be on its way to disk while the next is read from the network (at most ~2 MB held).
    let queue: Uint8Array[] = [];
    let queued = 0;
    let inFlight: Promise<void> | null = null;
    const writeAll = async (buffers: Uint8Array[]) => {
      while (buffers.length) {
        let { bytesWritten } = await fh.writev(buffers);
        while (bytesWritten > 0 && buffers.length) {
          const first = buffers[0]!;
          if (first.byteLength <= bytesWritten) {
            bytesWritten -= first.byteLength;
            buffers = buffers.slice(1);
          } else {
            buffers[0] = first.subarray(bytesWritten);
            bytesWritten = 0;
          }
        }
      }
    };
    const flush = async (wait: boolean) => {
      if (inFlight) await inFlight;
      const buffers = queue;
      queue = [];
      queued = 0;
      inFlight = buffers.length ? writeAll(buffers) : null;
      inFlight?.catch(() => undefined); // a failure surfaces at the next await of inFlight
      if (wait && inFlight) {
        await inFlight;
        inFlight = null;
      }
    };
    const store = this;
    return {
      async write(chunk) {
        hash.update(chunk);
        size += chunk.byteLength;
        queue.push(chunk);
        queued += chunk.byteLength;
        if (queued >= WRITE_BATCH_BYTES) await flush(false);
      },
      async abort() {
        await inFlight?.catch(() => undefined);
        await close().catch(() => undefined);
        await rm(tmpPath, { force: true });
      },
      async finish() {
        await flush(true);
        await fh.sync();
        await close();
        return store.pending(tmpPath, hash.digest('hex'), size);
      },
    };
  }

  private pending(tmpPath: string, sha256: string, size: number): PendingBlob {
    let done = false;
    return {
      sha256,
      size,
      read: async (position, length) => {
        const fh = await open(tmpPath, 'r');
        try {
          const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
          const { bytesRead } = await fh.read(buf, 0, buf.length, position);
          return buf.subarray(0, bytesRead);
        } finally {
          await fh.close();
        }
      },
      commit: async () => {
        if (done) return sha256;
        const target = this.pathOf(sha256);
        const exists = await stat(target).then((s) => s.size === size, () => false);
        if (exists) {
          await rm(tmpPath, { force: true }); // same content stored once
          // It may be a crash's leftover with no row yet: make it young so the sweep spares it until our row exists.
          const now = new Date();
          await utimes(target, now, now);
        } else {
          await mkdir(join(target, '..'), { recursive: true });
          await rename(tmpPath, target);
          await syncDir(join(target, '..'));
        }
        done = true;
        return sha256;
      },
      discard: async () => {
        if (done) return;
        done = true;
        await rm(tmpPath, { force: true });
      },
    };
  }

  open(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(key), { ...range, highWaterMark: 256 * 1024 });
  }

  async size(key: string): Promise<number | null> {
    return stat(this.pathOf(key)).then((s) => s.size, () => null);
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *entries(): AsyncIterable<BlobEntry> {
    // <root>/<aa>/<bb>/<sha256>: two levels of two hex characters.
    const hex2 = /^[0-9a-f]{2}$/;
    for (const a of await readdir(this.root).catch(() => [] as string[])) {
      if (!hex2.test(a)) continue;
      for (const b of await readdir(join(this.root, a)).catch(() => [] as string[])) {
        if (!hex2.test(b)) continue;
        for (const key of await readdir(join(this.root, a, b)).catch(() => [] as string[])) {
          if (!isBlobKey(key)) continue;
          const s = await stat(join(this.root, a, b, key)).catch(() => null);
          if (s) yield { key, size: s.size, modifiedAt: s.mtimeMs };
        }
      }
    }
  }

  async ready(): Promise<void> {
    await access(this.tmp, constants.W_OK);
  }

  /** Number of temp files present (tests check that interrupted uploads leave none). */
  async tempFileCount(): Promise<number> {
    return (await readdir(this.tmp).catch(() => [])).length;
  }
}

/** fsync a directory so a rename survives a crash (not supported everywhere; best effort). */
async function syncDir(dir: string) {
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  await fh.sync().catch(() => undefined);
  await fh.close();
}
