import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DossierEvent } from '../../../core/src/events.js';
import { formatDateTime, formatRelative } from '../../../core/src/format.js';
import { plural, t } from '../../../core/src/i18n.js';
import type { NoteJson, Session } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-confirm.js';
import type { DossierConfirm } from '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-state.js';
import { styles } from './contact-notes.styles.js';
import './messages.js';
import { renderNoteText } from './note-text.js';

export type NoteSort = 'newest' | 'oldest';
const PAGE = '30';

/** After a note was written, edited, pinned or deleted here: `detail.contactId`, `detail.note`, `detail.action`. */
export class NoteChangeEvent extends DossierEvent<{ contactId: string; note: NoteJson; action: 'created' | 'updated' | 'deleted' }> {
  static readonly type = 'note-change';
  constructor(detail: NoteChangeEvent['detail']) {
    super(NoteChangeEvent.type, detail);
  }
}

/**
 * A contact's notes: write one (Ctrl+Enter saves), edit, pin to the top and delete (the author, owners and managers),
 * search and sort newest or oldest first. Text keeps its line breaks; http(s) addresses become links; nothing a note
 * holds is ever read as HTML. Notes written anywhere else (another member, the host's backend) appear live.
 *
 * @element contact-notes
 * @attr contact-id - The contact whose notes are shown.
 * @attr sort - `newest` (default) or `oldest`.
 * @attr q - Search text.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {NoteJson[]} notes - The loaded notes, pinned first (set by the element; may be set to render without a server).
 * @prop {boolean} readonly - No writing, editing or deleting (set for a contact in the restore bin).
 * @fires note-change - After a note was written, edited, pinned or deleted here: `detail.contactId`, `detail.note`, `detail.action`.
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart toolbar - Search and sort.
 * @csspart composer - The new-note form.
 * @csspart list - The list of notes.
 * @csspart note - Each note.
 * @csspart body - A note's text.
 * @cssprop --contact-notes-max-height - The list scrolls past this height (default: none).
 */
