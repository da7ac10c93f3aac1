import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../packages/widgets/src/index.js';
import '../packages/widgets/src/contact-documents/document-preview.js';
import '../packages/widgets/src/contact-documents/document-upload.js';
import type { DocumentJson } from '../packages/core/src/types.js';
import type { UploadItem } from '../packages/widgets/src/contact-documents/document-upload.js';
import { documents, longDocuments, manyDocuments, pdfBlobUrl, thumbUrl } from './support/document-data.js';
import { members, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

interface Setup {
  docs?: DocumentJson[];
  role?: 'owner' | 'manager' | 'agent';
  listReply?: Reply;
}

/** A provider answering from memory: list with filters, counts and paging; rename, move, delete and restore. */
function api({ docs = documents, role = 'owner', listReply }: Setup = {}) {
  let current = structuredClone(docs);
  return storyFetch({
    'GET /api/v1/me': session(role),
    'GET /api/v1/members': { items: members },
    'GET /api/v1/contacts/:id/documents': (_p, _b, url) => {
      if (listReply) return listReply;
      const q = url.searchParams;
      const base = current.filter(
        (d) =>
          (q.get('deleted') === 'true' ? Boolean(d.deletedAt) : !d.deletedAt) &&
          (!q.get('q') || d.name.toLowerCase().includes(q.get('q')!.toLowerCase())) &&
          (!q.get('origin') || d.origin === q.get('origin')) &&
          (!q.get('form') || d.form === q.get('form')),
      );
      const sort = q.get('sort') ?? 'date';
      const sign = q.get('dir') === 'asc' ? 1 : -1;
      const items = base
        .filter((d) => !q.get('section') || d.section === q.get('section'))
        .sort((a, b) => sign * (sort === 'name' ? a.name.localeCompare(b.name) : sort === 'size' ? a.size - b.size : a.createdAt - b.createdAt));
      const start = Number(q.get('cursor') ?? 0);
      const limit = Number(q.get('limit') ?? 50);
      const count = (s: string) => base.filter((d) => d.section === s).length;
      return {
        items: items.slice(start, start + limit),
        nextCursor: start + limit < items.length ? String(start + limit) : null,
        counts: { all: base.length, internal: count('internal'), sent: count('sent'), received: count('received') },
      };
    },
    'POST /api/v1/documents/:id/link': (p) => ({ url: current.find((d) => d.id === p.id)?.kind === 'pdf' ? pdfBlobUrl() : thumbUrl, expiresAt: Date.now() + 300_000 }),
    'POST /api/v1/documents/zip/link': { url: '#zip', expiresAt: Date.now() + 300_000 },
    'PATCH /api/v1/documents/:id': (p, body) => {
      const patch = body as Partial<DocumentJson>;
      current = current.map((d) => (d.id === p.id ? { ...d, ...patch, updatedAt: Date.now() } : d));
      return current.find((d) => d.id === p.id);
    },
    'DELETE /api/v1/documents/:id': (p) => {
      current = current.map((d) => (d.id === p.id ? { ...d, deletedAt: Date.now() } : d));
      return current.find((d) => d.id === p.id);
    },
    'POST /api/v1/documents/:id/restore': (p) => {
      current = current.map((d) => (d.id === p.id ? { ...d, deletedAt: null } : d));
      return current.find((d) => d.id === p.id);
    },
  });
}

const render = (setup: Setup = {}, attrs: { theme?: string; section?: string; width?: string } = {}, after?: (el: Element) => void) => html`
  <div style="max-width:${attrs.width ?? '760px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${api(setup)}>
      <contact-documents contact-id="ct_ada" section=${attrs.section ?? 'all'} .live=${false} ${ref((el) => el && after?.(el))}></contact-documents>
    </dossier-provider>
  </div>
`;

const file = (name: string, size: number, type = 'application/pdf') => new File([new Uint8Array(size)], name, { type });
const uploadItems = (): UploadItem[] => [
  { key: 1, file: file('Signed contract.pdf', 48_213), status: 'done', loaded: 48_213 },
  { key: 2, file: file('Site survey photos.png', 3_400_000, 'image/png'), status: 'uploading', loaded: 1_450_000 },
  { key: 3, file: file('Budget.xlsx', 220_000), status: 'ready', loaded: 0 },
  { key: 4, file: file('installer.exe', 5_000), status: 'invalid', loaded: 0, error: 'This type of file can’t be added. Allowed: PDF, DOC, DOCX, PPT, PPTX, XLS, XLSX, CSV, TXT, PNG, JPG, GIF, WEBP.' },
  { key: 5, file: file('scan.png', 12_000, 'image/png'), status: 'failed', loaded: 12_000, error: 'The file’s content does not match its name. The file’s content does not match its extension.' },
];

const meta: Meta = {
  title: 'Widgets/contact-documents',
  component: 'contact-documents',
  parameters: { docs: { description: { component: 'A contact’s documents: filters, search, sort, preview, upload, rename, move and delete. Stories answer from memory (live updates off).' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render() };
export const Loading: Story = { render: () => render({ listReply: NEVER }) };
export const EmptyAll: Story = { render: () => render({ docs: [] }) };
export const EmptyInternal: Story = { render: () => render({ docs: documents.filter((d) => d.section !== 'internal') }, { section: 'internal' }) };
export const EmptySent: Story = { render: () => render({ docs: documents.filter((d) => d.section !== 'sent') }, { section: 'sent' }) };
export const EmptyReceived: Story = { render: () => render({ docs: documents.filter((d) => d.section !== 'received') }, { section: 'received' }) };
export const ReceivedFromForms: Story = { render: () => render({}, { section: 'received' }) };
export const ServerError: Story = { render: () => render({ listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') }) };
export const Forbidden: Story = { render: () => render({ listReply: fail(403, 'forbidden', 'Your role does not allow this action.') }) };
export const AgentPermissions: Story = {
  render: () => render({ role: 'agent' }),
  parameters: { docs: { description: { story: 'Agents may upload and download; Rename, Move and Delete are not offered (the server refuses them too).' } } },
};
export const ManyDocuments: Story = { render: () => render({ docs: manyDocuments }) };
export const LongNames: Story = { render: () => render({ docs: longDocuments }) };
export const DragOver: Story = {
  render: () =>
    render({}, {}, (el) =>
      setTimeout(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['x'], 'dropped.pdf'));
        el.shadowRoot?.querySelector('.root')?.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, 200),
    ),
};
const DAY = 86_400_000;
const withDeleted = (): DocumentJson[] =>
  documents.map((d, i) => (i === 2 ? { ...d, deletedAt: Date.now() - 3 * DAY } : i === 4 ? { ...d, deletedAt: Date.now() - 27 * DAY } : d));
export const RecentlyDeleted: Story = {
  render: () => render({ docs: withDeleted() }, {}, (el) => setTimeout(() => el.shadowRoot?.querySelector<HTMLElement>('.bin-open')?.click(), 200)),
  parameters: { docs: { description: { story: 'Recently deleted: documents in the restore bin with the days left before removal, each with Restore.' } } },
};
export const UploadDialog: Story = {
  render: () => html`<documents-upload .items=${uploadItems()}></documents-upload>`,
  parameters: { docs: { description: { story: 'The Add dialog mid-upload: one file done, one in progress, one queued, one refused before sending, one refused by the server.' } } },
};
export const PreviewPdf: Story = {
  render: () => html`<div style="max-width:760px"><documents-preview .document=${documents[0]} .src=${pdfBlobUrl()}></documents-preview></div>`,
};
export const PreviewImage: Story = {
  render: () => html`<div style="max-width:760px"><documents-preview .document=${documents[1]} .src=${thumbUrl}></documents-preview></div>`,
};
export const PreviewText: Story = {
  render: () => html`<div style="max-width:760px"><documents-preview .document=${documents[5]} .text=${'Called Ada about the renewal.\nShe wants the Pro plan from January.'}></documents-preview></div>`,
};
export const PreviewOther: Story = {
  render: () => html`<div style="max-width:760px"><documents-preview .document=${documents[3]}></documents-preview></div>`,
};
export const DarkTheme: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${render({}, { theme: 'dark' })}</div>`,
  parameters: { backgrounds: { default: 'dark' } },
};
export const NarrowWidth: Story = { render: () => render({ docs: longDocuments.concat(documents) }, { width: '340px' }) };
export const NoProvider: Story = { render: () => html`<contact-documents contact-id="ct_ada"></contact-documents>` };
