import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// The provider is not in this element's own module (the script-tag bundle registers it).
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-opportunities/contact-opportunities.js';
import type { ContactOpportunities } from '../packages/widgets/src/contact-opportunities/contact-opportunities.js';
import type { OpportunityJson, PipelineJson } from '../packages/core/src/types.js';
import { contact, members, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const DAY = 86_400_000;
const stage = (id: string, name: string, position: number) => ({ id, name, position, opportunityCount: 1 });
const pipelines: PipelineJson[] = [
  { id: 'pl_sales', name: 'Sales', stages: [stage('ps_lead', 'Lead', 0), stage('ps_qual', 'Qualified', 1), stage('ps_prop', 'Proposal', 2), stage('ps_neg', 'Negotiation', 3)], createdAt: NOW - 90 * DAY, updatedAt: NOW - 90 * DAY },
  { id: 'pl_renew', name: 'Renewals', stages: [stage('ps_due', 'Due', 0), stage('ps_cont', 'Contacted', 1), stage('ps_done', 'Renewed', 2)], createdAt: NOW - 90 * DAY, updatedAt: NOW - 90 * DAY },
];
const opp = (id: string, name: string, extra: Partial<OpportunityJson> = {}): OpportunityJson => ({
  id, name, pipeline: { id: 'pl_sales', name: 'Sales' }, stage: { id: 'ps_qual', name: 'Qualified', position: 1 }, value: 1_250_000, currency: 'EUR', status: 'open', lostReason: null,
  owner: { id: 'mb_ada', name: 'Ada Agent' }, source: 'Referral', closeDate: '2026-12-18', statusChangedAt: null, createdBy: 'mb_ada', createdAt: NOW - 10 * DAY, updatedAt: NOW - DAY,
  contacts: [{ id: contact.id, name: contact.name, avatarUrl: null, role: 'primary' }], canDelete: true, ...extra,
});
const items: OpportunityJson[] = [
  opp('op_1', 'Website relaunch'),
  opp('op_2', 'Annual support plan', { pipeline: { id: 'pl_renew', name: 'Renewals' }, stage: { id: 'ps_cont', name: 'Contacted', position: 1 }, value: 480_000, currency: 'GBP', owner: { id: 'mb_max', name: 'Max Manager' }, closeDate: null }),
  opp('op_3', 'Hardware refresh', { status: 'won', value: 4_300_000, currency: 'USD', stage: { id: 'ps_neg', name: 'Negotiation', position: 3 }, statusChangedAt: NOW - 3 * DAY }),
  opp('op_4', 'Consulting retainer', { status: 'lost', lostReason: 'Chose a cheaper provider', value: 900_000, currency: 'CHF', stage: { id: 'ps_prop', name: 'Proposal', position: 2 } }),
];
const long = opp('op_5', 'Enterprise-wide licence consolidation across every regional subsidiary and the holding company', { value: 123_456_789_00, currency: 'JPY', source: 'A very long source name from a partner referral programme' });

/** The pipeline routes, answering from memory like the server (an empty stage or pipeline goes; a used one is refused). */
function pipelineRoutes(initial: PipelineJson[]) {
  let list = structuredClone(initial);
  let seq = 0;
  const find = (id?: string) => list.find((p) => p.id === id);
  const save = (p: PipelineJson, stages = p.stages) => {
    const next = { ...p, stages: stages.map((s, position) => ({ ...s, position })), updatedAt: NOW };
    list = list.map((x) => (x.id === p.id ? next : x));
    return next;
  };
  const missing = fail(404, 'not_found', 'Pipeline not found.');
  return {
    'GET /api/v1/pipelines': () => ({ items: list }),
    'POST /api/v1/pipelines': (_p: Record<string, string>, body: unknown) => {
      const b = body as { name: string; stages: string[] };
      const created: PipelineJson = { id: `pl_new${++seq}`, name: b.name, stages: b.stages.map((n, i) => ({ id: `ps_new${++seq}`, name: n, position: i, opportunityCount: 0 })), createdAt: NOW, updatedAt: NOW };
      list = [...list, created];
      return { status: 201, body: created };
    },
    'PATCH /api/v1/pipelines/:id': (p: Record<string, string>, body: unknown) => (find(p.id) ? save({ ...find(p.id)!, name: (body as { name: string }).name }) : missing),
    'DELETE /api/v1/pipelines/:id': (p: Record<string, string>) => {
      const found = find(p.id);
      if (!found) return missing;
      const n = found.stages.reduce((sum, s) => sum + s.opportunityCount, 0);
      if (n) return { status: 409, body: { error: { code: 'pipeline_in_use', message: `${n} opportunities are in the pipeline “${found.name}”; move them to another pipeline first.`, details: { count: n } } } };
      list = list.filter((x) => x.id !== p.id);
      return found;
    },
    'POST /api/v1/pipelines/:id/stages': (p: Record<string, string>, body: unknown) =>
      find(p.id) ? { status: 201, body: save(find(p.id)!, [...find(p.id)!.stages, { id: `ps_new${++seq}`, name: (body as { name: string }).name, position: 0, opportunityCount: 0 }]) } : missing,
    'PUT /api/v1/pipelines/:id/stages/order': (p: Record<string, string>, body: unknown) => {
      const found = find(p.id);
      return found ? save(found, (body as { stageIds: string[] }).stageIds.map((id) => found.stages.find((s) => s.id === id)!)) : missing;
    },
    'PATCH /api/v1/pipelines/:id/stages/:stageId': (p: Record<string, string>, body: unknown) => {
      const found = find(p.id);
      return found ? save(found, found.stages.map((s) => (s.id === p.stageId ? { ...s, name: (body as { name: string }).name } : s))) : missing;
    },
    'DELETE /api/v1/pipelines/:id/stages/:stageId': (p: Record<string, string>) => {
      const found = find(p.id);
      const stage = found?.stages.find((s) => s.id === p.stageId);
      if (!found || !stage) return missing;
      if (stage.opportunityCount) return { status: 409, body: { error: { code: 'stage_in_use', message: `${stage.opportunityCount} opportunity is in the stage “${stage.name}”; move it to another stage first.`, details: { count: stage.opportunityCount } } } };
      if (found.stages.length === 1) return { status: 409, body: { error: { code: 'last_stage', message: 'A pipeline keeps at least one stage.' } } };
      return save(found, found.stages.filter((s) => s.id !== stage.id));
    },
  };
}

function api(opts: { role?: 'owner' | 'manager' | 'agent'; listReply?: Reply; saveReply?: Reply; deleted?: boolean; items?: OpportunityJson[]; pipelines?: PipelineJson[] } = {}) {
  let current = structuredClone(opts.items ?? items);
  return storyFetch({
    // Owners and managers hold pipelines.manage (the shared sample session predates it).
    'GET /api/v1/me': opts.role === 'agent' ? session('agent') : { ...session(opts.role), permissions: [...session(opts.role).permissions, 'pipelines.manage'] },
    'GET /api/v1/members': { items: members },
    ...pipelineRoutes(opts.pipelines ?? pipelines),
    'GET /api/v1/contacts/:id': { ...contact, deletedAt: opts.deleted ? NOW - DAY : null },
    'GET /api/v1/contacts/:id/opportunities': () => opts.listReply ?? { items: current },
    'GET /api/v1/opportunities': (_p, _b, url) => {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      return { items: [...current, opp('op_9', 'Fleet renewal 2027', { contacts: [] })].filter((o) => o.name.toLowerCase().includes(q)), nextCursor: null };
    },
    'POST /api/v1/opportunities': (_p, body) => {
      if (opts.saveReply) return opts.saveReply;
      const created = opp(`op_${current.length + 10}`, (body as { name: string }).name, { value: (body as { value: number }).value, currency: (body as { currency: string }).currency });
      current = [created, ...current];
      return { status: 201, body: created };
    },
    'PATCH /api/v1/opportunities/:id': (p, body) => {
      if (opts.saveReply) return opts.saveReply;
      const b = body as { stageId?: string; status?: OpportunityJson['status']; lostReason?: string | null };
      current = current.map((o) => {
        if (o.id !== p.id) return o;
        const s = pipelines.flatMap((x) => x.stages).find((x) => x.id === b.stageId);
        return { ...o, ...(s && { stage: { id: s.id, name: s.name, position: s.position } }), ...(b.status && { status: b.status, lostReason: b.status === 'lost' ? (b.lostReason ?? null) : null }) };
      });
      return current.find((o) => o.id === p.id);
    },
    'POST /api/v1/opportunities/:id/contacts': (p) => {
      const linked = opp(p.id!, 'Fleet renewal 2027');
      current = [linked, ...current];
      return linked;
    },
    'DELETE /api/v1/opportunities/:id/contacts/:contactId': (p) => {
      const gone = current.find((o) => o.id === p.id)!;
      current = current.filter((o) => o.id !== p.id);
      return { ...gone, contacts: [] };
    },
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '560px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-opportunities contact-id="ct_ada"></contact-opportunities>
    </dossier-provider>
  </div>
`;
const dark = (fetch: typeof globalThis.fetch, width?: string) => html`<div style="background:#0f1014;padding:16px">${render(fetch, { theme: 'dark', width })}</div>`;

const until = async (check: () => unknown) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
};
const element = async (canvas: HTMLElement) => {
  const el = canvas.querySelector<ContactOpportunities>('contact-opportunities')!;
  await until(() => el.shadowRoot?.querySelector('.new:not([disabled])'));
  return el;
};
const openDialog = (then: (d: HTMLElement) => Promise<void> | void = () => undefined) => async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  const el = await element(canvasElement);
  el.shadowRoot!.querySelector<HTMLButtonElement>('.new')!.click();
  await until(() => el.shadowRoot!.querySelector('dossier-opportunity-dialog')?.shadowRoot?.querySelector('dialog[open]'));
  await then(el.shadowRoot!.querySelector<HTMLElement>('dossier-opportunity-dialog')!);
};
/** Opens Manage pipelines (from the toolbar, or from the empty state's Create one). */
const openManage = (button = '.manage', then: (d: HTMLElement) => Promise<void> | void = () => undefined) => async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  const el = canvasElement.querySelector<ContactOpportunities>('contact-opportunities')!;
  await until(() => el.shadowRoot?.querySelector(button));
  el.shadowRoot!.querySelector<HTMLButtonElement>(button)!.click();
  await until(() => el.shadowRoot!.querySelector('dossier-pipeline-dialog')?.shadowRoot?.querySelector('dialog[open]'));
  await then(el.shadowRoot!.querySelector<HTMLElement>('dossier-pipeline-dialog')!);
};
/** Sales with an empty stage (the sample stages each hold an opportunity), and a long-named pipeline. */
const managed: PipelineJson[] = [
  { ...pipelines[0]!, stages: [...pipelines[0]!.stages, { id: 'ps_hold', name: 'On hold', position: 4, opportunityCount: 0 }] },
  pipelines[1]!,
  { id: 'pl_long', name: 'Public-sector framework agreements and multi-year tenders', stages: [{ id: 'ps_l1', name: 'Pre-qualification questionnaire submitted', position: 0, opportunityCount: 0 }], createdAt: NOW, updatedAt: NOW },
];

const meta: Meta = {
  title: 'Widgets/contact-opportunities',
  component: 'contact-opportunities',
  parameters: { docs: { description: { component: 'A contact’s opportunities (the record’s Actions panel): cards, create, link existing, move stage, change status, unlink, open. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const Cards: Story = { render: () => render(api()) };
export const Loading: Story = { render: () => render(api({ listReply: NEVER })) };
export const Empty: Story = { render: () => render(api({ items: [] })) };
export const NoPipelines: Story = { render: () => render(api({ items: [], pipelines: [] })) };
export const ServerError: Story = { render: () => render(api({ listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const DeletedContact: Story = { render: () => render(api({ deleted: true })) };
export const LongNames: Story = { render: () => render(api({ items: [long, ...items] })) };
export const DarkTheme: Story = { render: () => dark(api()), parameters: { backgrounds: { default: 'dark' } } };
export const NarrowWidth: Story = { render: () => render(api(), { width: '320px' }) };
export const NarrowDark: Story = { render: () => dark(api({ items: [long, ...items] }), '320px'), parameters: { backgrounds: { default: 'dark' } } };
export const AgentView: Story = { render: () => render(api({ role: 'agent' })) };
export const NewDialog: Story = { render: () => render(api()), play: openDialog() };
export const NewDialogDark: Story = { render: () => dark(api()), play: openDialog(), parameters: { backgrounds: { default: 'dark' } } };
export const NewDialogRefused: Story = {
  render: () => render(api({ saveReply: { status: 422, body: { error: { code: 'invalid_field', message: 'No member with id mb_gone in this workspace.', details: { field: 'ownerId' } } } } })),
  play: openDialog(async (d) => {
    const input = d.shadowRoot!.querySelector<HTMLInputElement>('#opp-name')!;
    input.value = 'Fleet renewal';
    input.dispatchEvent(new InputEvent('input'));
    d.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  }),
  parameters: { docs: { description: { story: 'The server refuses a field: the reason shows by it; what was typed stays.' } } },
};
export const AddExisting: Story = {
  render: () => render(api()),
  play: async ({ canvasElement }) => {
    const el = await element(canvasElement);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.existing')!.click();
    await until(() => el.shadowRoot!.querySelector('#opp-find'));
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#opp-find')!;
    input.value = 'fleet';
    input.dispatchEvent(new InputEvent('input'));
    await until(() => el.shadowRoot!.querySelector('.found'));
  },
};
export const MarkLost: Story = {
  render: () => render(api()),
  play: async ({ canvasElement }) => {
    const el = await element(canvasElement);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('.card .status')!;
    select.value = 'lost';
    select.dispatchEvent(new Event('change'));
  },
};
export const ChangeRefused: Story = {
  render: () => render(api({ saveReply: fail(404, 'not_found', 'Opportunity not found.') })),
  play: async ({ canvasElement }) => {
    const el = await element(canvasElement);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('.card .stage')!;
    select.value = 'ps_neg';
    select.dispatchEvent(new Event('change'));
  },
};
export const ManagePipelines: Story = {
  render: () => render(api({ pipelines: managed })),
  play: openManage(),
  parameters: { docs: { description: { story: 'Owners and managers (`pipelines.manage`) manage pipelines and their stages.' } } },
};
export const ManagePipelinesDark: Story = { render: () => dark(api({ pipelines: managed })), play: openManage(), parameters: { backgrounds: { default: 'dark' } } };
export const ManagePipelinesRefused: Story = {
  render: () => render(api({ pipelines: managed })),
  play: openManage('.manage', async (d) => {
    const input = d.shadowRoot!.querySelector<HTMLInputElement>('li input')!;
    input.value = 'First contact';
    input.dispatchEvent(new InputEvent('input'));
    d.shadowRoot!.querySelector<HTMLButtonElement>('li .remove')!.click();
    await until(() => d.shadowRoot!.querySelector('li [role=alert]'));
  }),
  parameters: { docs: { description: { story: 'The server refuses to delete a stage an opportunity is in: its reason shows by the stage; the rename typed stays.' } } },
};
export const NoPipelinesManager: Story = {
  render: () => render(api({ items: [], pipelines: [], role: 'manager' })),
  parameters: { docs: { description: { story: 'No pipeline yet: a manager is offered Create one (the Manage pipelines dialog).' } } },
};
export const NoPipelinesCreate: Story = { render: () => render(api({ items: [], pipelines: [], role: 'manager' })), play: openManage('.create-pipeline') };
