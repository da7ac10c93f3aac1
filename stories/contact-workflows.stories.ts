import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// The provider is not in this element's own module (the script-tag bundle registers it).
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-workflows/contact-workflows.js';
import type { EnrolmentJson, WorkflowJson } from '../packages/core/src/types.js';
import { contact, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const DAY = 86_400_000;
const wf = (id: string, name: string, status: WorkflowJson['status'] = 'active'): WorkflowJson => ({ id, hostId: `host-${id}`, name, status, createdAt: NOW - 90 * DAY, updatedAt: NOW - 90 * DAY });
const workflows = [
  wf('wf_1', 'Lead nurture'),
  wf('wf_2', 'Customer onboarding'),
  wf('wf_3', 'Renewal reminders'),
  wf('wf_4', 'A workflow with a very long name that the host gave it for its spring campaign in three regions'),
];
const enrolment = (id: string, w: WorkflowJson, status: EnrolmentJson['status'], step: string | null, enrolledAt: number, endedAt: number | null = null): EnrolmentJson => ({
  id, hostId: `enr-${id}`, contactId: contact.id, workflow: { id: w.id, hostId: w.hostId, name: w.name, status: w.status }, status, step, enrolledAt, endedAt, enrolledBy: null, stoppedBy: null, updatedAt: endedAt ?? enrolledAt,
});
const enrolments = [
  enrolment('we_1', workflows[0]!, 'enrolled', 'Follow-up call', NOW - 12 * DAY),
  enrolment('we_2', workflows[1]!, 'completed', 'First review', NOW - 60 * DAY, NOW - 20 * DAY),
  enrolment('we_3', workflows[2]!, 'stopped', '30 days before', NOW - 40 * DAY, NOW - 35 * DAY),
];

function api(items: EnrolmentJson[], opts: { role?: 'owner' | 'manager' | 'agent'; listReply?: Reply; enrolReply?: Reply; deleted?: boolean } = {}) {
  let current = structuredClone(items);
  return storyFetch({
    'GET /api/v1/me': session(opts.role),
    'GET /api/v1/contacts/:id': { ...contact, deletedAt: opts.deleted ? NOW - DAY : null },
    'GET /api/v1/workflows': (_p, _b, url) => {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      return { items: workflows.filter((w) => w.name.toLowerCase().includes(q)), nextCursor: null };
    },
    'GET /api/v1/contacts/:id/workflows': (_p, _b, url) => {
      if (opts.listReply) return opts.listReply;
      const active = url.searchParams.get('status') !== 'past';
      return { items: current.filter((e) => (e.status === 'enrolled') === active), nextCursor: null };
    },
    'POST /api/v1/contacts/:id/workflows': (_p, body) => {
      if (opts.enrolReply) return opts.enrolReply;
      const w = workflows.find((x) => x.id === (body as { workflowId: string }).workflowId)!;
      const made = { ...enrolment(`we_${current.length + 10}`, w, 'enrolled', null, NOW), hostId: null };
      current = [made, ...current];
      return { status: 201, body: made };
    },
    'DELETE /api/v1/contacts/:id/workflows/:enrolmentId': (p) => {
      current = current.map((e) => (e.id === p.enrolmentId ? { ...e, status: 'stopped' as const, endedAt: NOW, updatedAt: NOW } : e));
      return current.find((e) => e.id === p.enrolmentId);
    },
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '480px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-workflows contact-id="ct_ada"></contact-workflows>
    </dossier-provider>
  </div>
`;

const meta: Meta = {
  title: 'Widgets/contact-workflows',
  component: 'contact-workflows',
  parameters: { docs: { description: { component: 'A contact’s workflows as the host records them: Active and Past; add to one of the host’s active workflows, remove after confirming. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render(api(enrolments)) };
export const Loading: Story = { render: () => render(api(enrolments, { listReply: NEVER })) };
export const Empty: Story = { render: () => render(api([])) };
export const ServerError: Story = { render: () => render(api(enrolments, { listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const AddRefused: Story = {
  render: () => render(api(enrolments, { enrolReply: fail(422, 'invalid_field', '“Customer onboarding” is not active; only active workflows take contacts.') })),
  parameters: { docs: { description: { story: 'Add to workflow and pick one: the refusal shows in the chooser, which stays open.' } } },
};
export const LongNames: Story = { render: () => render(api([...enrolments, enrolment('we_9', workflows[3]!, 'enrolled', 'A step with a rather long name, as hosts sometimes write them', NOW - DAY)])) };
export const DeletedContact: Story = { render: () => render(api(enrolments, { deleted: true })) };
export const DarkTheme: Story = { render: () => render(api(enrolments), { theme: 'dark' }) };
export const NarrowWidth: Story = { render: () => render(api(enrolments), { width: '320px' }) };
