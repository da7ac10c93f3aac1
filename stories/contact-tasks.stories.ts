import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// The provider is not in this element's own module (the script-tag bundle registers it).
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-tasks/contact-tasks.js';
import type { TaskJson } from '../packages/core/src/types.js';
import { contact, members, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const HOUR = 3_600_000;
const task = (id: string, title: string, dueAt: number, extra: Partial<TaskJson> = {}): TaskJson => ({
  id, contactId: contact.id, contactName: contact.name, title, description: '', dueAt, assignee: { id: 'mb_ada', name: 'Ada Agent' }, status: 'open', completedAt: null, completedBy: null,
  createdBy: 'mb_max', createdAt: NOW - 72 * HOUR, updatedAt: NOW - 72 * HOUR, canDelete: true, ...extra,
});
const tasks: TaskJson[] = [
  task('tk_1', 'Send the quote for 25 seats', NOW - 20 * HOUR, { description: 'Include the volume discount we discussed.' }),
  task('tk_2', 'Follow-up call', NOW + 2 * HOUR, { assignee: { id: 'mb_olivia', name: 'Olivia Owner' } }),
  task('tk_3', 'Book the team demo', NOW + 5 * 24 * HOUR, { description: 'Tuesday or Thursday;\ninvite their IT lead.' }),
  task('tk_4', 'Check the invoice was received', NOW - 48 * HOUR, { status: 'completed', completedAt: NOW - 40 * HOUR, completedBy: { id: 'mb_max', name: 'Max Manager' } }),
];

function api(items: TaskJson[], opts: { role?: 'owner' | 'manager' | 'agent'; listReply?: Reply; saveReply?: Reply; deleted?: boolean } = {}) {
  let current = structuredClone(items);
  return storyFetch({
    'GET /api/v1/me': session(opts.role),
    'GET /api/v1/members': { items: members },
    'GET /api/v1/contacts/:id': { ...contact, deletedAt: opts.deleted ? NOW - 24 * HOUR : null },
    'GET /api/v1/contacts/:id/tasks': (_p, _b, url) => {
      if (opts.listReply) return opts.listReply;
      const s = url.searchParams;
      const q = (s.get('q') ?? '').toLowerCase();
      const sign = s.get('dir') === 'desc' ? -1 : 1;
      const shown = current
        .filter((x) => (s.get('status') ?? 'all') === 'all' || x.status === s.get('status'))
        .filter((x) => s.get('overdue') !== 'true' || (x.status === 'open' && x.dueAt < NOW))
        .filter((x) => s.get('assignee') !== 'me' || x.assignee.id === 'mb_olivia')
        .filter((x) => x.title.toLowerCase().includes(q))
        .sort((a, b) => sign * (a.dueAt - b.dueAt));
      return { items: shown, nextCursor: null };
    },
    'POST /api/v1/contacts/:id/tasks': (_p, body) => {
      if (opts.saveReply) return opts.saveReply;
      const b = body as { title: string; description: string; dueAt: number; assigneeId: string };
      const created = task(`tk_${current.length + 10}`, b.title, b.dueAt, { description: b.description, assignee: { id: b.assigneeId, name: members.find((m) => m.id === b.assigneeId)?.name ?? null } });
      current = [...current, created];
      return { status: 201, body: created };
    },
    'PATCH /api/v1/contacts/:id/tasks/:taskId': (p, body) => {
      if (opts.saveReply) return opts.saveReply;
      const b = body as Partial<{ title: string; description: string; dueAt: number; assigneeId: string; status: 'open' | 'completed' }>;
      current = current.map((x) => (x.id === p.taskId ? { ...x, ...b, ...(b.status && { completedAt: b.status === 'completed' ? NOW : null, completedBy: b.status === 'completed' ? { id: 'mb_olivia', name: 'Olivia Owner' } : null }) } : x));
      return current.find((x) => x.id === p.taskId);
    },
    'DELETE /api/v1/contacts/:id/tasks/:taskId': (p) => {
      const gone = current.find((x) => x.id === p.taskId);
      current = current.filter((x) => x.id !== p.taskId);
      return gone;
    },
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string; view?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '620px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-tasks contact-id="ct_ada" view=${attrs.view ?? 'open'} .now=${NOW}></contact-tasks>
    </dossier-provider>
  </div>
`;

const meta: Meta = {
  title: 'Widgets/contact-tasks',
  component: 'contact-tasks',
  parameters: { docs: { description: { component: 'A contact’s tasks: create, edit, complete / reopen, delete; filter, search and sort by due date. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render(api(tasks)) };
export const All: Story = { render: () => render(api(tasks), { view: 'all' }) };
export const Completed: Story = { render: () => render(api(tasks), { view: 'completed' }) };
export const Overdue: Story = { render: () => render(api(tasks), { view: 'overdue' }) };
export const Loading: Story = { render: () => render(api(tasks, { listReply: NEVER })) };
export const Empty: Story = { render: () => render(api([])) };
export const ServerError: Story = { render: () => render(api(tasks, { listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const SaveRefused: Story = {
  render: () => render(api(tasks, { saveReply: fail(422, 'invalid_field', 'No member with id mb_gone in this workspace.') })),
  parameters: { docs: { description: { story: 'Add or edit a task and save: the refusal shows in the form, which keeps what was typed.' } } },
};
export const AgentPermissions: Story = { render: () => render(api(tasks.map((x) => ({ ...x, canDelete: false })), { role: 'agent' })) };
export const DeletedContact: Story = { render: () => render(api(tasks, { deleted: true })) };
export const DarkTheme: Story = { render: () => render(api(tasks), { theme: 'dark' }) };
export const NarrowWidth: Story = { render: () => render(api(tasks), { width: '320px' }) };