export class ContactNotes extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ reflect: true }) sort: NoteSort = 'newest';
  @property() q = '';
  @property({ attribute: false }) notes: NoteJson[] = [];
  @property({ type: Boolean }) readonly = false;
  /** Set directly to render without a server (Storybook). */
  @property({ attribute: false }) session: Session | null = null;

  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loadError = '';
  @state() private nextCursor: string | null = null;
  @state() private moreError = '';
  @state() private draft = '';
  @state() private pinDraft = false;
  @state() private busy = false;
  @state() private createError = '';
  /** The note being edited and its text; per-note errors (kept with what was typed). */
  @state() private editing: { id: string; text: string } | null = null;
  @state() private noteErrors: Record<string, string> = {};
  @state() private announce = '';
  @query('dossier-confirm') private confirm!: DossierConfirm;

  private request = 0;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private abort?: AbortController;

  // Notes changed anywhere (another member, the host backend) are read again while this contact is shown.
  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('note.')) void this.load(true);
    else if (e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another contact: nothing typed for the previous one carries over.
    if (changed.has('contactId') && changed.get('contactId') !== undefined) {
      this.draft = '';
      this.editing = null;
      this.noteErrors = {};
      this.createError = '';
    }
    if ((changed.has('contactId') || changed.has('sort') || changed.has('q') || changed.has('dossier' as keyof ContactNotes)) && this.dossier && this.contactId) void this.load(changed.has('q') && !changed.has('contactId'));
  }

  private get canWrite(): boolean {
    const session = this.session;
    return !this.readonly && (!session || session.permissions.includes('contacts.edit'));
  }

  /** The first page (again); `quiet` keeps the list on screen while it loads (live updates, searches). */
  private async load(quiet = false) {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !id) return;
    const seq = ++this.request;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    if (!quiet) this.status = 'loading';
    try {
      const [page, session, contact] = await Promise.all([
        unwrap(client.api.api.v1.contacts[':id'].notes.$get({ param: { id }, query: { sort: this.sort, limit: PAGE, ...(this.q.trim() && { q: this.q.trim() }) } }, { init: { signal: abort.signal } })),
        client.session(),
        unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } }, { init: { signal: abort.signal } })),
      ]);
      if (seq !== this.request) return;
      this.session = session;
      this.readonly = contact.deletedAt !== null;
      this.notes = page.items as NoteJson[];
      this.nextCursor = page.nextCursor;
      this.status = 'idle';
      this.loadError = '';
    } catch (err) {
      if (seq !== this.request || (err as Error).name === 'AbortError') return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private async loadMore() {
    const client = this.dossier;
    const cursor = this.nextCursor;
    if (!client || !cursor) return;
    const seq = this.request;
    this.moreError = '';
    this.busy = true;
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].notes.$get({ param: { id: this.contactId }, query: { sort: this.sort, limit: PAGE, cursor, ...(this.q.trim() && { q: this.q.trim() }) } }));
      if (seq !== this.request) return;
      const known = new Set(this.notes.map((n) => n.id));
      this.notes = [...this.notes, ...(page.items as NoteJson[]).filter((n) => !known.has(n.id))];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      this.moreError = (err as Error).message;
      this.reportError(err as Error, 'load');
    } finally {
      this.busy = false;
    }
  }

  /** Typing searches once it pauses (the `q` change reads the list again). */
  private onSearch(value: string) {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => (this.q = value), 250);
  }

  private changed(note: NoteJson, action: NoteChangeEvent['detail']['action']) {
    this.dispatchEvent(new NoteChangeEvent({ contactId: this.contactId, note, action }));
  }

  private async create() {
    const client = this.dossier;
    const body = this.draft.trim();
    if (!client || !body || this.busy) return;
    this.busy = true;
    this.createError = '';
    try {
      const note = (await unwrap(client.api.api.v1.contacts[':id'].notes.$post({ param: { id: this.contactId }, json: { body, ...(this.pinDraft && { pinned: true }) } }))) as NoteJson;
      this.draft = '';
      this.pinDraft = false;
      this.announce = t('notes.added');
      this.changed(note, 'created');
      await this.load(true);
    } catch (err) {
      // The text stays in the box, with the reason under it.
      this.createError = (err as Error).message;
      this.reportError(err as Error, 'create');
    } finally {
      this.busy = false;
    }
  }

  private async saveNote(note: NoteJson, patch: { body?: string; pinned?: boolean }) {
    const client = this.dossier;
    if (!client) return;
    this.noteErrors = { ...this.noteErrors, [note.id]: '' };
    try {
      const updated = (await unwrap(client.api.api.v1.contacts[':id'].notes[':noteId'].$patch({ param: { id: this.contactId, noteId: note.id }, json: patch }))) as NoteJson;
      if (patch.body !== undefined) this.editing = null;
      this.changed(updated, 'updated');
      await this.load(true);
      if (patch.body !== undefined) this.focusNote(note.id, '.edit');
    } catch (err) {
      this.noteErrors = { ...this.noteErrors, [note.id]: t('notes.failed', { message: (err as Error).message }) };
      this.reportError(err as Error, 'update');
    }
  }

  private async deleteNote(note: NoteJson) {
    const client = this.dossier;
    if (!client) return;
    this.confirm.heading = t('notes.delete.title');
    this.confirm.message = t('notes.delete.message');
    if (!(await this.confirm.ask())) return;
    try {
      await unwrap(client.api.api.v1.contacts[':id'].notes[':noteId'].$delete({ param: { id: this.contactId, noteId: note.id } }));
      this.notes = this.notes.filter((n) => n.id !== note.id);
      this.announce = t('notes.deleted');
      this.changed(note, 'deleted');
      this.renderRoot.querySelector<HTMLElement>('textarea.new')?.focus();
      await this.load(true);
    } catch (err) {
      this.noteErrors = { ...this.noteErrors, [note.id]: t('notes.deleteFailed', { message: (err as Error).message }) };
      this.reportError(err as Error, 'delete');
    }
  }

  private startEdit(note: NoteJson) {
    this.editing = { id: note.id, text: note.body };
    this.focusNote(note.id, 'textarea');
  }

  private focusNote(id: string, selector: string) {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-note="${id}"] ${selector}`)?.focus());
  }

  /** Ctrl/Cmd+Enter saves, Escape cancels an edit. */
  private onKey(e: KeyboardEvent, save: () => void, cancel?: () => void) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape' && cancel) {
      e.preventDefault();
      cancel();
    }
  }

  protected override render() {
    if (this.contactId && !this.dossier && !this.notes.length && !this.session) {
      return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    }
    if (this.status === 'loading' && !this.notes.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error') {
      return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    }
    return html`
      ${this.canWrite ? this.renderComposer() : this.readonly ? html`<p class="readonly" role="status">${t('notes.readOnly')}</p>` : nothing}
      <div class="toolbar" part="toolbar">
        <input type="search" aria-label=${t('notes.search')} placeholder=${t('notes.search')} .value=${this.q} @input=${(e: Event) => this.onSearch((e.target as HTMLInputElement).value)} />
        <label>${t('notes.sort')}
          <select @change=${(e: Event) => (this.sort = (e.target as HTMLSelectElement).value as NoteSort)}>
            ${(['newest', 'oldest'] as const).map((s) => html`<option value=${s} ?selected=${this.sort === s}>${t(`notes.sort.${s}`)}</option>`)}
          </select>
        </label>
      </div>
      ${this.notes.length
        ? html`<ul class="list" part="list" aria-label=${plural('notes.count', this.notes.length)}>${this.notes.map((n) => this.renderNote(n))}</ul>`
        : html`<p class="empty">${this.q.trim() ? t('notes.none', { q: this.q.trim() }) : t('notes.empty')}</p>`}
      ${this.nextCursor ? html`<button class="btn more" ?disabled=${this.busy} @click=${() => this.loadMore()}>${t('notes.more')}</button>` : nothing}
      ${this.moreError ? html`<p class="field-error" role="alert">${this.moreError}</p>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
      <dossier-confirm></dossier-confirm>
    `;
  }

  private renderComposer() {
    return html`<form part="composer" class="composer" @submit=${(e: Event) => (e.preventDefault(), void this.create())}>
      <textarea
        class="new"
        rows="3"
        aria-label=${t('notes.new')}
        placeholder=${t('notes.new')}
        maxlength="10000"
        aria-invalid=${this.createError ? 'true' : 'false'}
        aria-describedby=${this.createError ? 'create-error' : 'hint'}
        .value=${this.draft}
        @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
        @keydown=${(e: KeyboardEvent) => this.onKey(e, () => void this.create())}
      ></textarea>
      ${this.createError ? html`<p class="field-error" id="create-error" role="alert">${t('notes.failed', { message: this.createError })}</p>` : nothing}
      <div class="composer-actions">
        <label><input type="checkbox" .checked=${this.pinDraft} @change=${(e: Event) => (this.pinDraft = (e.target as HTMLInputElement).checked)} />${t('notes.pinNew')}</label>
        <span class="hint" id="hint">${t('notes.hint')}</span>
        <button class="btn primary" type="submit" ?disabled=${this.busy || !this.draft.trim()}>${this.busy ? t('notes.saving') : t('notes.add')}</button>
      </div>
    </form>`;
  }

  private renderNote(n: NoteJson) {
    const author = n.author ? n.author.name ?? t('notes.unknownAuthor') : t('notes.byApi');
    const editing = this.editing?.id === n.id ? this.editing : null;
    const error = this.noteErrors[n.id];
    const canWrite = this.canWrite;
    return html`<li part="note" class="note ${n.pinned ? 'pinned' : ''}" data-note=${n.id}>
      <div class="meta">
        <strong class="author">${author}</strong>
        <time datetime=${new Date(n.createdAt).toISOString()} title=${formatDateTime(n.createdAt)}>${formatRelative(n.createdAt)}</time>
        ${n.editedAt ? html`<span class="edited" title=${formatDateTime(n.editedAt)}>· ${t('notes.edited', { when: formatRelative(n.editedAt) })}</span>` : nothing}
        ${n.pinned ? html`<span class="badge">${t('notes.pinned')}</span>` : nothing}
      </div>
      ${editing
        ? html`<div class="editor">
            <textarea rows="4" aria-label=${t('notes.editLabel')} maxlength="10000" aria-invalid=${error ? 'true' : 'false'} .value=${editing.text}
              @input=${(e: Event) => (this.editing = { id: n.id, text: (e.target as HTMLTextAreaElement).value })}
              @keydown=${(e: KeyboardEvent) => this.onKey(e, () => void this.saveNote(n, { body: editing.text.trim() }), () => this.cancelEdit(n))}></textarea>
            <div class="actions">
              <button class="btn" @click=${() => this.cancelEdit(n)}>${t('notes.cancel')}</button>
              <button class="btn primary" ?disabled=${!editing.text.trim()} @click=${() => void this.saveNote(n, { body: editing.text.trim() })}>${t('notes.save')}</button>
            </div>
          </div>`
        : html`<p class="body" part="body" dir="auto">${renderNoteText(n.body)}</p>`}
      ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
      ${canWrite && !editing
        ? html`<div class="actions" role="group" aria-label=${t('notes.actions')}>
            <button class="link pin" aria-pressed=${n.pinned ? 'true' : 'false'} @click=${() => void this.saveNote(n, { pinned: !n.pinned })}>${n.pinned ? t('notes.unpin') : t('notes.pin')}</button>
            ${n.canEdit
              ? html`<button class="link edit" @click=${() => this.startEdit(n)}>${t('notes.edit')}</button>
                  <button class="link danger delete" @click=${() => void this.deleteNote(n)}>${t('notes.delete')}</button>`
              : nothing}
          </div>`
        : nothing}
    </li>`;
  }

  private cancelEdit(n: NoteJson) {
    this.editing = null;
    this.noteErrors = { ...this.noteErrors, [n.id]: '' };
    this.focusNote(n.id, '.edit');
  }
}

define('contact-notes', ContactNotes);

declare global {
  interface HTMLElementTagNameMap {
    'contact-notes': ContactNotes;
  }
  interface HTMLElementEventMap {
    'note-change': NoteChangeEvent;
  }
}
