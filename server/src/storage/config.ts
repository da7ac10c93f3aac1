import { join } from 'node:path';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/**
 * Where document bytes live: an S3-compatible bucket when `S3_BUCKET` is set (credentials from the standard
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, or the SDK's other sources), else `<dataDir>/blobs` on local disk.
 */
export async function blobStoreFromEnv(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ store: BlobStore; description: string }> {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) {
    const dir = join(dataDir, 'blobs');
    return { store: await new LocalBlobStore(dir).init(), description: `local disk (${dir})` };
  }
  const endpoint = env.S3_ENDPOINT?.trim() || undefined;
  const region = env.S3_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1';
  const forcePathStyle = /^(1|true|yes)$/i.test(env.S3_FORCE_PATH_STYLE ?? '');
  const prefix = env.S3_PREFIX?.trim() || undefined;
  const store = new S3BlobStore({ bucket, prefix, client: { endpoint, region, forcePathStyle } });
  await store.init();
  const where = endpoint ? new URL(endpoint).host : `AWS ${region}`;
  return { store, description: `S3 bucket ${bucket}${prefix ? `/${prefix}` : ''} at ${where}` };
}
