import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// The provider is not in this element's own module (the script-tag bundle registers it).
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-payments/contact-payments.js';
import type { ContactPayments } from '../packages/widgets/src/contact-payments/contact-payments.js';
import type { CardJson, ChargeJson, LedgerEntryJson } from '../server/src/payments/payments.js';
import type { InvoiceJson } from '../server/src/domain/billing/invoices.js';
import type { ProductJson } from '../server/src/domain/billing/products.js';
import type { SubscriptionJson } from '../server/src/domain/billing/subscriptions.js';
import type { Session } from '../packages/core/src/types.js';
import { contact, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const DAY = 86_400_000;
const C = contact.id;

const card = (id: string, brand: string, last4: string, extra: Partial<CardJson> = {}): CardJson => ({ id, contactId: C, brand, last4, expMonth: 4, expYear: 2029, label: '', isDefault: false, createdAt: NOW - 40 * DAY, ...extra });
const cards: CardJson[] = [
  card('pm_visa', 'visa', '4242', { label: 'Company card', isDefault: true }),
  card('pm_mc', 'mastercard', '4444', { label: 'Personal', expMonth: 7 }),
  card('pm_old', 'visa', '0002', { label: 'Old card', expMonth: 10, expYear: 2027 }),
];

const charge = (id: string, pm: CardJson, amount: number, description: string, extra: Partial<ChargeJson> = {}): ChargeJson => ({
  id, contactId: C, card: { id: pm.id, brand: pm.brand, last4: pm.last4 }, amount, currency: 'usd', description, status: 'succeeded', failure: null, amountRefunded: 0, source: 'charge', sourceId: null, createdAt: NOW - 5 * DAY, ...extra,
});
const entry = (id: string, kind: string, amount: number, description: string, at: number, extra: Partial<LedgerEntryJson> = {}): LedgerEntryJson => ({
  id, kind, amount, currency: 'usd', description, chargeId: null, refundId: null, refType: null, refId: null, occurredAt: at, charge: null, ...extra,
});
const workshop = charge('ch_workshop', cards[0]!, 45_000, 'Onboarding workshop', { amountRefunded: 7_500, createdAt: NOW - 9 * DAY });
const seats = charge('ch_seats', cards[1]!, 4_500, 'Extra seats ×3', { createdAt: NOW - 6 * DAY });
const declined = charge('ch_declined', cards[2]!, 4_900, 'Pro plan (first month)', { status: 'failed', failure: { code: 'generic_decline', message: 'Your card was declined.' }, createdAt: NOW - 3 * DAY });
const consult = charge('ch_consult', cards[0]!, 12_000, 'Consultation (2 hours)', { amountRefunded: 12_000, createdAt: NOW - 20 * DAY });
const history: LedgerEntryJson[] = [
  entry('le_8', 'subscription.created', 0, 'Pro plan', NOW - DAY, { refType: 'subscription', refId: 'su_pro' }),
  entry('le_7', 'charge.failed', 0, declined.description, declined.createdAt, { chargeId: declined.id, charge: declined }),
  entry('le_6', 'refund.succeeded', -7_500, 'Workshop ended an hour early', NOW - 4 * DAY, { chargeId: workshop.id, refundId: 'rf_1', charge: workshop }),
  entry('le_5', 'charge.succeeded', 4_500, seats.description, seats.createdAt, { chargeId: seats.id, charge: seats }),
  entry('le_4', 'invoice.sent', 0, 'INV-0002: 588.60 USD due', NOW - 8 * DAY, { refType: 'invoice', refId: 'in_2' }),
  entry('le_3', 'charge.succeeded', 45_000, workshop.description, workshop.createdAt, { chargeId: workshop.id, charge: workshop }),
  entry('le_2', 'refund.succeeded', -12_000, 'Booked twice by mistake', NOW - 19 * DAY, { chargeId: consult.id, refundId: 'rf_0', charge: consult }),
  entry('le_1', 'charge.succeeded', 12_000, consult.description, consult.createdAt, { chargeId: consult.id, charge: consult }),
];

const product = (id: string, name: string, unitAmount: number, extra: Partial<ProductJson> = {}): ProductJson => ({ id, name, description: '', unitAmount, currency: 'USD', kind: 'recurring', interval: 'month', intervalCount: 1, archived: false, createdAt: NOW - 90 * DAY, updatedAt: NOW - 90 * DAY, ...extra });
const products: ProductJson[] = [
  product('pr_pro', 'Pro plan', 4_900),
  product('pr_support', 'Annual support', 99_000, { interval: 'year' }),
  product('pr_workshop', 'Onboarding workshop', 45_000, { kind: 'one_off', interval: null, intervalCount: null, description: 'Half a day with your team' }),
];

const line = (description: string, quantity: string, unitAmount: number) => {
  const amount = Math.round(Number(quantity) * unitAmount);
  const taxAmount = Math.round(amount * 0.2);
  return { productId: null, description, quantity, unitAmount, discount: null, taxIds: ['vat'], amount, discountAmount: 0, invoiceDiscountAmount: 0, taxAmount, total: amount + taxAmount };
};
const invoice = (id: string, number: string, status: InvoiceJson['status'], lines: ReturnType<typeof line>[], extra: Partial<InvoiceJson> = {}): InvoiceJson => {
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const taxTotal = lines.reduce((s, l) => s + l.taxAmount, 0);
  const sent = status !== 'draft';
  return {
    id, contactId: C, number, status, currency: 'USD', billTo: { name: contact.name, email: 'ada@engines.example.com', address: null }, lines,
    taxes: [{ id: 'vat', name: 'VAT', percent: '20', taxable: subtotal, amount: taxTotal }], discount: null, subtotal, discountTotal: 0, taxTotal, total: subtotal + taxTotal,
    dueAt: NOW + 14 * DAY, notes: 'Thank you for your business.', sentChannel: sent ? 'email' : null, sentAt: sent ? NOW - 8 * DAY : null,
    hostedUrl: sent ? `https://crm.example.com/invoices/ws_story/${id}` : null, paidAt: status === 'paid' ? NOW - 2 * DAY : null, paidMethod: status === 'paid' ? 'manual' : null,
    paidNote: status === 'paid' ? 'Bank transfer' : null, chargeId: null, voidedAt: status === 'void' ? NOW - DAY : null, createdBy: 'mb_max', createdAt: NOW - 10 * DAY, updatedAt: NOW - DAY, ...extra,
  } as InvoiceJson;
};
const invoices: InvoiceJson[] = [
  invoice('in_4', 'INV-0004', 'draft', [line('Extra seats', '3', 1_500)]),
  invoice('in_3', 'INV-0003', 'void', [line('Consulting', '2', 10_000)]),
  invoice('in_2', 'INV-0002', 'sent', [line('Onboarding workshop', '1', 45_000), line('Extra seats', '3', 1_500)], { dueAt: NOW - 2 * DAY }),
  invoice('in_1', 'INV-0001', 'paid', [line('Pro plan setup', '1', 25_000)]),
];

const sub = (id: string, p: ProductJson, status: SubscriptionJson['status'], extra: Partial<SubscriptionJson> = {}): SubscriptionJson => ({
  id, contactId: C, productId: p.id, description: p.name, quantity: '1', unitAmount: p.unitAmount, amount: p.unitAmount, currency: 'USD', interval: p.interval!, intervalCount: 1,
  startAt: NOW - 30 * DAY, nextBillAt: status === 'cancelled' ? null : NOW + DAY, periodsBilled: status === 'scheduled' ? 0 : 1, status, paymentMethodId: 'pm_visa',
  lastError: null, retryAt: null, cancelledAt: status === 'cancelled' ? NOW - 3 * DAY : null, createdBy: 'mb_max', createdAt: NOW - 30 * DAY, updatedAt: NOW - DAY, ...extra,
});
const subscriptions: SubscriptionJson[] = [
  sub('su_pro', products[0]!, 'active'),
  sub('su_seats', product('pr_seat', 'Extra seat', 1_500), 'scheduled', { quantity: '3', amount: 4_500, startAt: NOW + 7 * DAY, nextBillAt: NOW + 7 * DAY }),
  sub('su_old', products[0]!, 'past_due', { paymentMethodId: 'pm_old', lastError: 'Your card was declined.', retryAt: NOW + DAY }),
  sub('su_support', products[1]!, 'cancelled'),
];

const longName = 'Enterprise-wide licence consolidation across every regional subsidiary and the holding company (phase two)';
const long = {
  cards: [card('pm_long', 'amex', '0005', { label: 'The corporate procurement department’s shared travel and expenses card', isDefault: true }), ...cards],
  history: [entry('le_long', 'charge.succeeded', 9_876_543_21, longName, NOW - DAY, { chargeId: 'ch_long', charge: charge('ch_long', cards[0]!, 9_876_543_21, longName) }), ...history],
  invoices: [invoice('in_long', 'INV-2026-000123456', 'sent', [line(longName, '1250', 799_999)]), ...invoices],
  subscriptions: [sub('su_long', product('pr_long', longName, 12_345_678_90, { interval: 'year' }), 'active', { quantity: '250' }), ...subscriptions],
};

const owner = (role: 'owner' | 'manager' | 'agent' = 'owner'): Session => {
  const s = session(role);
  return role === 'agent' ? s : { ...s, permissions: [...s.permissions, 'payments.manage'] };
};

interface Data {
  cards: CardJson[];
  history: LedgerEntryJson[];
  invoices: InvoiceJson[];
  subscriptions: SubscriptionJson[];
}
const sample: Data = { cards, history, invoices, subscriptions };
const empty: Data = { cards: [], history: [], invoices: [], subscriptions: [] };

function api(opts: { role?: 'owner' | 'manager' | 'agent'; data?: Data; contactReply?: Reply; historyReply?: Reply; listReply?: Reply; saveReply?: Reply; deleted?: boolean } = {}) {
  const d = structuredClone(opts.data ?? sample);
  let n = 100;
  return storyFetch({
    'GET /api/v1/me': owner(opts.role),
    'GET /api/v1/contacts/:id': () => opts.contactReply ?? { ...contact, deletedAt: opts.deleted ? NOW - DAY : null },
    'GET /api/v1/payments/config': { provider: { provider: 'test', tokenizeUrl: 'https://payments.example.com/test-provider/v1/tokens' }, canManage: opts.role !== 'agent' },
    'GET /api/v1/products': { items: products },
    'GET /api/v1/contacts/:id/payments/cards': () => opts.listReply ?? { items: d.cards },
    'GET /api/v1/contacts/:id/payments/history': () => opts.historyReply ?? opts.listReply ?? { items: d.history, nextCursor: null },
    'GET /api/v1/contacts/:id/invoices': () => opts.listReply ?? { items: d.invoices },
    'GET /api/v1/contacts/:id/subscriptions': () => opts.listReply ?? { items: d.subscriptions },
    'POST /api/v1/contacts/:id/payments/charges': (_p, body) => {
      if (opts.saveReply) return opts.saveReply;
      const b = body as { cardId: string; amount: number; currency: string; description?: string };
      const pm = d.cards.find((c) => c.id === b.cardId)!;
      const made = charge(`ch_${++n}`, pm, b.amount, b.description ?? '', { currency: b.currency, createdAt: NOW });
      if (pm.last4 === '0002') {
        const failed = { ...made, status: 'failed' as const, failure: { code: 'generic_decline', message: 'Your card was declined.' } };
        d.history = [entry(`le_${n}`, 'charge.failed', 0, failed.description, NOW, { chargeId: failed.id, charge: failed }), ...d.history];
        return { status: 402, body: { error: { code: 'card_declined', message: 'Your card was declined.', details: { reason: 'generic_decline', charge: failed } } } };
      }
      d.history = [entry(`le_${n}`, 'charge.succeeded', made.amount, made.description, NOW, { chargeId: made.id, charge: made }), ...d.history];
      return { status: 201, body: made };
    },
    'POST /api/v1/contacts/:id/payments/charges/:chargeId/refunds': (p, body) => {
      if (opts.saveReply) return opts.saveReply;
      const b = body as { amount?: number; reason?: string };
      const c = d.history.find((e) => e.charge?.id === p.chargeId)!.charge!;
      const amount = b.amount ?? c.amount - c.amountRefunded;
      c.amountRefunded += amount;
      d.history = [entry(`le_${++n}`, 'refund.succeeded', -amount, b.reason || c.description, NOW, { chargeId: c.id, refundId: `rf_${n}`, charge: c }), ...d.history];
      return { status: 201, body: { id: `rf_${n}`, chargeId: c.id, amount, currency: c.currency, status: 'succeeded', reason: b.reason ?? '', createdAt: NOW } };
    },
    'POST /api/v1/contacts/:id/subscriptions': (_p, body) => {
      if (opts.saveReply) return opts.saveReply;
      const b = body as { productId: string; quantity: string; startAt: number; paymentMethodId: string };
      const made = sub(`su_${++n}`, products.find((p) => p.id === b.productId)!, 'scheduled', { quantity: b.quantity, startAt: b.startAt, nextBillAt: b.startAt, paymentMethodId: b.paymentMethodId });
      d.subscriptions = [made, ...d.subscriptions];
      return { status: 201, body: made };
    },
    'POST /api/v1/contacts/:id/subscriptions/:subscriptionId/cancel': (p) => {
      if (opts.saveReply) return opts.saveReply;
      d.subscriptions = d.subscriptions.map((s) => (s.id === p.subscriptionId ? { ...s, status: 'cancelled', nextBillAt: null, cancelledAt: NOW } : s));
      return d.subscriptions.find((s) => s.id === p.subscriptionId);
    },
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '640px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-payments contact-id=${C}></contact-payments>
    </dossier-provider>
  </div>
`;
const dark = (fetch: typeof globalThis.fetch, width?: string) => html`<div style="background:#0f1014;padding:16px">${render(fetch, { theme: 'dark', width })}</div>`;

const until = async (check: () => unknown) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
};
const inner = (root: Element | null | undefined, sel: string) => root?.shadowRoot?.querySelector<HTMLElement>(sel) ?? null;
const element = async (canvas: HTMLElement) => {
  const el = canvas.querySelector<ContactPayments>('contact-payments')!;
  await until(() => inner(el, '.actions-btn') && inner(inner(el, 'dossier-payment-history'), 'li, .empty'));
  return el;
};
/** Opens an entry of the Actions menu and waits for its dialog. */
const openAction = (label: string, tag: string, then: (d: HTMLElement) => Promise<void> | void = () => undefined) => async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  const el = await element(canvasElement);
  inner(el, '.actions-btn')!.click();
  const item = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role=menuitem]')].find((b) => b.textContent === label);
  await until(item);
  item()!.click();
  await until(() => inner(inner(el, tag), 'dialog[open]'));
  const dialog = inner(el, tag)!;
  await until(() => !inner(dialog, 'p.muted[role=status]'));
  await then(dialog);
};
const set = (field: HTMLInputElement | HTMLSelectElement, value: string) => {
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  field.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
};
const chargeWith = (cardId: string) => async (d: HTMLElement) => {
  await until(() => inner(d, `#charge-card option[value="${cardId}"]`));
  set(inner(d, '#charge-amount') as HTMLInputElement, '49.00');
  set(inner(d, '#charge-description') as HTMLInputElement, 'Pro plan (first month)');
  set(inner(d, '#charge-card') as HTMLSelectElement, cardId);
  inner(d, 'button[type=submit]')!.click();
  await until(() => inner(d, '.decline, .error'));
};

const meta: Meta = {
  title: 'Widgets/contact-payments',
  component: 'contact-payments',
  parameters: { docs: { description: { component: 'A contact’s Payments tab (the record’s right panel): cards on file, invoices, subscriptions and the payments history, with Charge now, Add card, New invoice and New subscription in its Actions menu. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const WithHistory: Story = {
  render: () => render(api()),
  parameters: { docs: { description: { story: 'Three cards (one declines when charged), invoices draft, sent, paid and void, subscriptions active, scheduled, past due and cancelled, and a history with a decline, a partial and a full refund.' } } },
};
export const Loading: Story = { render: () => render(api({ contactReply: NEVER, listReply: NEVER })) };
export const SectionsLoading: Story = { render: () => render(api({ listReply: NEVER })) };
export const Empty: Story = { render: () => render(api({ data: empty })) };
export const ServerError: Story = { render: () => render(api({ contactReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const SectionsError: Story = { render: () => render(api({ listReply: fail(503, 'payments_not_configured', 'Payments are not set up on this server.') })) };
export const HistoryError: Story = { render: () => render(api({ historyReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const DeletedContact: Story = { render: () => render(api({ deleted: true })) };
export const AgentView: Story = { render: () => render(api({ role: 'agent' })), parameters: { docs: { description: { story: 'Without payments.manage: everything to read, no Actions, no refund or cancel.' } } } };
export const LongNamesAndAmounts: Story = { render: () => render(api({ data: long })) };
export const DarkTheme: Story = { render: () => dark(api()), parameters: { backgrounds: { default: 'dark' } } };
export const Narrow: Story = { render: () => render(api(), { width: '390px' }) };
export const NarrowDark: Story = { render: () => dark(api({ data: long }), '390px'), parameters: { backgrounds: { default: 'dark' } } };
export const ChargeDialog: Story = { render: () => render(api()), play: openAction('Charge now', 'dossier-charge-dialog') };
export const ChargeDeclined: Story = {
  render: () => render(api()),
  play: openAction('Charge now', 'dossier-charge-dialog', chargeWith('pm_old')),
  parameters: { docs: { description: { story: 'The card declines: the provider’s reason shows in the dialog, the amount and description stay, another card can be tried.' } } },
};
export const ChargeDeclinedDark: Story = { render: () => dark(api()), play: openAction('Charge now', 'dossier-charge-dialog', chargeWith('pm_old')), parameters: { backgrounds: { default: 'dark' } } };
export const ChargeRefused: Story = {
  render: () => render(api({ saveReply: fail(409, 'idempotency_key_reused', 'This idempotency key was used for a different charge.') })),
  play: openAction('Charge now', 'dossier-charge-dialog', chargeWith('pm_visa')),
};
export const RefundForm: Story = {
  render: () => render(api()),
  play: async ({ canvasElement }) => {
    const el = await element(canvasElement);
    const list = inner(el, 'dossier-payment-history')!;
    inner(list, 'button.refund')!.click();
    await until(() => inner(list, '#refund-amount'));
  },
};
export const NewSubscriptionDialog: Story = { render: () => render(api()), play: openAction('Create subscription', 'dossier-subscription-dialog') };
export const NewSubscriptionInvalid: Story = {
  render: () => render(api()),
  play: openAction('Create subscription', 'dossier-subscription-dialog', async (d) => {
    set(inner(d, '#sub-qty') as HTMLInputElement, '0');
    inner(d, 'button.primary')!.click();
    await until(() => inner(d, '#err-quantity'));
  }),
  parameters: { docs: { description: { story: 'A quantity of 0: the reason shows by the field, what was typed stays.' } } },
};
export const NewSubscriptionRefused: Story = {
  render: () => render(api({ saveReply: { status: 422, body: { error: { code: 'invalid_field', message: 'The first bill cannot be in the past.', details: { field: 'startAt' } } } } })),
  play: openAction('Create subscription', 'dossier-subscription-dialog', async (d) => {
    inner(d, 'button.primary')!.click();
    await until(() => inner(d, '#err-startAt, [role=alert]'));
  }),
};
export const NewSubscriptionNoCard: Story = { render: () => render(api({ data: empty })), play: openAction('Create subscription', 'dossier-subscription-dialog') };
export const NewInvoiceDialog: Story = { render: () => render(api()), play: openAction('Create invoice', 'dossier-invoice-dialog') };
export const CancelSubscription: Story = {
  render: () => render(api()),
  play: async ({ canvasElement }) => {
    const el = await element(canvasElement);
    const list = inner(el, 'dossier-billing-subscriptions')!;
    await until(() => inner(list, '.actions .btn'));
    inner(list, '.actions .btn')!.click();
    await until(() => inner(list, '.inline .btn.danger'));
  },
};
