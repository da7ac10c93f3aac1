import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import { choose, clientFor, createContact, inProvider, type, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { InvoiceJson } from '../../../../server/src/domain/billing/invoices.js';
import './billing-invoices.js';
import './billing-subscriptions.js';
import './invoice-dialog.js';
import type { BillingInvoices, InvoiceSendEvent } from './billing-invoices.js';
import type { BillingSubscriptions } from './billing-subscriptions.js';
import type { InvoiceDialog } from './invoice-dialog.js';

const DAY = 86_400_000;
const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];

const button = (root: Element, text: string) => [...(root.shadowRoot ?? root).querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text);

async function invoiceFor(contact: ContactJson, body: Record<string, unknown> = {}): Promise<InvoiceJson> {
  return unwrap(
    clientFor('owner').api.api.v1.contacts[':id'].invoices.$post({
      param: { id: contact.id },
      json: { currency: 'USD', lines: [{ description: 'Consulting', quantity: '2', unitAmount: 10_000 }], dueAt: Date.now() + 30 * DAY, ...body },
    }),
  ) as Promise<InvoiceJson>;
}

async function mountInvoices(contact: ContactJson, role: 'owner' | 'agent' = 'owner', theme = 'light') {
  const el = await inProvider<BillingInvoices>(html`<dossier-billing-invoices contact-id=${contact.id} theme=${theme}></dossier-billing-invoices>`, role);
  await until(() => $(el, 'ul, .empty'), 'the invoices');
  return el;
}

