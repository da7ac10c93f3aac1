// Collects a card and saves it on the contact, without the card number reaching the Dossier server: Dossier makes a
// setup intent; the browser gives the card to the provider (Stripe.js, loaded lazily from the host-configured URL,
// or the test provider's tokenizing endpoint) with the intent's client secret; Dossier then saves what the provider
// confirmed (brand, last four, expiry). Used by the Add card dialog and inside the Charge dialog.
import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import { controls, tokens } from '../../../core/src/theme.js';
import './messages.js';

interface StripeJs {
  elements(): { create(kind: 'card', opts?: object): { mount(el: HTMLElement): void; destroy(): void } };
  confirmCardSetup(secret: string, data: { payment_method: { card: unknown } }): Promise<{ error?: { message?: string }; setupIntent?: { id: string; payment_method: string } }>;
}
declare global {
  interface Window {
    Stripe?: (key: string) => StripeJs;
  }
}

const loading = new Map<string, Promise<void>>();
/** Stripe.js from the configured URL, once per page (only when the Stripe provider is active). */
function loadScript(url: string) {
  if (window.Stripe) return Promise.resolve();
  if (!loading.has(url)) {
    loading.set(url, new Promise<void>((resolve, reject) => {
      const s = Object.assign(document.createElement('script'), { src: url, async: true });
      s.onload = () => resolve();
      s.onerror = () => (loading.delete(url), reject(new Error(t('payments.card.stripeFailed'))));
      document.head.append(s);
    }));
  }
  return loading.get(url)!;
}

export interface SavedCard {
  id: string;
  brand: string;
  last4: string;
}

type Setup = Awaited<ReturnType<CardEntry['setup']>>;

