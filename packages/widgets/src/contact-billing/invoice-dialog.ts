// The Create invoice dialog of <contact-payments>' Actions (a lazy chunk): bill-to prefilled from the contact, lines
// from the price list or free text, quantities, discounts per line and on the whole, named tax rates per line, due
// date and notes. The totals update as the user types, computed by the same money module the server uses, so the
// figures shown are the figures saved. Refusals show by their field; everything typed stays.
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { getLocale, t } from '../../../core/src/i18n.js';
import { amountText, computeTotals, currencyExponent, formatMoney, parseAmount, parsePercent, parseQuantity, type Totals } from '../../../core/src/money.js';
import type { ProductJson } from '../../../../server/src/domain/billing/products.js';
import { dialogLook } from './billing.styles.js';
import './messages.js';

interface DraftLine {
  key: number;
  productId: string;
  description: string;
  quantity: string;
  unitPrice: string;
  discountKind: '' | 'percent' | 'amount';
  discount: string;
  taxIds: string[];
}

interface DraftTax {
  id: string;
  name: string;
  percent: string;
}

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'JPY', 'SEK', 'KWD'];
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let lineKeys = 0;
const blankLine = (): DraftLine => ({ key: ++lineKeys, productId: '', description: '', quantity: '1', unitPrice: '', discountKind: '', discount: '', taxIds: [] });

export class InvoiceDialog extends ThemedElement {
  static override styles = dialogLook;

  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';

  @state() private products: ProductJson[] = [];
  @state() private currency = 'USD';
  @state() private billName = '';
  @state() private billEmail = '';
  @state() private dueDate = isoDay(Date.now() + 30 * DAY);
  @state() private notes = '';
  @state() private lines: DraftLine[] = [blankLine()];
  @state() private taxes: DraftTax[] = [];
  @state() private discountKind: '' | 'percent' | 'amount' = '';
  @state() private discount = '';
  @state() private errors: Record<string, string> = {};
  @state() private error = '';
  @state() private busy = false;
  @state() private loading = true;
  @query('dialog') private dialog!: HTMLDialogElement;
  private taxKeys = 0;

  show() {
    this.dialog.showModal();
    void this.prefill();
  }

