// Sample files and data set-up for document tests, all through the real server.
import type { DocumentJson } from '../types.js';
import { tokenFor, type Role } from './fixtures.js';
import { bluePdfSource } from './pdf-source.js';

/** A one-page PDF (a blue square) that pdf.js renders; the xref offsets are computed. */
export function samplePdf(name = 'sample.pdf'): File {
  return new File([bluePdfSource()], name, { type: 'application/pdf' });
}

/** A small PNG drawn on a canvas. */
export async function samplePng(name = 'photo.png'): Promise<File> {
  const canvas = new OffscreenCanvas(24, 16);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#e8590c';
  ctx.fillRect(0, 0, 24, 16);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], name, { type: 'image/png' });
}

export const textFile = (name: string, text: string) => new File([text], name, { type: 'text/plain' });

/** Uploads files to a contact as `role`, like the widget would (multipart). */
export async function uploadDocuments(contactId: string, files: File[], opts: { section?: string; role?: Role; shareOnPortal?: boolean; fieldKey?: string } = {}): Promise<DocumentJson[]> {
  const { token } = await tokenFor(opts.role ?? 'owner');
  const form = new FormData();
  if (opts.section) form.append('section', opts.section);
  if (opts.shareOnPortal) form.append('shareOnPortal', 'true');
  if (opts.fieldKey) form.append('fieldKey', opts.fieldKey);
  for (const f of files) form.append('file', f, f.name);
  const res = await fetch(`/api/v1/contacts/${contactId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: DocumentJson[] }).items;
}

/** Pushes a message with attachments through `POST /api/v1/messages`, as a host backend does with its secret key. */
export async function pushMessage(message: Record<string, unknown>, files: File[]) {
  const { secretKey } = (await (await fetch('/test/secret')).json()) as { secretKey: string };
  const form = new FormData();
  form.append('message', JSON.stringify(message));
  for (const f of files) form.append('file', f, f.name);
  const res = await fetch('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${secretKey}` }, body: form });
  if (res.status !== 201) throw new Error(`message: ${res.status} ${await res.text()}`);
  return (await res.json()) as { documents: DocumentJson[]; contactId: string };
}
