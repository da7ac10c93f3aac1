import { html, css, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../../core/src/api.js';
import { define, DossierElement } from '../../../../core/src/dossier-element.js';
import { DossierEvent } from '../../../../core/src/events.js';
import { formatDate, formatRelative } from '../../../../core/src/format.js';
import { plural, t } from '../../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../../core/src/theme.js';
import type { DossierConfirm } from '../../../../core/src/ui/dossier-confirm.js';
import '../../../../core/src/ui/dossier-confirm.js';
import '../../../../core/src/ui/dossier-state.js';
import type { ShareLinkJson } from '../../../../../server/src/domain/share-links.js';
import './messages.js';

export type { ShareLinkJson };
type Require = ShareLinkJson['require'];

/** A share link was created, edited, disabled, enabled or deleted. */
export class ShareLinkChangeEvent extends DossierEvent<{ action: 'created' | 'updated' | 'deleted'; link: ShareLinkJson }> {
  static readonly type = 'share-link-change';
  constructor(detail: ShareLinkChangeEvent['detail']) {
    super(ShareLinkChangeEvent.type, detail);
  }
}

interface Draft {
  name: string;
  require: Require;
  verifyOtp: boolean;
  allowDownload: boolean;
  expires: 'never' | 'date';
  expiryDate: string;
  allowList: string;
  denyList: string;
}

const blank = (name: string): Draft => ({ name, require: 'email', verifyOtp: true, allowDownload: false, expires: 'never', expiryDate: '', allowList: '', denyList: '' });
const lines = (s: string) => s.split(/[\n,]+/).map((x) => x.trim()).filter(Boolean);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The staff dialog that shares one document: lists its share links with view counts (copy, edit, disable, delete)
 * and creates new ones — gate (none / email / WhatsApp / either), one-time code on or off, download allowed,
 * expiry date or never, allow and deny lists (addresses, numbers or @domain), link name. Needs a
 * `<dossier-provider>` above it; members without 'share_links.manage' see why they can't.
 *
 * @element share-link-dialog
 * @attr document-id - The document to share.
 * @attr document-name - Shown in the title and used as the default link name.
 * @attr open - Opens the dialog (same as calling `show()`); removed when it closes.
 * @fires share-link-change - After a create, edit, disable/enable or delete: `detail.action`, `detail.link`.
 * @fires dossier-error - A failure the dialog shows: `detail.error`, `detail.action`.
 * @csspart dialog - The native dialog.
 */
export class ShareLinkDialog extends DossierElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(640px, 94vw);
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.15em;
        overflow-wrap: anywhere;
      }
      h3 {
        font-size: 1em;
        margin: 16px 0 8px;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 8px;
      }
      li {
        border: 1px solid var(--_border);
        border-radius: var(--_radius-sm);
        padding: 10px;
        display: grid;
        gap: 6px;
      }
      .top,
      .row {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      .top strong {
        margin-inline-end: auto;
      }
      .muted {
        color: var(--_muted);
        font-size: 0.92em;
      }
      .badge {
        font-size: 0.8em;
        border-radius: 999px;
        padding: 1px 8px;
        background: var(--_accent-soft);
        color: var(--_text);
      }
      .badge.off {
        background: var(--_danger-soft);
      }
      .url {
        flex: 1;
        min-width: 12em;
      }
      form {
        display: grid;
        gap: 10px;
      }
      .field {
        display: grid;
        gap: 4px;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
        display: flex;
        gap: 12px;
        align-items: center;
        flex-wrap: wrap;
      }
      legend {
        color: var(--_muted);
        font-size: 0.92em;
        padding: 0;
        margin-bottom: 4px;
      }
      textarea {
        min-height: 3.5em;
        resize: vertical;
      }
      /* One action row for the dialog: Cancel edit (while editing) on the left, Close and the form's primary action
         on the right. It stays in view at the bottom while the dialog scrolls. */
      .actions {
        display: flex;
        gap: 8px;
        justify-content: flex-end;
        align-items: center;
        position: sticky;
        bottom: -20px;
        margin: 16px -20px -20px;
        padding: 12px 20px 20px;
        background: var(--_bg);
        border-top: 1px solid var(--_border);
      }
      .actions .secondary {
        margin-inline-end: auto;
      }
      .alert {
        color: var(--_danger);
        margin: 0;
      }
      .notice {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: 'document-id' }) documentId = '';
  @property({ attribute: 'document-name' }) documentName = '';
  /** Set to open the dialog (same as `show()`); cleared when it closes. */
  @property({ type: Boolean, reflect: true }) open = false;
  @state() links: ShareLinkJson[] | null = null;
  @state() draft: Draft = blank('');
  @state() editing: ShareLinkJson | null = null;
  @state() error = '';
  @state() notice = '';
  @state() busy = false;
  @state() forbidden = false;
  @state() lastUrl = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('dossier-confirm') private confirm!: DossierConfirm;

  get isOpen() {
    return Boolean(this.dialog?.open);
  }

  protected override updated(changed: Map<PropertyKey, unknown>) {
    if (changed.has('open') && this.open && !this.dialog.open) void this.show();
    if (changed.has('dossier') && this.open && this.links === null) void this.load();
  }

  /** Opens the dialog and loads the document's links. */
  async show() {
    this.open = true;
    await this.updateComplete;
    this.reset();
    this.lastUrl = '';
    if (!this.dialog.open) this.dialog.showModal();
    await this.load();
  }

  close() {
    this.dialog?.close();
  }

  private reset() {
    this.editing = null;
    this.draft = blank(this.documentName);
    this.error = '';
  }

  private get api() {
    if (!this.dossier) throw new Error(t('state.noProvider'));
    return this.dossier.api.api.v1['share-links'];
  }

  async load() {
    try {
      this.forbidden = Boolean(this.dossier) && !(await this.dossier!.can('share_links.manage'));
      if (this.forbidden) return;
      this.links = (await unwrap(this.api.$get({ query: { documentId: this.documentId } }))).items as ShareLinkJson[];
    } catch (err) {
      this.fail(err, 'share-links-load');
    }
  }

  private fail(err: unknown, action: string) {
    const e = err instanceof Error ? err : new Error(String(err));
    this.error = e.message;
    this.reportError(e, action);
  }

  private body() {
    const d = this.draft;
    const expiresAt = d.expires === 'date' && d.expiryDate ? Date.parse(`${d.expiryDate}T23:59:59`) : null;
    return {
      name: d.name.trim() || this.documentName || undefined,
      require: d.require,
      verifyOtp: d.require !== 'none' && d.verifyOtp,
      allowDownload: d.allowDownload,
      expiresAt,
      allowList: lines(d.allowList),
      denyList: lines(d.denyList),
    };
  }

  private async submit(e: Event) {
    e.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    this.notice = '';
    try {
      if (this.editing) {
        const link = (await unwrap(this.api[':id'].$patch({ param: { id: this.editing.id }, json: this.body() }))) as ShareLinkJson;
        this.notice = t('shareDialog.saved');
        this.dispatchEvent(new ShareLinkChangeEvent({ action: 'updated', link }));
      } else {
        const link = (await unwrap(this.api.$post({ json: { documentId: this.documentId, ...this.body() } }))) as ShareLinkJson;
        this.lastUrl = link.url;
        this.notice = t('shareDialog.created');
        this.dispatchEvent(new ShareLinkChangeEvent({ action: 'created', link }));
      }
      this.reset();
      await this.load();
    } catch (err) {
      const field = err instanceof DossierApiError ? err.field : undefined;
      this.fail(err, 'share-link-save');
      if (field) this.error = `${this.error}`;
    }
    this.busy = false;
  }

  private edit(link: ShareLinkJson) {
    this.editing = link;
    this.notice = '';
    this.draft = {
      name: link.name,
      require: link.require,
      verifyOtp: link.verifyOtp,
      allowDownload: link.allowDownload,
      expires: link.expiresAt ? 'date' : 'never',
      expiryDate: link.expiresAt ? isoDay(link.expiresAt) : '',
      allowList: link.allowList.join('\n'),
      denyList: link.denyList.join('\n'),
    };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#link-name')?.focus());
  }

  private async toggle(link: ShareLinkJson) {
    try {
      const updated = (await unwrap(this.api[':id'].$patch({ param: { id: link.id }, json: { disabled: link.status !== 'disabled' } }))) as ShareLinkJson;
      this.dispatchEvent(new ShareLinkChangeEvent({ action: 'updated', link: updated }));
      await this.load();
    } catch (err) {
      this.fail(err, 'share-link-toggle');
    }
  }

  private async deleteLink(link: ShareLinkJson) {
    this.confirm.heading = t('shareDialog.deleteTitle');
    this.confirm.message = t('shareDialog.deleteMessage');
    if (!(await this.confirm.ask())) return;
    try {
      await unwrap(this.api[':id'].$delete({ param: { id: link.id } }));
      if (this.editing?.id === link.id) this.reset();
      this.dispatchEvent(new ShareLinkChangeEvent({ action: 'deleted', link }));
      await this.load();
    } catch (err) {
      this.fail(err, 'share-link-delete');
    }
  }

  private async copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Clipboard blocked (permissions, insecure origin): select the text so Ctrl+C works.
      const input = [...this.renderRoot.querySelectorAll<HTMLInputElement>('input.url')].find((i) => i.value === url);
      input?.select();
    }
    this.notice = t('shareDialog.copied');
  }

  private set<K extends keyof Draft>(key: K, value: Draft[K]) {
    this.draft = { ...this.draft, [key]: value };
  }

  private renderLink(link: ShareLinkJson) {
    const gate = `${t(`shareDialog.gate.${link.require}`)}${link.verifyOtp ? ` ${t('shareDialog.gate.code')}` : ''}`;
    return html`<li>
      <div class="top">
        <strong>${link.name}</strong>
        <span class="badge ${link.status === 'active' ? '' : 'off'}">${t(`shareDialog.status.${link.status}`)}</span>
      </div>
      <div class="muted">
        ${gate}${link.allowDownload ? ` · ${t('shareDialog.download')}` : ''}${link.expiresAt ? ` · ${t('shareDialog.expiry')} ${formatDate(link.expiresAt)}` : ''}
        · ${t('shareDialog.views', { views: plural('shareDialog.viewCount', link.views), viewers: plural('shareDialog.viewerCount', link.viewers) })}${link.lastViewedAt ? ` · ${formatRelative(link.lastViewedAt)}` : ''}
      </div>
      <div class="row">
        <input class="url" readonly .value=${link.url} aria-label=${t('shareDialog.urlLabel', { name: link.name })} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
        <button class="btn" type="button" @click=${() => this.copy(link.url)}>${t('shareDialog.copy')}</button>
      </div>
      <div class="row" role="group" aria-label=${t('shareDialog.actionsFor', { name: link.name })}>
        <button class="btn" type="button" @click=${() => this.edit(link)}>${t('action.edit')}</button>
        <button class="btn" type="button" @click=${() => this.toggle(link)}>${link.status === 'disabled' ? t('shareDialog.enable') : t('shareDialog.disable')}</button>
        <button class="btn danger" type="button" @click=${() => this.deleteLink(link)}>${t('shareDialog.delete')}</button>
      </div>
    </li>`;
  }

  private renderForm() {
    const d = this.draft;
    // The submit button sits in the dialog's action row (form="share-link-form"): Enter in a field still submits.
    return html`<form id="share-link-form" @submit=${this.submit}>
      <h3>${this.editing ? t('shareDialog.edit') : t('shareDialog.new')}</h3>
      <div class="field">
        <label for="link-name">${t('shareDialog.name')}</label>
        <input id="link-name" .value=${d.name} maxlength="200" @input=${(e: Event) => this.set('name', (e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="require">${t('shareDialog.require')}</label>
        <select id="require" .value=${d.require} @change=${(e: Event) => this.set('require', (e.target as HTMLSelectElement).value as Require)}>
          ${(['none', 'email', 'whatsapp', 'either'] as const).map((r) => html`<option value=${r} ?selected=${d.require === r}>${t(`shareDialog.require.${r}`)}</option>`)}
        </select>
      </div>
      <label><input type="checkbox" .checked=${d.require !== 'none' && d.verifyOtp} ?disabled=${d.require === 'none'} @change=${(e: Event) => this.set('verifyOtp', (e.target as HTMLInputElement).checked)} /> ${t('shareDialog.verify')}</label>
      <label><input type="checkbox" .checked=${d.allowDownload} @change=${(e: Event) => this.set('allowDownload', (e.target as HTMLInputElement).checked)} /> ${t('shareDialog.download')}</label>
      <fieldset>
        <legend>${t('shareDialog.expiry')}</legend>
        <label><input type="radio" name="expires" .checked=${d.expires === 'never'} @change=${() => this.set('expires', 'never')} /> ${t('shareDialog.never')}</label>
        <label><input type="radio" name="expires" .checked=${d.expires === 'date'} @change=${() => this.set('expires', 'date')} /> ${t('shareDialog.onDate')}</label>
        <input type="date" aria-label=${t('shareDialog.expiryDate')} .value=${d.expiryDate} min=${isoDay(Date.now())} ?disabled=${d.expires !== 'date'}
          @input=${(e: Event) => this.set('expiryDate', (e.target as HTMLInputElement).value)} />
      </fieldset>
      <div class="field">
        <label for="allow">${t('shareDialog.allow')}</label>
        <textarea id="allow" .value=${d.allowList} @input=${(e: Event) => this.set('allowList', (e.target as HTMLTextAreaElement).value)}></textarea>
      </div>
      <div class="field">
        <label for="deny">${t('shareDialog.deny')}</label>
        <textarea id="deny" .value=${d.denyList} @input=${(e: Event) => this.set('denyList', (e.target as HTMLTextAreaElement).value)}></textarea>
      </div>
    </form>`;
  }

  protected override render() {
    return html`<dialog part="dialog" aria-labelledby="share-title" @close=${() => ((this.open = false), this.dispatchEvent(new Event('close')))}>
      <h2 id="share-title">${t('shareDialog.title', { name: this.documentName || this.documentId })}</h2>
      ${this.forbidden
        ? html`<dossier-state kind="forbidden"></dossier-state>`
        : html`
            <div aria-live="polite">
              ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
              ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
            </div>
            ${this.lastUrl
              ? html`<div class="row">
                  <input class="url" readonly .value=${this.lastUrl} aria-label=${t('shareDialog.urlLabel', { name: t('shareDialog.new') })} />
                  <button class="btn primary" type="button" @click=${() => this.copy(this.lastUrl)}>${t('shareDialog.copy')}</button>
                </div>`
              : nothing}
            <h3>${t('shareDialog.links')}</h3>
            ${this.links === null
              ? html`<dossier-state kind="loading"></dossier-state>`
              : this.links.length
                ? html`<ul aria-label=${t('shareDialog.links')}>${this.links.map((l) => this.renderLink(l))}</ul>`
                : html`<p class="muted">${t('shareDialog.none')}</p>`}
            ${this.renderForm()}
          `}
      <div class="actions">
        ${this.editing && !this.forbidden
          ? html`<button class="btn secondary" type="button" @click=${() => this.reset()}>${t('shareDialog.cancelEdit')}</button>`
          : nothing}
        <button class="btn" type="button" @click=${() => this.close()}>${t('action.close')}</button>
        ${this.forbidden
          ? nothing
          : html`<button class="btn primary" type="submit" form="share-link-form" ?disabled=${this.busy}>${this.editing ? t('shareDialog.save') : t('shareDialog.create')}</button>`}
      </div>
      <dossier-confirm confirm-label=${t('shareDialog.delete')}></dossier-confirm>
    </dialog>`;
  }
}

define('share-link-dialog', ShareLinkDialog);

declare global {
  interface HTMLElementTagNameMap {
    'share-link-dialog': ShareLinkDialog;
  }
  interface HTMLElementEventMap {
    'share-link-change': ShareLinkChangeEvent;
  }
}
