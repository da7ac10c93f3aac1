import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../packages/widgets/src/index.js';
import '../packages/widgets/src/contact-activity/contact-activity.js';
import type { ActivityJson } from '../packages/core/src/types.js';
import { activity, attribution, manyEvents, noAttribution } from './support/activity-data.js';
import { fields, members, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

interface Setup {
  events?: ActivityJson[];
  attr?: object | symbol;
  listReply?: Reply;
  moreReply?: Reply;
}

/** A provider answering from memory: the timeline with kind filter and paging (30 a page), and the attribution. */
function api({ events = activity, attr = attribution, listReply, moreReply }: Setup = {}) {
  return storyFetch({
    'GET /api/v1/me': session('owner'),
    'GET /api/v1/members': { items: members },
    'GET /api/v1/custom-fields': { items: fields },
    'GET /api/v1/contacts/:id/attribution': attr,
    'GET /api/v1/contacts/:id/activity': (_p, _b, url) => {
      const q = url.searchParams;
      if (q.get('cursor') && moreReply) return moreReply;
      if (listReply) return listReply;
      const kinds = q.get('kind')?.split(',');
      const items = events.filter((e) => !kinds || kinds.includes(e.group));
      const start = Number(q.get('cursor') ?? 0);
      const limit = Number(q.get('limit') ?? 30);
      return { items: items.slice(start, start + limit), nextCursor: start + limit < items.length ? String(start + limit) : null };
    },
    // No live stream in stories.
    'POST /api/v1/contacts/events/ticket': NEVER,
  });
}

const render = (setup: Setup = {}, attrs: { theme?: string; kind?: string; width?: string } = {}, after?: (el: Element) => void) => html`
  <div style="max-width:${attrs.width ?? '680px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${api(setup)}>
      <contact-activity contact-id="ct_ada" kind=${attrs.kind ?? ''} ${ref((el) => el && after?.(el))}></contact-activity>
    </dossier-provider>
  </div>
`;
const openDetails = (el: Element) => setTimeout(() => el.shadowRoot?.querySelector<HTMLElement>('.understand')?.click(), 300);

const meta: Meta = {
  title: 'Widgets/contact-activity',
  component: 'contact-activity',
  parameters: { docs: { description: { component: 'A contact’s attribution (first and latest interaction, every touch) and activity timeline: grouped by day, filterable by kind, loading more as it scrolls. Stories answer from memory (no live stream).' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render() };
export const UnderstandingAttribution: Story = {
  render: () => render({}, {}, openDetails),
  parameters: { docs: { description: { story: '"Understanding attribution" open: what first and latest mean, and every touch, newest first.' } } },
};
export const FilteredByKind: Story = { render: () => render({}, { kind: 'message,call' }) };
export const Loading: Story = { render: () => render({ listReply: NEVER, attr: NEVER }) };
export const Empty: Story = { render: () => render({ events: [], attr: noAttribution }) };
export const EmptyFilter: Story = { render: () => render({}, { kind: 'merge' }) };
export const ServerError: Story = { render: () => render({ listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') }) };
export const AttributionError: Story = { render: () => render({ attr: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') }) };
export const NotFound: Story = { render: () => render({ listReply: fail(404, 'not_found', 'Contact not found.'), attr: fail(404, 'not_found', 'Contact not found.') }) };
export const LongTimeline: Story = { render: () => render({ events: manyEvents }) };
export const LoadMoreFailed: Story = {
  render: () => render({ events: manyEvents, moreReply: fail(503, 'unavailable', 'The server is restarting. Try again in a moment.') }, {}, (el) => setTimeout(() => el.shadowRoot?.querySelector<HTMLElement>('[part=more]')?.click(), 300)),
};
export const DarkTheme: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${render({}, { theme: 'dark' }, openDetails)}</div>`,
  parameters: { backgrounds: { default: 'dark' } },
};
export const NarrowWidth: Story = { render: () => render({ events: manyEvents.slice(0, 12).concat(activity) }, { width: '340px' }, openDetails) };
export const NoProvider: Story = { render: () => html`<contact-activity contact-id="ct_ada"></contact-activity>` };
