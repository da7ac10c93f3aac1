// One file's upload (XMLHttpRequest, for upload progress), shared by the Add dialog of <contact-documents> and the
// file custom fields of <contact-record>; both load it lazily. Also the checks made before sending.
import type { DossierClient } from '../../../core/src/client.js';
import { formatBytes } from '../../../core/src/format.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import type { DocumentJson } from '../../../core/src/types.js';
import { EXTENSIONS, MAX_BYTES } from './kinds.js';

addMessages('en', {
  'upload.badType': 'This type of file can’t be added. Allowed: PDF, DOC, DOCX, PPT, PPTX, XLS, XLSX, CSV, TXT, PNG, JPG, GIF, WEBP.',
  'upload.tooLarge': 'This file is {size}; the limit is 250 MB.',
  'upload.empty': 'This file is empty.',
  'upload.network': 'The upload failed: the connection was lost. Try again.',
  'upload.reason.type_mismatch': 'The file’s content does not match its extension.',
  'upload.reason.macros': 'Office files with macros are not accepted.',
  'upload.reason.executable': 'Programs and scripts are not accepted.',
  'upload.reason.markup': 'HTML, SVG and XML files are not accepted.',
  'upload.reason.polyglot': 'The file hides a second file inside it.',
  'upload.reason.not_allowed': 'This workspace does not accept this type of file.',
});

/** The client-side check: a message when the file would be refused anyway, else null. */
export function checkFile(file: File): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  if (!EXTENSIONS.includes(ext)) return t('upload.badType');
  if (file.size > MAX_BYTES) return t('upload.tooLarge', { size: formatBytes(file.size) });
  if (file.size === 0) return t('upload.empty');
  return null;
}

/** The server's refusal, in words: its message, plus what `details.reason` means when we know it. */
function refusal(xhr: XMLHttpRequest): string {
  try {
    const { error } = JSON.parse(xhr.responseText) as { error: { message: string; details?: { reason?: string } } };
    const reason = error.details?.reason;
    const extra = reason ? t(`upload.reason.${reason}`) : '';
    return extra && !extra.startsWith('upload.') ? `${error.message} ${extra}` : error.message;
  } catch {
    return xhr.status ? `The server answered ${xhr.status}.` : t('upload.network');
  }
}

/** A drop zone's handlers: `set(true)` while files are dragged over it, `add` gets the dropped files. */
export function dropZone(set: (over: boolean) => void, add: (files: File[]) => void) {
  const over = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation(); // not the widget's own drop overlay
    set(true);
  };
  return {
    over,
    leave: () => set(false),
    drop: (e: DragEvent) => {
      over(e);
      set(false);
      add([...(e.dataTransfer?.files ?? [])]);
    },
  };
}

/** Statuses worth a retry: no answer, timeouts, rate limits, server errors. 413/415/400/409/422 refuse the file itself. */
const retryable = (status: number) => status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;

export interface UploadResult {
  /** The documents created (201). */
  items?: DocumentJson[];
  cancelled?: boolean;
  error?: string;
  /** Whether trying again may get past the error. */
  retryable?: boolean;
}

/**
 * Sends one file to the contact's documents as multipart, `fields` first (as the server wants them). `progress`
 * gets the bytes sent; `started` the request, to abort it. A 401 is tried once more with a fresh token.
 */
export async function uploadFile(
  client: DossierClient,
  contactId: string,
  file: File,
  fields: Record<string, string>,
  progress: (loaded: number) => void,
  started: (xhr: XMLHttpRequest) => void,
  force = false,
): Promise<UploadResult> {
  let token: string;
  try {
    token = await client.tokens.get(force);
  } catch (err) {
    return { error: (err as Error).message, retryable: true };
  }
  const xhr = new XMLHttpRequest();
  const done = new Promise<number>((resolve) => {
    xhr.upload.onprogress = (e) => progress(e.loaded);
    xhr.onload = () => resolve(xhr.status);
    xhr.onerror = () => resolve(0);
    xhr.onabort = () => resolve(-1);
  });
  xhr.open('POST', `${client.baseUrl.replace(/\/$/, '')}/api/v1/contacts/${encodeURIComponent(contactId)}/documents`);
  xhr.setRequestHeader('authorization', `Bearer ${token}`);
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append('file', file, file.name);
  started(xhr);
  xhr.send(body);
  const status = await done;
  if (status === 401 && !force) return uploadFile(client, contactId, file, fields, progress, started, true);
  if (status === -1) return { cancelled: true };
  if (status === 201) return { items: (JSON.parse(xhr.responseText) as { items: DocumentJson[] }).items };
  return { error: status ? refusal(xhr) : t('upload.network'), retryable: retryable(status) };
}