describe('billing sections and dialogs', function () {
  // Real server, lazy chunks and axe on two shared cores.
  this.timeout(30_000);

  it('lists invoices; sends one on a channel (invoice-send with its hosted link), records a payment (a missing note is refused in place, the choice kept) and voids another; accessible', async () => {
    const c = await createContact({ firstName: 'Ivy', lastName: 'Invoiced', emails: [{ value: 'ivy@example.com' }] });
    const empty = await mountInvoices(c);
    expect($(empty, '.empty')!.textContent).to.equal('No invoices yet.');
    empty.remove();
    const first = await invoiceFor(c, { taxes: [{ id: 'vat', name: 'VAT', percent: '20' }], lines: [{ description: 'Design', unitAmount: 12_345, taxIds: ['vat'] }] });
    const second = await invoiceFor(c);
    const el = await mountInvoices(c);
    expect($$(el, 'li').length).to.equal(2);
    const item = () => $(el, `[data-invoice="${first.id}"]`)!;
    expect(item().textContent).to.contain(first.number).and.contain('Draft').and.contain('$148.14');
    await expect(el).to.be.accessible();

    const sends: InvoiceSendEvent[] = [];
    el.addEventListener('invoice-send', (e) => sends.push(e));
    button(item(), 'Send')!.click();
    await until(() => item().querySelector('form'), 'the send form');
    const form = item().querySelector('form')!;
    expect(el.shadowRoot!.activeElement).to.equal(form.querySelector('select'));
    choose(form.querySelector('select')!, 'sms');
    await expect(el).to.be.accessible();
    form.querySelector<HTMLButtonElement>('.btn.primary')!.click();
    await until(() => item().textContent!.includes('Sent by SMS'), 'the sent invoice');
    expect(sends).to.have.length(1);
    expect(sends[0]!.detail.channel).to.equal('sms');
    expect(sends[0]!.detail.invoice.id).to.equal(first.id);
    expect(sends[0]!.detail.hostedUrl).to.match(new RegExp(`/invoices/[^/]+/${first.id}\\?exp=\\d+&sig=`));
    expect(item().querySelector('a')!.getAttribute('href')).to.equal(sends[0]!.detail.hostedUrl);

    button(item(), 'Record payment')!.click();
    await until(() => item().querySelector('form input'), 'the payment form');
    const pay = item().querySelector('form')!;
    pay.querySelector<HTMLButtonElement>('.btn.primary')!.click();
    await until(() => item().querySelector('[role=alert]'), 'the refusal');
    expect(item().querySelector('[role=alert]')!.textContent).to.contain('Say how it was paid');
    expect(item().querySelector('form'), 'the form stays open').to.exist;
    const note = item().querySelector<HTMLInputElement>('form input')!;
    type(note, 'Bank transfer');
    item().querySelector<HTMLButtonElement>('form .btn.primary')!.click();
    await until(() => item().querySelector('.badge.paid'), 'the paid invoice');
    expect(item().textContent).to.contain('Bank transfer');
    expect(button(item(), 'Void')).to.equal(undefined);

    const other = () => $(el, `[data-invoice="${second.id}"]`)!;
    button(other(), 'Void')!.click();
    await until(() => other().querySelector('form'), 'the void confirmation');
    // Escape closes it without voiding; focus returns to the actions.
    other().querySelector('form')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await until(() => !other().querySelector('form'), 'the closed confirmation');
    button(other(), 'Void')!.click();
    await until(() => other().querySelector('form'), 'the void confirmation');
    other().querySelector<HTMLButtonElement>('form .btn.danger')!.click();
    await until(() => other().querySelector('.badge.void'), 'the void invoice');
  });

  it('shows agents the invoices without actions; dark theme and 390 px stay readable and accessible', async () => {
    const c = await createContact({ firstName: 'Ari', lastName: 'A very long family name that keeps on going for a while' });
    await invoiceFor(c);
    const el = await mountInvoices(c, 'agent', 'dark');
    el.style.width = '390px';
    expect($$(el, 'li').length).to.equal(1);
    expect($$(el, 'button').length, 'no actions for agents').to.equal(0);
    expect(el.dataset.theme).to.equal('dark');
    expect(el.scrollWidth).to.be.at.most(390);
    await expect(el).to.be.accessible();
  });

  it('builds an invoice with live totals equal to the server’s, keeps what was typed when the server refuses a field', async () => {
    const c = await createContact({ firstName: 'Dora', lastName: 'Dialog', emails: [{ value: 'dora@example.com' }] });
    const changed: CustomEvent[] = [];
    const d = await inProvider<InvoiceDialog>(html`<dossier-invoice-dialog></dossier-invoice-dialog>`);
    d.client = clientFor('owner');
    d.contactId = c.id;
    d.addEventListener('payments-changed', (e) => changed.push(e as CustomEvent));
    await d.updateComplete;
    d.show();
    const q = <T extends Element = HTMLElement>(sel: string) => d.shadowRoot!.querySelector<T>(sel)!;
    await until(() => q<HTMLInputElement>('#bill-name').value === 'Dora Dialog', 'the prefilled contact');
    expect(q<HTMLInputElement>('#bill-email').value).to.equal('dora@example.com');
    choose(q<HTMLSelectElement>('#bill-currency'), 'USD');
    const line = q('.line');
    type(line.querySelector<HTMLInputElement>('input[aria-label="Description of item 1"]')!, 'Workshop');
    const [, qty, price, discount] = [...line.querySelectorAll<HTMLInputElement>('input')];
    type(qty!, '1.5');
    type(price!, '333');
    choose(line.querySelector<HTMLSelectElement>('select[aria-label="Discount type of item 1"]')!, 'percent');
    await d.updateComplete;
    type(discount!, '12.5');
    button(d, 'Add tax')!.click();
    await d.updateComplete;
    type(q<HTMLInputElement>('input[aria-label="Name of tax 1"]'), 'VAT');
    type(q<HTMLInputElement>('input[aria-label="Rate of tax 1 (%)"]'), '19');
    await d.updateComplete;
    // 1.5 × 333.00 = 499.50 − 12.5 % (62.44) = 437.06; 19 % VAT = 83.04 → 520.10
    expect(q('[data-total]').textContent).to.equal('$520.10');
    await expect(d).to.be.accessible();
    // A figure that is no amount: the totals wait, the field says why.
    type(price!, '3.333');
    await d.updateComplete;
    expect(q('[data-total]')).to.equal(null);
    type(price!, '333');
    // The server refuses the email: shown by its field, everything typed stays.
    type(q<HTMLInputElement>('#bill-email'), 'not-an-email');
    button(d, 'Create draft')!.click();
    await until(() => q('#bill-email').getAttribute('aria-invalid') === 'true', 'the refused email');
    expect(d.shadowRoot!.activeElement).to.equal(q('#bill-email'));
    expect(line.querySelector<HTMLInputElement>('input[aria-label="Description of item 1"]')!.value).to.equal('Workshop');
    expect(q('[data-total]').textContent).to.equal('$520.10');
    type(q<HTMLInputElement>('#bill-email'), 'dora@example.com');
    button(d, 'Create draft')!.click();
    await until(() => changed.length === 1, 'the created invoice');
    const saved = await unwrap(clientFor('owner').api.api.v1.contacts[':id'].invoices.$get({ param: { id: c.id } }));
    expect(saved.items[0]!.total).to.equal(52_010);
    expect(saved.items[0]!.billTo.email).to.equal('dora@example.com');
  });

  it('lists subscriptions (empty state) and reaches every control by keyboard in the builder', async () => {
    const c = await createContact({ firstName: 'Sam', lastName: 'Subs' });
    const el = await inProvider<BillingSubscriptions>(html`<dossier-billing-subscriptions contact-id=${c.id}></dossier-billing-subscriptions>`);
    await until(() => $(el, 'ul, .empty'), 'the subscriptions');
    expect($(el, '.empty')!.textContent).to.equal('No subscriptions yet.');
    const d = await fixture<InvoiceDialog>(html`<dossier-invoice-dialog></dossier-invoice-dialog>`);
    d.client = clientFor('owner');
    d.contactId = c.id;
    await d.updateComplete;
    d.show();
    await until(() => d.shadowRoot!.querySelector<HTMLInputElement>('#bill-name')!.value, 'the prefill');
    d.shadowRoot!.querySelector<HTMLInputElement>('#bill-name')!.focus();
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await sendKeys({ press: 'Tab' });
      const a = d.shadowRoot!.activeElement as HTMLElement | null;
      if (a) seen.add(a.id || a.getAttribute('aria-label') || a.textContent!.trim());
    }
    expect([...seen]).to.include.members(['bill-email', 'bill-currency', 'bill-due', 'Product of item 1', 'Description of item 1']);
  });
});
