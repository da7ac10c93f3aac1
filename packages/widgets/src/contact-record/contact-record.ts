import { Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { ContactChangeEvent, ContactDeleteEvent, ContactNavigateEvent } from '../../../core/src/events.js';
import { formatDate, formatRelative } from '../../../core/src/format.js';
import { getLocale, plural, t } from '../../../core/src/i18n.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent, ListRowLookup } from '../../../core/src/client.js';
import type { ContactJson, CustomFieldJson, MemberJson, Permission, Session } from '../../../core/src/types.js';
import type { DossierConfirm } from '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-avatar.js';
import '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-state.js';
import '../../../core/src/ui/dossier-tag-input.js';
import { styles } from './contact-record.styles.js';
import './messages.js';
import { applyPatch, rowsToSend, type ContactPatch, type EntryRow } from './patch.js';
import { loadChunk } from '../../../core/src/chunk.js';

/** The left panel's tabs; the right panel's are in record-panels.ts (`notes`, `documents`). */
export type TabName = 'contact' | 'general' | 'additional' | 'dnd' | 'audit' | (string & {});
export type RowKind = 'emails' | 'phones';

/** The shown contact's row in the list the arrows walk (-1: not in it), and what is known of that list. */
interface Place {
  row: number;
  ids: string[];
  /** ids[0]'s row in the list. */
  offset: number;
  total: number;
  estimated: boolean;
  idAt?: ListRowLookup;
}
/** What an edit was made against: the contact the user saw, its version, and the changes from elsewhere taken by then. */
export interface EditBase {
  version: number;
  foreign: number;
  contact: ContactJson;
}

/** A neighbour the table has not answered by then shows an error instead of loading for ever. */
const NAV_TIMEOUT_MS = 20_000;
const withTimeout = <T>(p: Promise<T>, ms: number) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(t('record.navTimeout'))), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });

/**
 * The whole contact record a staff member works in: header with owner, followers, tags and previous/next
 * arrows, and tabs Contact, General, Additional (custom fields), Do not disturb and Audit log. Edits save
 * in place with optimistic UI; a failed save rolls the record back, keeps what was typed and shows why.
 *
 * @element contact-record
 * @attr contact-id - The contact to show.
 * @attr tab - The tab to open: `contact` (default), `general`, `additional`, `dnd`, `audit` (left panel), `notes`, `documents` (right panel).
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {string[]} contactIds - The list the previous/next arrows walk. Defaults to the `<contact-table>`'s whole result (rows it has not loaded are asked of it).
 * @prop {string[]} panels - The panels shown: `['left', 'right']` (default), `['left']` or `['right']`. A narrow record shows them in one column, all tabs in one strip.
 * @prop {string[]} tabs - The tabs shown (default: all), e.g. `['contact', 'notes']`.
 * @prop {ContactJson} contact - The contact data (set by the element after loading; may be set directly to render without a server).
 * @fires contact-change - After an edit was saved (a new or removed picture too): `detail.contact`, `detail.changed` (field names).
 * @fires contact-delete - After the contact moved to the restore bin: `detail.id`.
 * @fires contact-navigate - Previous/next: `detail.id`, `detail.from`, `detail.direction`. Cancelable.
 * @fires dossier-error - A failure the record is showing: `detail.error`, `detail.action`.
 * @csspart header - The header with avatar, name, navigation and actions.
 * @csspart avatar - The avatar.
 * @csspart avatar-button - The avatar as a button that opens the profile picture dialog (members who may edit the contact).
 * @csspart name - The contact's name.
 * @csspart meta - Owner, followers and tags.
 * @csspart tabs - The tab list.
 * @csspart tab - Each tab.
 * @csspart panel - The open tab's panel.
 * @csspart banner - The deleted / read-only notice.
 * @cssprop --dossier-color-accent - Accent colour (buttons, selected tab).
 * @cssprop --dossier-color-bg - Background.
 * @cssprop --dossier-color-text - Text colour.
 * @cssprop --dossier-color-border - Borders.
 * @cssprop --dossier-font-family - Font.
 * @cssprop --dossier-radius - Corner radius.
 * @cssprop --contact-record-header-bg - Header background (falls back to the surface colour).
 */
