import { expect, html } from '@open-wc/testing';
import { unwrap } from '../../../core/src/api.js';
import { addTestCard, clientFor, createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import './payment-history.js';
import type { PaymentHistory } from './payment-history.js';

describe('payments history layout', function () {
  this.timeout(30_000);

  it('at 390 px no line of an entry begins with a separator: the description is a line of its own', async () => {
    const c = await createContact({ firstName: 'Wendy', lastName: 'Wrap' });
    const card = await addTestCard(c.id, '5555555555554444');
    const description = 'Onboarding workshop for the regional sales team';
    await unwrap(clientFor('owner').api.api.v1.contacts[':id'].payments.charges.$post({ param: { id: c.id }, json: { cardId: card.id, amount: 45_000, currency: 'usd', description, idempotencyKey: `wrap-${Date.now()}-${Math.random()}` } }));
    const el = await inProvider<PaymentHistory>(html`<dossier-payment-history contact-id=${c.id} style="display:block;width:366px"></dossier-payment-history>`);
    await until(() => el.shadowRoot!.querySelector('li'), 'the history');
    const entry = el.shadowRoot!.querySelector('li')!;
    const texts = [...entry.querySelectorAll<HTMLElement>('.meta > *, .desc')].map((n) => n.textContent!.trim());
    expect(texts.filter((t) => t.startsWith('·'))).to.deep.equal([]);
    expect(entry.querySelector('.desc')!.textContent!.trim()).to.equal(description);
    expect(entry.querySelector('.meta')!.textContent).to.contain('Mastercard •••• 4444');
    await expect(el).to.be.accessible();
  });
});
