import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-conversations/contact-conversations.js';
import type { ConversationJson, DocumentJson, MessageJson } from '../packages/core/src/types.js';
import { contact, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const conversation = (id: string, channel: ConversationJson['channel'], extra: Partial<ConversationJson>): ConversationJson => ({
  id, contactId: contact.id, channel, threadId: null, subject: null, openedAt: NOW - 48 * HOUR, lastMessageAt: NOW - HOUR, lastIncomingAt: NOW - HOUR, messageCount: 3, incomingCount: 2, lastMessage: null, ...extra,
});
const message = (id: string, conversationId: string, channel: MessageJson['channel'], direction: MessageJson['direction'], at: number, extra: Partial<MessageJson> = {}): MessageJson => ({
  id, conversationId, contactId: contact.id, channel, direction, at, sender: null, subject: null, text: null, html: null, call: null, documents: [], externalId: null, ...extra,
});
const proposal: DocumentJson = {
  id: 'doc_proposal', contactId: contact.id, section: 'sent', origin: 'email', form: null, name: 'Acme proposal.pdf', kind: 'pdf', mediaType: 'application/pdf', size: 48_213,
  sha256: 'a'.repeat(64), uploadedBy: null, shareOnPortal: false, messageId: 'msg_e2', fieldKey: null, inline: true, contentUrl: '/api/v1/documents/doc_proposal/content', createdAt: NOW - 20 * HOUR, updatedAt: NOW - 20 * HOUR, deletedAt: null,
};

const conversations: ConversationJson[] = [
  conversation('cv_email', 'email', { subject: 'Question about the Pro plan', threadId: '<root@mail.example>', lastMessageAt: NOW - 2 * HOUR, lastMessage: { id: 'msg_e3', direction: 'inbound', preview: 'Looks good — we will go ahead.', at: NOW - 2 * HOUR } }),
  conversation('cv_wa', 'whatsapp', { lastMessageAt: NOW - 26 * HOUR, lastMessage: { id: 'msg_w2', direction: 'outbound', preview: 'Thursday 10:00 works. Agenda to follow.', at: NOW - 26 * HOUR }, messageCount: 2, incomingCount: 1 }),
  conversation('cv_call', 'call', { lastMessageAt: NOW - 50 * HOUR, lastMessage: { id: 'msg_c1', direction: 'inbound', preview: 'Walked through the import wizard.', at: NOW - 50 * HOUR }, messageCount: 1, incomingCount: 1 }),
];
// The HTML below is what the server serves: already sanitized (an allow-list of structure and text).
const threads: Record<string, MessageJson[]> = {
  cv_email: [
    message('msg_e3', 'cv_email', 'email', 'inbound', NOW - 2 * HOUR, { sender: { name: 'Ada Lovelace', address: 'ada@example.com' }, subject: 'Re: Question about the Pro plan', text: 'Looks good — we will go ahead.' }),
    message('msg_e2', 'cv_email', 'email', 'outbound', NOW - 20 * HOUR, {
      sender: { name: 'Max Manager', address: 'sales@acme.example' }, subject: 'Re: Question about the Pro plan', documents: [proposal],
      text: 'Hi Ada,\n\nThe proposal is attached.\n\nBest,\nMax',
      html: '<p>Hi Ada,</p><p>The proposal is attached. Share links show you <i>who</i> opened it — see <a href="https://acme.example/features" target="_blank" rel="noopener noreferrer nofollow">the feature page</a>.</p><blockquote>Could you tell me more about the Pro plan?</blockquote><p>Best,<br />Max</p>',
    }),
    message('msg_e1', 'cv_email', 'email', 'inbound', NOW - 30 * HOUR, { sender: { name: 'Ada Lovelace', address: 'ada@example.com' }, subject: 'Question about the Pro plan', text: 'Hello,\nCould you tell me more about the Pro plan and how share links work?\nhttps://acme.example/pricing\n\nThanks, Ada' }),
  ],
  cv_wa: [
    message('msg_w2', 'cv_wa', 'whatsapp', 'outbound', NOW - 26 * HOUR, { sender: { name: 'Max Manager', address: null }, text: 'Thursday 10:00 works. Agenda to follow.' }),
    message('msg_w1', 'cv_wa', 'whatsapp', 'inbound', NOW - 27 * HOUR, { text: 'Is the onboarding call still on for Thursday? 🙂' }),
  ],
  cv_call: [message('msg_c1', 'cv_call', 'call', 'inbound', NOW - 50 * HOUR, { call: { durationSeconds: 754, recordingUrl: 'https://recordings.example/c1', summary: 'Walked through the import wizard.\nFollow up with the custom fields list.' } })],
};
const long: MessageJson[] = Array.from({ length: 30 }, (_, i) =>
  message(`msg_l${i}`, 'cv_wa', 'whatsapp', i % 3 ? 'inbound' : 'outbound', NOW - i * 7 * MIN, { text: i === 4 ? `${'A long message without a break, pasted from somewhere: '.repeat(10)}https://example.com/${'x'.repeat(90)}` : `Message ${30 - i}` }),
);

function api(opts: { list?: Reply; messages?: Reply; items?: ConversationJson[]; thread?: Record<string, MessageJson[]>; older?: boolean } = {}) {
  return storyFetch({
    'GET /api/v1/me': session(),
    'GET /api/v1/contacts/:id': contact,
    'GET /api/v1/contacts/:id/conversations': () => opts.list ?? { items: opts.items ?? conversations, nextCursor: null },
    'GET /api/v1/contacts/:id/conversations/:conversationId/messages': (p, _b, url) => {
      if (opts.messages) return opts.messages;
      if (url.searchParams.get('cursor')) return NEVER;
      return { items: (opts.thread ?? threads)[p.conversationId as string] ?? [], nextCursor: opts.older ? 'older' : null };
    },
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string; id?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '960px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-conversations contact-id="ct_ada" conversation-id=${attrs.id ?? ''} @message-compose=${(e: Event) => console.info('message-compose', (e as CustomEvent).detail)}></contact-conversations>
    </dossier-provider>
  </div>
`;

const meta: Meta = {
  title: 'Widgets/contact-conversations',
  component: 'contact-conversations',
  parameters: { docs: { description: { component: 'A contact’s conversations across channels: thread list, chat bubbles, sanitized HTML email, calls, attachments, Reply (`message-compose`). Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const Default: Story = { render: () => render(api()) };
export const Loading: Story = { render: () => render(api({ list: NEVER })) };
export const LoadingMessages: Story = { render: () => render(api({ messages: NEVER })) };
export const Empty: Story = { render: () => render(api({ items: [] })) };
export const EmptyThread: Story = { render: () => render(api({ thread: {} })) };
export const ServerError: Story = { render: () => render(api({ list: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const MessagesError: Story = { render: () => render(api({ messages: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const NotFound: Story = { render: () => render(api({ list: fail(404, 'not_found', 'Contact not found.') })) };
export const Call: Story = { render: () => render(api(), { id: 'cv_call' }) };
export const LoadingOlder: Story = {
  render: () => render(api({ thread: { cv_email: long }, older: true })),
  parameters: { docs: { description: { story: 'More messages than one page: scrolling up (or Load older messages) asks for the next page; here it never answers.' } } },
};
export const LongContent: Story = { render: () => render(api({ thread: { cv_email: long } })) };
export const DarkTheme: Story = { render: () => render(api(), { theme: 'dark' }) };
export const NarrowWidth: Story = { render: () => render(api(), { width: '360px' }) };
