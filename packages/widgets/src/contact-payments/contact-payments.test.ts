import { expect, html } from '@open-wc/testing';
import { createContact, inProvider, type, until } from '../../../core/src/testing/fixtures.js';
import type { ContactJson } from '../../../core/src/types.js';
import './contact-payments.js';
import type { ContactPayments } from './contact-payments.js';
import { openAction } from './payments-testing.js';
import { formatMoney, parseMoney, toDecimal } from './money.js';

const $ = <T extends Element = HTMLElement>(el: Element | ShadowRoot | null | undefined, sel: string) => ((el as Element)?.shadowRoot ?? (el as ShadowRoot))?.querySelector<T>(sel) ?? null;

async function mount(contact: ContactJson, role: 'owner' | 'agent' = 'owner', theme = 'light') {
  const el = await inProvider<ContactPayments>(html`<contact-payments contact-id=${contact.id} theme=${theme}></contact-payments>`, role);
  await until(() => $(el, '.toolbar') && $($(el, 'dossier-payment-cards'), '.empty, ul'), 'payments to load');
  return el;
}

async function enterCard(dialog: Element, number: string) {
  await until(() => dialog.shadowRoot!.querySelector('dossier-card-entry')?.shadowRoot?.querySelector('#card-number'), 'card entry');
  const entry = dialog.shadowRoot!.querySelector('dossier-card-entry')!;
  type($(entry, '#card-number')!, number);
  type($(entry, '#card-expiry')!, '12/34');
  type($(entry, '#card-cvc')!, '123');
  return entry;
}

describe('money', () => {
  it('parses typed amounts into minor units and formats them exactly', () => {
    expect(parseMoney('12.5', 'usd')).to.equal(1250);
    expect(parseMoney('12,50', 'eur')).to.equal(1250);
    expect(parseMoney('1,234.56', 'usd')).to.equal(123456);
    expect(parseMoney('1.234,56', 'eur')).to.equal(123456);
    expect(parseMoney('0.1', 'usd')).to.equal(10);
    expect(parseMoney('1500', 'jpy')).to.equal(1500);
    expect(parseMoney('12.345', 'usd')).to.equal(1234500);
    expect(parseMoney('abc', 'usd')).to.equal(null);
    expect(toDecimal(5, 'usd')).to.equal('0.05');
    expect(toDecimal(-250, 'eur')).to.equal('-2.50');
    expect(formatMoney(1999, 'usd')).to.equal('$19.99');
    expect(formatMoney(1500, 'jpy')).to.equal('¥1,500');
  });
});

describe('<contact-payments>', () => {
  it('adds a card through the provider, charges it, shows the charge; a declined card shows the reason in place and another card succeeds', async () => {
    const contact = await createContact({ firstName: 'Pay', lastName: 'Ment' });
    const el = await mount(contact);
    const cardDialog = await openAction(el, 'Add card', 'dossier-card-dialog');
    await enterCard(cardDialog, '4000 0000 0000 0002');
    cardDialog.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const cards = $(el, 'dossier-payment-cards')!;
    await until(() => $(cards, '[data-card]')?.textContent?.includes('0002'), 'the card listed');
    await until(() => !el.shadowRoot!.querySelector('dossier-card-dialog'), 'the dialog closed');

    const charge = await openAction(el, 'Charge now', 'dossier-charge-dialog');
    await until(() => charge.shadowRoot!.querySelector('#charge-card option[value^="pm_"]'), 'cards in the dialog');
    type($(charge, '#charge-amount')!, '25');
    type($(charge, '#charge-description')!, 'Session');
    $(charge, 'button[type=submit]')!.click();
    await until(() => $(charge, '.decline'), 'the decline');
    expect($(charge, '.decline')!.textContent).to.contain('Your card was declined.');
    expect($<HTMLInputElement>(charge, '#charge-amount')!.value).to.equal('25');
    // Another card, new, in the same dialog.
    const select = $<HTMLSelectElement>(charge, '#charge-card')!;
    select.value = 'new';
    select.dispatchEvent(new Event('change'));
    await enterCard(charge, '4242424242424242');
    $(charge, 'button[type=submit]')!.click();
    await until(() => !el.shadowRoot!.querySelector('dossier-charge-dialog'), 'the dialog closed after the charge');
    const history = $(el, 'dossier-payment-history')!;
    await until(() => history.shadowRoot!.querySelectorAll('[data-entry]').length === 2, 'two history entries');
    const kinds = [...history.shadowRoot!.querySelectorAll<HTMLElement>('[data-entry]')].map((e) => e.dataset.kind);
    expect(kinds).to.deep.equal(['charge.succeeded', 'charge.failed']);
    expect($(history, '[data-kind="charge.succeeded"] .amount')!.textContent).to.equal('$25.00');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('shows agents the cards and history without Actions', async () => {
    const contact = await createContact({ firstName: 'Read', lastName: 'Only' });
    const el = await mount(contact, 'agent', 'dark');
    expect($(el, '.actions-btn')).to.equal(null);
    expect($($(el, 'dossier-payment-cards'), '.empty')!.textContent).to.equal('No cards on file.');
    await expect(el).shadowDom.to.be.accessible();
  });
});
