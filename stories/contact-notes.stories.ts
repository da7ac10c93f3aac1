import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// The provider is not in this element's own module (the script-tag bundle registers it).
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-notes/contact-notes.js';
import type { NoteJson } from '../packages/core/src/types.js';
import { contact, members, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const HOUR = 3_600_000;
const note = (id: string, body: string, at: number, extra: Partial<NoteJson> = {}): NoteJson => ({
  id, contactId: contact.id, body, author: { id: 'mb_max', name: 'Max Manager' }, pinned: false, pinnedAt: null, createdAt: at, updatedAt: at, editedAt: null, canEdit: true, ...extra,
});
const notes: NoteJson[] = [
  note('nt_1', 'VIP — renewal in March. Account page: https://example.com/accounts/ada', NOW - 30 * 24 * HOUR, { pinned: true, pinnedAt: NOW - 2 * HOUR }),
  note('nt_2', 'Called about the renewal.\nWants a quote for 25 seats before Friday.', NOW - 3 * HOUR, { author: { id: 'mb_ada', name: 'Ada Agent' }, editedAt: NOW - HOUR }),
  note('nt_3', 'Prefers WhatsApp over email.', NOW - 50 * HOUR, { canEdit: false }),
];
const long = [note('nt_long', `${'A very long note without a break, pasted from an email thread: '.repeat(12)}\n\nhttps://example.com/${'x'.repeat(120)}`, NOW - HOUR)];

function api(items: NoteJson[], opts: { role?: 'owner' | 'manager' | 'agent'; listReply?: Reply; createReply?: Reply; deleted?: boolean } = {}) {
  let current = structuredClone(items);
  return storyFetch({
    'GET /api/v1/me': session(opts.role),
    'GET /api/v1/members': { items: members },
    'GET /api/v1/contacts/:id': { ...contact, deletedAt: opts.deleted ? NOW - 24 * HOUR : null },
    'GET /api/v1/contacts/:id/notes': (_p, _b, url) => {
      if (opts.listReply) return opts.listReply;
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const sign = url.searchParams.get('sort') === 'oldest' ? 1 : -1;
      const shown = current.filter((n) => n.body.toLowerCase().includes(q));
      const pinned = shown.filter((n) => n.pinned);
      const rest = shown.filter((n) => !n.pinned).sort((a, b) => sign * (a.createdAt - b.createdAt));
      return { items: [...pinned, ...rest], nextCursor: null };
    },
    'POST /api/v1/contacts/:id/notes': (_p, body) => {
      if (opts.createReply) return opts.createReply;
      const b = body as { body: string; pinned?: boolean };
      const created = note(`nt_${current.length + 10}`, b.body, Date.now(), { author: { id: 'mb_olivia', name: 'Olivia Owner' }, pinned: Boolean(b.pinned), pinnedAt: b.pinned ? Date.now() : null });
      current = [created, ...current];
      return { status: 201, body: created };
    },
    'PATCH /api/v1/contacts/:id/notes/:noteId': (p, body) => {
      const b = body as { body?: string; pinned?: boolean };
      current = current.map((n) => (n.id === p.noteId ? { ...n, ...(b.body !== undefined && { body: b.body, editedAt: Date.now() }), ...(b.pinned !== undefined && { pinned: b.pinned, pinnedAt: b.pinned ? Date.now() : null }) } : n));
      return current.find((n) => n.id === p.noteId);
    },
    'DELETE /api/v1/contacts/:id/notes/:noteId': (p) => {
      const gone = current.find((n) => n.id === p.noteId);
      current = current.filter((n) => n.id !== p.noteId);
      return gone;
    },
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '560px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-notes contact-id="ct_ada"></contact-notes>
    </dossier-provider>
  </div>
`;

const meta: Meta = {
  title: 'Widgets/contact-notes',
  component: 'contact-notes',
  parameters: { docs: { description: { component: 'A contact’s notes: write (Ctrl+Enter), edit, pin, delete, search and sort. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render(api(notes)) };
export const Loading: Story = { render: () => render(api(notes, { listReply: NEVER })) };
export const Empty: Story = { render: () => render(api([])) };
export const ServerError: Story = { render: () => render(api(notes, { listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const NotFound: Story = { render: () => render(api(notes, { listReply: fail(404, 'not_found', 'Contact not found.') })) };
export const SaveRefused: Story = {
  render: () => render(api(notes, { createReply: fail(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its notes.') })),
  parameters: { docs: { description: { story: 'Write a note and press Add: the refusal shows under the box and the text stays.' } } },
};
export const AgentPermissions: Story = {
  render: () => render(api(notes.map((n) => ({ ...n, canEdit: n.author?.id === 'mb_ada' })), { role: 'agent' })),
  parameters: { docs: { description: { story: 'An agent edits and deletes only their own notes; anyone may pin.' } } },
};
export const DeletedContact: Story = { render: () => render(api(notes, { deleted: true })) };
export const LongContent: Story = { render: () => render(api(long)) };
export const DarkTheme: Story = { render: () => render(api(notes), { theme: 'dark' }) };
export const NarrowWidth: Story = { render: () => render(api(notes), { width: '320px' }) };