export class ContactRecord extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ reflect: true }) tab: TabName = 'contact';
  @property({ attribute: false }) panels: ('left' | 'right')[] = ['left', 'right'];
  @property({ attribute: false }) tabs?: string[];
  @property({ attribute: false }) contactIds?: string[];
  @property({ attribute: false }) contact: ContactJson | null = null;
  /** Session, members and custom fields; loaded from the provider, or set directly (Storybook). */
  @property({ attribute: false }) session: Session | null = null;
  @property({ attribute: false }) members: MemberJson[] = [];
  @property({ attribute: false }) customFields: CustomFieldJson[] = [];

  @state() drafts: Record<string, unknown> = {};
  @state() errors: Record<string, string> = {};
  @state() rows: Partial<Record<RowKind, EntryRow[]>> = {};
  @state() private saveState: 'idle' | 'saving' | 'saved' | 'failed' = 'idle';
  /** What the last action did, e.g. "Unmerged: Jane Doe restored." */
  @state() private notice = '';
  /** The merge this contact survived and that can still be undone (owners and managers). */
  @state() mergeId: string | null = null;
  /** The table is loading the neighbour previous / next asked for; or why it could not. */
  @state() private navBusy = false;
  @state() private navError = '';
  @query('dossier-confirm') private confirm!: DossierConfirm;

  /** Last server-confirmed contact; `contact` is this plus the patches still in flight. */
  private saved: ContactJson | null = null;
  private pending: ContactPatch[] = [];
  private queue: Promise<void> = Promise.resolve();
  /** Changes from elsewhere taken into `saved` so far; and whether one arrived while saves were in flight. */
  private foreign = 0;
  private behind = false;
  /** What the email / phone rows being edited started from (taken when their editing starts). */
  private rowBase: Partial<Record<RowKind, EditBase>> = {};

  private loader = new Task(this, {
    onError: this.reportLoad('load-contact'),
    args: () => [this.dossier, this.contactId] as const,
    task: async ([client, id], { signal }) => {
      if (!id || !client) return;
      const init = { init: { signal } };
      // The tabs' code loads while the contact does.
      void loadChunk(() => import('./record-panels.js')).catch(() => undefined);
      const [contact, session, members, fields] = await Promise.all([
        unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } }, init)),
        client.session(),
        client.members(),
        client.customFields(),
      ]);
      this.saved = contact as ContactJson;
      this.pending = [];
      this.contact = this.saved;
      this.session = session;
      this.members = members;
      this.customFields = fields;
      this.drafts = {};
      this.errors = {};
      this.rows = {};
      this.saveState = 'idle';
      this.notice = '';
      await this.findMerge();
    },
  });

  /** The merge this contact survived that can still be undone (owners and managers). */
  private async findMerge() {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !this.session?.permissions.includes('contacts.merge')) return void (this.mergeId = null);
    // Optional: the record still shows when the merge list cannot be read.
    const merges = await unwrap(client.api.api.v1.merges.$get({ query: { contactId: id } })).then((r) => r.items as { id: string; undoneAt: number | null }[], () => []);
    if (this.contactId === id) this.mergeId = merges.find((m) => !m.undoneAt)?.id ?? null;
  }

  /** Unmerge: pick the contact to split off, review, confirm (a lazy dialog). */
  private async unmerge() {
    const client = this.dossier;
    const mergeId = this.mergeId;
    if (!client || !mergeId) return;
    const { openUnmerge, unmergedNotice } = await loadChunk(() => import('../contact-table/unmerge-dialog.js'));
    const done = await openUnmerge(this.renderRoot, client, mergeId, this.saved?.name);
    if (!done) return;
    this.notice = unmergedNotice(done);
    this.saveState = 'idle';
    await this.refresh(done.survivor);
    await this.findMerge();
  }

  // Changes from elsewhere (the live stream, other widgets of the page) reach the shown contact.
  private bus = new BusController(this, () => this.dossier, (event: BusEvent) => {
    const id = this.contactId;
    if (event.type === 'contact-changed') {
      const ref = event.event.contacts.find((c) => c.id === id);
      if (ref && this.saved?.id === id && ref.version > this.saved.version) void this.refresh();
      if (event.event.survivorId === id) void this.findMerge();
    } else if (event.type === 'live-resumed') void this.refresh();
    else if (event.type === 'contact-saved' && event.id === id && event.source !== this) void this.refresh(event.contact);
    // The table's list moved or changed: the arrows and "N of M" follow it.
    else if (event.type === 'contact-list' && !this.contactIds) this.requestUpdate();
  });

  /**
   * Takes the contact as it is now on the server (or as another widget just saved it), keeping what the user is
   * typing (drafts, rows). While saves are in flight it waits for them: they answer with the newer state, or a conflict.
   * @internal (the picture dialog hands it the contact it saved)
   */
  async refresh(known?: ContactJson) {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || this.saved?.id !== id) return;
    if (this.pending.length) return void (this.behind = true);
    try {
      const fresh = known ?? ((await unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } }))) as ContactJson);
      if (this.pending.length) return void (this.behind = true);
      if (this.saved?.id !== id || fresh.version <= this.saved.version) return;
      this.saved = fresh;
      this.foreign++;
      this.recompute();
    } catch {
      // it stays as shown; the next change or reconnect tries again
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('contactId')) this.navError = '';
  }

  // ——— permissions ———

  can(permission: Permission): boolean {
    return Boolean(this.session?.permissions.includes(permission)) && Boolean(this.dossier);
  }

  get editable(): boolean {
    return this.can('contacts.edit') && !this.contact?.deletedAt;
  }

  // ——— drafts and saving (used by the tab renderers) ———

  /** The draft the user typed, else the saved value. */
  shown(path: string, saved: unknown): unknown {
    return path in this.drafts ? this.drafts[path] : saved;
  }

  setDraft(path: string, value: unknown) {
    this.drafts = { ...this.drafts, [path]: value };
  }

  discard(path: string) {
    const { [path]: _d, ...drafts } = this.drafts;
    const errors = Object.fromEntries(Object.entries(this.errors).filter(([k]) => k !== path && !k.startsWith(`${path}[`) && !k.startsWith(`${path}.`)));
    this.drafts = drafts;
    this.errors = errors;
    if (path === 'emails' || path === 'phones') this.rows = { ...this.rows, [path]: undefined };
  }

  /** What an edit starting now is made against. */
  private base(): EditBase {
    return { version: this.saved!.version, foreign: this.foreign, contact: this.contact! };
  }

  /** Saves one field from its draft if it differs from the saved value. */
  commit(path: string, patch: ContactPatch, savedValue: unknown) {
    const value = this.drafts[path];
    if (path in this.drafts && JSON.stringify(value ?? null) === JSON.stringify(savedValue ?? null) && !this.errors[path]) {
      this.discard(path);
      return;
    }
    void this.save(patch, [path]);
  }

  rowsOf(kind: RowKind): EntryRow[] {
    return this.rows[kind] ?? this.contact?.[kind] ?? [];
  }

  editRows(kind: RowKind, rows: EntryRow[]) {
    if (!this.rows[kind] && this.saved) this.rowBase[kind] = this.base();
    this.rows = { ...this.rows, [kind]: rows };
  }

  commitRows(kind: RowKind, rows: EntryRow[] = this.rowsOf(kind)) {
    this.editRows(kind, rows);
    const { sent, rowIndex } = rowsToSend(rows);
    const current = (this.saved?.[kind] ?? []).map(({ value, label, primary }) => ({ value, label, primary }));
    if (JSON.stringify(sent) === JSON.stringify(current)) return;
    void this.save({ [kind]: sent }, [kind], (field) => field.replace(new RegExp(`^${kind}\\[(\\d+)\\]`), (_, k: string) => `${kind}[${rowIndex[Number(k)] ?? k}]`), this.rowBase[kind]);
  }

  /**
   * Optimistic save of only what the user changed: the record shows the patch at once; saves go to the server one
   * after another, each with the version its edit was made against (If-Match). When someone else changed a list
   * meanwhile (409 version_conflict), the user's edit is made again on the list as it is now (rebase.ts) and saved;
   * when that cannot be done, the conflict shows in place and what the user typed stays. On any other failure the
   * record rolls back to the server's state while drafts keep what was typed.
   */
  save(patch: ContactPatch, paths: string[], mapField: (f: string) => string = (f) => f, from?: EditBase): Promise<void> {
    const client = this.dossier;
    const id = this.contact?.id;
    if (!client || !id || !this.saved) return Promise.resolve();
    const base = from ?? this.base();
    this.pending.push(patch);
    this.recompute();
    this.errors = Object.fromEntries(Object.entries(this.errors).filter(([k]) => !paths.some((p) => k === p || k.startsWith(`${p}[`) || k.startsWith(`${p}.`))));
    this.saveState = 'saving';
    this.queue = this.queue.then(async () => {
      try {
        const send = (json: ContactPatch, version: number) =>
          unwrap(client.api.api.v1.contacts[':id'].$patch({ param: { id }, json }, { headers: { 'if-match': `"${version}"` } })) as Promise<ContactJson>;
        // Only our own saves since the edit began: the version we hold now is the one it was made against.
        const updated = await send(patch, this.foreign === base.foreign ? this.saved!.version : base.version).catch(async (err: DossierApiError) => {
          if (err.code !== 'version_conflict') throw err;
          // Someone else changed a list meanwhile: take their change and make the user's edit again on top of it.
          const get = () => unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } })) as Promise<ContactJson>;
          return (await loadChunk(() => import('./rebase.js'))).resolveConflict(get, send, (fresh, again) => {
            this.saved = fresh;
            this.foreign++;
            if (again) this.pending[0] = again;
            this.recompute();
          }, patch, base.contact);
        });
        const changed = Object.keys(patch);
        this.saved = updated;
        this.pending.shift();
        for (const p of paths) this.discard(p);
        this.saveState = this.pending.length ? 'saving' : 'saved';
        client.publish({ type: 'contact-saved', id, contact: updated, source: this });
        this.dispatchEvent(new ContactChangeEvent({ contact: updated, changed }));
      } catch (err) {
        this.pending.shift();
        const error = err instanceof Error ? err : new Error(String(err));
        const field = error instanceof DossierApiError && error.field ? mapField(error.field) : paths[0]!;
        this.errors = { ...this.errors, [field]: error.message };
        this.saveState = 'failed';
        // A conflict the record could not resolve: the rows the user kept are now meant against the list as it is.
        if ((error as DossierApiError).code === 'version_conflict') for (const p of paths) delete this.rowBase[p as RowKind];
        this.reportError(error, 'save-contact');
      } finally {
        this.recompute();
        if (!this.pending.length && this.behind) {
          this.behind = false;
          void this.refresh();
        }
      }
    });
    return this.queue;
  }

  private recompute() {
    if (this.saved) this.contact = this.pending.reduce(applyPatch, this.saved);
  }

  // ——— actions ———

  private async deleteContact() {
    const client = this.dossier;
    const contact = this.contact;
    if (!client || !contact) return;
    this.confirm.heading = t('record.delete.title', { name: contact.name || t('record.unnamed') });
    this.confirm.message = t('record.delete.message', { period: plural('time.days', this.session?.workspace.restoreDays ?? 30) });
    if (!(await this.confirm.ask())) return;
    try {
      const updated = (await unwrap(client.api.api.v1.contacts[':id'].$delete({ param: { id: contact.id } }))) as ContactJson;
      this.saved = updated;
      this.recompute();
      client.publish({ type: 'contact-deleted', id: contact.id, source: this });
      this.dispatchEvent(new ContactDeleteEvent({ id: contact.id }));
    } catch (err) {
      this.errors = { ...this.errors, record: (err as Error).message };
      this.reportError(err as Error, 'delete-contact');
    }
  }

  private async restore() {
    const client = this.dossier;
    const contact = this.contact;
    if (!client || !contact) return;
    try {
      const updated = (await unwrap(client.api.api.v1.contacts[':id'].restore.$post({ param: { id: contact.id } }))) as ContactJson;
      this.saved = updated;
      this.recompute();
      client.publish({ type: 'contact-saved', id: contact.id, source: this });
      this.dispatchEvent(new ContactChangeEvent({ contact: updated, changed: ['deletedAt'] }));
    } catch (err) {
      this.errors = { ...this.errors, record: (err as Error).message };
      this.reportError(err as Error, 'restore-contact');
    }
  }

  /**
   * Where the shown contact sits in the list the arrows walk: the host's `contactIds`, else the table's result —
   * its row there (-1: not in the list), the ids the table has around its view, and `idAt` for any other row.
   */
  private get place(): Place {
    const id = this.contactId;
    if (this.contactIds || !this.dossier) {
      const ids = this.contactIds ?? [];
      return { row: ids.indexOf(id), ids, offset: 0, total: ids.length, estimated: false };
    }
    const ids = this.dossier.listIds;
    const { offset, total, estimated, idAt } = this.dossier.listPlace;
    const i = ids.indexOf(id);
    // Walked past the table's loaded rows, or the table scrolled away: the row the record last knew, for the same query.
    const known = this.known;
    const row = i >= 0 ? offset + i : idAt && known?.id === id && known.idAt === idAt ? known.row : -1;
    if (i >= 0 && idAt) this.known = { id, row, idAt };
    return { row, ids, offset, total: Math.max(total ?? 0, offset + ids.length, row + 1), estimated: estimated || total === null, idAt };
  }
  private known?: { id: string; row: number; idAt: ListRowLookup };
  /** A row the table answered "past the end" for, when its count was only an estimate. */
  private pastEnd?: { row: number; idAt: ListRowLookup };

  /**
   * The row previous / next go to. Off the list (a search that no longer matches it, or a new query — cleared search,
   * re-sort — whose loaded rows do not reach it): Next starts the list at its first row, Previous at its last.
   */
  private target({ row, total, estimated }: Place, step: 1 | -1): number {
    if (row >= 0) return row + step;
    if (step > 0) return total > 0 ? 0 : -1;
    return !estimated && total > 0 ? total - 1 : -1;
  }

  private hasNeighbour(place: Place, step: 1 | -1): boolean {
    const { row, ids, offset, total, estimated, idAt } = place;
    const target = this.target(place, step);
    if (target < 0) return false;
    if (row < 0) return target - offset < ids.length && target >= offset ? true : Boolean(idAt);
    if (target - offset < ids.length && target >= offset) return true;
    if (!idAt) return false;
    if (step < 0) return true;
    return estimated ? !(this.pastEnd?.idAt === idAt && target >= this.pastEnd.row) : target < total;
  }

  /** "2 of 2" for a host's list; for the table's, the row in its whole result ("152 of about 1,000,000"). */
  private position({ row, ids, offset, total, estimated }: Place): string {
    // Not among the rows known of the list: say how long the list is (the arrows go to its first / last row). With
    // the whole list at hand it is certain the contact is not in it; else its row is just not loaded.
    const n = (x: number) => x.toLocaleString(getLocale());
    if (row < 0) {
      const whole = !estimated && offset === 0 && ids.length >= total;
      return t(whole ? 'record.notInList' : estimated ? 'record.offListAbout' : 'record.offList', { total: n(total) });
    }
    return t(estimated ? 'record.positionAbout' : 'record.position', { index: n(row + 1), total: n(total) });
  }

  /** Previous / next: from the known ids, else the table loads the neighbour's row (errors show beside the arrows). */
  private async navigate(direction: 'previous' | 'next') {
    const place = this.place;
    const step = direction === 'next' ? 1 : -1;
    const from = this.contactId;
    const { ids, offset, idAt } = place;
    if (this.navBusy || !this.hasNeighbour(place, step)) return;
    const target = this.target(place, step);
    let id: string | null | undefined = target >= offset ? ids[target - offset] : undefined;
    if (!id && idAt) {
      this.navBusy = true;
      this.navError = '';
      try {
        id = await withTimeout(idAt(target), NAV_TIMEOUT_MS);
      } catch (err) {
        const error = err as Error;
        // The table started another query meanwhile: the arrows follow the new list, nothing failed.
        if (error.name !== 'AbortError' && this.dossier?.listPlace.idAt === idAt) {
          this.navError = t('record.navFailed', { message: error.message });
          this.reportError(error, 'navigate');
        }
        return;
      } finally {
        this.navBusy = false;
      }
      if (!id) this.pastEnd = { row: target, idAt };
      if (!id || this.contactId !== from) return;
    }
    if (!id) return;
    if (idAt) this.known = { id, row: target, idAt };
    const event = new ContactNavigateEvent({ id, from, direction });
    this.dispatchEvent(event);
    if (!event.defaultPrevented) this.contactId = id;
  }

  // ——— rendering ———

  protected override render() {
    if (this.contactId && !this.dossier && !this.contact) {
      return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    }
    if (this.contactId && this.dossier) {
      const pendingView = this.loader.render({
        initial: () => html`<dossier-state kind="loading"></dossier-state>`,
        pending: () => (this.contact?.id === this.contactId ? null : html`<dossier-state kind="loading"></dossier-state>`),
        error: (err) => this.renderLoadError(err as Error),
        complete: () => null,
      });
      if (pendingView) return pendingView;
    }
    if (!this.contact) return html`<dossier-state kind="empty" heading=${t('record.empty')}></dossier-state>`;
    return this.renderRecord(this.contact);
  }

  private renderLoadError(err: Error) {
    const status = err instanceof DossierApiError ? err.status : 0;
    if (status === 404) return html`<dossier-state kind="not-found" message=${err.message}></dossier-state>`;
    if (status === 403) return html`<dossier-state kind="forbidden" message=${err.message}></dossier-state>`;
    return html`<dossier-state kind="error" message=${err.message} retryable @retry=${() => this.loader.run()}></dossier-state>`;
  }

  private renderRecord(c: ContactJson) {
    const place = this.place;
    const owner = this.members.find((m) => m.id === c.ownerId);
    const name = c.name || t('record.unnamed');
    return html`
      <article aria-label=${name}>
        <header part="header">
          ${(this.chunks.panels as typeof import('./record-panels.js') | undefined)?.renderAvatar(this, c, name) ?? html`<dossier-avatar part="avatar" .name=${name} .src=${c.avatarUrl}></dossier-avatar>`}
          <div class="title">
            <h2 part="name" dir="auto" title=${name}>${name}</h2>
            ${c.companyName ? html`<div class="sub">${c.companyName}</div>` : nothing}
            ${(this.chunks.panels as typeof import('./record-panels.js') | undefined)?.renderDue(this)}
          </div>
          <nav class="nav" aria-label=${t('record.listNav')} aria-busy=${this.navBusy ? 'true' : 'false'}>
            ${this.navError ? html`<span class="nav-error" role="alert">${this.navError}</span>` : nothing}
            ${place.row >= 0 || place.total > 0 ? html`<span class="position">${this.navBusy ? t('state.loading') : this.position(place)}</span>` : nothing}
            <button class="icon-btn mirror" aria-label=${t('record.previous')} title=${t(place.row >= 0 ? 'record.previous' : 'record.last')} ?disabled=${this.navBusy || !this.hasNeighbour(place, -1)} @click=${() => this.navigate('previous')}>‹</button>
            <button class="icon-btn mirror" aria-label=${t('record.next')} title=${t(place.row >= 0 ? 'record.next' : 'record.first')} ?disabled=${this.navBusy || !this.hasNeighbour(place, 1)} @click=${() => this.navigate('next')}>›</button>
          </nav>
          ${this.can('contacts.delete') && !c.deletedAt
            ? html`<button class="btn danger" @click=${() => this.deleteContact()}>${t('record.delete')}</button>`
            : nothing}
        </header>
        ${this.renderBanner(c)}
        <section class="meta" part="meta">
          <div class="meta-row">
            <label for="owner">${t('record.owner')}</label>
            ${this.editable
              ? html`<select id="owner" @change=${(e: Event) => void this.save({ ownerId: (e.target as HTMLSelectElement).value || null }, ['ownerId'])} aria-invalid=${this.errors.ownerId ? 'true' : 'false'}>
                  <option value="" ?selected=${!c.ownerId}>${t('record.unassigned')}</option>
                  ${this.members.map((m) => html`<option value=${m.id} ?selected=${m.id === c.ownerId}>${m.name}</option>`)}
                </select>`
              : html`<span id="owner">${owner?.name ?? t('record.unassigned')}</span>`}
          </div>
          ${this.renderFieldError('ownerId')}
          <div class="meta-row">
            <span class="label" id="followers-label">${t('record.followers')}</span>
            <ul class="followers" aria-labelledby="followers-label">
              ${c.followerIds.map((id) => {
                const m = this.members.find((x) => x.id === id);
                const label = m?.name ?? id;
                return html`<li class="chip"><dossier-avatar .name=${label}></dossier-avatar><span>${label}</span>${this.editable
                  ? html`<button aria-label=${t('record.removeFollower', { name: label })} @click=${() => void this.save({ followerIds: c.followerIds.filter((f) => f !== id) }, ['followerIds'])}>×</button>`
                  : nothing}</li>`;
              })}
            </ul>
            ${this.editable
              ? html`<select aria-label=${t('record.addFollower')} @change=${(e: Event) => {
                  const select = e.target as HTMLSelectElement;
                  if (select.value) void this.save({ followerIds: [...c.followerIds, select.value] }, ['followerIds']);
                  select.value = '';
                }}>
                  <option value="">${t('record.addFollower')}</option>
                  ${this.members.filter((m) => !c.followerIds.includes(m.id)).map((m) => html`<option value=${m.id}>${m.name}</option>`)}
                </select>`
              : nothing}
          </div>
          ${this.renderFieldError('followerIds')}
          <div class="meta-row">
            <span class="label">${t('tags.label')}</span>
            <dossier-tag-input
              .tags=${c.tags}
              ?readonly=${!this.editable}
              .suggest=${this.dossier ? async (q: string) => (await unwrap(this.dossier!.api.api.v1.tags.$get({ query: { q } }))).items : undefined}
              @tags-change=${(e: CustomEvent<{ tags: string[] }>) => void this.save({ tags: e.detail.tags }, ['tags'])}
            ></dossier-tag-input>
          </div>
          ${this.renderFieldError('tags')}
        </section>
        ${this.lazyPanel('panels', () => import('./record-panels.js'), (m) => m.renderPanels(this, c))}
        <div class="save-state" role="status" aria-live="polite">
          ${{ idle: this.notice, saving: t('record.saving'), saved: t('record.saved'), failed: '' }[this.saveState]}
        </div>
        <dossier-confirm></dossier-confirm>
      </article>
    `;
  }

  private renderBanner(c: ContactJson) {
    if (this.errors.record) return html`<div class="banner error" part="banner" role="alert">${this.errors.record}</div>`;
    if (c.deletedAt) {
      const purgeAt = c.deletedAt + (this.session?.workspace.restoreDays ?? 30) * 86_400_000;
      return html`<div class="banner" part="banner" role="status">
        <span>${t('record.deleted', { date: formatDate(c.deletedAt), when: formatRelative(purgeAt) })}</span>
        ${this.can('contacts.restore')
          ? html`<button class="btn primary" @click=${() => this.restore()}>${t('action.restore')}</button>`
          : html`<span>${t('record.deleted.noRestore')}</span>`}
      </div>`;
    }
    if (this.mergeId) {
      return html`<div class="banner" part="banner" role="status">
        <span>${t('record.merged')}</span><button class="btn" @click=${() => this.unmerge()}>${t('record.unmerge')}</button>
      </div>`;
    }
    if (this.session && !this.can('contacts.edit')) return html`<div class="banner" part="banner">${t('record.readOnly')}</div>`;
    return nothing;
  }

  renderFieldError(path: string) {
    const message = this.errors[path];
    if (!message) return nothing;
    // A failed row edit is undone by dropping the whole list draft; a field by dropping its own draft.
    const rowKind = path.split('[')[0] as RowKind;
    const undo = path in this.drafts ? path : (rowKind === 'emails' || rowKind === 'phones') && this.rows[rowKind] ? rowKind : null;
    return html`<p class="field-error" role="alert" id="err-${path.replace(/[^\w-]/g, '_')}">
      ${t('record.saveFailed', { message })}
      ${undo ? html`<button class="link" @click=${() => this.discard(undo)}>${t('record.discard')}</button>` : nothing}
    </p>`;
  }

  @state() private chunkErrors: Record<string, string> = {};
  private chunks: Record<string, unknown> = {};
  private chunksLoading = new Map<string, Promise<void>>();

  /** Resolves once the open tab is drawn, its chunk loaded if it is a lazy one. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.chunksLoading.size) {
      await Promise.all(this.chunksLoading.values());
      done = await super.getUpdateComplete();
    }
    return done;
  }

  /**
   * A panel whose code is a lazy chunk (every tab but Contact: the script-tag bundle stays small as tabs are added):
   * loading, then the panel — or the load error in place, with Try again.
   */
  lazyPanel<M>(key: string, load: () => Promise<M>, render: (chunk: M) => unknown) {
    if (key in this.chunks) return render(this.chunks[key] as M);
    const error = this.chunkErrors[key];
    if (error) return html`<dossier-state kind="error" message=${error} retryable @retry=${() => (this.chunkErrors = { ...this.chunkErrors, [key]: '' })}></dossier-state>`;
    if (!this.chunksLoading.has(key)) {
      const loading = loadChunk(load)
        .then((chunk) => void (this.chunks[key] = chunk), (err: Error) => {
          this.chunkErrors = { ...this.chunkErrors, [key]: err.message };
          this.reportError(err, 'load-chunk');
        })
        .finally(() => {
          this.chunksLoading.delete(key);
          this.requestUpdate();
        });
      this.chunksLoading.set(key, loading);
    }
    return html`<dossier-state kind="loading"></dossier-state>`;
  }

}

define('contact-record', ContactRecord);

declare global {
  interface HTMLElementTagNameMap {
    'contact-record': ContactRecord;
  }
}
