// The Payments tab's two registries: the Actions dropdown's entries and the tab's sections. Invoices and
// subscriptions (and anything else) add one entry each here; <contact-payments> renders whatever is registered.
import type { Permission } from '../../../core/src/types.js';

/**
 * An entry of the Actions dropdown: a dialog element loaded lazily on first use. The dialog element gets the
 * properties `client` (DossierClient) and `contactId`, has a `show()` method, fires `payments-changed` (bubbling,
 * composed) after it changed something (the sections reload) and `close` when it closes (focus returns to Actions).
 */
export interface PaymentAction {
  id: string;
  /** Message key of its label. */
  label: string;
  /** Shown only to callers with this permission. */
  permission: Permission;
  load: () => Promise<unknown>;
  /** The dialog element's tag. */
  tag: string;
}

/**
 * A section of the tab (Cards on file, History, …): its own element loaded lazily, given the attribute `contact-id`
 * and the property `readonly`. It reads and follows its own data (live events included) and has a `refresh()` method
 * the tab calls after a dialog changed something.
 */
export interface PaymentSection {
  id: string;
  /** Message key of its heading. */
  label: string;
  load: () => Promise<unknown>;
  tag: string;
}

export const PAYMENT_ACTIONS: PaymentAction[] = [
  { id: 'charge', label: 'payments.action.charge', permission: 'payments.manage', load: () => import('./charge-dialog.js'), tag: 'dossier-charge-dialog' },
  { id: 'add-card', label: 'payments.action.addCard', permission: 'payments.manage', load: () => import('./card-dialog.js'), tag: 'dossier-card-dialog' },
  { id: 'invoice', label: 'bill.action.invoice', permission: 'payments.manage', load: () => import('../contact-billing/invoice-dialog.js'), tag: 'dossier-invoice-dialog' },
  { id: 'subscription', label: 'bill.action.subscription', permission: 'payments.manage', load: () => import('../contact-billing/subscription-dialog.js'), tag: 'dossier-subscription-dialog' },
];

export const PAYMENT_SECTIONS: PaymentSection[] = [
  { id: 'cards', label: 'payments.section.cards', load: () => import('./payment-cards.js'), tag: 'dossier-payment-cards' },
  { id: 'invoices', label: 'bill.section.invoices', load: () => import('../contact-billing/billing-invoices.js'), tag: 'dossier-billing-invoices' },
  { id: 'subscriptions', label: 'bill.section.subscriptions', load: () => import('../contact-billing/billing-subscriptions.js'), tag: 'dossier-billing-subscriptions' },
  { id: 'history', label: 'payments.section.history', load: () => import('./payment-history.js'), tag: 'dossier-payment-history' },
];

/** Fired by a payments dialog after a change (a charge, a card added): the tab's sections reload. */
export const PAYMENTS_CHANGED = 'payments-changed';
