import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { until } from '../../../core/src/testing/fixtures.js';
import './share-viewer.js';
import type { ShareViewer } from './share-viewer.js';
import type { ShareDocument } from './share-document.js';

interface Link {
  id: string;
  slug: string;
}

async function makeLink(params: Record<string, string> = {}): Promise<Link> {
  const res = await fetch(`/test/share-link?${new URLSearchParams(params)}`, { method: 'POST' });
  if (!res.ok) throw new Error(`link: ${res.status} ${await res.text()}`);
  return (await res.json()) as Link;
}

async function latestCode(to: string): Promise<string> {
  const { items } = (await (await fetch('/test/outbox')).json()) as { items: { to: string; subject: string; body: string }[] };
  const message = items.find((m) => m.to === to);
  if (!message) throw new Error(`no message to ${to}`);
  return /(\d{6})/.exec(message.subject)![1]!;
}

const gateRoot = (el: ShareViewer) => el.gate?.shadowRoot ?? null;
const $ = <T extends Element = HTMLElement>(el: ShareViewer, sel: string) => gateRoot(el)?.querySelector<T>(sel) ?? null;
const docView = (el: ShareViewer) => $<ShareDocument>(el, 'share-document');
const inDoc = <T extends Element = HTMLElement>(el: ShareViewer, sel: string) => docView(el)?.shadowRoot?.querySelector<T>(sel) ?? null;
const text = (el: ShareViewer) => gateRoot(el)?.textContent?.replace(/\s+/g, ' ') ?? '';

function typeInto(input: HTMLInputElement, value: string) {
  input.focus();
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText' }));
}

async function mount(slug: string) {
  sessionStorage.clear();
  const el = await fixture<ShareViewer>(html`<share-viewer slug=${slug} base-url=${location.origin}></share-viewer>`);
  await until(() => gateRoot(el) && !$(el, 'dossier-state'), 'gate to load', 8000);
  return el;
}

let n = 0;
const email = () => `viewer${Date.now()}${++n}@example.com`;

