import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { samplePdf, uploadDocuments } from '../../../../core/src/testing/documents.js';
import { createContact, inProvider, until } from '../../../../core/src/testing/fixtures.js';
import '../contact-documents.js';
import type { ContactDocuments } from '../contact-documents.js';
import type { ShareLinkChangeEvent, ShareLinkDialog } from './share-link-dialog.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];

describe('<contact-documents> › Share', function () {
  this.timeout(30_000);
  it('opens the share dialog from a document’s menu, creates a link, and gives focus back on close', async () => {
    const c = await createContact({ firstName: 'Share', lastName: `Menu ${Date.now()}` });
    await uploadDocuments(c.id, [samplePdf('Deck.pdf')]);
    const el = await inProvider<ContactDocuments>(html`<contact-documents contact-id=${c.id}></contact-documents>`);
    await until(() => $(el, '.doc .name'), 'documents');
    $(el, 'button[aria-label="Actions for Deck.pdf"]')!.click();
    await el.updateComplete;
    const share = $$(el, '[role=menuitem]').find((b) => b.textContent!.trim() === 'Share…')!;
    expect(share, 'Share action in the menu').to.exist;
    share.click();
    await until(() => $<ShareLinkDialog>(el, 'share-link-dialog')?.isOpen, 'share dialog');
    const dialog = $<ShareLinkDialog>(el, 'share-link-dialog')!;
    await until(() => dialog.links !== null, 'links');
    expect(dialog.shadowRoot!.querySelector('h2')!.textContent).to.equal('Share “Deck.pdf”');
    let change: ShareLinkChangeEvent | null = null;
    el.addEventListener('share-link-change', (e) => (change = e));
    [...dialog.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Create link')!.click();
    await until(() => change, 'link created');
    expect(change!.detail.link.url).to.match(/\/s\/[A-Za-z0-9_-]{22}$/);
    await until(() => dialog.shadowRoot!.querySelectorAll('li').length === 1, 'listed');
    await expect(el).to.be.accessible();
    dialog.shadowRoot!.querySelector<HTMLInputElement>('#link-name')!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, 'share-link-dialog'), 'dialog gone');
    await until(() => el.shadowRoot!.activeElement?.classList.contains('name'), 'focus back on the row');
  });
});
