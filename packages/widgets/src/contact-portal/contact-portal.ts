import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DossierEvent } from '../../../core/src/events.js';
import { t } from '../../../core/src/i18n.js';
import type { PortalGrantJson, PortalItemJson, Session } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-state.js';
import { actionStyles } from '../contact-workflows/actions.styles.js';
import './messages.js';

export type PortalKind = 'offer' | 'group';
export type PortalChange = 'offer_granted' | 'offer_revoked' | 'group_joined' | 'group_left';

/**
 * The contact's portal access changed here: an offer granted or revoked, a group joined or left. Dossier recorded it
 * and sent the `portal.<change>` webhook; the host applies it to its portal.
 */
export class PortalChangeEvent extends DossierEvent<{ contactId: string; change: PortalChange; kind: PortalKind; item: { id: string; hostId: string; name: string } }> {
  static readonly type = 'portal-change';
  constructor(detail: PortalChangeEvent['detail']) {
    super(PortalChangeEvent.type, detail);
  }
}

const KINDS: PortalKind[] = ['offer', 'group'];
const PLURAL = { offer: 'offers', group: 'groups' } as const;
const CHANGE = { offer: ['offer_granted', 'offer_revoked'], group: ['group_joined', 'group_left'] } as const;

/**
 * A contact's client-portal access, from the host's catalogues: **Course offers** granted and **Community groups**
 * joined, each as chips (× revokes / removes), and a dropdown of the host's active ones to grant / add. Every change
 * is recorded and handed to the host (event `portal-change`, webhooks `portal.*`); changes anyone makes appear live.
 *
 * @element contact-portal
 * @attr contact-id - The contact whose access is shown.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {PortalGrantJson[]} offers - Granted offers (set by the element; may be set to render without a server).
 * @prop {PortalGrantJson[]} groups - Joined groups.
 * @prop {boolean} readonly - No changes (set for a contact in the restore bin).
 * @fires portal-change - After a change made here: `detail.contactId`, `detail.change`, `detail.kind`, `detail.item`.
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart offers - The Course offers section.
 * @csspart groups - The Community groups section.
 * @csspart chip - Each granted offer / joined group.
 */
