import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { DossierClient } from '../../../core/src/client.js';
import type { DocumentOpenEvent } from '../../../core/src/events.js';
import { createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson } from '../../../core/src/types.js';
import './contact-conversations.js';
import type { ContactConversations, MessageComposeEvent } from './contact-conversations.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const texts = (el: Element) => $$(el, '.message .text').map((p) => p.textContent);

let secret: string | undefined;
/** Pushes a message as the host backend would (secret key): JSON, or multipart with files. */
async function push(body: Record<string, unknown>, files: File[] = []) {
  secret ??= ((await (await fetch('/test/secret')).json()) as { secretKey: string }).secretKey;
  let init: RequestInit;
  if (files.length) {
    const form = new FormData();
    form.append('message', JSON.stringify(body));
    for (const f of files) form.append('file', f, f.name);
    init = { method: 'POST', headers: { authorization: `Bearer ${secret}` }, body: form };
  } else {
    init = { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }
  const res = await fetch('/api/v1/messages', init);
  if (res.status !== 201) throw new Error(`message: ${res.status} ${await res.text()}`);
  return (await res.json()) as { messageId: string; conversationId: string };
}

let seq = 0;
const MIN = 60_000;
/** A contact with its own phone and email, so its messages find it. */
async function person(): Promise<ContactJson & { phone: string; email: string }> {
  const n = ++seq;
  const phone = `+1415555${String(3000 + Math.floor(Math.random() * 6000) + n).slice(-4)}`;
  const email = `conv${n}.${Date.now()}@example.com`;
  const c = await createContact({ firstName: 'Cora', lastName: `Conversation ${n}`, phones: [{ value: phone }], emails: [{ value: email }] });
  return { ...c, phone, email };
}

async function mount(c: ContactJson, theme = 'light') {
  const el = await inProvider<ContactConversations>(html`<contact-conversations contact-id=${c.id} theme=${theme}></contact-conversations>`);
  await until(() => ($(el, '.log') && !$(el, '.thread-view dossier-state')) || $(el, '.empty') || $(el, 'dossier-state[kind=error]'), 'conversations to load');
  return el;
}

describe('<contact-conversations>', () => {
  it('lists threads by channel and shows messages as bubbles with safe text, sanitized HTML and the contact\'s picture', async () => {
    const c = await person();
    const now = Date.now();
    await push({ channel: 'sms', contact: { phone: c.phone }, text: 'Hi!\nSee https://example.com/x <img src=x onerror=alert(1)>', at: now - 10 * MIN });
    await push({ channel: 'sms', direction: 'outbound', contact: { phone: c.phone }, text: 'Hello Cora', sender: { name: 'Sam Agent' }, at: now - 9 * MIN });
    await push({ channel: 'email', contact: { email: c.email }, subject: 'Quote', text: 'plain version', html: '<p>Dear <b>team</b><script>alert(1)</script></p>', sender: { name: 'Cora C', address: c.email }, at: now - 5 * MIN });
    const el = await mount(c);
    // Latest first: the email thread is open.
    expect($$(el, '.thread').map((t) => t.dataset.channel)).to.deep.equal(['email', 'sms']);
    expect($(el, '.thread[aria-selected=true]')!.dataset.channel).to.equal('email');
    const body = $(el, '.message .html')!;
    expect(body.innerHTML).to.contain('<b>team</b>');
    expect(body.querySelector('script')).to.equal(null);
    expect($(el, '.message.in dossier-avatar')).to.not.equal(null);
    expect($(el, '.message .address')!.textContent).to.equal(c.email);
    // Plain text on request.
    $<HTMLButtonElement>(el, '.message .toggle')!.click();
    await el.updateComplete;
    expect(texts(el)).to.deep.equal(['plain version']);

    $(el, '.thread[data-channel=sms]')!.click();
    await until(() => texts(el).length === 2, 'the SMS thread');
    expect(texts(el)).to.deep.equal(['Hi!\nSee https://example.com/x <img src=x onerror=alert(1)>', 'Hello Cora']);
    const first = $(el, '.message .text')!;
    expect(first.querySelector('img'), 'text is never HTML').to.equal(null);
    expect(first.querySelector('a')!.getAttribute('href')).to.equal('https://example.com/x');
    expect(getComputedStyle(first).whiteSpace).to.equal('pre-wrap');
    expect($$(el, '.message').map((m) => m.classList.contains('out'))).to.deep.equal([false, true]);
    expect($$(el, '.message.out .meta strong')[0]!.textContent).to.equal('Sam Agent');
    await expect(el).to.be.accessible();
  });

  it('switches threads from the keyboard and asks the host to reply on the channel', async () => {
    const c = await person();
    const now = Date.now();
    await push({ channel: 'whatsapp', contact: { phone: c.phone }, text: 'On WhatsApp', at: now - 3 * MIN });
    await push({ channel: 'call', contact: { phone: c.phone }, call: { durationSeconds: 125, summary: 'Talked pricing', recordingUrl: 'https://rec.example/1' }, at: now - 2 * MIN });
    const el = await mount(c);
    expect($(el, '.call')!.textContent).to.contain('Incoming call · 2:05');
    expect($(el, '.call a')!.getAttribute('href')).to.equal('https://rec.example/1');
    const composed: MessageComposeEvent[] = [];
    el.addEventListener('message-compose', (e) => composed.push(e));
    $(el, '.thread[aria-selected=true]')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => texts(el).includes('On WhatsApp'), 'the WhatsApp thread');
    expect(el.shadowRoot!.activeElement!.getAttribute('data-channel')).to.equal('whatsapp');
    $<HTMLButtonElement>(el, '[part=reply]')!.click();
    expect(composed.map((e) => [e.detail.contactId, e.detail.channel, e.detail.conversationId])).to.deep.equal([[c.id, 'whatsapp', el.conversationId]]);
    expect(composed[0]!.bubbles && composed[0]!.composed).to.equal(true);
    await sendKeys({ press: 'Home' });
    await until(() => $(el, '.call'), 'back to the call');
  });

  it('loads older messages as the reader scrolls up, keeping their place', async () => {
    const c = await person();
    const now = Date.now();
    for (let i = 0; i < 40; i++) await push({ channel: 'sms', direction: i % 3 ? 'inbound' : 'outbound', contact: { phone: c.phone }, text: `msg ${i}`, at: now - (60 - i) * MIN });
    const el = await mount(c);
    el.style.setProperty('--contact-conversations-height', '400px');
    expect($$(el, '.message').length).to.equal(30);
    expect(texts(el).at(-1)).to.equal('msg 39');
    const log = $(el, '.log')!;
    await until(() => log.scrollTop > 0, 'scrolled to the newest');
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await until(() => $$(el, '.message').length === 40, 'the older page');
    expect(texts(el)[0]).to.equal('msg 0');
    expect(log.scrollTop, 'the reader stays where they were').to.be.greaterThan(100);
    expect($(el, '.start')).to.not.equal(null);
  });

  it('shows a message pushed by the host live, and announces it', async () => {
    const c = await person();
    await push({ channel: 'sms', contact: { phone: c.phone }, text: 'First' });
    const el = await mount(c);
    const client = (el as unknown as { dossier: DossierClient }).dossier;
    await until(() => client.live, 'the live stream to open');
    await push({ channel: 'sms', direction: 'outbound', contact: { phone: c.phone }, text: 'Live reply' });
    await until(() => texts(el).includes('Live reply'), 'the live message');
    expect(texts(el).at(-1)).to.equal('Live reply');
    expect($(el, '[role=status][aria-live=polite]')!.textContent).to.equal('1 new message');
    await push({ channel: 'facebook', contact: { phone: c.phone }, text: 'New thread' });
    await until(() => $$(el, '.thread').length === 2, 'the new conversation');
  });

  it('opens an attachment in the document preview', async () => {
    const c = await person();
    await push({ channel: 'whatsapp', contact: { phone: c.phone }, text: 'The list' }, [new File(['milk\neggs\n'], 'list.txt', { type: 'text/plain' })]);
    const el = await mount(c);
    const opened: DocumentOpenEvent[] = [];
    el.addEventListener('document-open', (e) => opened.push(e));
    const button = $<HTMLButtonElement>(el, '[part=attachment]')!;
    expect(button.textContent).to.contain('list.txt');
    button.click();
    await until(() => $(el, 'documents-preview'), 'the preview');
    expect(opened.map((e) => e.detail.contactId)).to.deep.equal([c.id]);
    const preview = $(el, 'documents-preview')!;
    await until(() => preview.shadowRoot?.textContent?.includes('milk'), 'the text preview');
    preview.dispatchEvent(new CustomEvent('close'));
    await until(() => !$(el, 'documents-preview'), 'closed');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part=attachment]'));
  });

  it('shows empty and error states, and works dark and narrow', async () => {
    const empty = await mount(await person());
    expect($(empty, '.empty')!.textContent).to.contain('No messages yet');
    const missing = await mount({ id: 'ct_missing' } as ContactJson);
    expect($(missing, 'dossier-state[kind=error]')).to.not.equal(null);

    const c = await person();
    await push({ channel: 'sms', contact: { phone: c.phone }, text: 'Dark and narrow' });
    const wrap = await fixture<HTMLDivElement>(html`<div style="width: 360px"></div>`);
    const el = await mount(c, 'dark');
    wrap.append(el.closest('dossier-provider') ?? el);
    await until(() => getComputedStyle($(el, '.back')!).display !== 'none', 'the narrow layout');
    expect(getComputedStyle($(el, '.threads')!).display, 'one pane at a time').to.equal('none');
    $<HTMLButtonElement>(el, '.back')!.click();
    await el.updateComplete;
    expect(getComputedStyle($(el, '.threads')!).display).to.not.equal('none');
    expect(getComputedStyle($(el, '.thread-view')!).display).to.equal('none');
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(23, 24, 29)');
    await sendKeys({ press: 'Enter' });
    await until(() => getComputedStyle($(el, '.thread-view')!).display !== 'none', 'the thread again');
    await expect(el).to.be.accessible();
  });
});
