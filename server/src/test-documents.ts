// Helpers shared by the document tests: multipart uploads through the app, stored blobs, unzipping.
import yauzl from 'yauzl';
import type { Harness } from './testing.js';

export async function upload(h: Harness, token: string, contactId: string, files: { name: string; content: Buffer }[], fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const file of files) form.append('file', new Blob([new Uint8Array(file.content)]), file.name);
  const res = await h.app.request(`/api/v1/contacts/${contactId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

/** The key of every stored blob (not temp uploads), on disk or in the bucket. */
export async function blobFiles(h: Harness): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of h.blobs.entries()) out.push(entry.key);
  return out;
}

export function unzip(buf: Buffer): Promise<Record<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: Record<string, Buffer> = {};
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out[entry.fileName] = Buffer.concat(chunks);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

