import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { inProvider, until } from '../../../../core/src/testing/fixtures.js';
import './share-link-dialog.js';
import type { ShareLinkChangeEvent, ShareLinkDialog } from './share-link-dialog.js';

async function documentWithLink() {
  const res = await fetch('/test/share-link?name=Existing%20link', { method: 'POST' });
  return (await res.json()) as { id: string; slug: string; documentId: string };
}

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const button = (el: Element, label: string, scope = '') => $$<HTMLButtonElement>(el, `${scope} button`).find((b) => b.textContent!.trim() === label)!;

async function open(role: 'owner' | 'agent' = 'owner') {
  const existing = await documentWithLink();
  const el = await inProvider<ShareLinkDialog>(html`<share-link-dialog document-id=${existing.documentId} document-name="Proposal.pdf"></share-link-dialog>`, role);
  await el.show();
  await until(() => el.links !== null || el.forbidden, 'links');
  return { el, existing };
}

describe('<share-link-dialog>', () => {
  it('lists the document’s links with view counts and is accessible', async () => {
    const { el, existing } = await open();
    expect($<HTMLDialogElement>(el, 'dialog')!.open).to.equal(true);
    expect($(el, 'h2')!.textContent).to.equal('Share “Proposal.pdf”');
    const items = $$(el, 'li');
    expect(items).to.have.length(1);
    expect(items[0]!.textContent).to.contain('Existing link');
    expect(items[0]!.textContent).to.contain('0 views · 0 viewers');
    expect($<HTMLInputElement>(el, 'li input.url')!.value).to.equal(`${location.origin}/s/${existing.slug}`);
    await expect(el).to.be.accessible();
  });

  it('counts one view and one viewer in the singular', async () => {
    const existing = (await (await fetch('/test/share-link?verify=0', { method: 'POST' })).json()) as { slug: string; documentId: string };
    const opened = await fetch(`/api/v1/public/share/${existing.slug}/open`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'email', identifier: `one.${Date.now()}@example.com` }) });
    expect(opened.status).to.equal(201);
    const el = await inProvider<ShareLinkDialog>(html`<share-link-dialog document-id=${existing.documentId} document-name="Proposal.pdf"></share-link-dialog>`);
    await el.show();
    await until(() => $$(el, 'li').length === 1, 'links');
    expect($(el, 'li')!.textContent).to.contain('1 view · 1 viewer');
    expect($(el, 'li')!.textContent).not.to.contain('1 views');
  });

  it('creates a WhatsApp-or-email link with expiry, download and lists, shows its address with a copy button', async () => {
    const { el } = await open();
    let change: ShareLinkChangeEvent | null = null;
    el.addEventListener('share-link-change', (e) => (change = e));
    const name = $<HTMLInputElement>(el, '#link-name')!;
    name.value = 'For the board';
    name.dispatchEvent(new Event('input'));
    const require = $<HTMLSelectElement>(el, '#require')!;
    require.value = 'either';
    require.dispatchEvent(new Event('change'));
    $$<HTMLInputElement>(el, 'input[type=checkbox]')[1]!.click(); // allow download
    $$<HTMLInputElement>(el, 'input[name=expires]')[1]!.click();
    await el.updateComplete;
    const date = $<HTMLInputElement>(el, 'input[type=date]')!;
    date.value = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    date.dispatchEvent(new Event('input'));
    const allow = $<HTMLTextAreaElement>(el, '#allow')!;
    allow.value = '@board.example\n+44 7911 123456';
    allow.dispatchEvent(new Event('input'));
    const deny = $<HTMLTextAreaElement>(el, '#deny')!;
    deny.value = 'ex@board.example';
    deny.dispatchEvent(new Event('input'));
    button(el, 'Create link').click();
    await until(() => change, 'share-link-change');
    const link = change!.detail.link;
    expect(change!.detail.action).to.equal('created');
    expect([link.name, link.require, link.verifyOtp, link.allowDownload]).to.deep.equal(['For the board', 'either', true, true]);
    expect(link.allowList).to.deep.equal(['@board.example', '+447911123456']);
    expect(link.denyList).to.deep.equal(['ex@board.example']);
    expect(link.expiresAt).to.be.greaterThan(Date.now());
    await until(() => $$(el, 'li').length === 2, 'two links');
    expect($(el, '[role=status]')!.textContent).to.contain('Link created');
    expect($$<HTMLInputElement>(el, 'input.url')[0]!.value).to.equal(link.url);
    button(el, 'Copy link').click();
    await until(() => $(el, '[role=status]')!.textContent!.includes('copied'), 'copied');
    await expect(el).to.be.accessible();
  });

  it('edits, disables, enables and deletes a link (with confirmation)', async () => {
    const { el } = await open();
    button(el, 'Edit', 'li').click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#link-name'));
    const name = $<HTMLInputElement>(el, '#link-name')!;
    name.value = 'Renamed link';
    name.dispatchEvent(new Event('input'));
    button(el, 'Save changes').click();
    await until(() => $(el, 'li')?.textContent?.includes('Renamed link'), 'renamed');
    button(el, 'Disable', 'li').click();
    await until(() => $(el, 'li .badge')?.textContent === 'Disabled', 'disabled');
    button(el, 'Enable', 'li').click();
    await until(() => $(el, 'li .badge')?.textContent === 'Active', 'enabled');
    button(el, 'Delete', 'li').click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot!.querySelector('dialog')!.open, 'confirm');
    [...confirm.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Delete')!.click();
    await until(() => $$(el, 'li').length === 0, 'deleted');
    expect($(el, 'p.muted')!.textContent).to.equal('No share links yet.');
  });

  it('has one action row (Close, then the primary action on the right); Enter in a field submits the form', async () => {
    const { el } = await open();
    const labels = () => $$<HTMLButtonElement>(el, 'dialog > .actions button').map((b) => b.textContent!.trim());
    expect(labels()).to.deep.equal(['Close', 'Create link']);
    expect($$(el, 'form button')).to.have.length(0);
    const create = button(el, 'Create link');
    expect(create.type).to.equal('submit');
    expect(create.form).to.equal($(el, 'form'));
    expect(create.classList.contains('primary')).to.equal(true);

    let change: ShareLinkChangeEvent | undefined;
    el.addEventListener('share-link-change', (e) => (change = e));
    const name = $<HTMLInputElement>(el, '#link-name')!;
    name.focus();
    name.value = 'Sent with Enter';
    name.dispatchEvent(new Event('input'));
    await el.updateComplete;
    await sendKeys({ press: 'Enter' });
    await until(() => change, 'created by Enter');
    expect(change!.detail.link.name).to.equal('Sent with Enter');

    // While editing, Cancel editing joins the same row (on the left) and the primary action saves.
    await until(() => $$(el, 'li').length === 2, 'two links');
    button(el, 'Edit', 'li').click();
    await el.updateComplete;
    expect(labels()).to.deep.equal(['Cancel editing', 'Close', 'Save changes']);
    button(el, 'Cancel editing').click();
    await el.updateComplete;
    expect(labels()).to.deep.equal(['Close', 'Create link']);
    button(el, 'Close').click();
    await until(() => !$<HTMLDialogElement>(el, 'dialog')!.open, 'closed');
  });

  it('closes with Escape, and shows a refused list entry', async () => {
    const { el } = await open();
    const deny = $<HTMLTextAreaElement>(el, '#deny')!;
    deny.value = 'not an entry';
    deny.dispatchEvent(new Event('input'));
    button(el, 'Create link').click();
    await until(() => $(el, '[role=alert]'), 'error');
    expect($(el, '[role=alert]')!.textContent).to.contain('not an email address');
    $<HTMLInputElement>(el, '#link-name')!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => !$<HTMLDialogElement>(el, 'dialog')!.open, 'closed');
  });
});
