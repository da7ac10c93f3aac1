import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DossierEvent } from '../../../core/src/events.js';
import { formatDateTime, formatRelative } from '../../../core/src/format.js';
import { plural, t } from '../../../core/src/i18n.js';
import type { MemberJson, Session, TaskJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-confirm.js';
import type { DossierConfirm } from '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-state.js';
import { styles } from './contact-tasks.styles.js';
import './messages.js';
import { dueState, fromLocalInput, toLocalInput } from './due.js';

export type TaskView = 'open' | 'completed' | 'overdue' | 'mine' | 'all';
const VIEWS: TaskView[] = ['open', 'overdue', 'mine', 'completed', 'all'];
const PAGE = '50';

interface Draft {
  /** The task edited, or null for a new one. */
  id: string | null;
  title: string;
  description: string;
  due: string;
  assigneeId: string;
}

/** After a task was created, edited, completed, reopened or deleted here: `detail.contactId`, `detail.task`, `detail.action`. */
export class TaskChangeEvent extends DossierEvent<{ contactId: string; task: TaskJson; action: 'created' | 'updated' | 'completed' | 'reopened' | 'deleted' }> {
  static readonly type = 'task-change';
  constructor(detail: TaskChangeEvent['detail']) {
    super(TaskChangeEvent.type, detail);
  }
}

/**
 * A contact's tasks: each with a title, description, due date and time, and a member it is assigned to. Create, edit,
 * complete and reopen (a check box), delete (its creator, owners, managers). Show open, overdue, mine, completed or
 * all; search; sort by due date. Tasks changed anywhere else appear live.
 *
 * @element contact-tasks
 * @attr contact-id - The contact whose tasks are shown.
 * @attr view - `open` (default), `overdue`, `mine`, `completed` or `all`.
 * @attr order - `asc` (soonest due first, default) or `desc`.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {TaskJson[]} tasks - The loaded tasks (set by the element; may be set to render without a server).
 * @prop {MemberJson[]} members - The workspace's members (assignees).
 * @prop {boolean} readonly - No changes (set for a contact in the restore bin).
 * @fires task-change - After a change made here: `detail.contactId`, `detail.task`, `detail.action`.
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart toolbar - Filter, search, sort and Add.
 * @csspart form - The create / edit form.
 * @csspart list - The list of tasks.
 * @csspart task - Each task.
 */
export class ContactTasks extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ reflect: true }) view: TaskView = 'open';
  @property({ reflect: true }) order: 'asc' | 'desc' = 'asc';
  @property({ attribute: false }) tasks: TaskJson[] = [];
  @property({ attribute: false }) members: MemberJson[] = [];
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) session: Session | null = null;
  /** The time "overdue" and "due today" are measured against (tests and stories may fix it). */
  @property({ attribute: false }) now?: number;

  @state() private q = '';
  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loadError = '';
  @state() private nextCursor: string | null = null;
  @state() private draft: Draft | null = null;
  @state() private formError = '';
  @state() private invalid: string[] = [];
  @state() private busy = false;
  @state() private taskErrors: Record<string, string> = {};
  @state() private announce = '';
  @query('dossier-confirm') private confirm!: DossierConfirm;

  private request = 0;
  private searchTimer?: ReturnType<typeof setTimeout>;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('task.')) void this.load(true);
    else if (e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contactId') && changed.get('contactId') !== undefined) {
      this.draft = null;
      this.taskErrors = {};
    }
    if ((changed.has('contactId') || changed.has('view') || changed.has('order') || changed.has('dossier' as keyof ContactTasks)) && this.dossier && this.contactId) void this.load();
  }

  private get canWrite() {
    return !this.readonly && (!this.session || this.session.permissions.includes('contacts.edit'));
  }

  private query(cursor?: string) {
    const v = this.view;
    return {
      status: v === 'open' || v === 'completed' ? v : v === 'mine' ? 'open' : 'all',
      ...(v === 'overdue' && { overdue: 'true' as const }),
      ...(v === 'mine' && { assignee: 'me' }),
      ...(this.q.trim() && { q: this.q.trim() }),
      dir: this.order,
      limit: PAGE,
      ...(cursor && { cursor }),
    } as const;
  }

  private async load(quiet = false) {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !id) return;
    const seq = ++this.request;
    if (!quiet) this.status = 'loading';
    try {
      const [page, session, members, contact] = await Promise.all([
        unwrap(client.api.api.v1.contacts[':id'].tasks.$get({ param: { id }, query: this.query() })),
        client.session(),
        client.members(),
        unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } })),
      ]);
      if (seq !== this.request) return;
      Object.assign(this, { session, members, readonly: contact.deletedAt !== null, tasks: page.items, nextCursor: page.nextCursor, status: 'idle', loadError: '' });
    } catch (err) {
      if (seq !== this.request) return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private async loadMore() {
    const client = this.dossier;
    if (!client || !this.nextCursor) return;
    const seq = this.request;
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].tasks.$get({ param: { id: this.contactId }, query: this.query(this.nextCursor) }));
      if (seq !== this.request) return;
      const known = new Set(this.tasks.map((x) => x.id));
      this.tasks = [...this.tasks, ...page.items.filter((x) => !known.has(x.id))];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private changed(task: TaskJson, action: TaskChangeEvent['detail']['action']) {
    this.dispatchEvent(new TaskChangeEvent({ contactId: this.contactId, task, action }));
  }

  private openForm(task?: TaskJson) {
    const me = this.session?.member?.id ?? this.members[0]?.id ?? '';
    const tomorrow = new Date(this.now ?? Date.now());
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(9, 0, 0, 0);
    this.draft = task
      ? { id: task.id, title: task.title, description: task.description, due: toLocalInput(task.dueAt), assigneeId: task.assignee.id }
      : { id: null, title: '', description: '', due: toLocalInput(tomorrow.getTime()), assigneeId: me };
    this.formError = '';
    this.invalid = [];
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#task-title')?.focus());
  }

  private closeForm() {
    const id = this.draft?.id;
    this.draft = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(id ? `[data-task="${id}"] .edit` : '.add')?.focus());
  }

  private async submit() {
    const client = this.dossier;
    const d = this.draft;
    if (!client || !d || this.busy) return;
    const dueAt = fromLocalInput(d.due);
    this.invalid = [!d.title.trim() && 'title', dueAt === null && 'due', !d.assigneeId && 'assignee'].filter(Boolean) as string[];
    if (this.invalid.length) {
      this.formError = t('tasks.required');
      return;
    }
    const json = { title: d.title.trim(), description: d.description.trim(), dueAt: dueAt!, assigneeId: d.assigneeId };
    this.busy = true;
    this.formError = '';
    try {
      const param = { id: this.contactId };
      const task = d.id
        ? await unwrap(client.api.api.v1.contacts[':id'].tasks[':taskId'].$patch({ param: { ...param, taskId: d.id }, json }))
        : await unwrap(client.api.api.v1.contacts[':id'].tasks.$post({ param, json }));
      this.changed(task, d.id ? 'updated' : 'created');
      this.announce = t('tasks.saved');
      this.closeForm();
      await this.load(true);
    } catch (err) {
      // What was typed stays in the form, with the reason.
      this.formError = t('tasks.failed', { message: (err as Error).message });
      this.reportError(err as Error, d.id ? 'update' : 'create');
    } finally {
      this.busy = false;
    }
  }

  private async toggle(task: TaskJson) {
    const client = this.dossier;
    if (!client) return;
    const status = task.status === 'open' ? 'completed' : 'open';
    this.taskErrors = { ...this.taskErrors, [task.id]: '' };
    try {
      const updated = await unwrap(client.api.api.v1.contacts[':id'].tasks[':taskId'].$patch({ param: { id: this.contactId, taskId: task.id }, json: { status } }));
      this.changed(updated, status === 'completed' ? 'completed' : 'reopened');
      // The task stays in place (with its new state) until the list is read again, so the check box keeps focus.
      this.tasks = this.tasks.map((x) => (x.id === task.id ? updated : x));
    } catch (err) {
      this.taskErrors = { ...this.taskErrors, [task.id]: t('tasks.failed', { message: (err as Error).message }) };
      this.reportError(err as Error, 'update');
    }
  }

  private async deleteTask(task: TaskJson) {
    const client = this.dossier;
    if (!client) return;
    this.confirm.heading = t('tasks.delete.title');
    this.confirm.message = t('tasks.delete.message', { title: task.title });
    if (!(await this.confirm.ask())) return;
    try {
      await unwrap(client.api.api.v1.contacts[':id'].tasks[':taskId'].$delete({ param: { id: this.contactId, taskId: task.id } }));
      this.tasks = this.tasks.filter((x) => x.id !== task.id);
      this.announce = t('tasks.deleted');
      this.changed(task, 'deleted');
      this.renderRoot.querySelector<HTMLElement>('.add')?.focus();
    } catch (err) {
      this.taskErrors = { ...this.taskErrors, [task.id]: t('tasks.failed', { message: (err as Error).message }) };
      this.reportError(err as Error, 'delete');
    }
  }

  protected override render() {
    if (this.contactId && !this.dossier && !this.session) return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    if (this.status === 'loading' && !this.tasks.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error' && !this.tasks.length) return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    return html`
      ${this.readonly ? html`<p class="readonly" role="status">${t('tasks.readOnly')}</p>` : nothing}
      <div class="toolbar" part="toolbar">
        <label>${t('tasks.filter')}
          <select class="view" @change=${(e: Event) => (this.view = (e.target as HTMLSelectElement).value as TaskView)}>
            ${VIEWS.map((v) => html`<option value=${v} ?selected=${this.view === v}>${t(`tasks.filter.${v}`)}</option>`)}
          </select>
        </label>
        <input type="search" aria-label=${t('tasks.search')} placeholder=${t('tasks.search')} .value=${this.q}
          @input=${(e: Event) => {
            this.q = (e.target as HTMLInputElement).value;
            clearTimeout(this.searchTimer);
            this.searchTimer = setTimeout(() => void this.load(true), 250);
          }} />
        <label>${t('tasks.sort')}
          <select class="dir" @change=${(e: Event) => (this.order = (e.target as HTMLSelectElement).value as 'asc' | 'desc')}>
            ${(['asc', 'desc'] as const).map((d) => html`<option value=${d} ?selected=${this.order === d}>${t(`tasks.sort.${d}`)}</option>`)}
          </select>
        </label>
        ${this.canWrite && !this.draft ? html`<button class="btn primary add" @click=${() => this.openForm()}>+ ${t('tasks.add')}</button>` : nothing}
      </div>
      ${this.draft && !this.draft.id ? this.renderForm(this.draft) : nothing}
      ${this.status === 'error' ? html`<p class="field-error" role="alert">${this.loadError}</p>` : nothing}
      ${this.tasks.length
        ? html`<ul class="list" part="list" aria-label=${plural('tasks.count', this.tasks.length)}>${this.tasks.map((x) => this.renderTask(x))}</ul>`
        : html`<p class="empty">${this.q.trim() ? t('tasks.none', { q: this.q.trim() }) : t('tasks.empty')}</p>`}
      ${this.nextCursor ? html`<button class="btn more" @click=${() => this.loadMore()}>${t('tasks.more')}</button>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
      <dossier-confirm></dossier-confirm>
    `;
  }

  private renderForm(d: Draft) {
    const set = (patch: Partial<Draft>) => (this.draft = { ...d, ...patch });
    const bad = (f: string) => (this.invalid.includes(f) ? 'true' : 'false');
    return html`<form part="form" class="form" novalidate aria-label=${t(d.id ? 'tasks.editTitle' : 'tasks.new')}
      @submit=${(e: Event) => (e.preventDefault(), void this.submit())}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.preventDefault(), this.closeForm())}>
      <label for="task-title">${t('tasks.title')}</label>
      <input id="task-title" required maxlength="200" aria-invalid=${bad('title')} .value=${d.title} @input=${(e: Event) => set({ title: (e.target as HTMLInputElement).value })} />
      <label for="task-description">${t('tasks.description')}</label>
      <textarea id="task-description" rows="2" maxlength="5000" .value=${d.description} @input=${(e: Event) => set({ description: (e.target as HTMLTextAreaElement).value })}></textarea>
      <div class="row">
        <span class="field"><label for="task-due">${t('tasks.due')}</label>
          <input id="task-due" type="datetime-local" required aria-invalid=${bad('due')} .value=${d.due} @input=${(e: Event) => set({ due: (e.target as HTMLInputElement).value })} /></span>
        <span class="field"><label for="task-assignee">${t('tasks.assignee')}</label>
          <select id="task-assignee" required aria-invalid=${bad('assignee')} @change=${(e: Event) => set({ assigneeId: (e.target as HTMLSelectElement).value })}>
            ${this.members.map((m) => html`<option value=${m.id} ?selected=${m.id === d.assigneeId}>${m.name}</option>`)}
          </select></span>
      </div>
      ${this.formError ? html`<p class="field-error" role="alert">${this.formError}</p>` : nothing}
      <div class="actions">
        <button type="button" class="btn" @click=${() => this.closeForm()}>${t('tasks.cancel')}</button>
        <button type="submit" class="btn primary" ?disabled=${this.busy}>${t(d.id ? 'tasks.save' : 'tasks.create')}</button>
      </div>
    </form>`;
  }

  private renderTask(x: TaskJson) {
    if (this.draft?.id === x.id) return html`<li part="task" class="task" data-task=${x.id}>${this.renderForm(this.draft)}</li>`;
    const now = this.now ?? Date.now();
    const due = dueState(x, now);
    const error = this.taskErrors[x.id];
    const completer = x.completedBy?.name;
    return html`<li part="task" class="task ${x.status} ${due}" data-task=${x.id}>
      <input type="checkbox" class="done" .checked=${x.status === 'completed'} ?disabled=${!this.canWrite}
        aria-label=${t(x.status === 'open' ? 'tasks.complete' : 'tasks.reopen', { title: x.title })} @change=${() => void this.toggle(x)} />
      <div class="main">
        <div class="title" dir="auto">${x.title}</div>
        ${x.description ? html`<p class="description">${x.description}</p>` : nothing}
        <div class="meta">
          ${due === 'overdue' ? html`<span class="badge overdue">${t('tasks.overdue')}</span>` : due === 'today' ? html`<span class="badge today">${t('tasks.dueToday')}</span>` : nothing}
          <time datetime=${new Date(x.dueAt).toISOString()} title=${formatDateTime(x.dueAt)}>${t('tasks.dueAt', { when: formatDateTime(x.dueAt) })}</time>
          <span>· ${x.assignee.name ?? ''}</span>
          ${x.completedAt ? html`<span>· ${completer ? t('tasks.completedBy', { when: formatRelative(x.completedAt), name: completer }) : t('tasks.completedAt', { when: formatRelative(x.completedAt) })}</span>` : nothing}
        </div>
        ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
      </div>
      ${this.canWrite
        ? html`<div class="actions">
            <button class="link edit" aria-label="${t('tasks.edit')}: ${x.title}" @click=${() => this.openForm(x)}>${t('tasks.edit')}</button>
            ${x.canDelete ? html`<button class="link danger delete" aria-label="${t('tasks.delete')}: ${x.title}" @click=${() => void this.deleteTask(x)}>${t('tasks.delete')}</button>` : nothing}
          </div>`
        : nothing}
    </li>`;
  }
}

define('contact-tasks', ContactTasks);

declare global {
  interface HTMLElementTagNameMap {
    'contact-tasks': ContactTasks;
  }
  interface HTMLElementEventMap {
    'task-change': TaskChangeEvent;
  }
}
