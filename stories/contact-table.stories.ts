import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../packages/widgets/src/index.js';
import type { ContactTable } from '../packages/widgets/src/contact-table/contact-table.js';
import type { TableAddContact } from '../packages/widgets/src/contact-table/add-contact-dialog.js';
import type { ContactJson } from '../packages/core/src/types.js';
import { contact, fields, longContact, members, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Tim', 'Barbara', 'Dennis', 'Frances'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov', 'Ritchie', 'Allen'];
const TAGS = ['vip', 'lead', 'customer', 'partner'];

/** `n` generated contacts, built on the sample contact. */
function many(n: number): ContactJson[] {
  return Array.from({ length: n }, (_, i) => {
    const firstName = FIRST[i % 10]!;
    const lastName = LAST[Math.floor(i / 10) % 10]!;
    return {
      ...contact,
      id: `ct_${i}`,
      firstName,
      lastName,
      name: `${firstName} ${lastName}`,
      avatarUrl: null,
      emails: [{ value: `${firstName}.${lastName}${i}@example.com`.toLowerCase(), label: 'work', primary: true, verified: false }],
      phones: i % 3 ? [{ value: `+1415555${String(1000 + (i % 9000)).padStart(4, '0')}`, display: `(415) 555-${String(1000 + (i % 9000)).padStart(4, '0')}`, label: 'mobile', primary: true, verified: false }] : [],
      tags: TAGS.slice(0, i % 4),
      ownerId: i % 5 ? members[i % members.length]!.id : null,
      createdAt: NOW - i * 3_600_000,
      lastInteractionAt: i % 4 ? NOW - i * 600_000 : null,
      lastChannel: ['email', 'sms', 'whatsapp', null][i % 4]!,
      deletedAt: null,
    };
  });
}

interface Setup {
  rows?: ContactJson[];
  role?: 'owner' | 'manager' | 'agent';
  queryReply?: Reply;
  estimated?: boolean;
}

/** An in-memory query endpoint: search over names, positions as cursors (`cursor`, `offset`, `before`), counts. */
function api({ rows = many(60), role = 'owner', queryReply, estimated = false }: Setup = {}) {
  const matching = (q?: string) => (q ? rows.filter((r) => r.name.toLowerCase().includes(q.toLowerCase())) : rows);
  return storyFetch({
    'GET /api/v1/me': session(role),
    'GET /api/v1/members': { items: members },
    'GET /api/v1/custom-fields': { items: fields },
    'GET /api/v1/teams': { items: [{ id: 'tm_1', name: 'Sales EMEA', memberIds: ['mb_olivia'], createdAt: 0, updatedAt: 0 }] },
    'GET /api/v1/tags': { items: TAGS },
    'GET /api/v1/views': { items: [{ id: 'vw_1', name: 'VIP leads', scope: 'workspace', ownerMemberId: null, definition: { columns: [], filter: { and: [{ field: 'tags', op: 'has_any', value: ['vip'] }] } } }] },
    'GET /api/v1/merges': { items: [] },
    // No live stream in stories: the ticket is never answered, so nothing reconnects.
    'POST /api/v1/contacts/events/ticket': NEVER,
    'POST /api/v1/contacts/query': (_p, body) => {
      // The Add contact dialog's duplicate check (an "or" of email / phone conditions): none in memory.
      if ((body as { filter?: { or?: unknown } }).filter?.or) return { items: [], nextCursor: null, prevCursor: null, count: null, estimated: false };
      if (queryReply) return queryReply;
      const b = body as { q?: string; limit: number; cursor?: string; offset?: number; before?: string };
      const matched = matching(b.q);
      const to = b.before ? Number(b.before) : Number(b.cursor ?? b.offset ?? 0) + b.limit;
      const from = Math.max(0, to - b.limit);
      const items = matched.slice(from, to);
      return { items, nextCursor: to < matched.length ? String(to) : null, prevCursor: items.length ? String(from) : null, count: null, estimated: false };
    },
    'POST /api/v1/contacts/count': (_p, body) => queryReply ?? { count: matching((body as { q?: string }).q).length, estimated },
  });
}

