import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectBlobs } from '../domain/documents.js';
import { upload } from '../test-documents.js';
import { harness, type Harness } from '../testing.js';

const HOUR = 3_600_000;

describe('blob collection sweeps what a crash left behind', () => {
  let h: Harness;
  let owner: string;
  before(async () => {
    h = await harness();
    owner = (await (await h.workspace()).token('owner')).token;
  });
  after(() => h.close());

  /** A file under its content key with no `blobs` row: what kill -9 between the rename and the commit leaves. */
  const leftover = (content: string, ageMs: number) => {
    const key = createHash('sha256').update(content).digest('hex');
    const dir = join(h.blobDir, key.slice(0, 2), key.slice(2, 4));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, key);
    writeFileSync(file, content);
    const at = new Date(Date.now() - ageMs);
    utimesSync(file, at, at);
    return file;
  };

  it('removes files with no row older than an hour, keeps younger ones and every file a row points to', async () => {
    const contact = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Files' } })).body.id as string;
    const kept = await upload(h, owner, contact, [{ name: 'kept.txt', content: Buffer.from('a document that stays') }]);
    assert.equal(kept.status, 201);
    const keptKey = createHash('sha256').update('a document that stays').digest('hex');
    const keptFile = join(h.blobDir, keptKey.slice(0, 2), keptKey.slice(2, 4), keptKey);
    const old = new Date(Date.now() - 3 * HOUR);
    utimesSync(keptFile, old, old);

    const orphan = leftover('bytes of an upload that crashed', 2 * HOUR);
    const young = leftover('bytes of an upload still committing', 10 * 60_000);
    await collectBlobs(h.opened.db, h.blobs, h.clock.now());
    assert.equal(existsSync(orphan), false, 'the old orphan is gone');
    assert.equal(existsSync(young), true, 'a young file may still get its row');
    assert.equal(existsSync(keptFile), true, 'a file with a row stays');
    const doc = kept.body.items[0].id as string;
    assert.equal((await h.app.request(`/api/v1/documents/${doc}/content`, { headers: { authorization: `Bearer ${owner}` } })).status, 200);
  });

  it('an upload of content an old orphan already holds refreshes the file, so the sweep spares it until the row exists', async () => {
    const contact = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Again' } })).body.id as string;
    const file = leftover('same bytes uploaded again', 2 * HOUR);
    const res = await upload(h, owner, contact, [{ name: 'again.txt', content: Buffer.from('same bytes uploaded again') }]);
    assert.equal(res.status, 201);
    await collectBlobs(h.opened.db, h.blobs, h.clock.now());
    assert.equal(existsSync(file), true);
  });
});
