// The Stripe provider's browser path: the test backend serves the same app with the Stripe provider under
// /stripe-app, pointed at a local fake Stripe whose Stripe.js (/fake-stripe/stripe.js) the card entry loads.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../core/src/dossier-provider.js';
import type { DossierProvider } from '../../../core/src/dossier-provider.js';
import { createContact, tokenFor, type, until } from '../../../core/src/testing/fixtures.js';
import './contact-payments.js';
import type { ContactPayments } from './contact-payments.js';
import { openAction } from './payments-testing.js';

const $ = <T extends Element = HTMLElement>(el: Element | null | undefined, sel: string) => el?.shadowRoot?.querySelector<T>(sel) ?? null;

async function mount(contactId: string) {
  const provider = await fixture<DossierProvider>(html`<dossier-provider base-url=${`${location.origin}/stripe-app`} .getToken=${() => tokenFor('owner')}>
    <contact-payments contact-id=${contactId}></contact-payments>
  </dossier-provider>`);
  const el = provider.querySelector<ContactPayments>('contact-payments')!;
  await until(() => $(el, '.toolbar') && $($(el, 'dossier-payment-cards'), '.empty, ul'), 'payments to load');
  return el;
}

/** The card field Stripe Elements mounted inside the card entry. */
async function stripeField(dialog: Element) {
  const entry = () => $(dialog, 'dossier-card-entry');
  await until(() => $(entry(), '.stripe input[data-stripe-element=card]'), 'Stripe Elements mounted');
  return { entry: entry()!, field: $<HTMLInputElement>(entry(), '.stripe input')! };
}

describe('<contact-payments> with the Stripe provider', () => {
  it('takes the card in Stripe Elements (Stripe.js loaded once, from the configured URL), shows a decline in place, saves a good card and charges it', async () => {
    const contact = await createContact({ firstName: 'Stripe', lastName: 'Customer', emails: [{ value: 'stripe.customer@example.com' }] });
    const el = await mount(contact.id);
    const dialog = await openAction(el, 'Add card', 'dossier-card-dialog');
    const { entry, field } = await stripeField(dialog);
    // The number goes into Stripe's field: the card entry's own fields (the test provider's) are not there.
    expect($(entry, '#card-number')).to.equal(null);
    expect(document.querySelectorAll('script[src$="/fake-stripe/stripe.js"]').length).to.equal(1);

    // Stripe declines the setup: its message shows in the dialog, which stays open with the card typed.
    type(field, '4000 0000 0000 0002');
    $(dialog, 'button[type=submit]')!.click();
    await until(() => $(entry, '[role=alert]'), 'the decline');
    expect($(entry, '[role=alert]')!.textContent).to.equal('Your card was declined.');
    expect(field.value).to.equal('4000 0000 0000 0002');
    expect($(dialog, 'dialog[open]')).to.not.equal(null);

    // Another number in the same field: Stripe confirms, Dossier saves what Stripe confirmed.
    type(field, '4242 4242 4242 4242');
    $(dialog, 'button[type=submit]')!.click();
    const cards = $(el, 'dossier-payment-cards')!;
    await until(() => $(cards, '[data-card]')?.textContent?.includes('4242'), 'the card listed');
    await until(() => !el.shadowRoot!.querySelector('dossier-card-dialog'), 'the dialog closed');
    expect($(cards, '[data-card]')!.textContent).to.match(/visa/i);

    // The saved card is charged off-session through Stripe.
    const charge = await openAction(el, 'Charge now', 'dossier-charge-dialog');
    await until(() => $(charge, '#charge-card option[value^="pm_"]'), 'the card in the dialog');
    type($(charge, '#charge-amount')!, '40');
    type($(charge, '#charge-description')!, 'Workshop');
    $(charge, 'button[type=submit]')!.click();
    await until(() => !el.shadowRoot!.querySelector('dossier-charge-dialog'), 'the dialog closed after the charge');
    const history = $(el, 'dossier-payment-history')!;
    await until(() => $(history, '[data-kind="charge.succeeded"]'), 'the charge in the history');
    expect($(history, '[data-kind="charge.succeeded"] .amount')!.textContent).to.equal('$40.00');

    // A second card entry on the page reuses the loaded Stripe.js.
    const again = await openAction(el, 'Add card', 'dossier-card-dialog');
    await stripeField(again);
    expect(document.querySelectorAll('script[src$="/fake-stripe/stripe.js"]').length).to.equal(1);
  });
});
