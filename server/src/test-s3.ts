// A real S3-compatible server for tests: s3rver (pure JavaScript, from npm — nothing to download or install
// system-wide, starts in-process in milliseconds, and speaks the S3 REST API the AWS SDK uses: multipart uploads,
// ranged GETs, server-side copy, listing). Each call starts one on a free port over a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { S3BlobStore } from './storage/s3-blob-store.js';

export interface TestS3 {
  endpoint: string;
  store: S3BlobStore;
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'dossier-test'): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const store = new S3BlobStore({
    bucket,
    client: { endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
  });
  await store.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await store.init();
  return {
    endpoint,
    store,
    async close() {
      store.s3.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
