import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DossierEvent } from '../../../core/src/events.js';
import { t } from '../../../core/src/i18n.js';
import type { Session } from '../../../core/src/types.js';
import { MenuController } from '../../../core/src/ui/menu.js';
import '../../../core/src/ui/dossier-state.js';
import { unwrap } from '../../../core/src/api.js';
import { PAYMENT_ACTIONS, PAYMENT_SECTIONS, PAYMENTS_CHANGED, type PaymentAction } from './payments-registry.js';
import { styles } from './contact-payments.styles.js';
import './messages.js';

/** After a payment change made here (a charge, a refund, a card added or removed): `detail.contactId`, `detail.kind`, `detail.id`. */
export class PaymentChangeEvent extends DossierEvent<{ contactId: string; kind: string; id: string }> {
  static readonly type = 'payment-change';
  constructor(detail: PaymentChangeEvent['detail']) {
    super(PaymentChangeEvent.type, detail);
  }
}

interface Section extends HTMLElement {
  refresh?: () => void;
  readonly?: boolean;
}

interface Dialog extends HTMLElement {
  show(): void;
}

/**
 * A contact's payments (the record's Payments tab; usable on its own): an Actions dropdown (Charge now, Add card, and
 * whatever else is registered), the contact's cards on file and the history of charges and refunds (the ledger).
 * Card numbers never reach the Dossier server: they go from the browser to the payment provider.
 *
 * @element contact-payments
 * @attr contact-id - The contact whose payments are shown.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {boolean} readonly - No changes (set for a contact in the restore bin).
 * @fires payment-change - After a change made here: `detail.contactId`, `detail.kind` (`charge`, `refund`, `card.added`, `card.removed`, `card.default`), `detail.id`.
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart toolbar - The heading and the Actions button.
 * @csspart section - Each section (Cards on file, History).
 */
export class ContactPayments extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) session: Session | null = null;

  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loadError = '';
  @state() private sectionsLoaded = false;
  /** The dialog open (its chunk loaded on first use). */
  @state() private dialog: PaymentAction | null = null;
  @state() private actionError = '';

  private menu = new MenuController(this);
  private request = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contactId') && changed.get('contactId') !== undefined) this.dialog = null;
    if ((changed.has('contactId') || changed.has('dossier' as keyof ContactPayments)) && this.dossier && this.contactId) void this.load();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void Promise.all(PAYMENT_SECTIONS.map((s) => s.load())).then(() => (this.sectionsLoaded = true), (err: Error) => {
      this.status = 'error';
      this.loadError = err.message;
    });
  }

  private async load() {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !id) return;
    const seq = ++this.request;
    this.status = 'loading';
    try {
      const [session, contact] = await Promise.all([client.session(), unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } }))]);
      if (seq !== this.request) return;
      Object.assign(this, { session, readonly: contact.deletedAt !== null, status: 'idle', loadError: '' });
    } catch (err) {
      if (seq !== this.request) return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private get actions() {
    if (this.readonly) return [];
    return PAYMENT_ACTIONS.filter((a) => !this.session || this.session.permissions.includes(a.permission));
  }

  private async open(action: PaymentAction) {
    this.actionError = '';
    try {
      await action.load();
    } catch (err) {
      this.actionError = (err as Error).message;
      return;
    }
    this.dialog = action;
    await this.updateComplete;
    this.renderRoot.querySelector<Dialog>(action.tag)?.show();
  }

  private changed(e: Event) {
    e.stopPropagation();
    const detail = (e as CustomEvent<{ kind: string; id: string }>).detail;
    this.dispatchEvent(new PaymentChangeEvent({ contactId: this.contactId, ...detail }));
    this.renderRoot.querySelectorAll<Section>('[data-section]').forEach((s) => s.refresh?.());
  }

  private closed() {
    this.dialog = null;
    this.openDialog = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.actions-btn')?.focus());
  }

  protected override render() {
    if (this.contactId && !this.dossier) return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    if (this.status === 'error') return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    if (this.status === 'loading' && !this.session) return html`<dossier-state kind="loading"></dossier-state>`;
    const actions = this.actions;
    return html`
      ${this.readonly ? html`<p class="readonly" role="status">${t('payments.readOnly')}</p>` : nothing}
      <div class="toolbar" part="toolbar">
        <h2>${t('payments.title')}</h2>
        ${actions.length
          ? html`<button class="btn primary actions-btn" aria-haspopup="menu" aria-expanded=${this.menu.anchor ? 'true' : 'false'}
              @click=${(e: Event) => (this.menu.anchor ? this.menu.close() : this.menu.open(e.currentTarget as HTMLElement))}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
                e.preventDefault();
                this.menu.open(e.currentTarget as HTMLElement, e.key === 'ArrowUp' ? 'last' : 'first');
              }}>${t('payments.actions')} ▾</button>`
          : nothing}
      </div>
      ${this.actionError ? html`<p class="field-error" role="alert">${this.actionError}</p>` : nothing}
      ${this.menu.render(t('payments.actions'), actions.map((a) => ({ label: t(a.label), run: () => void this.open(a) })))}
      ${this.sectionsLoaded
        ? PAYMENT_SECTIONS.map((s) => {
            const tag = s.tag;
            return html`<section part="section" aria-labelledby="h-${s.id}">
              <h3 id="h-${s.id}">${t(s.label)}</h3>
              ${this.sectionElement(tag, s.id)}
            </section>`;
          })
        : html`<dossier-state kind="loading"></dossier-state>`}
      <div @payments-changed=${(e: Event) => this.changed(e)} @close=${(e: Event) => e.target !== e.currentTarget && this.closed()}>
        ${this.dialog ? this.dialogElement(this.dialog.tag) : nothing}
      </div>
    `;
  }

  /** Sections and dialogs are registered by tag, so they are made as elements (kept across renders). */
  private made = new Map<string, HTMLElement>();
  private sectionElement(tag: string, id: string) {
    let el = this.made.get(tag) as Section | undefined;
    if (!el) {
      this.made.set(tag, (el = document.createElement(tag) as Section));
      el.dataset.section = id;
      el.addEventListener(PAYMENTS_CHANGED, (e) => this.changed(e));
    }
    if (el.getAttribute('contact-id') !== this.contactId) el.setAttribute('contact-id', this.contactId);
    el.readonly = this.readonly;
    return el;
  }

  /** The open dialog's element: made when it opens, dropped when it closes (a fresh attempt each time). */
  private openDialog: { tag: string; el: HTMLElement } | null = null;
  private dialogElement(tag: string) {
    if (this.openDialog?.tag !== tag) {
      const el = document.createElement(tag) as HTMLElement & { client?: unknown; contactId?: string };
      el.client = this.dossier;
      el.contactId = this.contactId;
      this.openDialog = { tag, el };
    }
    return this.openDialog.el;
  }
}

define('contact-payments', ContactPayments);

declare global {
  interface HTMLElementTagNameMap {
    'contact-payments': ContactPayments;
  }
  interface HTMLElementEventMap {
    'payment-change': PaymentChangeEvent;
  }
}
