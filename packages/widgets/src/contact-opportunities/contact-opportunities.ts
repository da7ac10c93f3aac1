import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { formatDay } from '../../../core/src/format.js';
import { plural, t } from '../../../core/src/i18n.js';
import type { MemberJson, OpportunityJson, PipelineJson, Session } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-avatar.js';
import '../../../core/src/ui/dossier-state.js';
import { styles } from './contact-opportunities.styles.js';
import { OpportunityChangeEvent, OpportunityOpenEvent } from './events.js';
import { formatMoney } from './money.js';
import './messages.js';

export { OpportunityChangeEvent, OpportunityOpenEvent } from './events.js';

const STATUSES = ['open', 'won', 'lost', 'abandoned'] as const;
type Status = (typeof STATUSES)[number];

/**
 * A contact's opportunities, as cards: name, value in its currency, pipeline › stage, status, owner, expected close
 * date and the primary contact's picture. Create one (a dialog), link an existing one (search), move it to another
 * stage, mark it won / lost (with an optional reason) / abandoned or reopen it, unlink it (the opportunity stays),
 * and open it (`opportunity-open`, for the host). Members with `pipelines.manage` also manage the pipelines and their
 * stages (a dialog). Opportunities changed anywhere else appear live.
 *
 * @element contact-opportunities
 * @attr contact-id - The contact whose opportunities are shown.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {OpportunityJson[]} opportunities - The loaded opportunities, open ones first (set by the element; may be set to render without a server).
 * @prop {PipelineJson[]} pipelines - The workspace's pipelines and their stages.
 * @prop {MemberJson[]} members - The workspace's members (owners).
 * @prop {boolean} readonly - No changes (set for a contact in the restore bin, or without `contacts.edit`).
 * @fires opportunity-open - The user asked to open an opportunity: `detail.id`, `detail.contactId`.
 * @fires opportunity-change - After a change made here: `detail.contactId`, `detail.opportunity`, `detail.action` (`created`, `stage_changed`, `status_changed`, `linked`, `unlinked`).
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart toolbar - New opportunity, Add existing and (with `pipelines.manage`) Manage pipelines.
 * @csspart finder - The search for an existing opportunity to link.
 * @csspart list - The list of cards.
 * @csspart card - Each opportunity.
 */
