import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../packages/widgets/src/index.js';
import '../packages/widgets/src/contact-documents/share/share-link-dialog.js';
import type { ShareLinkJson } from '../packages/widgets/src/contact-documents/share/share-link-dialog.js';
import { NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const link = (over: Partial<ShareLinkJson> = {}): ShareLinkJson => ({
  id: 'sl_1',
  documentId: 'doc_1',
  slug: 'q2VwRrYt7mKx1pLs9aBcDw',
  path: '/s/q2VwRrYt7mKx1pLs9aBcDw',
  url: 'https://dossier.acme.com/s/q2VwRrYt7mKx1pLs9aBcDw',
  name: 'Proposal for Globex',
  require: 'email',
  verifyOtp: true,
  allowDownload: false,
  expiresAt: null,
  disabledAt: null,
  allowList: [],
  denyList: [],
  createdBy: 'mb_olivia',
  createdAt: NOW - 86_400_000,
  updatedAt: NOW - 86_400_000,
  views: 12,
  viewers: 5,
  lastViewedAt: NOW - 3_600_000,
  status: 'active',
  ...over,
});

const LINKS = [
  link(),
  link({ id: 'sl_2', name: 'Board (WhatsApp or email)', require: 'either', allowDownload: true, expiresAt: NOW + 7 * 86_400_000, allowList: ['@board.example'], views: 3, viewers: 2 }),
  link({ id: 'sl_3', name: 'Old public link', require: 'none', verifyOtp: false, status: 'disabled', disabledAt: NOW - 86_400_000, views: 40, viewers: 0 }),
];

function api(items: Reply, role: 'owner' | 'agent' = 'owner', noPermission = false) {
  let list = (Array.isArray(items) ? structuredClone(items) : items) as ShareLinkJson[];
  const s = session(role);
  return storyFetch({
    'GET /api/v1/me': noPermission ? { ...s, permissions: s.permissions.filter((p) => p !== 'share_links.manage') } : s,
    'GET /api/v1/share-links': () => (Array.isArray(list) ? { items: list } : items),
    'POST /api/v1/share-links': (_p, body) => {
      const created = link({ ...(body as Partial<ShareLinkJson>), id: `sl_${list.length + 1}`, views: 0, viewers: 0, lastViewedAt: null });
      list = [created, ...list];
      return { status: 201, body: created };
    },
    'PATCH /api/v1/share-links/:id': (p, body) => {
      const b = body as Partial<ShareLinkJson> & { disabled?: boolean };
      list = list.map((l) => (l.id === p.id ? { ...l, ...b, status: b.disabled === undefined ? l.status : b.disabled ? 'disabled' : 'active' } : l));
      return list.find((l) => l.id === p.id);
    },
    'DELETE /api/v1/share-links/:id': (p) => ((list = list.filter((l) => l.id !== p.id)), { deleted: true, id: p.id }),
  });
}

const render = (fetchImpl: typeof fetch, theme = 'light') => html`
  <dossier-provider theme=${theme} .getToken=${async () => 'story-token'} .fetch=${fetchImpl}>
    <share-link-dialog open document-id="doc_1" document-name="Acme proposal.pdf"></share-link-dialog>
  </dossier-provider>
`;

const meta: Meta = {
  title: 'Widgets/share-link-dialog',
  component: 'share-link-dialog',
  parameters: { docs: { description: { component: 'The staff dialog that shares a document through gated links. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const WithLinks: Story = { render: () => render(api(LINKS)) };
export const NoLinksYet: Story = { render: () => render(api([])) };
export const Loading: Story = { render: () => render(api(NEVER)) };
export const LoadFails: Story = { render: () => render(api(fail(500, 'internal', 'Something went wrong on the server. It has been logged.'))) };
export const PermissionDenied: Story = { render: () => render(api(LINKS, 'agent', true)) };
export const DarkTheme: Story = { render: () => render(api(LINKS), 'dark'), parameters: { backgrounds: { default: 'dark' } } };
