import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { DossierClient } from '../../../core/src/client.js';
import type { DossierProvider } from '../../../core/src/dossier-provider.js';
import { createContact, inProvider, tokenFor, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson } from '../../../core/src/types.js';
import './contact-activity.js';
import type { ContactActivity } from './contact-activity.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const sentences = (el: Element) => $$(el, '.item .sentence').map((p) => p.textContent!.trim());
const chip = (el: Element, label: string) => $$<HTMLButtonElement>(el, '.chip').find((b) => b.textContent!.trim() === label)!;

let secret: string | undefined;
/** Records an event as the host backend would (secret key). */
async function post(contactId: string, body: Record<string, unknown>) {
  secret ??= ((await (await fetch('/test/secret')).json()) as { secretKey: string }).secretKey;
  const res = await fetch(`/api/v1/contacts/${contactId}/events`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`event: ${res.status} ${await res.text()}`);
  return (await res.json()).event as { id: string };
}

let seq = 0;
const contact = () => createContact({ firstName: 'Activity', lastName: `Tester ${++seq}` });
const HOUR = 3_600_000;

async function mount(c: ContactJson, opts: { kind?: string } = {}) {
  const el = await inProvider<ContactActivity>(html`<contact-activity contact-id=${c.id} kind=${opts.kind ?? ''}></contact-activity>`);
  await until(() => $(el, '.timeline') && !$(el, 'dossier-state[kind=loading]') && el.attribution, 'activity to load');
  return el;
}

/** A visit from a Google ad two hours ago, a form an hour ago, a purchase and a call now. */
async function arrange() {
  const c = await contact();
  const now = Date.now();
  await post(c.id, { kind: 'visit', url: 'https://acme.example/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=g1', at: now - 2 * HOUR });
  await post(c.id, { kind: 'form_submission', form: 'Demo request', utm: { source: 'newsletter', medium: 'email', campaign: 'nov' }, at: now - HOUR });
  await post(c.id, { kind: 'purchase', title: 'Pro plan', amount: 49, currency: 'USD', at: now - 60_000 });
  await post(c.id, { kind: 'call', direction: 'outbound', durationSeconds: 300, at: now - 30_000 });
  return c;
}