export class ContactPortal extends DossierElement {
  static override styles = actionStyles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ attribute: false }) offers: PortalGrantJson[] = [];
  @property({ attribute: false }) groups: PortalGrantJson[] = [];
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) session: Session | null = null;

  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loaded = false;
  @state() private loadError = '';
  @state() private catalogue: Record<PortalKind, PortalItemJson[] | null> = { offer: null, group: null };
  @state() private chosen: Record<PortalKind, string> = { offer: '', group: '' };
  @state() private errors: Record<PortalKind, string> = { offer: '', group: '' };
  @state() private busy = false;
  @state() private announce = '';

  private request = 0;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('portal.')) void this.load(true);
    else if (e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contactId') && changed.get('contactId') !== undefined) this.errors = { offer: '', group: '' };
    if ((changed.has('contactId') || changed.has('dossier' as keyof ContactPortal)) && this.dossier && this.contactId) void this.load();
  }

  private get canWrite() {
    return !this.readonly && (!this.session || this.session.permissions.includes('contacts.edit'));
  }

  private async load(quiet = false) {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !id) return;
    const seq = ++this.request;
    if (!quiet) this.status = 'loading';
    const portal = client.api.api.v1.portal;
    try {
      const [mine, offers, groups, session, contact] = await Promise.all([
        unwrap(client.api.api.v1.contacts[':id'].portal.$get({ param: { id } })),
        unwrap(portal.offers.$get({ query: { status: 'active', limit: '200' } })),
        unwrap(portal.groups.$get({ query: { status: 'active', limit: '200' } })),
        client.session(),
        unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } })),
      ]);
      if (seq !== this.request) return;
      Object.assign(this, { session, readonly: contact.deletedAt !== null, offers: mine.offers, groups: mine.groups, catalogue: { offer: offers.items, group: groups.items }, status: 'idle', loaded: true, loadError: '' });
    } catch (err) {
      if (seq !== this.request) return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private granted(kind: PortalKind) {
    return kind === 'offer' ? this.offers : this.groups;
  }

  private async add(kind: PortalKind) {
    const client = this.dossier;
    const itemId = this.chosen[kind];
    if (!client || !itemId || this.busy) return;
    this.busy = true;
    this.errors = { ...this.errors, [kind]: '' };
    const param = { id: this.contactId, itemId };
    try {
      const route = client.api.api.v1.contacts[':id'].portal;
      const grant = await unwrap(kind === 'offer' ? route.offers[':itemId'].$put({ param }) : route.groups[':itemId'].$put({ param }));
      const list = [...this.granted(kind).filter((g) => g.item.id !== grant.item.id), grant].sort((a, b) => a.item.name.localeCompare(b.item.name));
      if (kind === 'offer') this.offers = list;
      else this.groups = list;
      this.chosen = { ...this.chosen, [kind]: '' };
      this.dispatchEvent(new PortalChangeEvent({ contactId: this.contactId, change: CHANGE[kind][0], kind, item: { id: grant.item.id, hostId: grant.item.hostId, name: grant.item.name } }));
      this.announce = t(`portal.${PLURAL[kind]}.added`, { name: grant.item.name });
    } catch (err) {
      // The choice stays selected, with the reason.
      this.errors = { ...this.errors, [kind]: t('portal.failed', { message: (err as Error).message }) };
      this.reportError(err as Error, kind === 'offer' ? 'grant' : 'join');
    } finally {
      this.busy = false;
    }
  }

  private async takeAway(kind: PortalKind, g: PortalGrantJson) {
    const client = this.dossier;
    if (!client) return;
    this.errors = { ...this.errors, [kind]: '' };
    const param = { id: this.contactId, itemId: g.item.id };
    try {
      const route = client.api.api.v1.contacts[':id'].portal;
      await unwrap(kind === 'offer' ? route.offers[':itemId'].$delete({ param }) : route.groups[':itemId'].$delete({ param }));
      if (kind === 'offer') this.offers = this.offers.filter((x) => x.item.id !== g.item.id);
      else this.groups = this.groups.filter((x) => x.item.id !== g.item.id);
      this.dispatchEvent(new PortalChangeEvent({ contactId: this.contactId, change: CHANGE[kind][1], kind, item: { id: g.item.id, hostId: g.item.hostId, name: g.item.name } }));
      this.announce = t(`portal.${PLURAL[kind]}.removed`, { name: g.item.name });
      this.renderRoot.querySelector<HTMLElement>(`#pick-${kind}`)?.focus();
    } catch (err) {
      this.errors = { ...this.errors, [kind]: t('portal.failed', { message: (err as Error).message }) };
      this.reportError(err as Error, kind === 'offer' ? 'revoke' : 'leave');
    }
  }

  protected override render() {
    if (this.contactId && !this.dossier && !this.session) return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    const empty = !this.offers.length && !this.groups.length;
    if (this.status === 'loading' && empty && !this.loaded) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error' && empty) return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    return html`
      ${this.readonly ? html`<p class="readonly" role="status">${t('portal.readOnly')}</p>` : nothing}
      ${this.status === 'error' ? html`<p class="field-error" role="alert">${this.loadError}</p>` : nothing}
      ${KINDS.map((k) => this.renderKind(k))}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
    `;
  }

  private renderKind(kind: PortalKind) {
    const key = PLURAL[kind];
    const granted = this.granted(kind);
    const have = new Set(granted.map((g) => g.item.id));
    const options = (this.catalogue[kind] ?? []).filter((i) => !have.has(i.id));
    const error = this.errors[kind];
    return html`<section part=${key} aria-labelledby="h-${kind}">
      <h3 id="h-${kind}">${t(`portal.${key}`)} <span class="count">${granted.length}</span></h3>
      ${granted.length
        ? html`<ul class="chips" aria-labelledby="h-${kind}">
            ${granted.map(
              (g) => html`<li class="chip" part="chip" data-item=${g.item.id}>
                <span>${g.item.name}${g.item.status === 'inactive' ? html` <span class="meta">(${t('portal.inactive')})</span>` : nothing}</span>
                ${this.canWrite ? html`<button aria-label=${t(`portal.${key}.remove`, { name: g.item.name })} title=${t(`portal.${key}.remove`, { name: g.item.name })} @click=${() => void this.takeAway(kind, g)}>×</button>` : nothing}
              </li>`,
            )}
          </ul>`
        : html`<p class="empty">${t(`portal.${key}.empty`)}</p>`}
      ${this.canWrite && this.catalogue[kind]
        ? options.length
          ? html`<form class="row" @submit=${(e: Event) => (e.preventDefault(), void this.add(kind))}>
              <select id="pick-${kind}" aria-label=${t(`portal.${key}.choose`)} aria-invalid=${error ? 'true' : 'false'}
                @change=${(e: Event) => (this.chosen = { ...this.chosen, [kind]: (e.target as HTMLSelectElement).value })}>
                <option value="" ?selected=${!this.chosen[kind]}>${t(`portal.${key}.pick`)}</option>
                ${options.map((i) => html`<option value=${i.id} ?selected=${this.chosen[kind] === i.id}>${i.name}</option>`)}
              </select>
              <button type="submit" class="btn primary" ?disabled=${this.busy || !this.chosen[kind]}>${t(`portal.${key}.add`)}</button>
            </form>`
          : html`<p class="meta">${t(`portal.${key}.none`)}</p>`
        : nothing}
      ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
    </section>`;
  }
}

define('contact-portal', ContactPortal);

declare global {
  interface HTMLElementTagNameMap {
    'contact-portal': ContactPortal;
  }
  interface HTMLElementEventMap {
    'portal-change': PortalChangeEvent;
  }
}
