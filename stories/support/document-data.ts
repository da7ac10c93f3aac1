// In-memory documents for the <contact-documents> stories.
import { bluePdfSource } from '../../packages/core/src/testing/pdf-source.js';
import type { DocumentJson } from '../../packages/core/src/types.js';
import { NOW } from './sample-data.js';

type Seed = Pick<DocumentJson, 'name' | 'kind' | 'section' | 'origin'> & Partial<DocumentJson>;
const MEDIA: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', txt: 'text/plain', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' };

export function doc(i: number, seed: Seed): DocumentJson {
  const id = `doc_${i}`;
  return {
    id,
    contactId: 'ct_ada',
    form: null,
    mediaType: MEDIA[seed.kind] ?? 'application/octet-stream',
    size: 2048 + ((i * 7919) % 900_000),
    sha256: 'f'.repeat(64),
    uploadedBy: seed.origin === 'upload' ? 'mb_olivia' : null,
    shareOnPortal: false,
    messageId: null,
    fieldKey: null,
    inline: ['pdf', 'png', 'jpg', 'gif', 'webp'].includes(seed.kind),
    contentUrl: `/api/v1/documents/${id}/content`,
    createdAt: NOW - i * 3_600_000 * 7,
    updatedAt: NOW - i * 3_600_000 * 7,
    deletedAt: null,
    ...seed,
  } as DocumentJson;
}

export const documents: DocumentJson[] = [
  doc(1, { name: 'Signed contract.pdf', kind: 'pdf', section: 'received', origin: 'email' }),
  doc(2, { name: 'Site photo.png', kind: 'png', section: 'received', origin: 'whatsapp' }),
  doc(3, { name: 'Intake answers.txt', kind: 'txt', section: 'received', origin: 'form', form: 'Intake' }),
  doc(4, { name: 'Proposal Q3.docx', kind: 'docx', section: 'sent', origin: 'email' }),
  doc(5, { name: 'Pricing.xlsx', kind: 'xlsx', section: 'sent', origin: 'upload' }),
  doc(6, { name: 'Call notes.txt', kind: 'txt', section: 'internal', origin: 'upload' }),
  doc(7, { name: 'Kick-off deck.pptx', kind: 'pptx', section: 'internal', origin: 'upload', uploadedBy: 'mb_max' }),
  doc(8, { name: 'NPS feedback.csv', kind: 'csv', section: 'received', origin: 'survey', form: 'NPS' }),
];

const KINDS = ['pdf', 'png', 'txt', 'docx', 'xlsx', 'csv'] as const;
const SECTIONS = ['internal', 'sent', 'received'] as const;
const ORIGINS = { internal: 'upload', sent: 'email', received: 'sms' } as const;
export const manyDocuments: DocumentJson[] = Array.from({ length: 140 }, (_, i) => {
  const kind = KINDS[i % KINDS.length]!;
  const section = SECTIONS[i % 3]!;
  return doc(i + 1, { name: `Document ${String(i + 1).padStart(3, '0')}.${kind}`, kind, section, origin: ORIGINS[section] });
});

export const longDocuments: DocumentJson[] = [
  doc(1, { name: `${'Quarterly business review with every appendix and the signed annexes '.repeat(3).trim()}.pdf`, kind: 'pdf', section: 'internal', origin: 'upload' }),
  doc(2, { name: 'Photo_2026-11-20_15-30-00_from_the_site_visit_at_the_north_warehouse_loading_dock_B.png', kind: 'png', section: 'received', origin: 'instagram' }),
  doc(3, { name: 'Отчёт о встрече — 会议记录 — محضر الاجتماع.txt', kind: 'txt', section: 'sent', origin: 'email' }),
];

/** A one-page PDF (a blue square), for the preview story. */
export function pdfBlobUrl(): string {
  return URL.createObjectURL(new Blob([bluePdfSource(300, 200)], { type: 'application/pdf' }));
}

/** A small image for thumbnails (an SVG data URL: stories have no server to sign links). */
export const thumbUrl = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#e8590c"/><circle cx="28" cy="12" r="6" fill="#ffd43b"/></svg>')}`;
