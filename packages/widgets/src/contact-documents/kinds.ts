// File kinds the server accepts, and how the list shows them. Shared by the list, the upload dialog and the preview.
import type { DocumentJson } from '../../../core/src/types.js';

export type Section = DocumentJson['section'];
export type Origin = DocumentJson['origin'];
export const SECTIONS: Section[] = ['internal', 'sent', 'received'];

/** Extensions the upload dialog lets through before asking the server (which sniffs the bytes anyway). */
export const EXTENSIONS = ['pdf', 'doc', 'docx', 'ppt', 'pptx', 'xls', 'xlsx', 'csv', 'txt', 'png', 'jpg', 'jpeg', 'gif', 'webp'];
export const MAX_BYTES = 250 * 1024 * 1024;

const LABELS: Record<string, string> = { doc: 'Word', docx: 'Word', xls: 'Excel', xlsx: 'Excel', ppt: 'PowerPoint', pptx: 'PowerPoint', txt: 'Text', jpg: 'JPEG' };

/** "PDF", "Word", "PNG"… */
export const kindLabel = (kind: string) => LABELS[kind] ?? kind.toUpperCase();

export const isImage = (d: Pick<DocumentJson, 'kind'>) => ['png', 'jpg', 'gif', 'webp'].includes(d.kind);
export const isText = (d: Pick<DocumentJson, 'kind'>) => d.kind === 'txt' || d.kind === 'csv';

/** Short badge text for the file icon. */
export function badge(kind: string): string {
  if (kind.startsWith('doc')) return 'DOC';
  if (kind.startsWith('xls') || kind === 'csv') return kind === 'csv' ? 'CSV' : 'XLS';
  if (kind.startsWith('ppt')) return 'PPT';
  return kind.toUpperCase().slice(0, 4);
}

/** A colour per family, for the icon. */
export function hue(kind: string): number {
  if (kind === 'pdf') return 0;
  if (kind.startsWith('doc')) return 220;
  if (kind.startsWith('xls') || kind === 'csv') return 140;
  if (kind.startsWith('ppt')) return 25;
  if (kind === 'txt') return 260;
  return 190;
}
