// Helpers shared by the <contact-payments> browser tests (test provider and Stripe provider alike).
import { until } from '../../../core/src/testing/fixtures.js';
import type { ContactPayments } from './contact-payments.js';

/** Opens an Actions menu item of `<contact-payments>` and waits for its dialog (`tag`) to be open; answers the dialog's element. */
export async function openAction(el: ContactPayments, label: string, tag: string) {
  const item = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role=menuitem]')].find((b) => b.textContent === label);
  el.shadowRoot!.querySelector<HTMLElement>('.actions-btn')!.click();
  await until(item, `menu item ${label}`);
  item()!.click();
  await until(() => el.shadowRoot!.querySelector(tag)?.shadowRoot?.querySelector('dialog[open]'), `${tag} open`);
  return el.shadowRoot!.querySelector(tag)!;
}