  /** The contact's name and email, and the price list. */
  private async prefill() {
    const client = this.client;
    if (!client) return;
    try {
      const [contact, products] = await Promise.all([unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id: this.contactId } })), unwrap(client.api.api.v1.products.$get({ query: {} }))]);
      this.billName ||= contact.name;
      this.billEmail ||= contact.emails.find((e) => e.primary)?.value ?? contact.emails[0]?.value ?? '';
      this.products = products.items.filter((p) => p.kind === 'one_off' || p.kind === 'recurring');
      if (this.products[0] && this.lines.every((l) => !l.productId && !l.description)) this.currency = this.products[0].currency;
    } catch (err) {
      this.error = t('bill.f.prefillFailed', { message: (err as Error).message });
    } finally {
      this.loading = false;
    }
  }

  private setLine(key: number, patch: Partial<DraftLine>) {
    this.lines = this.lines.map((l, i) => {
      if (l.key !== key) return l;
      for (const f of Object.keys(patch)) delete this.errors[`lines[${i}].${f === 'unitPrice' ? 'unitAmount' : f}`];
      return { ...l, ...patch };
    });
  }

  private pickProduct(key: number, productId: string) {
    const p = this.products.find((x) => x.id === productId);
    if (!p) return this.setLine(key, { productId: '' });
    if (p.currency !== this.currency && this.lines.length === 1) this.currency = p.currency;
    this.setLine(key, { productId, description: p.name, unitPrice: amountText(p.unitAmount, p.currency) });
  }

  private addTax() {
    const id = `tax${++this.taxKeys}`;
    this.taxes = [...this.taxes, { id, name: '', percent: '' }];
    // A first tax applies to every line; more are ticked per line.
    if (this.taxes.length === 1) this.lines = this.lines.map((l) => ({ ...l, taxIds: [id] }));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#tax-name-${id}`)?.focus());
  }

  /** The lines as the API takes them, or the first field that is no number. */
  private payload() {
    const errors: Record<string, string> = {};
    const lines = this.lines.map((l, i) => {
      const unitAmount = parseAmount(l.unitPrice, this.currency);
      if (unitAmount === null) errors[`lines[${i}].unitAmount`] = t('bill.f.badAmount', { digits: currencyExponent(this.currency) });
      if (parseQuantity(l.quantity) === null) errors[`lines[${i}].quantity`] = t('bill.f.badQuantity');
      let discount: { percent: string } | { amount: number } | null = null;
      if (l.discountKind === 'percent') {
        const p = parsePercent(l.discount);
        if (p === null || p > 100_000) errors[`lines[${i}].discount`] = t('bill.f.badPercent');
        else discount = { percent: l.discount.trim().replace(',', '.') };
      } else if (l.discountKind === 'amount') {
        const a = parseAmount(l.discount, this.currency);
        if (a === null) errors[`lines[${i}].discount`] = t('bill.f.badAmount', { digits: currencyExponent(this.currency) });
        else discount = { amount: a };
      }
      return { ...(l.productId && { productId: l.productId }), description: l.description.trim(), quantity: l.quantity.trim().replace(',', '.'), unitAmount: unitAmount ?? 0, discount, taxIds: l.taxIds.filter((id) => this.taxes.some((x) => x.id === id)) };
    });
    const taxes = this.taxes.map((x, i) => {
      const p = parsePercent(x.percent);
      if (p === null || p > 100_000) errors[`taxes[${i}].percent`] = t('bill.f.badPercent');
      if (!x.name.trim()) errors[`taxes[${i}].name`] = t('bill.f.taxName');
      return { id: x.id, name: x.name.trim(), percent: x.percent.trim().replace(',', '.') };
    });
    let discount: { percent: string } | { amount: number } | null = null;
    if (this.discountKind === 'percent') {
      const p = parsePercent(this.discount);
      if (p === null || p > 100_000) errors.discount = t('bill.f.badPercent');
      else discount = { percent: this.discount.trim().replace(',', '.') };
    } else if (this.discountKind === 'amount') {
      const a = parseAmount(this.discount, this.currency);
      if (a === null) errors.discount = t('bill.f.badAmount', { digits: currencyExponent(this.currency) });
      else discount = { amount: a };
    }
    return { errors, body: { currency: this.currency, lines, taxes, discount } };
  }

  /** Live totals of what is typed (null while a figure is unreadable). */
  private totals(): Totals | null {
    const { errors, body } = this.payload();
    if (Object.keys(errors).length) return null;
    try {
      return computeTotals({
        lines: body.lines.map((l) => ({ quantity: parseQuantity(l.quantity)!, unitAmount: l.unitAmount, discount: l.discount && ('percent' in l.discount ? { kind: 'percent', percent: parsePercent(l.discount.percent)! } : { kind: 'fixed', amount: l.discount.amount }), taxIds: l.taxIds })),
        taxes: body.taxes.map((x) => ({ id: x.id, name: x.name, percent: parsePercent(x.percent)! })),
        discount: body.discount && ('percent' in body.discount ? { kind: 'percent', percent: parsePercent(body.discount.percent)! } : { kind: 'fixed', amount: body.discount.amount }),
      });
    } catch {
      return null;
    }
  }

  private async submit() {
    const client = this.client;
    if (!client || this.busy) return;
    const { errors, body } = this.payload();
    if (!this.billName.trim()) errors['billTo.name'] = t('bill.f.nameNeeded');
    const dueAt = Date.parse(`${this.dueDate}T00:00:00Z`);
    if (Number.isNaN(dueAt)) errors.dueAt = t('bill.f.dueNeeded');
    this.lines.forEach((l, i) => !l.description.trim() && (errors[`lines[${i}].description`] = t('bill.f.describe')));
    this.errors = errors;
    this.error = '';
    if (Object.keys(errors).length) return this.focusError();
    this.busy = true;
    try {
      const json = { ...body, billTo: { name: this.billName.trim(), email: this.billEmail.trim() || null }, dueAt, notes: this.notes.trim() };
      const saved = await unwrap(client.api.api.v1.contacts[':id'].invoices.$post({ param: { id: this.contactId }, json }));
      this.dispatchEvent(new CustomEvent('payments-changed', { bubbles: true, composed: true, detail: { kind: 'invoice.created', id: saved.id } }));
      this.dialog.close();
    } catch (err) {
      const found: Record<string, string> = {};
      for (const p of err instanceof DossierApiError ? err.fieldProblems : []) found[p.path.replace(/\.(percent|amount)$/, '')] ??= p.message;
      this.errors = found;
      this.error = Object.keys(found).length ? '' : t('bill.f.failed', { message: (err as Error).message });
      await this.focusError();
    } finally {
      this.busy = false;
    }
  }

  private async focusError() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')?.focus();
  }

  private fieldError(path: string) {
    const id = `err-${path.replace(/[^\w]/g, '-')}`;
    return this.errors[path] ? html`<p class="error" id=${id}>${this.errors[path]}</p>` : nothing;
  }

  private invalid(path: string) {
    return this.errors[path] ? 'true' : 'false';
  }

  private described(path: string) {
    return this.errors[path] ? `err-${path.replace(/[^\w]/g, '-')}` : nothing;
  }

  private renderLine(l: DraftLine, i: number, totals: Totals | null) {
    const money = (n: number) => formatMoney(n, this.currency, getLocale());
    const p = `lines[${i}]`;
    return html`<div class="line" role="group" aria-label=${t('bill.f.lineN', { n: i + 1 })}>
      <label class="desc">${t('bill.f.item')}
        <select aria-label=${t('bill.f.productN', { n: i + 1 })} @change=${(e: Event) => this.pickProduct(l.key, (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!l.productId}>${t('bill.f.freeLine')}</option>
          ${this.products.map((x) => html`<option value=${x.id} ?selected=${x.id === l.productId} ?disabled=${x.currency !== this.currency}>${x.name} · ${formatMoney(x.unitAmount, x.currency, getLocale())}</option>`)}
        </select>
        <input aria-label=${t('bill.f.descriptionN', { n: i + 1 })} maxlength="500" placeholder=${t('bill.f.description')} .value=${l.description} aria-invalid=${this.invalid(`${p}.description`)} aria-describedby=${this.described(`${p}.description`)} @input=${(e: Event) => this.setLine(l.key, { description: (e.target as HTMLInputElement).value })} />
        ${this.fieldError(`${p}.description`)}${this.fieldError(`${p}.productId`)}
      </label>
      <label>${t('bill.f.qty')}
        <input inputmode="decimal" .value=${l.quantity} aria-invalid=${this.invalid(`${p}.quantity`)} aria-describedby=${this.described(`${p}.quantity`)} @input=${(e: Event) => this.setLine(l.key, { quantity: (e.target as HTMLInputElement).value })} />
        ${this.fieldError(`${p}.quantity`)}
      </label>
      <label>${t('bill.f.unitPrice')}
        <input inputmode="decimal" dir="ltr" .value=${l.unitPrice} aria-invalid=${this.invalid(`${p}.unitAmount`)} aria-describedby=${this.described(`${p}.unitAmount`)} @input=${(e: Event) => this.setLine(l.key, { unitPrice: (e.target as HTMLInputElement).value })} />
        ${this.fieldError(`${p}.unitAmount`)}
      </label>
      <label>${t('bill.f.discount')}
        <span class="discount">
          <select aria-label=${t('bill.f.discountKindN', { n: i + 1 })} @change=${(e: Event) => this.setLine(l.key, { discountKind: (e.target as HTMLSelectElement).value as DraftLine['discountKind'] })}>
            <option value="" ?selected=${!l.discountKind}>${t('bill.f.none')}</option>
            <option value="percent" ?selected=${l.discountKind === 'percent'}>%</option>
            <option value="amount" ?selected=${l.discountKind === 'amount'}>${this.currency}</option>
          </select>
          <input inputmode="decimal" aria-label=${t('bill.f.discountN', { n: i + 1 })} ?disabled=${!l.discountKind} .value=${l.discount} aria-invalid=${this.invalid(`${p}.discount`)} aria-describedby=${this.described(`${p}.discount`)} @input=${(e: Event) => this.setLine(l.key, { discount: (e.target as HTMLInputElement).value })} />
        </span>
        ${this.fieldError(`${p}.discount`)}
      </label>
      <button type="button" class="btn icon" aria-label=${t('bill.f.removeLine', { n: i + 1 })} ?disabled=${this.lines.length === 1} @click=${() => (this.lines = this.lines.filter((x) => x.key !== l.key))}>×</button>
      ${this.taxes.length
        ? html`<div class="taxes">
            ${this.taxes.map((x) => html`<label><input type="checkbox" .checked=${l.taxIds.includes(x.id)} @change=${(e: Event) => this.setLine(l.key, { taxIds: (e.target as HTMLInputElement).checked ? [...l.taxIds, x.id] : l.taxIds.filter((id) => id !== x.id) })} />${x.name || t('bill.f.taxN', { n: this.taxes.indexOf(x) + 1 })}</label>`)}
            ${totals ? html`<span class="muted">${money(totals.lines[i]?.total ?? 0)}</span>` : nothing}
          </div>`
        : totals ? html`<div class="taxes"><span class="muted">${money(totals.lines[i]?.total ?? 0)}</span></div>` : nothing}
    </div>`;
  }

  private renderTotals(totals: Totals | null) {
    if (!totals) return html`<p class="muted" role="status">${t('bill.f.totalsPending')}</p>`;
    const money = (n: number) => formatMoney(n, this.currency, getLocale());
    return html`<dl class="totals" aria-live="polite">
      <dt>${t('bill.page.subtotal')}</dt><dd>${money(totals.subtotal)}</dd>
      ${totals.discount ? html`<dt>${t('bill.page.discount')}</dt><dd>−${money(totals.discount)}</dd>` : nothing}
      ${totals.taxes.map((x) => html`<dt>${x.name || '—'}</dt><dd>${money(x.amount)}</dd>`)}
      <dt class="grand">${t('bill.page.total')}</dt><dd class="grand" data-total>${money(totals.total)}</dd>
    </dl>`;
  }

  protected override render() {
    const totals = this.totals();
    const currencies = [...new Set([this.currency, ...CURRENCIES, ...this.products.map((p) => p.currency)])];
    return html`<dialog aria-labelledby="inv-h" @close=${() => this.dispatchEvent(new Event('close'))}>
      <form method="dialog" novalidate @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
        <h2 id="inv-h">${t('bill.f.invoiceTitle')}</h2>
        ${this.loading ? html`<p class="muted" role="status">${t('state.loading')}</p>` : nothing}
        <div class="grid">
          <label class="field">${t('bill.page.billTo')}
            <input id="bill-name" maxlength="200" autocomplete="off" .value=${this.billName} aria-invalid=${this.invalid('billTo.name')} aria-describedby=${this.described('billTo.name')} @input=${(e: Event) => ((this.billName = (e.target as HTMLInputElement).value), delete this.errors['billTo.name'])} />
            ${this.fieldError('billTo.name')}</label>
          <label class="field">${t('bill.f.email')}
            <input id="bill-email" type="email" dir="ltr" maxlength="254" .value=${this.billEmail} aria-invalid=${this.invalid('billTo.email')} aria-describedby=${this.described('billTo.email')} @input=${(e: Event) => (this.billEmail = (e.target as HTMLInputElement).value)} />
            ${this.fieldError('billTo.email')}</label>
          <label class="field">${t('bill.f.currency')}
            <select id="bill-currency" @change=${(e: Event) => (this.currency = (e.target as HTMLSelectElement).value)}>
              ${currencies.map((c) => html`<option value=${c} ?selected=${c === this.currency}>${c}</option>`)}
            </select></label>
          <label class="field">${t('bill.page.due')}
            <input id="bill-due" type="date" .value=${this.dueDate} aria-invalid=${this.invalid('dueAt')} aria-describedby=${this.described('dueAt')} @change=${(e: Event) => (this.dueDate = (e.target as HTMLInputElement).value)} />
            ${this.fieldError('dueAt')}</label>
        </div>
        <fieldset>
          <legend>${t('bill.f.lines')}</legend>
          ${this.lines.map((l, i) => this.renderLine(l, i, totals))}
          ${this.fieldError('lines')}
          <button type="button" class="btn" @click=${() => ((this.lines = [...this.lines, { ...blankLine(), taxIds: this.taxes.length === 1 ? [this.taxes[0]!.id] : [] }]), void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLSelectElement>('.line:last-of-type select')?.focus()))}>${t('bill.f.addLine')}</button>
        </fieldset>
        <div class="grid">
          <fieldset>
            <legend>${t('bill.f.taxes')}</legend>
            ${this.taxes.map(
              (x, i) => html`<div class="tax-row">
                <input id="tax-name-${x.id}" aria-label=${t('bill.f.taxNameN', { n: i + 1 })} placeholder=${t('bill.f.taxPlaceholder')} maxlength="100" .value=${x.name} aria-invalid=${this.invalid(`taxes[${i}].name`)} @input=${(e: Event) => (this.taxes = this.taxes.map((y) => (y.id === x.id ? { ...y, name: (e.target as HTMLInputElement).value } : y)))} />
                <input aria-label=${t('bill.f.taxRateN', { n: i + 1 })} inputmode="decimal" placeholder="%" .value=${x.percent} aria-invalid=${this.invalid(`taxes[${i}].percent`)} @input=${(e: Event) => (this.taxes = this.taxes.map((y) => (y.id === x.id ? { ...y, percent: (e.target as HTMLInputElement).value } : y)))} />
                <button type="button" class="btn icon" aria-label=${t('bill.f.removeTax', { n: i + 1 })} @click=${() => ((this.taxes = this.taxes.filter((y) => y.id !== x.id)), (this.lines = this.lines.map((l) => ({ ...l, taxIds: l.taxIds.filter((id) => id !== x.id) }))))}>×</button>
              </div>${this.fieldError(`taxes[${i}].percent`)}${this.fieldError(`taxes[${i}].name`)}`,
            )}
            <button type="button" class="btn" ?disabled=${this.taxes.length >= 10} @click=${() => this.addTax()}>${t('bill.f.addTax')}</button>
          </fieldset>
          <fieldset>
            <legend>${t('bill.f.invoiceDiscount')}</legend>
            <span class="discount">
              <select aria-label=${t('bill.f.invoiceDiscountKind')} @change=${(e: Event) => ((this.discountKind = (e.target as HTMLSelectElement).value as '' | 'percent' | 'amount'), delete this.errors.discount)}>
                <option value="" ?selected=${!this.discountKind}>${t('bill.f.none')}</option>
                <option value="percent" ?selected=${this.discountKind === 'percent'}>%</option>
                <option value="amount" ?selected=${this.discountKind === 'amount'}>${this.currency}</option>
              </select>
              <input inputmode="decimal" aria-label=${t('bill.f.invoiceDiscount')} ?disabled=${!this.discountKind} .value=${this.discount} aria-invalid=${this.invalid('discount')} aria-describedby=${this.described('discount')} @input=${(e: Event) => ((this.discount = (e.target as HTMLInputElement).value), delete this.errors.discount)} />
            </span>
            ${this.fieldError('discount')}
          </fieldset>
        </div>
        ${this.renderTotals(totals)}
        <label class="field">${t('bill.page.notes')}
          <textarea id="bill-notes" rows="2" maxlength="5000" .value=${this.notes} @input=${(e: Event) => (this.notes = (e.target as HTMLTextAreaElement).value)}></textarea></label>
        ${this.error ? html`<p class="error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('action.cancel')}</button>
          <button class="btn primary" ?disabled=${this.busy}>${t('bill.f.createDraft')}</button>
        </div>
      </form>
    </dialog>`;
  }
}

define('dossier-invoice-dialog', InvoiceDialog);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-invoice-dialog': InvoiceDialog;
  }
}
