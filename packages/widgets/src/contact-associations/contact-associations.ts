import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { ContactOpenEvent, DossierEvent } from '../../../core/src/events.js';
import { plural, t } from '../../../core/src/i18n.js';
import type { AssociationJson, AssociationTypeJson, ObjectTypeJson, Session, TargetKindName } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-confirm.js';
import type { DossierConfirm } from '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-state.js';
import { MenuController } from '../../../core/src/ui/menu.js';
import { OpportunityOpenEvent } from '../contact-opportunities/events.js';
import type { AssociationDialog } from './association-dialog.js';
import { styles } from './contact-associations.styles.js';
import './messages.js';
import { targetDetail, typeLabel } from './target-text.js';

/** Kinds in the order their groups show. */
const KIND_ORDER: TargetKindName[] = ['contact', 'company', 'opportunity', 'object'];

/** A card's Open: `detail.kind`, `detail.id` (and `detail.contactId`, whose card it was). A contact also fires `contact-open`, an opportunity `opportunity-open`. */
export class AssociationOpenEvent extends DossierEvent<{ contactId: string; kind: TargetKindName; id: string }> {
  static readonly type = 'association-open';
  constructor(detail: AssociationOpenEvent['detail']) {
    super(AssociationOpenEvent.type, detail);
  }
}

/** After a link was made or removed here: `detail.contactId`, `detail.association`, `detail.action`. */
export class AssociationChangeEvent extends DossierEvent<{ contactId: string; association: AssociationJson; action: 'created' | 'deleted' }> {
  static readonly type = 'association-change';
  constructor(detail: AssociationChangeEvent['detail']) {
    super(AssociationChangeEvent.type, detail);
  }
}

/** A group of cards: a kind, or one custom object type. */
interface Group {
  key: string;
  heading: string;
  items: AssociationJson[];
}

/**
 * A contact's associations (reference 001's Associations tab): cards grouped by kind — Contacts, Companies,
 * Opportunities, each custom object type —, each with the other side's name, the relation read from this contact
 * ("Reports to"; an opportunity's: the contact's role), Open and Remove (asks first; removes the link, never the
 * record). **+ Add** offers *Create new* (a dialog creating a contact, company or custom object record, then linking
 * it; for an opportunity the New opportunity dialog of `<contact-opportunities>`) and *Add existing* (search across
 * kinds). Links made anywhere else (the Opportunities section included) appear live.
 *
 * @element contact-associations
 * @attr contact-id - The contact whose associations are shown.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {AssociationJson[]} associations - The loaded links (set by the element; may be set to render without a server).
 * @prop {AssociationTypeJson[]} types - The workspace's association types (loaded from the server).
 * @prop {ObjectTypeJson[]} objectTypes - The workspace's custom object types (loaded from the server).
 * @prop {boolean} readonly - No changes (set for a contact in the restore bin).
 * @fires association-open - A card's Open: `detail.contactId`, `detail.kind`, `detail.id`; for a contact `contact-open` (`detail.id`) too, for an opportunity `opportunity-open` (`detail.id`, `detail.contactId`).
 * @fires association-change - After a link was made or removed here: `detail.contactId`, `detail.association`, `detail.action` (`created`, `deleted`).
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart toolbar - The heading and + Add.
 * @csspart group - Each group of cards.
 * @csspart card - Each association.
 */
