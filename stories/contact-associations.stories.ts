import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// The provider is not in this element's own module (the script-tag bundle registers it).
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-associations/contact-associations.js';
import type { AssociationJson, AssociationTypeJson, ObjectTypeJson, TargetSummary } from '../packages/core/src/types.js';
import { contact, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const type = (id: string, targetKind: AssociationTypeJson['targetKind'], label: string, reverseLabel: string | null, objectTypeId: string | null = null): AssociationTypeJson => ({ id, targetKind, objectTypeId, label, reverseLabel, builtIn: false, createdAt: NOW, updatedAt: NOW });
const property: ObjectTypeJson = { id: 'ot_property', name: 'Property', pluralName: 'Properties', fields: [{ key: 'address', label: 'Address', type: 'text', required: true }, { key: 'bedrooms', label: 'Bedrooms', type: 'number' }, { key: 'price', label: 'Price', type: 'number' }], createdAt: NOW, updatedAt: NOW };
const builtIn = (role: 'associated' | 'primary', label: string): AssociationTypeJson => ({ ...type(`opportunity.${role}`, 'opportunity', label, 'Opportunity'), builtIn: true, createdAt: 0, updatedAt: 0 });
const types = [type('at_mgr', 'contact', 'Manager of', 'Reports to'), type('at_sp', 'contact', 'Spouse', null), type('at_emp', 'company', 'Employee of', 'Employs'), type('at_own', 'object', 'Owner of', 'Owned by', property.id), builtIn('associated', 'Associated contact'), builtIn('primary', 'Primary contact')];
const deal = (id: string, name: string, stage: string, value: number, currency: string): TargetSummary => ({ kind: 'opportunity', id, name, detail: null, objectTypeId: null, opportunity: { stage, status: 'open', value, currency } });
const target = (kind: TargetSummary['kind'], id: string, name: string, detail: string | null = null, objectTypeId: string | null = null): TargetSummary => ({ kind, id, name, detail, objectTypeId });
const link = (id: string, typeId: string, label: string, t: TargetSummary, direction: AssociationJson['direction'] = 'forward'): AssociationJson => ({ id, typeId, label, direction, target: t, createdAt: NOW });
const links: AssociationJson[] = [
  link('as_1', 'at_mgr', 'Reports to', target('contact', 'ct_max', 'Max Mustermann', 'max@example.com'), 'reverse'),
  link('as_2', 'at_sp', 'Spouse', target('contact', 'ct_lea', 'Lea Lovelace', 'lea@example.com')),
  link('as_3', 'at_emp', 'Employee of', target('company', 'co_nw', 'Northwind Traders', 'northwind.example')),
  link('as_4', 'at_own', 'Owner of', target('object', 'or_1', 'Harbour View Apartment', 'Property', property.id)),
  link('opportunity:op_1', 'opportunity.primary', 'Primary contact', deal('op_1', 'Website relaunch', 'Proposal', 1_850_000, 'EUR')),
  link('opportunity:op_2', 'opportunity.associated', 'Associated contact', deal('op_2', 'Mobile app add-on', 'Qualified', 1_500_000, 'JPY')),
];
const long = [
  link('as_l1', 'at_emp', 'Employee of', target('company', 'co_long', 'The Extraordinarily Long-Named International Consolidated Holding Company of Northern Europe Ltd', 'a-very-long-subdomain.of-an-even-longer-domain-name.example')),
  link('as_l2', 'at_own', 'Owner of', target('object', 'or_long', 'A cottage with a name that goes on and on past the edge of any card', 'Property', property.id)),
];
const searchable = [target('company', 'co_nw', 'Northwind Traders', 'northwind.example'), target('company', 'co_ct', 'Contoso Ltd', 'contoso.example')];

function api(items: AssociationJson[], opts: { role?: 'owner' | 'manager' | 'agent'; listReply?: Reply; linkReply?: Reply; deleted?: boolean; noTypes?: boolean } = {}) {
  let current = structuredClone(items);
  return storyFetch({
    'GET /api/v1/me': session(opts.role),
    'GET /api/v1/contacts/:id': { ...contact, deletedAt: opts.deleted ? NOW - 86_400_000 : null },
    'GET /api/v1/contacts/:id/associations': () => opts.listReply ?? { items: current },
    'GET /api/v1/association-types': { items: opts.noTypes ? [] : types },
    'GET /api/v1/object-types': { items: [property] },
    'GET /api/v1/association-targets': (_p, _b, url) => ({ items: searchable.filter((s) => s.kind === url.searchParams.get('kind') && s.name.toLowerCase().includes((url.searchParams.get('q') ?? '').toLowerCase())) }),
    'POST /api/v1/companies': (_p, body) => ({ status: 201, body: { id: `co_${Date.now()}`, name: (body as { name: string }).name, domain: null, phone: null, address: null, createdAt: NOW, updatedAt: NOW } }),
    'POST /api/v1/contacts/:id/associations': (_p, body) => {
      if (opts.linkReply) return opts.linkReply;
      const b = body as { typeId: string; targetId: string };
      const made = link(`as_${Date.now()}`, b.typeId, types.find((x) => x.id === b.typeId)!.label, searchable.find((s) => s.id === b.targetId) ?? target('company', b.targetId, 'New company'));
      current = [...current, made];
      return { status: 201, body: made };
    },
    'DELETE /api/v1/contacts/:id/associations/:associationId': (p) => {
      const gone = current.find((a) => a.id === p.associationId);
      current = current.filter((a) => a.id !== p.associationId);
      return gone;
    },
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '560px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-associations contact-id="ct_ada"></contact-associations>
    </dossier-provider>
  </div>
`;

const meta: Meta = {
  title: 'Widgets/contact-associations',
  component: 'contact-associations',
  parameters: { docs: { description: { component: 'A contact’s associations as cards grouped by kind; + Add: Create new or Add existing; Remove asks first. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render(api(links)) };
export const Loading: Story = { render: () => render(api(links, { listReply: NEVER })) };
export const Empty: Story = { render: () => render(api([])) };
export const NoAssociationTypes: Story = { render: () => render(api([], { noTypes: true })) };
export const ServerError: Story = { render: () => render(api(links, { listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const LinkRefused: Story = {
  render: () => render(api(links, { linkReply: fail(409, 'duplicate_association', 'These two are already associated this way.') })),
  parameters: { docs: { description: { story: '+ Add › Add existing, choose Northwind Traders and Associate: the refusal shows in the dialog and the choice stays.' } } },
};
export const DeletedContact: Story = { render: () => render(api(links, { deleted: true })) };
export const LongNames: Story = { render: () => render(api(long)) };
export const DarkTheme: Story = { render: () => render(api(links), { theme: 'dark' }) };
export const NarrowWidth: Story = { render: () => render(api(links), { width: '320px' }) };
