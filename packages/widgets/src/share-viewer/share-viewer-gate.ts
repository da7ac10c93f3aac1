import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { plural, t } from '../../../core/src/i18n.js';
import { ShareApi, ShareError, type Channel, type GateInfo, type OpenedView } from './api.js';
import { ShareOpenEvent } from './events.js';
import './messages.js';
import type { PhoneKit } from './phone.js';
import { styles } from './share-viewer.styles.js';
import { loadChunk } from '../../../core/src/chunk.js';

type Step = 'loading' | 'unavailable' | 'denied' | 'error' | 'identify' | 'code' | 'view';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** The gate and the viewer behind `<share-viewer>` (loaded lazily by it, so the eager bundle stays small). */
export class ShareViewerGate extends DossierElement {
  static override styles = styles;

  @property({ reflect: true }) slug = '';
  @property({ attribute: 'base-url' }) baseUrl = '';
  /** Custom fetch (Storybook); default: the global one. */
  @property({ attribute: false }) fetch?: typeof fetch;

  @state() step: Step = 'loading';
  @state() info: GateInfo | null = null;
  @state() channel: Channel = 'email';
  @state() identifier = '';
  @state() country = '';
  @state() message = '';
  @state() notice = '';
  @state() busy = false;
  @state() cooldownUntil = 0;
  @state() opened: OpenedView | null = null;
  @state() phone: PhoneKit | null = null;
  @state() private tick = 0;
  private timer?: ReturnType<typeof setInterval>;
  private started = 0;
  private pages = new Set<number>();
  private api!: ShareApi;