export class ContactAssociations extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ attribute: false }) associations: AssociationJson[] = [];
  @property({ attribute: false }) types: AssociationTypeJson[] = [];
  @property({ attribute: false }) objectTypes: ObjectTypeJson[] = [];
  @property({ type: Boolean }) readonly = false;
  /** Set directly to render without a server (Storybook). */
  @property({ attribute: false }) session: Session | null = null;

  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loadError = '';
  @state() private cardErrors: Record<string, string> = {};
  @state() private announce = '';
  /** Create new → Opportunity could not open its dialog. */
  @state() private addError = '';
  /** The Add dialog is open in this mode (its chunk loads on first use). */
  @state() private adding: 'new' | 'existing' | null = null;
  @query('dossier-confirm') private confirm!: DossierConfirm;
  @query('dossier-association-dialog') private dialog?: AssociationDialog;

  private request = 0;
  private menu = new MenuController(this);

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    // Opportunity links are the Opportunities feature's: its events (linked, unlinked, moved, renamed) change cards here.
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && /^(association|opportunity)\./.test(e.event.type)) void this.load(true);
    else if (e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contactId') && changed.get('contactId') !== undefined) {
      this.adding = null;
      this.awaited = null;
      this.cardErrors = {};
    }
    if ((changed.has('contactId') || changed.has('dossier' as keyof ContactAssociations)) && this.dossier && this.contactId) void this.load();
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
    try {
      const v1 = client.api.api.v1;
      const [links, types, objectTypes, session, contact] = await Promise.all([
        unwrap(v1.contacts[':id'].associations.$get({ param: { id } })),
        unwrap(v1['association-types'].$get()),
        unwrap(v1['object-types'].$get()),
        client.session(),
        unwrap(v1.contacts[':id'].$get({ param: { id } })),
      ]);
      if (seq !== this.request) return;
      Object.assign(this, { associations: links.items, types: types.items, objectTypes: objectTypes.items, session, readonly: contact.deletedAt !== null, status: 'idle', loadError: '' });
    } catch (err) {
      if (seq !== this.request) return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  /** Cards by kind; records by their object type (named by its plural), in the types' order. */
  private groups(): Group[] {
    const out: Group[] = [];
    for (const kind of KIND_ORDER) {
      const items = this.associations.filter((a) => a.target.kind === kind);
      if (kind !== 'object') {
        if (items.length) out.push({ key: kind, heading: t(`assoc.group.${kind}`), items });
        continue;
      }
      const byType = new Map<string, AssociationJson[]>();
      for (const a of items) byType.set(a.target.objectTypeId ?? '', [...(byType.get(a.target.objectTypeId ?? '') ?? []), a]);
      for (const [typeId, list] of byType) out.push({ key: `object:${typeId}`, heading: this.objectTypes.find((o) => o.id === typeId)?.pluralName ?? t('assoc.group.object'), items: list });
    }
    return out;
  }

  private open(a: AssociationJson) {
    this.dispatchEvent(new AssociationOpenEvent({ contactId: this.contactId, kind: a.target.kind, id: a.target.id }));
    // A contact opens the way every contact opens: the host's contact-open handler (as for a table row).
    if (a.target.kind === 'contact') this.dispatchEvent(new ContactOpenEvent({ id: a.target.id }));
    // An opportunity likewise: the host's opportunity-open handler (as from the Opportunities section).
    if (a.target.kind === 'opportunity') this.dispatchEvent(new OpportunityOpenEvent({ id: a.target.id, contactId: this.contactId }));
  }

  private async unlink(a: AssociationJson) {
    const client = this.dossier;
    if (!client) return;
    this.confirm.heading = t('assoc.remove.title');
    this.confirm.message = t('assoc.remove.message', { name: a.target.name, label: typeLabel(a.typeId, a.label) });
    this.confirm.confirmLabel = t('assoc.remove');
    if (!(await this.confirm.ask())) return this.focusCard(a.id, '.remove');
    this.cardErrors = { ...this.cardErrors, [a.id]: '' };
    try {
      await unwrap(client.api.api.v1.contacts[':id'].associations[':associationId'].$delete({ param: { id: this.contactId, associationId: a.id } }));
      const index = this.associations.findIndex((x) => x.id === a.id);
      this.associations = this.associations.filter((x) => x.id !== a.id);
      this.announce = t('assoc.removed');
      this.dispatchEvent(new AssociationChangeEvent({ contactId: this.contactId, association: a, action: 'deleted' }));
      // Focus goes to the next card's Remove (or + Add when none is left), not to the page.
      await this.updateComplete;
      const next = this.associations[Math.min(index, this.associations.length - 1)];
      if (next) this.focusCard(next.id, '.remove');
      else this.renderRoot.querySelector<HTMLElement>('.add')?.focus();
    } catch (err) {
      this.cardErrors = { ...this.cardErrors, [a.id]: t('assoc.removeFailed', { message: (err as Error).message }) };
      this.reportError(err as Error, 'delete');
      this.focusCard(a.id, '.remove');
    }
  }

  private focusCard(id: string, selector: string) {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-association="${id}"] ${selector}`)?.focus());
  }

  private async startAdd(mode: 'new' | 'existing') {
    await import('./association-dialog.js');
    this.adding = mode;
    await this.updateComplete;
    this.dialog?.show();
  }

  /**
   * The card a change made here is waiting for: focused (and `then` run) once it renders, whichever load brings it
   * (this one, or a newer one the live stream started meanwhile, which makes this one's answer stale).
   */
  private awaited: { match: (a: AssociationJson) => boolean; then?: (a: AssociationJson) => void } | null = null;

  protected override updated(): void {
    const w = this.awaited;
    const card = w && this.associations.find(w.match);
    const button = card && this.renderRoot.querySelector<HTMLElement>(`[data-association="${card.id}"] .open`);
    if (!w || !card || !button) return;
    this.awaited = null;
    button.focus();
    w.then?.(card);
  }

  private async added(e: CustomEvent<{ association: AssociationJson }>) {
    this.adding = null;
    this.announce = t('assoc.added');
    this.dispatchEvent(new AssociationChangeEvent({ contactId: this.contactId, association: e.detail.association, action: 'created' }));
    this.awaited = { match: (a) => a.id === e.detail.association.id };
    await this.load(true);
  }

  /** Create new → Opportunity: the New opportunity dialog (the Opportunities section's chunk), this contact its primary. */
  private async createOpportunity() {
    const client = this.dossier;
    this.adding = null;
    this.addError = '';
    if (!client) return;
    try {
      const { openOpportunityDialog } = await import('../contact-opportunities/opportunity-dialog.js');
      const created = await openOpportunityDialog(this.renderRoot, { client, contactId: this.contactId, theme: this.theme });
      if (!created) return this.closed();
      this.announce = t('assoc.opportunityCreated');
      this.awaited = {
        match: (a) => a.target.kind === 'opportunity' && a.target.id === created.id,
        then: (card) => this.dispatchEvent(new AssociationChangeEvent({ contactId: this.contactId, association: card, action: 'created' })),
      };
      await this.load(true);
    } catch (err) {
      this.addError = t('assoc.failed', { message: (err as Error).message });
      this.reportError(err as Error, 'create');
      this.closed();
    }
  }

  private closed() {
    this.adding = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.add')?.focus());
  }

  protected override render() {
    if (this.contactId && !this.dossier && !this.associations.length && !this.session) {
      return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    }
    if (this.status === 'loading' && !this.associations.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error') return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    const groups = this.groups();
    const canAdd = this.canWrite && this.types.length > 0;
    return html`
      <div class="toolbar" part="toolbar">
        <h2>${this.associations.length ? plural('assoc.count', this.associations.length) : t('assoc.title')}</h2>
        ${canAdd
          ? html`<button class="btn primary add" aria-haspopup="menu" aria-expanded=${this.menu.anchor ? 'true' : 'false'}
              @click=${(e: Event) => this.menu.open(e.currentTarget as HTMLElement)}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                  e.preventDefault();
                  this.menu.open(e.currentTarget as HTMLElement, e.key === 'ArrowUp' ? 'last' : 'first');
                }
              }}>${t('assoc.add')}</button>`
          : nothing}
      </div>
      ${this.menu.render(t('assoc.addMenu'), [
        { label: t('assoc.createNew'), run: () => this.startAdd('new') },
        { label: t('assoc.addExisting'), run: () => this.startAdd('existing') },
      ])}
      ${this.addError ? html`<p class="field-error" role="alert">${this.addError}</p>` : nothing}
      ${this.readonly ? html`<p class="note" role="status">${t('assoc.readOnly')}</p>` : nothing}
      ${!this.types.length && !this.associations.length ? html`<p class="empty">${t('assoc.noTypes')}</p>` : nothing}
      ${this.types.length && !this.associations.length ? html`<p class="empty">${t('assoc.empty')}</p>` : nothing}
      ${groups.map(
        (g) => html`<section class="group" part="group" aria-labelledby="g-${g.key}">
          <h3 id="g-${g.key}"><span class="heading">${g.heading}</span> <span class="count">${g.items.length}</span></h3>
          <ul class="cards">${g.items.map((a) => this.renderCard(a))}</ul>
        </section>`,
      )}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
      <dossier-confirm></dossier-confirm>
      ${this.adding && this.dossier
        ? html`<dossier-association-dialog .client=${this.dossier} .contactId=${this.contactId} .mode=${this.adding} .types=${this.types} .objectTypes=${this.objectTypes}
            .permissions=${this.session?.permissions ?? []} .theme=${this.theme}
            @dossier-association-added=${(e: CustomEvent<{ association: AssociationJson }>) => this.added(e)} @dossier-association-new-opportunity=${() => void this.createOpportunity()}
            @dossier-dialog-closed=${() => this.closed()}></dossier-association-dialog>`
        : nothing}
    `;
  }

  private renderCard(a: AssociationJson) {
    const error = this.cardErrors[a.id];
    const detail = targetDetail(a.target);
    return html`<li class="card" part="card" data-association=${a.id} data-kind=${a.target.kind}>
      <div class="main">
        <button class="link open" aria-label=${t('assoc.open', { name: a.target.name })} title=${a.target.name} @click=${() => this.open(a)}>${a.target.name}</button>
        ${detail ? html`<span class="detail" title=${detail}>${detail}</span>` : nothing}
      </div>
      <span class="badge">${typeLabel(a.typeId, a.label)}</span>
      ${this.canWrite
        ? html`<button class="icon remove" aria-label=${t('assoc.removeLabel', { name: a.target.name })} title=${t('assoc.remove')} @click=${() => void this.unlink(a)}>×</button>`
        : nothing}
      ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
    </li>`;
  }
}

define('contact-associations', ContactAssociations);

declare global {
  interface HTMLElementTagNameMap {
    'contact-associations': ContactAssociations;
  }
  interface HTMLElementEventMap {
    'association-open': AssociationOpenEvent;
    'association-change': AssociationChangeEvent;
  }
}