const render = (setup: Setup = {}, attrs: { theme?: string; width?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '1100px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${api(setup)}>
      <contact-table style="--contact-table-height: 520px"></contact-table>
    </dossier-provider>
  </div>
`;

async function table(canvas: HTMLElement): Promise<ContactTable> {
  const el = canvas.querySelector('contact-table')!;
  for (let i = 0; i < 100 && !el.source?.rows.length; i++) await new Promise((r) => setTimeout(r, 20));
  return el;
}

const meta: Meta = {
  title: 'Widgets/contact-table',
  component: 'contact-table',
  parameters: { docs: { description: { component: 'The contacts list. Stories answer from memory; in a page it talks to the Dossier server through `<dossier-provider>`.' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render() };
export const Loading: Story = { render: () => render({ queryReply: NEVER }) };
export const Empty: Story = { render: () => render({ rows: [] }) };
export const NoMatches: Story = {
  render: () => html`<dossier-provider .getToken=${async () => 'story-token'} .fetch=${api({ rows: [] })}><contact-table q="zzz" style="--contact-table-height: 400px"></contact-table></dossier-provider>`,
};
export const ServerError: Story = { render: () => render({ queryReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') }) };
export const Forbidden: Story = { render: () => render({ queryReply: fail(403, 'forbidden', 'Your role does not allow this action.') }) };
export const ManyRows: Story = {
  render: () => render({ rows: many(100_000), estimated: true }),
  parameters: { docs: { description: { story: '100,000 contacts: only the visible rows are in the DOM.' } } },
};
export const LongNames: Story = { render: () => render({ rows: [longContact, ...many(5).map((c) => ({ ...c, name: `${c.name} ${'von Wolfeschlegelsteinhausenbergerdorff '.repeat(3)}` }))] }) };
export const SelectionAndBulkBar: Story = {
  render: () => render(),
  play: async ({ canvasElement }) => {
    const el = await table(canvasElement);
    el.toggleRow(0);
    el.toggleRow(2);
    el.toggleRow(3);
  },
};
export const FilterDrawerOpen: Story = {
  render: () => render(),
  play: async ({ canvasElement }) => {
    const el = await table(canvasElement);
    el.filter = [{ field: 'tags', op: 'has_any', value: ['vip'] }];
    await el.showPanel('filters');
  },
};
export const AgentPermissions: Story = { render: () => render({ role: 'agent' }) };
export const DarkTheme: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${render({}, { theme: 'dark' })}</div>`,
  parameters: { backgrounds: { default: 'dark' } },
};
export const NarrowWidth: Story = { render: () => render({}, { width: '360px' }) };

/** Opens Add contact and lets `setup` put the dialog in one of its states. */
const addContact = (setup: (d: TableAddContact) => void = () => undefined) => async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  const el = await table(canvasElement);
  await el.showPanel('add');
  await el.updateComplete;
  const d = el.shadowRoot!.querySelector<TableAddContact>('table-add-contact')!;
  setup(d);
};
const typed = (d: TableAddContact) => {
  d.firstName = 'Grace';
  d.lastName = 'Hopper';
  d.emails = [{ value: 'grace@example.com', label: 'work' }];
  d.phones = [{ value: '(415) 555-0199', label: 'mobile' }];
  d.tags = ['vip'];
};
export const AddContact: Story = { render: () => render(), play: addContact() };
export const AddContactFieldErrors: Story = {
  render: () => render(),
  play: addContact((d) => {
    typed(d);
    d.emails = [{ value: 'grace@example', label: 'work' }];
    d.errors = { 'emails[0].value': '"grace@example" is not a valid email address.' };
  }),
};
export const AddContactDuplicates: Story = {
  render: () => render(),
  play: addContact((d) => {
    typed(d);
    d.dupes = many(2).map((c, i) => ({ ...c, name: i ? 'Grace B. Hopper' : 'Grace Hopper', emails: [{ ...c.emails[0]!, value: 'grace@example.com' }] }));
  }),
};
export const AddContactSaving: Story = { render: () => render(), play: addContact((d) => { typed(d); d.busy = 'saving'; }) };
export const AddContactDark: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${render({}, { theme: 'dark' })}</div>`,
  parameters: { backgrounds: { default: 'dark' } },
  play: addContact(typed),
};

/** An agency's organization session over three workspaces, answered from memory (/api/v1/org). */
function orgApi() {
  const clinics = ['North Clinic', 'South Clinic', 'Harbour Dental Group of the Greater Bay Area'].map((name, i) => ({ workspaceId: `ws_${i}`, workspaceName: name, memberId: `mb_${i}`, role: 'manager', restrictToAssigned: false }));
  const rows = many(90).map((c, i) => ({ ...c, workspaceId: clinics[i % 3]!.workspaceId, workspaceName: clinics[i % 3]!.workspaceName }));
  return storyFetch({
    'GET /api/v1/org/workspaces': { organizationId: 'org_1', items: clinics },
    'POST /api/v1/org/contacts/query': (_p, body) => {
      const b = body as { q?: string; limit: number; cursor?: string; workspaceIds?: string[] };
      const matched = rows.filter((r) => (!b.workspaceIds || b.workspaceIds.includes(r.workspaceId)) && (!b.q || r.name.toLowerCase().includes(b.q.toLowerCase())));
      const from = Number(b.cursor ?? 0);
      const to = from + b.limit;
      return { items: matched.slice(from, to), nextCursor: to < matched.length ? String(to) : null, count: b.cursor ? null : matched.length, estimated: false };
    },
  });
}
const renderOrg = (theme = 'light') => html`<div style="max-width:1100px">
  <dossier-provider theme=${theme} .getToken=${async () => 'story-org-token'} .fetch=${orgApi()}>
    <contact-table organization style="--contact-table-height: 520px"></contact-table>
  </dossier-provider>
</div>`;
export const Organization: Story = {
  render: () => renderOrg(),
  parameters: { docs: { description: { story: "An organization session (`organization` attribute): every workspace's contacts, the Workspace column and filter; read-only, a row opens in its own workspace." } } },
};
export const OrganizationDark: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${renderOrg('dark')}</div>`,
  parameters: { backgrounds: { default: 'dark' } },
};