describe('<share-viewer>', function () {
  // The dev server transforms libphonenumber-js (≈100 modules) on first request; with another test file loading
  // in parallel that can exceed a test's wait. Warm it once here so the tests time the widget, not the transform.
  before(async function () {
    this.timeout(60_000);
    await import('./phone.js').then((m) => m.phoneKit());
  });

  // Real server, real pdf.js rendering and several axe runs per test: more than the default 10 s on a busy machine.
  this.timeout(30_000);
  afterEach(() => sessionStorage.clear());

  it('asks for an email, sends a code, counts a wrong code, opens the PDF and pages through it (accessible)', async () => {
    const link = await makeLink({ require: 'email' });
    const el = await mount(link.slug);
    expect(text(el)).to.contain('Enter your email address');
    await expect(el).to.be.accessible();
    const input = $<HTMLInputElement>(el, '#identifier')!;
    expect(input.type).to.equal('email');
    typeInto(input, 'not-an-email');
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await until(() => $(el, '[role=alert]'), 'email error');
    expect($(el, '[role=alert]')!.textContent).to.contain('valid email');

    const who = email();
    typeInto(input, who.toUpperCase());
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await until(() => $(el, '#code'), 'code step');
    const code = $<HTMLInputElement>(el, '#code')!;
    expect(code.getAttribute('inputmode')).to.equal('numeric');
    expect(code.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(gateRoot(el)!.activeElement).to.equal(code);
    expect(text(el)).to.contain(`We sent a code to ${who}`);
    const resend = [...gateRoot(el)!.querySelectorAll<HTMLButtonElement>('button.link')][0]!;
    expect(resend.disabled).to.equal(true);
    expect(resend.textContent).to.match(/Send a new code in \d+s/);
    await expect(el).to.be.accessible();

    const right = await latestCode(who);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    await sendKeys({ type: wrong });
    await sendKeys({ press: 'Enter' });
    await until(() => $(el, '[role=alert]'), 'wrong code message');
    expect($(el, '[role=alert]')!.textContent).to.equal('Wrong code, 4 tries left.');

    code.value = '';
    await sendKeys({ type: right });
    await sendKeys({ press: 'Enter' });
    await until(() => inDoc(el, 'canvas') && docView(el)!.pageText.includes('Page 1 of 3'), 'first page', 15000);
    expect(JSON.parse(sessionStorage.getItem(`dossier-share:${location.origin}/api/v1/public/share/${link.slug}`)!).token).to.be.a('string');
    expect(inDoc(el, 'header')!.textContent).to.contain('Proposal.pdf');
    expect([...docView(el)!.shadowRoot!.querySelectorAll('button')].some((b) => b.textContent === 'Download')).to.equal(false);

    inDoc<HTMLButtonElement>(el, 'button[aria-label="Next page"]')!.click();
    await until(() => docView(el)!.pageText.includes('Page 2 of 3'), 'page 2', 8000);
    // Keyboard: the page region takes arrows.
    inDoc<HTMLElement>(el, '.stage')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await until(() => docView(el)!.pageText.includes('Page 3 of 3'), 'page 3 by keyboard', 8000);
    await sendKeys({ press: 'Home' });
    await until(() => docView(el)!.page === 1, 'home');
    const zoomBefore = docView(el)!.zoom;
    inDoc<HTMLButtonElement>(el, 'button[aria-label="Zoom in"]')!.click();
    await until(() => docView(el)!.zoom > zoomBefore, 'zoom in');
    await expect(el).to.be.accessible();
  });

  it('keeps the viewing session in sessionStorage: a reload skips the gate', async () => {
    const link = await makeLink({ require: 'none' });
    const first = await mount(link.slug);
    await until(() => docView(first), 'document');
    const key = `dossier-share:${location.origin}/api/v1/public/share/${link.slug}`;
    const saved = sessionStorage.getItem(key);
    expect(saved).to.be.a('string');
    first.remove();
    const second = await fixture<ShareViewer>(html`<share-viewer slug=${link.slug} base-url=${location.origin}></share-viewer>`);
    await until(() => second.gate && docView(second), 'document again');
    expect(sessionStorage.getItem(key)).to.equal(saved);
  });

  it('reports the view (duration and pages seen) when the page is hidden', async () => {
    const link = await makeLink({ require: 'none' });
    const el = await mount(link.slug);
    await until(() => docView(el)?.pageText?.includes('Page 1 of 3'), 'first page', 15000);
    inDoc<HTMLButtonElement>(el, 'button[aria-label="Next page"]')!.click();
    await until(() => docView(el)!.pageText.includes('Page 2 of 3'), 'page 2', 8000);
    await new Promise((r) => setTimeout(r, 50));
    window.dispatchEvent(new Event('pagehide'));
    let view: { duration_ms: number; pages_seen: string } | undefined;
    for (let i = 0; i < 100 && !view?.duration_ms; i++) {
      view = ((await (await fetch(`/test/share-link/${link.id}/views`)).json()) as { items: { duration_ms: number; pages_seen: string }[] }).items[0];
      if (!view?.duration_ms) await new Promise((r) => setTimeout(r, 50));
    }
    expect(view!.duration_ms).to.be.greaterThan(0);
    expect(JSON.parse(view!.pages_seen)).to.deep.equal([1, 2]);
  });

  it('shows the same "not available" page for unknown and disabled links', async () => {
    const unknown = await mount('AAAAAAAAAAAAAAAAAAAAAA');
    expect(text(unknown)).to.contain('This link is not available');
    const link = await makeLink();
    await fetch(`/test/share-link/${link.id}/disable`, { method: 'POST' });
    const disabled = await mount(link.slug);
    expect(text(disabled)).to.equal(text(unknown));
    await expect(disabled).to.be.accessible();
  });

  it('opens a WhatsApp link without a code (country picker + number → E.164), and shows the deny page', async () => {
    const link = await makeLink({ require: 'whatsapp', verify: '0', deny: '+14155550100' });
    const el = await mount(link.slug);
    await until(() => $<HTMLSelectElement>(el, '#country')?.options.length, 'countries (lazy libphonenumber)');
    const country = $<HTMLSelectElement>(el, '#country')!;
    country.value = 'GB';
    country.dispatchEvent(new Event('change'));
    typeInto($<HTMLInputElement>(el, '#identifier')!, '07911 123456');
    expect($<HTMLButtonElement>(el, 'button[type=submit]')!.textContent!.trim()).to.equal('View document');
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await until(() => docView(el), 'document');

    const again = await mount(link.slug);
    await until(() => $<HTMLSelectElement>(again, '#country')?.options.length, 'countries');
    const c2 = $<HTMLSelectElement>(again, '#country')!;
    c2.value = 'US';
    c2.dispatchEvent(new Event('change'));
    typeInto($<HTMLInputElement>(again, '#identifier')!, '(415) 555-0100');
    $<HTMLButtonElement>(again, 'button[type=submit]')!.click();
    await until(() => text(again).includes('can’t open this link'), 'deny page');
  });

  it('offers a choice when the link takes either, and a bad number is refused before sending', async () => {
    const link = await makeLink({ require: 'either' });
    const el = await mount(link.slug);
    const radios = [...gateRoot(el)!.querySelectorAll<HTMLInputElement>('input[type=radio]')];
    expect(radios).to.have.length(2);
    radios[1]!.click();
    await until(() => $<HTMLSelectElement>(el, '#country')?.options.length, 'phone field');
    typeInto($<HTMLInputElement>(el, '#identifier')!, '12');
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await until(() => $(el, '[role=alert]'), 'phone error');
    expect($(el, '[role=alert]')!.textContent).to.contain('valid phone number');
    await expect(el).to.be.accessible();
  });

  it('does not ask a viewer to verify when the link sends no code', async () => {
    const link = await makeLink({ require: 'either', verify: '0' });
    const el = await mount(link.slug);
    expect($(el, 'h1')!.textContent).to.equal('Tell us who you are to view this document');
    expect($(el, 'legend')!.textContent).to.equal('Continue with');
    expect(text(el)).to.contain('No code needed');
    expect(text(el)).not.to.contain('Verify');
  });

  it('explains expired codes and delivery failures (found when verifying) from the server answers', async () => {
    const link = await makeLink({ require: 'email' });
    const el = await mount(link.slug);
    const realFetch = window.fetch;
    // The server answers send-code before delivering (its timing must not tell allowed from refused addresses), so
    // a failed delivery is reported when the code is verified.
    const answers: Record<string, { status: number; body: unknown }> = {
      verify: { status: 503, body: { error: { code: 'delivery_failed', message: 'x', details: { retryable: true } } } },
    };
    window.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      const hit = Object.keys(answers).find((k) => url.endsWith(`/${k}`));
      return hit ? Response.json(answers[hit]!.body, { status: answers[hit]!.status }) : realFetch(input, init);
    }) as typeof fetch;
    try {
      typeInto($<HTMLInputElement>(el, '#identifier')!, email());
      $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
      await until(() => $(el, '#code'), 'code step');
      const resend = () => [...gateRoot(el)!.querySelectorAll<HTMLButtonElement>('button.link')][0]!;
      expect(resend().disabled, 'cooldown after a send').to.equal(true);
      typeInto($<HTMLInputElement>(el, '#code')!, '123456');
      $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
      await until(() => $(el, '[role=alert]'), 'delivery failure');
      expect($(el, '[role=alert]')!.textContent).to.contain('couldn’t send your code');
      await until(() => !resend().disabled, 'a resend is offered at once');
      answers.verify = { status: 400, body: { error: { code: 'code_expired', message: 'x' } } };
      $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
      await until(() => $(el, '[role=alert]')?.textContent === 'Code expired, send a new one.', 'expired');
    } finally {
      window.fetch = realFetch;
    }
  });

  it('shows a download button only when the link allows it, and text documents as text', async () => {
    const link = await makeLink({ require: 'none', download: '1', kind: 'txt' });
    const el = await mount(link.slug);
    await until(() => inDoc(el, 'pre'), 'text');
    expect(inDoc(el, 'pre')!.textContent).to.contain('Plain text shared with you.');
    expect([...docView(el)!.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent)).to.include('Download');
    await expect(el).to.be.accessible();
  });

  it('zooms from fit width to the next usual level, not to the last one', async () => {
    const link = await makeLink({ require: 'none' });
    const el = await mount(link.slug);
    await until(() => docView(el)?.pageText?.includes('Page 1 of 3'), 'first page', 15000);
    const view = docView(el)!;
    const zoom = (label: string) => inDoc<HTMLButtonElement>(el, `button[aria-label="${label}"]`)!.click();
    view.zoom = 1.54; // what fit width gives on a wide screen
    await view.updateComplete;
    zoom('Zoom in');
    await until(() => view.zoom === 1.75, `175 % (got ${view.zoom})`);
    zoom('Zoom in');
    await until(() => view.zoom === 2, '200 %');
    zoom('Zoom out');
    zoom('Zoom out');
    await until(() => view.zoom === 1.5, '150 %');
    zoom('Zoom out');
    await until(() => view.zoom === 1.25, '125 %');
    expect(inDoc(el, '.zoom')!.textContent).to.equal('125%');
  });

  it('keeps every control of the document toolbar whole at 320 px', async () => {
    await setViewport({ width: 320, height: 640 });
    try {
      const link = await makeLink({ require: 'none', download: '1' });
      const el = await mount(link.slug);
      await until(() => docView(el)?.pageText?.includes('Page 1 of 3'), 'first page', 15000);
      const header = inDoc(el, 'header')!.getBoundingClientRect();
      const controls = [...docView(el)!.shadowRoot!.querySelectorAll<HTMLElement>('header button, header input')];
      expect(controls.map((c) => c.getAttribute('aria-label') ?? c.textContent!.trim())).to.include('Download');
      for (const c of controls) {
        const r = c.getBoundingClientRect();
        const name = c.getAttribute('aria-label') ?? c.textContent!.trim();
        expect(r.left >= header.left && r.right <= header.right + 0.5, `${name} inside the header`).to.equal(true);
        expect(c.scrollWidth <= c.clientWidth + 1, `${name} not cut`).to.equal(true);
      }
      await expect(el).to.be.accessible();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
