import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DossierEvent } from '../../../core/src/events.js';
import { formatDateTime } from '../../../core/src/format.js';
import { plural, t } from '../../../core/src/i18n.js';
import type { EnrolmentJson, Session, WorkflowJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-confirm.js';
import type { DossierConfirm } from '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-state.js';
import { actionStyles } from './actions.styles.js';
import './messages.js';

/**
 * The user added the contact to a workflow here. Dossier recorded the enrolment (`enrolled`) and, when the host
 * backend has a webhook endpoint for it, sent `workflow.enroll_requested`: the host starts the workflow.
 */
export class WorkflowEnrollEvent extends DossierEvent<{ contactId: string; workflow: EnrolmentJson['workflow']; enrolment: EnrolmentJson }> {
  static readonly type = 'workflow-enroll';
  constructor(detail: WorkflowEnrollEvent['detail']) {
    super(WorkflowEnrollEvent.type, detail);
  }
}

/** The user removed the contact from a workflow here (recorded as `stopped`; webhook `workflow.remove_requested`). */
export class WorkflowRemoveEvent extends DossierEvent<{ contactId: string; workflow: EnrolmentJson['workflow']; enrolment: EnrolmentJson }> {
  static readonly type = 'workflow-remove';
  constructor(detail: WorkflowRemoveEvent['detail']) {
    super(WorkflowRemoveEvent.type, detail);
  }
}

const PAGE = '50';

/**
 * A contact's workflows, as the host runs them and records them in Dossier: **Active** (the step it is at, since
 * when) and **Past** (completed or stopped, when). "Add to workflow" lists the host's active workflows (searchable);
 * Remove asks first. Both are recorded at once and handed to the host (events and webhooks). Changes anyone makes
 * appear live.
 *
 * @element contact-workflows
 * @attr contact-id - The contact whose workflows are shown.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {EnrolmentJson[]} active - Enrolments running (set by the element; may be set to render without a server).
 * @prop {EnrolmentJson[]} past - Enrolments completed or stopped.
 * @prop {boolean} readonly - No changes (set for a contact in the restore bin).
 * @fires workflow-enroll - After "Add to workflow": `detail.contactId`, `detail.workflow`, `detail.enrolment`.
 * @fires workflow-remove - After Remove: `detail.contactId`, `detail.workflow`, `detail.enrolment`.
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart active - The Active list.
 * @csspart past - The Past list.
 * @csspart enrolment - Each enrolment.
 * @csspart picker - The "Add to workflow" chooser.
 */
export class ContactWorkflows extends DossierElement {
  static override styles = actionStyles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ attribute: false }) active: EnrolmentJson[] = [];
  @property({ attribute: false }) past: EnrolmentJson[] = [];
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) session: Session | null = null;

  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loadError = '';
  @state() private pastCursor: string | null = null;
  @state() private picking = false;
  @state() private q = '';
  @state() private choices: WorkflowJson[] | null = null;
  @state() private choicesError = '';
  @state() private pickError = '';
  @state() private busy = false;
  @state() private rowErrors: Record<string, string> = {};
  @state() private announce = '';
  @query('dossier-confirm') private confirm!: DossierConfirm;

  private request = 0;
  private choiceRequest = 0;
  private searchTimer?: ReturnType<typeof setTimeout>;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('workflow.')) void this.load(true);
    else if (e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contactId') && changed.get('contactId') !== undefined) {
      this.picking = false;
      this.rowErrors = {};
    }
    if ((changed.has('contactId') || changed.has('dossier' as keyof ContactWorkflows)) && this.dossier && this.contactId) void this.load();
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
    const list = client.api.api.v1.contacts[':id'].workflows;
    try {
      const [active, past, session, contact] = await Promise.all([
        unwrap(list.$get({ param: { id }, query: { status: 'active', limit: '100' } })),
        unwrap(list.$get({ param: { id }, query: { status: 'past', limit: PAGE } })),
        client.session(),
        unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } })),
      ]);
      if (seq !== this.request) return;
      Object.assign(this, { session, readonly: contact.deletedAt !== null, active: active.items, past: past.items, pastCursor: past.nextCursor, status: 'idle', loadError: '' });
    } catch (err) {
      if (seq !== this.request) return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private async morePast() {
    const client = this.dossier;
    if (!client || !this.pastCursor) return;
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].workflows.$get({ param: { id: this.contactId }, query: { status: 'past', limit: PAGE, cursor: this.pastCursor } }));
      const known = new Set(this.past.map((x) => x.id));
      this.past = [...this.past, ...page.items.filter((x) => !known.has(x.id))];
      this.pastCursor = page.nextCursor;
    } catch (err) {
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private async loadChoices() {
    const client = this.dossier;
    if (!client) return;
    const seq = ++this.choiceRequest;
    try {
      const page = await unwrap(client.api.api.v1.workflows.$get({ query: { status: 'active', limit: '100', ...(this.q.trim() && { q: this.q.trim() }) } }));
      if (seq !== this.choiceRequest) return;
      this.choices = page.items;
      this.choicesError = '';
    } catch (err) {
      if (seq !== this.choiceRequest) return;
      this.choicesError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private openPicker() {
    this.picking = true;
    this.q = '';
    this.pickError = '';
    this.choices = null;
    void this.loadChoices();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#wf-search')?.focus());
  }

  private closePicker() {
    this.picking = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.add')?.focus());
  }

  private async enrol(workflow: WorkflowJson) {
    const client = this.dossier;
    if (!client || this.busy) return;
    this.busy = true;
    this.pickError = '';
    try {
      const enrolment = await unwrap(client.api.api.v1.contacts[':id'].workflows.$post({ param: { id: this.contactId }, json: { workflowId: workflow.id } }));
      this.active = [enrolment, ...this.active.filter((x) => x.id !== enrolment.id)];
      this.dispatchEvent(new WorkflowEnrollEvent({ contactId: this.contactId, workflow: enrolment.workflow, enrolment }));
      this.announce = t('wf.added', { name: workflow.name });
      this.closePicker();
    } catch (err) {
      // The chooser stays open with the reason, and the search typed.
      this.pickError = t('wf.failed', { message: (err as Error).message });
      this.reportError(err as Error, 'enroll');
    } finally {
      this.busy = false;
    }
  }

  private async unenrol(e: EnrolmentJson) {
    const client = this.dossier;
    if (!client) return;
    this.confirm.heading = t('wf.remove.title');
    this.confirm.message = t('wf.remove.message', { name: e.workflow.name });
    this.confirm.confirmLabel = t('wf.remove');
    if (!(await this.confirm.ask())) return;
    this.rowErrors = { ...this.rowErrors, [e.id]: '' };
    try {
      const stopped = await unwrap(client.api.api.v1.contacts[':id'].workflows[':enrolmentId'].$delete({ param: { id: this.contactId, enrolmentId: e.id } }));
      this.active = this.active.filter((x) => x.id !== e.id);
      this.past = [stopped, ...this.past.filter((x) => x.id !== e.id)];
      this.dispatchEvent(new WorkflowRemoveEvent({ contactId: this.contactId, workflow: stopped.workflow, enrolment: stopped }));
      this.announce = t('wf.removed', { name: e.workflow.name });
      this.renderRoot.querySelector<HTMLElement>('.add')?.focus();
    } catch (err) {
      this.rowErrors = { ...this.rowErrors, [e.id]: t('wf.failed', { message: (err as Error).message }) };
      this.reportError(err as Error, 'remove');
    }
  }

  protected override render() {
    if (this.contactId && !this.dossier && !this.session) return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    const empty = !this.active.length && !this.past.length;
    if (this.status === 'loading' && empty) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error' && empty) return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    return html`
      ${this.readonly ? html`<p class="readonly" role="status">${t('wf.readOnly')}</p>` : nothing}
      ${this.status === 'error' ? html`<p class="field-error" role="alert">${this.loadError}</p>` : nothing}
      <section aria-labelledby="wf-active">
        <h3 id="wf-active">${t('wf.active')} <span class="count">${this.active.length}</span></h3>
        ${this.active.length
          ? html`<ul part="active" aria-labelledby="wf-active">${this.active.map((e) => this.renderEnrolment(e))}</ul>`
          : html`<p class="empty">${t('wf.active.empty')}</p>`}
        ${this.canWrite ? (this.picking ? this.renderPicker() : html`<div class="row"><button class="btn add" @click=${() => this.openPicker()}>+ ${t('wf.add')}</button></div>`) : nothing}
      </section>
      <section aria-labelledby="wf-past">
        <h3 id="wf-past">${t('wf.past')} <span class="count">${this.past.length}${this.pastCursor ? '+' : ''}</span></h3>
        ${this.past.length ? html`<ul part="past" aria-labelledby="wf-past">${this.past.map((e) => this.renderEnrolment(e))}</ul>` : html`<p class="empty">${t('wf.past.empty')}</p>`}
        ${this.pastCursor ? html`<button class="btn more" @click=${() => this.morePast()}>${t('wf.more')}</button>` : nothing}
      </section>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
      <dossier-confirm></dossier-confirm>
    `;
  }

  private renderPicker() {
    const inUse = new Set(this.active.map((e) => e.workflow.id));
    const list = this.choices?.filter((w) => !inUse.has(w.id));
    return html`<div class="picker" part="picker" role="group" aria-label=${t('wf.add')}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.preventDefault(), this.closePicker())}>
      <input id="wf-search" type="search" aria-label=${t('wf.search')} placeholder=${t('wf.search')} .value=${this.q}
        @input=${(e: Event) => {
          this.q = (e.target as HTMLInputElement).value;
          clearTimeout(this.searchTimer);
          this.searchTimer = setTimeout(() => void this.loadChoices(), 200);
        }} />
      ${this.choicesError ? html`<p class="field-error" role="alert">${this.choicesError} <button class="link" @click=${() => this.loadChoices()}>${t('wf.retry')}</button></p>` : nothing}
      ${list === undefined
        ? this.choicesError ? nothing : html`<p class="meta" role="status">${t('wf.loading')}</p>`
        : list.length
          ? html`<ul class="choices" aria-label=${plural('wf.choices', list.length)}>
              ${list.map((w) => html`<li><button class="btn choice" ?disabled=${this.busy} @click=${() => this.enrol(w)}>${w.name}</button></li>`)}
            </ul>`
          : html`<p class="empty">${this.q.trim() ? t('wf.none', { q: this.q.trim() }) : t('wf.noneActive')}</p>`}
      ${this.pickError ? html`<p class="field-error" role="alert">${this.pickError}</p>` : nothing}
      <div class="row"><button class="btn cancel" @click=${() => this.closePicker()}>${t('wf.cancel')}</button></div>
    </div>`;
  }

  private renderEnrolment(e: EnrolmentJson) {
    const error = this.rowErrors[e.id];
    const when = e.status === 'enrolled' ? t('wf.since', { when: formatDateTime(e.enrolledAt) }) : t(`wf.ended.${e.status}`, { when: formatDateTime(e.endedAt ?? e.updatedAt) });
    return html`<li part="enrolment" class="item ${e.status}" data-enrolment=${e.id}>
      <div class="main">
        <div class="name">${e.workflow.name}</div>
        <div class="meta">
          ${e.status !== 'enrolled' ? html`<span class="badge">${t(`wf.status.${e.status}`)}</span>` : nothing}
          ${e.step ? html`<span>${t('wf.step', { step: e.step })} · </span>` : nothing}
          <time datetime=${new Date(e.status === 'enrolled' ? e.enrolledAt : (e.endedAt ?? e.updatedAt)).toISOString()}>${when}</time>
        </div>
        ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
      </div>
      ${this.canWrite && e.status === 'enrolled'
        ? html`<button class="link danger remove" aria-label=${t('wf.remove.label', { name: e.workflow.name })} @click=${() => void this.unenrol(e)}>${t('wf.remove')}</button>`
        : nothing}
    </li>`;
  }
}

define('contact-workflows', ContactWorkflows);

declare global {
  interface HTMLElementTagNameMap {
    'contact-workflows': ContactWorkflows;
  }
  interface HTMLElementEventMap {
    'workflow-enroll': WorkflowEnrollEvent;
    'workflow-remove': WorkflowRemoveEvent;
  }
}
