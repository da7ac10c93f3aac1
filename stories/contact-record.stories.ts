import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../packages/widgets/src/index.js';
import type { ContactJson } from '../packages/core/src/types.js';
import { audit, contact, fields, longContact, members, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

interface Setup {
  contact?: ContactJson;
  role?: 'owner' | 'manager' | 'agent';
  contactReply?: Reply;
  fields?: typeof fields;
  patchReply?: Reply;
}

/** A provider answering from memory; edits are applied to the in-memory contact so the story is interactive. */
function api({ contact: c = contact, role = 'owner', contactReply, fields: f = fields, patchReply }: Setup = {}) {
  let current = structuredClone(c);
  return storyFetch({
    'GET /api/v1/me': session(role),
    'GET /api/v1/members': { items: members },
    'GET /api/v1/custom-fields': { items: f },
    'GET /api/v1/tags': { items: ['vip', 'customer', 'lead', 'partner'] },
    'GET /api/v1/contacts/:id': () => contactReply ?? current,
    'GET /api/v1/contacts/:id/audit': { items: audit, nextCursor: null },
    'GET /api/v1/merges': { items: [] },
    // The right panel's tabs and the header's task badge.
    'GET /api/v1/contacts/:id/tasks/due': { overdue: 1, dueToday: 1 },
    'GET /api/v1/contacts/:id/tasks': { items: [], nextCursor: null },
    'GET /api/v1/contacts/:id/notes': { items: [], nextCursor: null },
    'GET /api/v1/contacts/:id/documents': { items: [], nextCursor: null, counts: { all: 0, internal: 0, sent: 0, received: 0 } },
    // No live stream in stories: the ticket is never answered, so nothing reconnects.
    'POST /api/v1/contacts/events/ticket': NEVER,
    'PATCH /api/v1/contacts/:id': (_p, body) => {
      if (patchReply) return patchReply;
      const patch = body as Partial<ContactJson>;
      // As the server does: custom values, DND and address parts merge; the version goes up.
      const address = 'address' in patch ? patch.address && { ...current.address, ...patch.address } : current.address;
      current = { ...current, ...patch, address, customFields: { ...current.customFields, ...(patch.customFields ?? {}) }, dnd: { ...current.dnd, ...(patch.dnd ?? {}) }, updatedAt: Date.now(), version: current.version + 1 } as ContactJson;
      current.name = [current.firstName, current.lastName].filter(Boolean).join(' ');
      return current;
    },
    'DELETE /api/v1/contacts/:id': () => (current = { ...current, deletedAt: Date.now() }),
    'POST /api/v1/contacts/:id/restore': () => (current = { ...current, deletedAt: null }),
  });
}

const render = (setup: Setup = {}, attrs: { theme?: string; tab?: string; width?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '860px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${api(setup)}>
      <contact-record contact-id=${(setup.contact ?? contact).id} tab=${attrs.tab ?? 'contact'} .contactIds=${['ct_prev', (setup.contact ?? contact).id, 'ct_next']}></contact-record>
    </dossier-provider>
  </div>
`;

const meta: Meta = {
  title: 'Widgets/contact-record',
  component: 'contact-record',
  parameters: { docs: { description: { component: 'The full contact record. Stories answer from memory; in a page it talks to the Dossier server through `<dossier-provider>`.' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render() };
export const GeneralTab: Story = { render: () => render({}, { tab: 'general' }) };
export const CustomFields: Story = { render: () => render({}, { tab: 'additional' }) };
export const NoCustomFields: Story = { render: () => render({ fields: [] }, { tab: 'additional' }) };
export const DoNotDisturb: Story = { render: () => render({}, { tab: 'dnd' }) };
export const AuditLog: Story = { render: () => render({}, { tab: 'audit' }) };
export const Loading: Story = { render: () => render({ contactReply: NEVER }) };
export const ServerError: Story = { render: () => render({ contactReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') }) };
export const NotFound: Story = { render: () => render({ contactReply: fail(404, 'not_found', 'Contact not found.') }) };
export const Forbidden: Story = { render: () => render({ contactReply: fail(403, 'forbidden', 'Your role does not allow this action.') }) };
export const Deleted: Story = { render: () => render({ contact: { ...contact, deletedAt: NOW - 3 * 86_400_000 } }) };
export const DeletedSeenByAgent: Story = { render: () => render({ contact: { ...contact, deletedAt: NOW - 3 * 86_400_000 }, role: 'agent' }) };
export const AgentPermissions: Story = { render: () => render({ role: 'agent' }) };
export const SaveFails: Story = {
  render: () => render({ patchReply: fail(422, 'invalid_field', '"555" is not a valid phone number.') }),
  parameters: { docs: { description: { story: 'Every save is refused: edit any field to see the rollback and the error in place.' } } },
};
export const LongContent: Story = { render: () => render({ contact: longContact }) };
export const DarkTheme: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${render({}, { theme: 'dark' })}</div>`,
  parameters: { backgrounds: { default: 'dark' } },
};
export const NarrowWidth: Story = { render: () => render({ contact: longContact }, { width: '340px' }) };
export const NoProvider: Story = { render: () => html`<contact-record contact-id="ct_ada"></contact-record>` };
export const TwoPanels: Story = {
  render: () => render({}, { width: '1200px' }),
  parameters: { docs: { description: { story: 'A wide host: the contact’s tabs on the left, Tasks, Notes and Documents on the right; the header badge tells of tasks overdue or due today.' } } },
};
export const RightPanelOnly: Story = {
  render: () => html`<div style="max-width:600px"><dossier-provider .getToken=${async () => 'story-token'} .fetch=${api({})}><contact-record contact-id=${contact.id} tab="notes" .panels=${['right']}></contact-record></dossier-provider></div>`,
};