export class ContactOpportunities extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ attribute: false }) opportunities: OpportunityJson[] = [];
  @property({ attribute: false }) pipelines: PipelineJson[] = [];
  @property({ attribute: false }) members: MemberJson[] = [];
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) session: Session | null = null;

  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loadError = '';
  @state() private cardErrors: Record<string, string> = {};
  @state() private announce = '';
  /** The opportunity whose "Mark lost" form is open, and the reason typed. */
  @state() private losing: { id: string; reason: string } | null = null;
  @state() private finding = false;
  @state() private q = '';
  @state() private found: OpportunityJson[] | null = null;
  @state() private findError = '';

  private request = 0;
  private findSeq = 0;
  private findTimer?: ReturnType<typeof setTimeout>;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('opportunity.')) void this.load(true);
    else if (e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contactId') && changed.get('contactId') !== undefined) {
      this.cardErrors = {};
      this.losing = null;
      this.finding = false;
    }
    if ((changed.has('contactId') || changed.has('dossier' as keyof ContactOpportunities)) && this.dossier && this.contactId) void this.load();
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
      const [list, session, pipelines, members, contact] = await Promise.all([
        unwrap(client.api.api.v1.contacts[':id'].opportunities.$get({ param: { id }, query: {} })),
        client.session(),
        unwrap(client.api.api.v1.pipelines.$get()),
        client.members(),
        unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } })),
      ]);
      if (seq !== this.request) return;
      Object.assign(this, { session, members, pipelines: pipelines.items, readonly: contact.deletedAt !== null, opportunities: list.items, status: 'idle', loadError: '' });
    } catch (err) {
      if (seq !== this.request) return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private changed(opportunity: OpportunityJson, action: OpportunityChangeEvent['detail']['action']) {
    this.dispatchEvent(new OpportunityChangeEvent({ contactId: this.contactId, opportunity, action }));
  }

  private replace(o: OpportunityJson) {
    this.opportunities = this.opportunities.map((x) => (x.id === o.id ? o : x));
  }

  private async create() {
    const client = this.dossier;
    if (!client) return;
    const { openOpportunityDialog } = await import('./opportunity-dialog.js');
    const created = await openOpportunityDialog(this.renderRoot, { client, contactId: this.contactId, pipelines: this.pipelines, members: this.members, theme: this.getAttribute('data-theme') ?? undefined });
    if (created) {
      this.opportunities = [created, ...this.opportunities.filter((x) => x.id !== created.id)];
      this.announce = t('opp.saved');
      this.changed(created, 'created');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-opp="${created.id}"] .name`)?.focus();
    } else {
      this.renderRoot.querySelector<HTMLElement>('.new')?.focus();
    }
  }

  private get canManage() {
    return !!this.session?.permissions.includes('pipelines.manage');
  }

  /** The Manage pipelines dialog (a lazy chunk; it reads the pipelines afresh); the element reloads when anything changed. */
  private async managePipelines(opener: HTMLElement) {
    const client = this.dossier;
    if (!client) return;
    const { openPipelineDialog } = await import('./pipeline-dialog.js');
    const changed = await openPipelineDialog(this.renderRoot, { client, theme: this.getAttribute('data-theme') ?? undefined });
    if (changed) await this.load(true);
    await this.updateComplete;
    (opener.isConnected ? opener : this.renderRoot.querySelector<HTMLElement>('.manage, .new'))?.focus();
  }

  /** A PATCH from a card; the card shows a refusal in place and keeps its controls. */
  private async patch(o: OpportunityJson, json: { stageId?: string; status?: Status; lostReason?: string | null }, action: OpportunityChangeEvent['detail']['action']) {
    const client = this.dossier;
    if (!client) return false;
    this.cardErrors = { ...this.cardErrors, [o.id]: '' };
    try {
      const updated = await unwrap(client.api.api.v1.opportunities[':id'].$patch({ param: { id: o.id }, json }));
      this.replace(updated);
      this.announce = t('opp.saved');
      this.changed(updated, action);
      return true;
    } catch (err) {
      this.cardErrors = { ...this.cardErrors, [o.id]: t('opp.failed', { message: (err as Error).message }) };
      this.requestUpdate(); // the select shows the saved value again
      this.reportError(err as Error, 'update');
      return false;
    }
  }

  private setStatus(o: OpportunityJson, status: Status) {
    if (status === 'lost') {
      this.losing = { id: o.id, reason: '' };
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-opp="${o.id}"] .lost-form input`)?.focus());
      return;
    }
    void this.patch(o, { status }, 'status_changed');
  }

  private async markLost(o: OpportunityJson) {
    const reason = this.losing?.reason.trim() ?? '';
    if (await this.patch(o, { status: 'lost', lostReason: reason || null }, 'status_changed')) {
      this.losing = null;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-opp="${o.id}"] .status`)?.focus();
    }
  }

  private async unlink(o: OpportunityJson) {
    const client = this.dossier;
    if (!client) return;
    try {
      const updated = await unwrap(client.api.api.v1.opportunities[':id'].contacts[':contactId'].$delete({ param: { id: o.id, contactId: this.contactId } }));
      const index = this.opportunities.findIndex((x) => x.id === o.id);
      this.opportunities = this.opportunities.filter((x) => x.id !== o.id);
      this.announce = t('opp.unlinked', { name: o.name });
      this.changed(updated, 'unlinked');
      await this.updateComplete;
      const next = this.renderRoot.querySelectorAll<HTMLElement>('.card .name')[Math.min(index, this.opportunities.length - 1)];
      (next ?? this.renderRoot.querySelector<HTMLElement>('.new, .existing'))?.focus();
    } catch (err) {
      this.cardErrors = { ...this.cardErrors, [o.id]: t('opp.failed', { message: (err as Error).message }) };
      this.reportError(err as Error, 'unlink');
    }
  }

  private toggleFinder(open: boolean) {
    this.finding = open;
    this.q = '';
    this.found = null;
    this.findError = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(open ? '#opp-find' : '.existing')?.focus());
  }

  private search(q: string) {
    this.q = q;
    clearTimeout(this.findTimer);
    if (!q.trim()) {
      this.found = null;
      return;
    }
    this.findTimer = setTimeout(async () => {
      const client = this.dossier;
      if (!client) return;
      const seq = ++this.findSeq;
      try {
        const res = await unwrap(client.api.api.v1.opportunities.$get({ query: { q: q.trim(), limit: '10' } }));
        if (seq !== this.findSeq) return;
        this.found = res.items;
        this.findError = '';
      } catch (err) {
        if (seq !== this.findSeq) return;
        this.findError = (err as Error).message;
        this.reportError(err as Error, 'search');
      }
    }, 200);
  }

  private async link(o: OpportunityJson) {
    const client = this.dossier;
    if (!client) return;
    try {
      const linked = await unwrap(client.api.api.v1.opportunities[':id'].contacts.$post({ param: { id: o.id }, json: { contactId: this.contactId, role: 'associated' } }));
      this.opportunities = [linked, ...this.opportunities.filter((x) => x.id !== linked.id)];
      this.announce = t('opp.linked', { name: linked.name });
      this.changed(linked, 'linked');
      this.finding = false;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-opp="${linked.id}"] .name`)?.focus();
    } catch (err) {
      this.findError = t('opp.failed', { message: (err as Error).message });
      this.reportError(err as Error, 'link');
    }
  }

  private open(o: OpportunityJson) {
    this.dispatchEvent(new OpportunityOpenEvent({ id: o.id, contactId: this.contactId }));
  }

  protected override render() {
    if (this.contactId && !this.dossier && !this.session) return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    if (this.status === 'loading' && !this.opportunities.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error' && !this.opportunities.length) return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    const write = this.canWrite;
    const manage = this.canManage && !this.readonly;
    return html`
      ${this.readonly ? html`<p class="readonly" role="status">${t('opp.readOnly')}</p>` : nothing}
      ${write
        ? html`<div class="toolbar" part="toolbar">
            <button class="btn primary new" ?disabled=${!this.pipelines.length} @click=${() => void this.create()}>+ ${t('opp.new')}</button>
            <button class="btn existing" aria-expanded=${this.finding ? 'true' : 'false'} @click=${() => this.toggleFinder(!this.finding)}>${t('opp.addExisting')}</button>
            ${manage ? html`<button class="btn manage" @click=${(e: Event) => void this.managePipelines(e.currentTarget as HTMLElement)}>${t('opp.managePipelines')}</button>` : nothing}
          </div>`
        : nothing}
      ${!this.pipelines.length && this.status === 'idle' && (write || manage)
        ? manage
          ? html`<p class="empty no-pipelines">${t('opp.noPipelinesYet')}
              <button class="btn create-pipeline" @click=${(e: Event) => void this.managePipelines(e.currentTarget as HTMLElement)}>${t('opp.createPipeline')}</button></p>`
          : html`<p class="empty">${t('opp.noPipelines')}</p>`
        : nothing}
      ${this.finding ? this.renderFinder() : nothing}
      ${this.status === 'error' ? html`<p class="field-error" role="alert">${this.loadError}</p>` : nothing}
      ${this.opportunities.length
        ? html`<ul class="list" part="list" aria-label=${plural('opp.count', this.opportunities.length)}>${this.opportunities.map((o) => this.renderCard(o, write))}</ul>`
        : html`<p class="empty">${t('opp.empty')}</p>`}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
    `;
  }

  private renderFinder() {
    const linked = new Set(this.opportunities.map((o) => o.id));
    return html`<div class="finder" part="finder" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.preventDefault(), this.toggleFinder(false))}>
      <input id="opp-find" type="search" aria-label=${t('opp.search')} placeholder=${t('opp.search')} aria-describedby="opp-find-hint" .value=${this.q}
        @input=${(e: Event) => this.search((e.target as HTMLInputElement).value)}
        @keydown=${(e: KeyboardEvent) => e.key === 'ArrowDown' && (e.preventDefault(), this.renderRoot.querySelector<HTMLElement>('.found button')?.focus())} />
      <span id="opp-find-hint" class="muted">${this.found && !this.found.length ? t('opp.noMatch', { q: this.q.trim() }) : t('opp.searchHint')}</span>
      ${this.findError ? html`<p class="field-error" role="alert">${this.findError}</p>` : nothing}
      ${this.found?.length
        ? html`<ul class="found" aria-label=${t('opp.search')}>
            ${this.found.map(
              (o) => html`<li>
                <span class="what">${o.name} <span class="muted">· ${formatMoney(o.value, o.currency)} · ${o.pipeline.name} › ${o.stage.name}</span></span>
                ${linked.has(o.id)
                  ? html`<span class="muted">${t('opp.alreadyLinked')}</span>`
                  : html`<button class="btn link" aria-label=${t('opp.link', { name: o.name })} @click=${() => void this.link(o)}>${t('opp.linkButton')}</button>`}
              </li>`,
            )}
          </ul>`
        : nothing}
    </div>`;
  }

  private renderCard(o: OpportunityJson, write: boolean) {
    const pipeline = this.pipelines.find((p) => p.id === o.pipeline.id);
    const primary = o.contacts.find((c) => c.role === 'primary') ?? o.contacts[0];
    const error = this.cardErrors[o.id];
    const losing = this.losing?.id === o.id;
    return html`<li part="card" class="card ${o.status === 'open' ? 'active' : 'closed'}" data-opp=${o.id}>
      <dossier-avatar aria-hidden="true" .name=${primary?.name ?? o.name} .src=${primary?.avatarUrl ?? null} title=${primary ? `${t('opp.primary')}: ${primary.name ?? ''}` : ''}></dossier-avatar>
      <div class="body">
        <div class="top">
          <button class="name" aria-label=${t('opp.open', { name: o.name })} @click=${() => this.open(o)}>${o.name}</button>
          <span class="value">${formatMoney(o.value, o.currency)}</span>
        </div>
        <div class="meta">
          <span class="path">${o.pipeline.name} › ${o.stage.name}</span>
          <span class="badge ${o.status}">${t(`opp.status.${o.status}`)}</span>
          ${o.owner ? html`<span>${t('opp.owner', { name: o.owner.name ?? '' })}</span>` : nothing}
          ${o.closeDate ? html`<span>${t('opp.closes', { date: formatDay(o.closeDate) })}</span>` : nothing}
          ${o.status === 'lost' && o.lostReason ? html`<span class="reason" dir="auto">“${o.lostReason}”</span>` : nothing}
        </div>
        ${write
          ? html`<div class="controls">
              <select class="stage" aria-label=${t('opp.stageOf', { name: o.name })} @change=${(e: Event) => void this.patch(o, { stageId: (e.target as HTMLSelectElement).value }, 'stage_changed')}>
                ${(pipeline?.stages ?? [o.stage]).map((s) => html`<option value=${s.id} .selected=${live(s.id === o.stage.id)}>${s.name}</option>`)}
              </select>
              <select class="status" aria-label=${t('opp.statusOf', { name: o.name })} @change=${(e: Event) => this.setStatus(o, (e.target as HTMLSelectElement).value as Status)}>
                ${STATUSES.map((s) => html`<option value=${s} .selected=${live(s === (losing ? 'lost' : o.status))}>${s === 'open' && o.status !== 'open' ? t('opp.reopen') : t(`opp.status.${s}`)}</option>`)}
              </select>
              <button class="btn unlink" aria-label=${t('opp.unlinkFrom', { name: o.name })} @click=${() => void this.unlink(o)}>${t('opp.unlink')}</button>
            </div>`
          : nothing}
        ${losing
          ? html`<form class="lost-form" @submit=${(e: Event) => (e.preventDefault(), void this.markLost(o))}
              @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.preventDefault(), (this.losing = null))}>
              <label>${t('opp.lostReason')}
                <input maxlength="500" .value=${this.losing!.reason} @input=${(e: Event) => (this.losing = { id: o.id, reason: (e.target as HTMLInputElement).value })} /></label>
              <button type="button" class="btn" @click=${() => (this.losing = null)}>${t('opp.cancel')}</button>
              <button type="submit" class="btn primary">${t('opp.markLost')}</button>
            </form>`
          : nothing}
        ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
      </div>
    </li>`;
  }
}

define('contact-opportunities', ContactOpportunities);

declare global {
  interface HTMLElementTagNameMap {
    'contact-opportunities': ContactOpportunities;
  }
}
