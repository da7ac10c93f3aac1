import { expect, fixture, html } from '@open-wc/testing';
import { unwrap } from '../../../core/src/api.js';
import { addTestCard, choose, clientFor, createContact, inProvider, type, until } from '../../../core/src/testing/fixtures.js';
import './billing-subscriptions.js';
import './subscription-dialog.js';
import type { BillingSubscriptions } from './billing-subscriptions.js';
import type { SubscriptionDialog } from './subscription-dialog.js';

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const button = (root: Element, text: string) => [...root.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text);


describe('subscriptions: the dialog and the list', function () {
  // Real server, lazy chunks and axe on two shared cores.
  this.timeout(30_000);

  it('creates a subscription through the dialog (refusals in place, what was typed kept), lists it and cancels it', async () => {
    const c = await createContact({ firstName: 'Sue', lastName: 'Scription' });
    const plan = await unwrap(clientFor('owner').api.api.v1.products.$post({ json: { name: `Team plan ${Date.now()}`, unitAmount: 2_500, currency: 'USD', kind: 'recurring', interval: 'month' } }));
    const card = await addTestCard(c.id);
    const list = await inProvider<BillingSubscriptions>(html`<dossier-billing-subscriptions contact-id=${c.id}></dossier-billing-subscriptions>`);
    await until(() => $(list, 'ul, .empty'), 'the subscriptions');
    expect($(list, '.empty')!.textContent).to.equal('No subscriptions yet.');

    const d = await fixture<SubscriptionDialog>(html`<dossier-subscription-dialog></dossier-subscription-dialog>`);
    d.client = clientFor('owner');
    d.contactId = c.id;
    const changed: { kind: string; id: string }[] = [];
    d.addEventListener('payments-changed', (e) => changed.push((e as CustomEvent).detail));
    await d.updateComplete;
    d.show();
    await until(() => $(d, `#sub-product option[value="${plan.id}"]`) && $(d, `#sub-card option[value="${card.id}"]`), 'the products and cards');
    choose($<HTMLSelectElement>(d, '#sub-product')!, plan.id);
    expect($<HTMLSelectElement>(d, '#sub-card')!.value).to.equal(card.id);
    // Cards read as everywhere in the Payments tab; the two fields side by side line up, an error under one or not.
    expect($<HTMLSelectElement>(d, '#sub-card')!.selectedOptions[0]!.textContent).to.equal('Visa •••• 4242');
    const lineUp = () => expect($(d, '#sub-qty')!.getBoundingClientRect().top).to.equal($(d, '#sub-start')!.getBoundingClientRect().top);
    lineUp();

    // Not a quantity: refused by its field before anything is sent, focus on it, the text stays.
    const qty = $<HTMLInputElement>(d, '#sub-qty')!;
    type(qty, 'two');
    button(d, 'Subscribe')!.click();
    await until(() => $(d, '#err-quantity'), 'the quantity refused');
    expect($(d, '#err-quantity')!.textContent).to.equal('A quantity above 0 with at most 3 decimals.');
    expect(qty.getAttribute('aria-invalid')).to.equal('true');
    expect(qty.getAttribute('aria-describedby')).to.equal('err-quantity');
    expect(d.shadowRoot!.activeElement).to.equal(qty);
    expect(qty.value).to.equal('two');
    lineUp();
    expect(changed).to.have.length(0);

    // The product is archived meanwhile: the server refuses it, shown by its field; everything typed and chosen stays.
    const products = clientFor('owner').api.api.v1.products[':id'];
    await unwrap(products.$patch({ param: { id: plan.id }, json: { archived: true } }));
    type(qty, '2');
    button(d, 'Subscribe')!.click();
    await until(() => $(d, '#err-productId'), 'the server refusing the product');
    expect($(d, '#err-productId')!.textContent).to.equal(`${plan.name} is archived.`);
    expect($(d, '#sub-product')!.getAttribute('aria-invalid')).to.equal('true');
    expect(d.shadowRoot!.activeElement).to.equal($(d, '#sub-product'));
    expect(qty.value).to.equal('2');
    expect($<HTMLSelectElement>(d, '#sub-product')!.value).to.equal(plan.id);
    expect($<HTMLSelectElement>(d, '#sub-card')!.value).to.equal(card.id);
    expect($(d, 'dialog')!.hasAttribute('open')).to.equal(true);
    expect(changed).to.have.length(0);
    await expect(d).to.be.accessible();
    await unwrap(products.$patch({ param: { id: plan.id }, json: { archived: false } }));

    // Two seats from today: 2 × 25.00 a month.
    await d.updateComplete;
    expect($(d, 'p[role=status]')!.textContent).to.contain('$50.00');
    button(d, 'Subscribe')!.click();
    await until(() => changed.length === 1, 'the subscription created');
    expect(changed[0]!.kind).to.equal('subscription.created');
    expect($(d, 'dialog')!.hasAttribute('open')).to.equal(false);

    // The list (refreshed as <contact-payments> does after payments-changed) shows it with its amount and a cancel button.
    list.refresh();
    await until(() => $(list, 'ul li'), 'the new subscription listed');
    const item = $(list, 'ul li')!;
    expect(item.querySelector('.name')!.textContent).to.equal(`${plan.name} × 2`);
    expect(item.querySelector('.badge')!.textContent).to.equal('Scheduled');
    expect(item.querySelector('.amount')!.textContent).to.contain('$50.00');
    await expect(list).to.be.accessible();

    // Cancel asks first; "Keep" leaves it; confirming cancels it on the server and in place.
    button(list, 'Cancel subscription')!.click();
    await until(() => $(list, '.inline .btn.danger'), 'the confirmation');
    expect(list.shadowRoot!.activeElement).to.equal($(list, '.inline .btn.danger'));
    button(list, 'Keep it')!.click();
    await until(() => !$(list, '.inline'), 'kept');
    button(list, 'Cancel subscription')!.click();
    await until(() => $(list, '.inline .btn.danger'), 'the confirmation again');
    const cancelled: string[] = [];
    list.addEventListener('payments-changed', (e) => cancelled.push((e as CustomEvent).detail.kind));
    $(list, '.inline .btn.danger')!.click();
    await until(() => $(list, 'ul li .badge')!.textContent === 'Cancelled', 'cancelled in place');
    expect(cancelled).to.deep.equal(['subscription.cancelled']);
    expect(button(list, 'Cancel subscription')).to.equal(undefined);
    const saved = await unwrap(clientFor('owner').api.api.v1.contacts[':id'].subscriptions.$get({ param: { id: c.id } }));
    expect(saved.items.map((s) => [s.status, s.amount, s.quantity])).to.deep.equal([['cancelled', 5_000, '2']]);
  });

  it('says so when the contact has no card, and refuses to subscribe without one', async () => {
    const c = await createContact({ firstName: 'Nora', lastName: 'Nocard' });
    await unwrap(clientFor('owner').api.api.v1.products.$post({ json: { name: `Solo plan ${Date.now()}`, unitAmount: 900, currency: 'USD', kind: 'recurring', interval: 'month' } }));
    const d = await fixture<SubscriptionDialog>(html`<dossier-subscription-dialog></dossier-subscription-dialog>`);
    d.client = clientFor('owner');
    d.contactId = c.id;
    await d.updateComplete;
    d.show();
    await until(() => $(d, '#sub-product option'), 'the products');
    const cardSelect = $<HTMLSelectElement>(d, '#sub-card')!;
    expect(cardSelect.options.length).to.equal(1);
    expect(cardSelect.value).to.equal('');
    button(d, 'Subscribe')!.click();
    await until(() => $(d, '#err-paymentMethodId'), 'the missing card');
    expect(cardSelect.getAttribute('aria-invalid')).to.equal('true');
    expect(d.shadowRoot!.activeElement).to.equal(cardSelect);
  });
});
