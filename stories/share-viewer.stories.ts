import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../packages/widgets/src/index.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const ROOT = '/api/v1/public/share/:slug';
const opened = (kind: 'txt' | 'png', allowDownload = false) => ({
  token: 'story-viewer-token',
  expiresAt: Date.now() + 3_600_000,
  viewId: 'lv_story',
  contactId: null,
  document: { name: kind === 'txt' ? 'Meeting notes.txt' : 'Floor plan.png', kind, mediaType: kind === 'txt' ? 'text/plain; charset=utf-8' : 'image/png', size: 1200, inline: kind === 'png' },
  link: { name: 'Notes for Globex', allowDownload },
});
const TEXT = 'Meeting notes — Globex kickoff\n\n1. Scope agreed for phase one.\n2. Next review in two weeks.\n3. Budget approved.\n';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** The public API answered from memory; `/content` answers bytes. */
function api(info: Reply, extra: Record<string, Reply> = {}): typeof fetch {
  const json = storyFetch({
    [`GET ${ROOT}`]: () => info,
    [`POST ${ROOT}/send-code`]: { status: 202, body: { sent: true, channel: 'email', cooldownSeconds: 30, expiresInSeconds: 600 } },
    [`POST ${ROOT}/verify`]: fail(400, 'code_wrong', 'Wrong code, 4 tries left.'),
    [`POST ${ROOT}/open`]: opened('txt'),
    [`POST ${ROOT}/report`]: { ok: true },
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k.includes(' ')).map(([k, v]) => [k, () => v])),
  });
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/content')) {
      return url.includes('png') || (extra.png as unknown) ? new Response(Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0)), { headers: { 'content-type': 'image/png' } }) : new Response(TEXT, { headers: { 'content-type': 'text/plain' } });
    }
    return json(input, init);
  };
}

const render = (fetchImpl: typeof fetch, attrs: { theme?: string; width?: string; slug?: string } = {}) => {
  sessionStorage.clear();
  return html`<div style="max-width:${attrs.width ?? '820px'}">
    <share-viewer slug=${attrs.slug ?? `story${Math.random().toString(36).slice(2)}`} base-url=${location.origin} theme=${attrs.theme ?? 'light'} .fetch=${fetchImpl}></share-viewer>
  </div>`;
};

const meta: Meta = {
  title: 'Widgets/share-viewer',
  component: 'share-viewer',
  parameters: { docs: { description: { component: 'The public viewer behind a share link: the gate (email / WhatsApp / either, one-time code) and the document. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const EmailGate: Story = { render: () => render(api({ require: 'email', verifyOtp: true, codeLength: 6 })) };
export const WhatsAppGate: Story = { render: () => render(api({ require: 'whatsapp', verifyOtp: true, codeLength: 6 })) };
export const EitherGate: Story = { render: () => render(api({ require: 'either', verifyOtp: true, codeLength: 6 })) };
export const NoCodeNeeded: Story = { render: () => render(api({ require: 'email', verifyOtp: false, codeLength: 6 })) };
export const Loading: Story = { render: () => render(api(NEVER)) };
export const NotAvailable: Story = { render: () => render(api(fail(404, 'link_unavailable', 'This link is not available.'))) };
export const ServerError: Story = { render: () => render(api(fail(500, 'internal', 'Something went wrong on the server. It has been logged.'))) };
export const TextDocument: Story = { render: () => render(api({ require: 'none', verifyOtp: false, codeLength: 6, name: 'Notes for Globex' })) };
export const ImageWithDownload: Story = {
  render: () => render(api({ require: 'none', verifyOtp: false, codeLength: 6, name: 'Plan' }, { [`POST ${ROOT}/open`]: opened('png', true), png: true })),
};
export const DarkTheme: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${render(api({ require: 'either', verifyOtp: true, codeLength: 6 }), { theme: 'dark' })}</div>`,
  parameters: { backgrounds: { default: 'dark' } },
};
export const NarrowWidth: Story = { render: () => render(api({ require: 'whatsapp', verifyOtp: true, codeLength: 6 }), { width: '320px' }) };