describe('<contact-activity>', () => {
  it('shows attribution (first and latest) and a timeline of readable sentences grouped by day, accessibly', async () => {
    const c = await arrange();
    const el = await mount(c);
    const cards = $$(el, '.touch-card');
    expect(cards[0]!.textContent).to.contain('First interaction').and.contain('Paid search').and.contain('google / cpc').and.contain('spring').and.contain('acme.example/pricing');
    expect(cards[1]!.textContent).to.contain('Latest interaction').and.contain('Email').and.contain('nov');
    expect(sentences(el)).to.deep.equal(['Owner Tester created this contact.', 'Outgoing call · 5 min', 'Purchased Pro plan for $49.00', 'Submitted the form “Demo request”', 'Visited acme.example/pricing']);
    expect($$(el, '.item')[1]!.querySelector('.icon')!.classList.contains('g-call')).to.equal(true);
    expect($$(el, '.day-heading')[0]!.textContent).to.be.oneOf(['Today', 'Yesterday']);
    expect($$(el, '.item .icon svg').length).to.equal($$(el, '.item').length);
    await expect(el).to.be.accessible();

    // "Understanding attribution" lists every touch.
    const toggle = $<HTMLButtonElement>(el, '.understand')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect($(el, '#touches .count')!.textContent).to.contain('2 touches');
    expect($$(el, '.touch-list li').map((li) => li.querySelector('strong')!.textContent)).to.deep.equal(['Email', 'Paid search']);
    await expect(el).to.be.accessible();
  });

  it('filters by kind with toggle chips, and says so when a kind has nothing', async () => {
    const c = await arrange();
    const el = await mount(c);
    chip(el, 'Calls').click();
    await until(() => sentences(el).length === 1, 'calls only');
    expect(el.getAttribute('kind')).to.equal('call');
    expect(chip(el, 'Calls').getAttribute('aria-pressed')).to.equal('true');
    expect(chip(el, 'All').getAttribute('aria-pressed')).to.equal('false');
    chip(el, 'Purchases').click();
    await until(() => sentences(el).length === 2, 'calls and purchases');
    chip(el, 'Calls').click();
    chip(el, 'Purchases').click();
    chip(el, 'Merges').click();
    await until(() => $(el, 'dossier-state[kind=empty]'), 'empty state for merges');
    expect($(el, 'dossier-state[kind=empty]')!.getAttribute('heading')).to.equal('Nothing of these kinds yet');
    chip(el, 'All').click();
    await until(() => sentences(el).length >= 5, 'everything again');
    expect(el.getAttribute('kind')).to.equal('');
  });

  it('pages by keyset: Load more, then more as the end scrolls into view, to the end', async () => {
    const c = await contact();
    const base = Date.now() - 100 * HOUR;
    for (let i = 0; i < 70; i++) await post(c.id, { kind: 'visit', url: `https://acme.example/p/${i}`, at: base + i * HOUR });
    const el = await mount(c, { kind: 'visit' });
    expect($$(el, '.item').length).to.equal(30);
    expect(sentences(el)[0]).to.equal('Visited acme.example/p/69');
    $<HTMLButtonElement>(el, '[part=more]')!.click();
    await until(() => $$(el, '.item').length === 60, 'the second page');
    // The sentinel at the end loads the rest when it scrolls into view.
    $(el, '.sentinel')!.scrollIntoView();
    await until(() => $$(el, '.item').length === 70, 'the last page on scroll');
    expect(sentences(el).at(-1)).to.equal('Visited acme.example/p/0');
    expect(new Set($$(el, '.item').map((i) => i.dataset.id)).size).to.equal(70);
    await until(() => $(el, '.end'), 'the end');
  });

  it('shows an event posted through the API live, on top, and announces it', async () => {
    const c = await arrange();
    const el = await mount(c);
    const client = (el as unknown as { dossier: DossierClient }).dossier;
    await until(() => client.live, 'the live stream to open');
    const before = $$(el, '.item').length;
    const e = await post(c.id, { kind: 'payment', amount: 120, currency: 'EUR', title: 'Invoice 7' });
    await until(() => $$(el, '.item').length === before + 1, 'the new event');
    const first = $$(el, '.item')[0]!;
    expect(first.dataset.id).to.equal(e.id);
    expect(first.classList.contains('fresh')).to.equal(true);
    expect(first.textContent).to.contain('Paid €120.00');
    expect($(el, '[role=status][aria-live=polite]')!.textContent).to.equal('1 new event');
    // A touch moves the latest interaction live too.
    await post(c.id, { kind: 'visit', url: 'https://acme.example/?utm_source=facebook&utm_medium=paid_social' });
    await until(() => $$(el, '.touch-card')[1]!.textContent!.includes('Paid social'), 'latest interaction to follow');
    expect($$(el, '.touch-card')[0]!.textContent).to.contain('Paid search');
  });

  it('reads a call pushed as a message (POST /messages, channel "call") as a call', async () => {
    const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
    const c = await createContact({ firstName: 'Activity', lastName: `Caller ${++seq}`, phones: [{ value: phone }] });
    secret ??= ((await (await fetch('/test/secret')).json()) as { secretKey: string }).secretKey;
    const res = await fetch('/api/v1/messages', { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'call', contact: { phone }, call: { durationSeconds: 120, summary: 'Pricing' } }) });
    expect(res.status).to.equal(201);
    const el = await mount(c);
    await until(() => sentences(el).length === 2, 'the call');
    expect(sentences(el)[0]).to.equal('Incoming call · 2 min');
  });

  it('works from the keyboard: chips, the attribution details and Load more', async () => {
    const c = await arrange();
    const el = await mount(c);
    $<HTMLButtonElement>(el, '.understand')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => $(el, '#touches'), 'touches open by Enter');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement!.textContent!.trim()).to.equal('All');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    await until(() => el.getAttribute('kind') === 'message', 'Messages chip toggled with Space');
  });

  it('shows a failure in place with Try again, never stays loading', async () => {
    const c = await arrange();
    let fail = true;
    const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor('owner')}
      .fetch=${(input: RequestInfo | URL, init?: RequestInit) =>
        fail && String(input).includes('/activity') ? Promise.resolve(Response.json({ error: { code: 'internal', message: 'Database unavailable.' } }, { status: 500 })) : fetch(input, init)}>
      <contact-activity contact-id=${c.id}></contact-activity></dossier-provider>`);
    const el = provider.firstElementChild as ContactActivity;
    await until(() => $(el, 'dossier-state[kind=error]'), 'the error state');
    expect($(el, 'dossier-state[kind=error]')!.getAttribute('message')).to.equal('Database unavailable.');
    await until(() => $$(el, '.touch-card').length === 2, 'attribution still shows');
    fail = false;
    $(el, 'dossier-state[kind=error]')!.shadowRoot!.querySelector('button')!.click();
    await until(() => sentences(el).length === 5, 'the timeline after Try again');
  });

  it('shows not found for a contact the member may not see', async () => {
    const el = await inProvider<ContactActivity>(html`<contact-activity contact-id="ct_nope"></contact-activity>`);
    await until(() => $(el, 'dossier-state[kind=not-found]'), 'not found');
  });

  it('fits a 320 px host in the dark theme without sideways scrolling', async () => {
    const c = await arrange();
    await post(c.id, { kind: 'visit', url: `https://acme.example/${'very-long-path-segment/'.repeat(8)}?utm_source=${'x'.repeat(80)}` });
    const el = await mount(c);
    el.setAttribute('theme', 'dark');
    el.style.width = '320px';
    $<HTMLButtonElement>(el, '.understand')!.click();
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    expect(el.dataset.theme).to.equal('dark');
    expect(getComputedStyle($(el, '.timeline')!).color).to.equal('rgb(233, 234, 239)');
    for (const box of [$(el, '.root')!, $(el, '.timeline')!, $(el, '.attribution')!]) expect(box.scrollWidth, box.className).to.be.at.most(box.clientWidth + 1);
    await expect(el).to.be.accessible();
  });
});
