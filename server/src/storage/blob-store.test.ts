import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startTestS3, type TestS3 } from '../test-s3.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const keys = async (store: BlobStore) => {
  const out: string[] = [];
  for await (const e of store.entries()) out.push(e.key);
  return out.sort();
};

/** Writes `content` in chunks of `chunk` bytes and finishes. */
async function put(store: BlobStore, content: Buffer, chunk = 64 * 1024) {
  const writer = await store.create();
  for (let i = 0; i < content.length; i += chunk) await writer.write(content.subarray(i, i + chunk));
  return writer.finish();
}

// The same behaviour from every store the server can run on.
function contract(name: string, open: () => Promise<{ store: BlobStore; close(): Promise<void> }>) {
  describe(`blob store: ${name}`, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    before(async () => ({ store, close } = await open()));
    after(() => close());

    it('streams content in, hashes it, reads its head before commit, and keeps it under its hash', async () => {
      // Larger than one S3 multipart part (8 MB), so the multipart path runs.
      const content = randomBytes(9 * 1024 * 1024 + 123);
      const pending = await put(store, content);
      assert.equal(pending.sha256, sha(content));
      assert.equal(pending.size, content.length);
      assert.deepEqual(await pending.read(0, 16), content.subarray(0, 16));
      assert.deepEqual(await pending.read(5_000_000, 10), content.subarray(5_000_000, 5_000_010), 'a read past the kept head');
      assert.deepEqual(await pending.read(content.length - 4, 100), content.subarray(content.length - 4));
      assert.equal(await store.tempFileCount(), 1);
      assert.equal(await pending.commit(), sha(content));
      assert.equal(await pending.commit(), sha(content), 'commit twice is harmless');
      await pending.discard(); // after commit: nothing happens
      assert.equal(await store.tempFileCount(), 0);
      assert.equal(await store.size(sha(content)), content.length);
      assert.deepEqual(await read(store.open(sha(content))), content);
      assert.deepEqual(await read(store.open(sha(content), { start: 1_000, end: 1_999 })), content.subarray(1_000, 2_000));
      assert.ok((await keys(store)).includes(sha(content)));
    });

    it('stores the same content once, and discards or aborts without leaving anything', async () => {
      const content = Buffer.from('same bytes twice');
      const before = (await keys(store)).length;
      await (await put(store, content)).commit();
      await (await put(store, content)).commit();
      assert.equal((await keys(store)).length, before + 1);
      assert.equal(await store.tempFileCount(), 0);

      const dropped = await put(store, Buffer.from('never committed'));
      await dropped.discard();
      const writer = await store.create();
      await writer.write(Buffer.from('half an upload'));
      await writer.abort();
      assert.equal(await store.tempFileCount(), 0);
      assert.equal(await store.size(sha(Buffer.from('never committed'))), null);
    });

    it('removes content, answers null for a missing key, and refuses keys that are not hashes', async () => {
      const content = Buffer.from('to be removed');
      await (await put(store, content)).commit();
      await store.remove(sha(content));
      assert.equal(await store.size(sha(content)), null);
      await store.remove(sha(content)); // again: no error
      assert.throws(() => store.open('../../etc/passwd'), /Invalid blob key/);
      await assert.rejects(read(store.open(sha(Buffer.from('missing')))));
    });

    it('stops reading when the reader goes away', async () => {
      const content = randomBytes(3 * 1024 * 1024);
      await (await put(store, content)).commit();
      const stream = store.open(sha(content));
      await new Promise((resolve) => stream.once('data', resolve));
      stream.destroy();
      await new Promise((resolve) => stream.once('close', resolve));
      assert.ok(stream.destroyed);
    });
  });
}

contract('local disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-blobs-'));
  return { store: await new LocalBlobStore(dir).init(), close: async () => rmSync(dir, { recursive: true, force: true }) };
});

let s3: TestS3;
contract('S3-compatible (s3rver)', async () => {
  s3 = await startTestS3();
  return { store: s3.store, close: () => s3.close() };
});