export class CardEntry extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    css`
      .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 12px; }
      .wide { grid-column: 1 / -1; }
      label { display: grid; gap: 4px; font-size: 0.875rem; }
      .check { display: flex; align-items: center; gap: 6px; }
      .error { color: var(--_danger); margin: 2px 0 0; font-size: 0.8125rem; }
      .stripe { padding: 10px; border: 1px solid var(--_border); border-radius: var(--_radius-sm); }
      .note { color: var(--_muted); font-size: 0.8125rem; margin: 0; }
      @media (max-width: 420px) { .grid { grid-template-columns: 1fr; } }
    `,
  ];

  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';
  /** Offer "make it the default card". */
  @property({ type: Boolean }) offerDefault = false;

  @state() private number = '';
  @state() private expiry = '';
  @state() private cvc = '';
  @state() private label = '';
  @state() private makeDefault = false;
  @state() private errors: Record<string, string> = {};
  @state() private provider: 'test' | 'stripe' | null = null;
  @query('.stripe') private stripeMount?: HTMLElement;
  private setupP?: Promise<Setup>;
  private stripeCard?: { mount(el: HTMLElement): void; destroy(): void };
  private stripe?: StripeJs;

  override connectedCallback() {
    super.connectedCallback();
    void this.prepare().catch((err: Error) => (this.errors = { form: err.message }));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.stripeCard?.destroy();
  }

  private setup() {
    return unwrap(this.client!.api.api.v1.contacts[':id'].payments.cards.setup.$post({ param: { id: this.contactId }, json: {} }));
  }

  /** A setup intent per card entered (a fresh one after each saved card); Stripe Elements mounted when Stripe is the provider. */
  private async prepare() {
    if (!this.client) return;
    this.setupP = this.setup();
    this.setupP.catch(() => undefined);
    const s = await this.setupP;
    this.provider = s.collection.provider;
    if (s.collection.provider === 'stripe' && !this.stripe) {
      await loadScript(s.collection.stripeJsUrl);
      this.stripe = window.Stripe!(s.collection.publishableKey);
      await this.updateComplete;
      this.stripeCard = this.stripe.elements().create('card');
      this.stripeCard.mount(this.stripeMount!);
    }
  }

  /** Hands the card to the provider and saves it on the contact; shows what is wrong in place and throws. */
  async save(): Promise<SavedCard> {
    this.errors = {};
    let s: Setup;
    try {
      s = await (this.setupP ?? (this.setupP = this.setup()));
    } catch (err) {
      this.setupP = undefined;
      this.errors = { form: (err as Error).message };
      throw err;
    }
    let paymentMethodId: string | undefined;
    if (s.collection.provider === 'stripe') {
      const out = await this.stripe!.confirmCardSetup(s.clientSecret, { payment_method: { card: this.stripeCard } });
      if (out.error) {
        this.errors = { form: out.error.message ?? t('payments.card.failed') };
        throw new Error(this.errors.form);
      }
    } else {
      const exp = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(this.expiry);
      const errors: Record<string, string> = {};
      if (!this.number.trim()) errors.number = t('payments.card.numberRequired');
      if (!exp) errors.expiry = t('payments.card.expiryFormat');
      if (!this.cvc.trim()) errors.cvc = t('payments.card.cvcRequired');
      if (Object.keys(errors).length) {
        this.errors = errors;
        throw new Error(Object.values(errors)[0]);
      }
      // To the provider's endpoint, not to the Dossier API: the number never reaches the Dossier server.
      let res: Response;
      try {
        res = await fetch(s.collection.tokenizeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret: s.clientSecret, number: this.number, expMonth: Number(exp![1]), expYear: Number(exp![2]), cvc: this.cvc.trim() }) });
      } catch {
        this.errors = { form: t('payments.card.providerUnreachable') };
        throw new Error(this.errors.form);
      }
      const body = (await res.json().catch(() => ({}))) as { paymentMethodId?: string; error?: { message?: string; details?: { field?: string | null } } };
      if (!res.ok || !body.paymentMethodId) {
        this.errors = { [body.error?.details?.field ?? 'form']: body.error?.message ?? t('payments.card.failed') };
        throw new Error(body.error?.message);
      }
      paymentMethodId = body.paymentMethodId;
    }
    try {
      const card = await unwrap(this.client!.api.api.v1.contacts[':id'].payments.cards.$post({ param: { id: this.contactId }, json: { setupIntentId: s.setupIntentId, ...(paymentMethodId && { paymentMethodId }), ...(this.label.trim() && { label: this.label.trim() }), ...(this.makeDefault && { makeDefault: true }) } }));
      // The next card gets its own setup intent; the number typed is not kept.
      Object.assign(this, { number: '', expiry: '', cvc: '', label: '', makeDefault: false });
      this.setupP = undefined;
      void this.prepare().catch(() => undefined);
      return card;
    } catch (err) {
      const e = err as DossierApiError;
      this.errors = { [e.field === 'label' ? 'label' : 'form']: e.message };
      throw err;
    }
  }

  protected override render() {
    const err = (f: string) => (this.errors[f] ? html`<p class="error" id="err-${f}">${this.errors[f]}</p>` : nothing);
    const bad = (f: string) => (this.errors[f] ? 'true' : 'false');
    return html`<div class="grid" part="card-entry">
      ${this.provider === 'stripe'
        ? html`<div class="wide"><div class="stripe" aria-label=${t('payments.card.number')}></div></div>`
        : html`<label class="wide">${t('payments.card.number')}
              <input id="card-number" inputmode="numeric" autocomplete="cc-number" dir="ltr" maxlength="23" aria-invalid=${bad('number')} aria-describedby=${this.errors.number ? 'err-number' : nothing} .value=${this.number} @input=${(e: Event) => (this.number = (e.target as HTMLInputElement).value)} />${err('number')}</label>
            <label>${t('payments.card.expiry')}
              <input id="card-expiry" autocomplete="cc-exp" dir="ltr" placeholder=${t('payments.card.expiryPlaceholder')} maxlength="7" aria-invalid=${bad('expiry')} aria-describedby=${this.errors.expiry ? 'err-expiry' : nothing} .value=${this.expiry} @input=${(e: Event) => (this.expiry = (e.target as HTMLInputElement).value)} />${err('expiry')}</label>
            <label>${t('payments.card.cvc')}
              <input id="card-cvc" inputmode="numeric" autocomplete="cc-csc" dir="ltr" maxlength="4" aria-invalid=${bad('cvc')} aria-describedby=${this.errors.cvc ? 'err-cvc' : nothing} .value=${this.cvc} @input=${(e: Event) => (this.cvc = (e.target as HTMLInputElement).value)} />${err('cvc')}</label>`}
      <label class="wide">${t('payments.card.label')}
        <input id="card-label" maxlength="60" placeholder=${t('payments.card.labelPlaceholder')} aria-invalid=${bad('label')} .value=${this.label} @input=${(e: Event) => (this.label = (e.target as HTMLInputElement).value)} />${err('label')}</label>
      ${this.offerDefault ? html`<label class="check wide"><input type="checkbox" .checked=${this.makeDefault} @change=${(e: Event) => (this.makeDefault = (e.target as HTMLInputElement).checked)} />${t('payments.card.makeDefault')}</label>` : nothing}
      ${this.provider === 'test' ? html`<p class="note wide">${t('payments.card.testNote')}</p>` : nothing}
      ${this.errors.form ? html`<p class="error wide" role="alert">${this.errors.form}</p>` : nothing}
    </div>`;
  }
}

define('dossier-card-entry', CardEntry);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-card-entry': CardEntry;
  }
}
