import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// The provider is not in this element's own module (the script-tag bundle registers it).
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-portal/contact-portal.js';
import type { PortalGrantJson, PortalItemJson } from '../packages/core/src/types.js';
import { contact, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const DAY = 86_400_000;
const item = (id: string, kind: 'offer' | 'group', name: string, status: PortalItemJson['status'] = 'active'): PortalItemJson => ({ id, hostId: `host-${id}`, kind, name, status, createdAt: NOW - 90 * DAY, updatedAt: NOW - 90 * DAY });
const offers = [item('po_1', 'offer', 'Getting started (video course)'), item('po_2', 'offer', 'Advanced reporting'), item('po_3', 'offer', 'Administrator certification')];
const groups = [item('pg_1', 'group', 'Customer community'), item('pg_2', 'group', 'Beta testers'), item('pg_3', 'group', 'A community group with a very long name for partners in three regions')];
const grant = (i: PortalItemJson): PortalGrantJson => ({ item: { id: i.id, hostId: i.hostId, name: i.name, status: i.status }, grantedAt: NOW - 5 * DAY, grantedBy: null });

function api(mine: { offers: PortalItemJson[]; groups: PortalItemJson[] }, opts: { role?: 'owner' | 'manager' | 'agent'; listReply?: Reply; saveReply?: Reply; deleted?: boolean } = {}) {
  const current = { offers: mine.offers.map(grant), groups: mine.groups.map(grant) };
  const catalogue = (list: PortalItemJson[]) => ({ items: list.filter((i) => i.status === 'active'), nextCursor: null });
  const put = (kind: 'offers' | 'groups', list: PortalItemJson[]) => (p: Record<string, string>) => {
    if (opts.saveReply) return opts.saveReply;
    const g = grant(list.find((i) => i.id === p.itemId)!);
    current[kind] = [...current[kind], g];
    return { status: 201, body: g };
  };
  const del = (kind: 'offers' | 'groups', list: PortalItemJson[]) => (p: Record<string, string>) => {
    current[kind] = current[kind].filter((g) => g.item.id !== p.itemId);
    return list.find((i) => i.id === p.itemId);
  };
  return storyFetch({
    'GET /api/v1/me': session(opts.role),
    'GET /api/v1/contacts/:id': { ...contact, deletedAt: opts.deleted ? NOW - DAY : null },
    'GET /api/v1/portal/offers': catalogue(offers),
    'GET /api/v1/portal/groups': catalogue(groups),
    'GET /api/v1/contacts/:id/portal': () => opts.listReply ?? current,
    'PUT /api/v1/contacts/:id/portal/offers/:itemId': put('offers', offers),
    'DELETE /api/v1/contacts/:id/portal/offers/:itemId': del('offers', offers),
    'PUT /api/v1/contacts/:id/portal/groups/:itemId': put('groups', groups),
    'DELETE /api/v1/contacts/:id/portal/groups/:itemId': del('groups', groups),
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '480px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-portal contact-id="ct_ada"></contact-portal>
    </dossier-provider>
  </div>
`;

const meta: Meta = {
  title: 'Widgets/contact-portal',
  component: 'contact-portal',
  parameters: { docs: { description: { component: 'A contact’s client-portal access: course offers granted and community groups joined, from the host’s catalogues. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

const some = { offers: [offers[0]!], groups: [groups[0]!] };
export const Default: Story = { render: () => render(api(some)) };
export const Loading: Story = { render: () => render(api(some, { listReply: NEVER })) };
export const Empty: Story = { render: () => render(api({ offers: [], groups: [] })) };
export const ServerError: Story = { render: () => render(api(some, { listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const GrantRefused: Story = {
  render: () => render(api(some, { saveReply: fail(409, 'item_inactive', '“Advanced reporting” is inactive; the host must make it active before it is granted.') })),
  parameters: { docs: { description: { story: 'Choose an offer and Grant: the refusal shows under the section, the choice kept.' } } },
};
export const LongNames: Story = { render: () => render(api({ offers, groups })) };
export const DeletedContact: Story = { render: () => render(api(some, { deleted: true })) };
export const DarkTheme: Story = { render: () => render(api(some), { theme: 'dark' }) };
export const NarrowWidth: Story = { render: () => render(api(some), { width: '320px' }) };