  private get key() {
    return `dossier-share:${this.api.root}`;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    if (changed.has('slug') || changed.has('baseUrl') || changed.has('fetch')) {
      this.api = new ShareApi(this.baseUrl || location.origin, this.slug, this.fetch);
      if (this.slug) void this.load();
    }
  }

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('pagehide', this.onHide);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.timer = setInterval(() => this.cooldownUntil > Date.now() - 1000 && this.tick++, 1000);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('pagehide', this.onHide);
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearInterval(this.timer);
  }

  private onHide = () => this.reportView();
  private onVisibility = () => document.visibilityState === 'hidden' && this.reportView();

  /** Sends what was seen so far (duration since the gate, pages, download) — also called on pagehide. */
  reportView(downloaded = false) {
    if (this.opened) this.api.report(this.opened.token, { durationMs: Date.now() - this.started, pages: [...this.pages], downloaded });
  }

  private async load() {
    this.step = 'loading';
    const saved = this.restore();
    if (saved) return this.show(saved, false);
    try {
      this.info = await this.api.info();
      if (this.info.require === 'none') return this.show(await this.api.open(), true);
      this.channel = this.info.require === 'whatsapp' ? 'whatsapp' : 'email';
      if (this.channel === 'whatsapp') void this.loadPhone();
      this.step = 'identify';
    } catch (err) {
      this.fail(err, 'share-info');
    }
  }

  private restore(): OpenedView | null {
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.key) ?? 'null') as OpenedView | null;
      return saved && saved.expiresAt > Date.now() ? saved : null;
    } catch {
      return null;
    }
  }

  private show(view: OpenedView, fresh: boolean) {
    this.opened = view;
    this.started = Date.now();
    try {
      sessionStorage.setItem(this.key, JSON.stringify(view));
    } catch {
      // storage full or blocked: the session just won't survive a reload
    }
    this.step = 'view';
    void loadChunk(() => import('./share-document.js')).catch(() => undefined);
    if (fresh) this.dispatchEvent(new ShareOpenEvent({ document: view.document, viewId: view.viewId }));
  }

  /** The stored session stopped working (link disabled, expired, token gone): start over. */
  private onSessionEnded = () => {
    sessionStorage.removeItem(this.key);
    this.opened = null;
    void this.load();
  };

  private fail(err: unknown, action: string) {
    const e = err instanceof ShareError ? err : new ShareError(0, 'network', String(err));
    this.busy = false;
    if (e.code === 'link_unavailable') this.step = 'unavailable';
    else if (e.code === 'access_denied') this.step = 'denied';
    else if (this.step === 'loading' || this.step === 'view') {
      this.step = 'error';
      this.message = e.status === 0 ? t('share.error.network') : e.message;
    } else this.message = this.explain(e);
    this.reportError(e, action);
  }

  private explain(e: ShareError): string {
    const d = e.details as { triesLeft?: number; retryAfterSeconds?: number };
    if (d.retryAfterSeconds && e.status === 429) this.cooldownUntil = Date.now() + d.retryAfterSeconds * 1000;
    switch (e.code) {
      case 'code_wrong':
        return plural('share.code.wrong', d.triesLeft ?? 0);
      case 'code_expired':
        return t('share.code.expired');
      case 'code_dead':
        return t('share.code.dead');
      case 'code_used':
        return t('share.code.used');
      case 'no_code':
        return t('share.code.none');
      case 'resend_too_soon':
        return t('share.tooSoon', { seconds: d.retryAfterSeconds ?? 30 });
      case 'delivery_failed':
        // Nothing was sent, so nothing holds the resend back (the server does not count it either).
        this.cooldownUntil = 0;
        return t('share.deliveryFailed');
      case 'network':
        return t('share.error.network');
      default:
        return e.status === 429 ? t('share.rateLimited', { minutes: Math.ceil((d.retryAfterSeconds ?? 60) / 60) }) : e.message;
    }
  }

  private async loadPhone() {
    if (this.phone) return;
    const { phoneKit } = await loadChunk(() => import('./phone.js'));
    this.phone = await phoneKit();
    this.country ||= this.phone.guessCountry();
  }

  /** The identifier to send: lower-case email, or E.164 from country + number. Sets the field error when invalid. */
  private normalized(): string | null {
    if (this.channel === 'email') {
      const v = this.identifier.trim().toLowerCase();
      if (EMAIL.test(v)) return v;
      this.message = t('share.email.invalid');
      return null;
    }
    const e164 = this.phone?.toE164(this.identifier, this.country) ?? null;
    if (!e164) this.message = t('share.phone.invalid');
    return e164;
  }

  private async submitIdentifier(e: Event) {
    e.preventDefault();
    this.message = '';
    const id = this.normalized();
    if (!id || this.busy) return;
    this.busy = true;
    try {
      if (this.info?.verifyOtp) {
        const sent = await this.api.send(this.channel, id);
        this.identifier = id;
        this.cooldownUntil = Date.now() + sent.cooldownSeconds * 1000;
        this.notice = t('share.codeSent');
        this.step = 'code';
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLInputElement>('#code')?.focus();
      } else {
        this.show(await this.api.open(this.channel, id), true);
      }
    } catch (err) {
      this.fail(err, 'share-send');
    }
    this.busy = false;
  }

  private async resend() {
    this.message = '';
    this.notice = '';
    this.busy = true;
    try {
      const sent = await this.api.send(this.channel, this.identifier);
      this.cooldownUntil = Date.now() + sent.cooldownSeconds * 1000;
      this.notice = t('share.codeSent');
      const input = this.renderRoot.querySelector<HTMLInputElement>('#code');
      if (input) (input.value = ''), input.focus();
    } catch (err) {
      this.fail(err, 'share-send');
    }
    this.busy = false;
  }

  private async submitCode(e: Event) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code')!;
    const code = input.value.replace(/\D/g, '');
    this.notice = '';
    if (code.length !== 6) return void (this.message = t('share.code.invalid'));
    if (this.busy) return;
    this.message = '';
    this.busy = true;
    try {
      this.show(await this.api.verify(this.channel, this.identifier, code), true);
    } catch (err) {
      this.fail(err, 'share-verify');
      input.select();
    }
    this.busy = false;
  }

  /** Paste-friendly: keep digits only; six digits submit at once. */
  private onCodeInput(e: InputEvent) {
    const input = e.target as HTMLInputElement;
    const digits = input.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== input.value) input.value = digits;
    if (digits.length === 6 && e.inputType === 'insertFromPaste') input.form?.requestSubmit();
  }

  private panel(title: string, body: string, retry = false) {
    return html`<div class="card" part="card" role=${retry ? 'alert' : 'status'}>
      <h1>${title}</h1>
      <p>${body}</p>
      ${retry ? html`<button class="btn" @click=${() => this.load()}>${t('share.retry')}</button>` : nothing}
    </div>`;
  }

  protected override render() {
    switch (this.step) {
      case 'loading':
        return html`<dossier-state kind="loading" heading=${t('share.loading')}></dossier-state>`;
      case 'unavailable':
        return this.panel(t('share.unavailable.title'), t('share.unavailable.body'));
      case 'denied':
        return this.panel(t('share.denied.title'), t('share.denied.body'));
      case 'error':
        return this.panel(t('share.error.title'), this.message, true);
      case 'view':
        return html`<share-document
          .api=${this.api}
          .opened=${this.opened}
          theme=${this.dataset.theme ?? 'light'}
          @page-seen=${(e: CustomEvent<number>) => this.pages.add(e.detail)}
          @document-download=${() => this.reportView(true)}
          @session-ended=${this.onSessionEnded}
        ></share-document>`;
      case 'identify':
        return this.renderIdentify();
      case 'code':
        return this.renderCode();
    }
  }

  private renderIdentify() {
    const info = this.info!;
    const err = this.message;
    const choose = (c: Channel) => {
      this.channel = c;
      this.message = '';
      if (c === 'whatsapp') void this.loadPhone();
    };
    return html`<div class="card" part="card">
      <h1>${t(info.verifyOtp ? 'share.gate.title' : 'share.gate.title.noCode')}</h1>
      <p>${t(`share.gate.${info.require}`)}${info.verifyOtp ? '' : ` ${t('share.gate.noCode')}`}</p>
      <form @submit=${this.submitIdentifier} novalidate>
        ${info.require === 'either'
          ? html`<fieldset>
              <legend>${t(info.verifyOtp ? 'share.choice' : 'share.choice.noCode')}</legend>
              ${(['email', 'whatsapp'] as const).map(
                (c) => html`<label><input type="radio" name="channel" .checked=${this.channel === c} @change=${() => choose(c)} /> ${t(`share.choice.${c}`)}</label>`,
              )}
            </fieldset>`
          : nothing}
        ${this.channel === 'email'
          ? html`<div class="field">
              <label for="identifier">${t('share.email.label')}</label>
              <input id="identifier" type="email" autocomplete="email" inputmode="email" required .value=${this.identifier}
                aria-invalid=${err ? 'true' : 'false'} aria-describedby="gate-error"
                @input=${(e: Event) => (this.identifier = (e.target as HTMLInputElement).value)} />
            </div>`
          : html`<div class="field">
              <label for="country">${t('share.country.label')}</label>
              <select id="country" autocomplete="country" .value=${this.country} @change=${(e: Event) => (this.country = (e.target as HTMLSelectElement).value)}>
                ${(this.phone?.countries ?? []).map((c) => html`<option value=${c.code} ?selected=${c.code === this.country}>${c.name} (+${c.dial})</option>`)}
              </select>
              <label for="identifier">${t('share.phone.label')}</label>
              <input id="identifier" type="tel" autocomplete="tel-national" inputmode="tel" required .value=${this.identifier}
                aria-invalid=${err ? 'true' : 'false'} aria-describedby="gate-error"
                @input=${(e: Event) => (this.identifier = (e.target as HTMLInputElement).value)} />
            </div>`}
        <div id="gate-error" aria-live="polite">${err ? html`<p class="alert" role="alert">${err}</p>` : nothing}</div>
        <button class="btn primary" type="submit" ?disabled=${this.busy || (this.channel === 'whatsapp' && !this.phone)}>
          ${this.busy ? t('share.busy') : info.verifyOtp ? t('share.sendCode') : t('share.continue')}
        </button>
      </form>
    </div>`;
  }

  private renderCode() {
    void this.tick;
    const wait = Math.max(0, Math.ceil((this.cooldownUntil - Date.now()) / 1000));
    return html`<div class="card" part="card">
      <h1>${t('share.code.title')}</h1>
      <p>${t('share.code.sentTo', { to: this.channel === 'whatsapp' && this.phone ? this.phone.display(this.identifier, this.country) : this.identifier })}</p>
      <form @submit=${this.submitCode} novalidate>
        <div class="field">
          <label for="code">${t('share.code.label')}</label>
          <input id="code" class="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="6" required
            aria-invalid=${this.message ? 'true' : 'false'} aria-describedby="code-error" @input=${this.onCodeInput} />
        </div>
        <div id="code-error" aria-live="polite">
          ${this.message ? html`<p class="alert" role="alert">${this.message}</p>` : this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : nothing}
        </div>
        <button class="btn primary" type="submit" ?disabled=${this.busy}>${this.busy ? t('share.busy') : t('share.verify')}</button>
        <button class="link" type="button" ?disabled=${wait > 0 || this.busy} @click=${this.resend}>${wait > 0 ? t('share.resendIn', { seconds: wait }) : t('share.resend')}</button>
        <button class="link" type="button" @click=${() => ((this.step = 'identify'), (this.message = ''), (this.notice = ''))}>${t('share.changeAddress')}</button>
      </form>
    </div>`;
  }
}

define('share-viewer-gate', ShareViewerGate);

declare global {
  interface HTMLElementTagNameMap {
    'share-viewer-gate': ShareViewerGate;
  }
}
