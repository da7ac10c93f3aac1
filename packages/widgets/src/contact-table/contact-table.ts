import { Task } from '@lit/task';
import { html, nothing, type PropertyDeclaration, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { ContactCreateEvent, ContactOpenEvent, ContactSelectionChangeEvent, ContactViewChangeEvent } from '../../../core/src/events.js';
import { isRtl, logicalKey, plural, t } from '../../../core/src/i18n.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import type { ContactJson, CustomFieldJson, MemberJson, Permission, Session, TeamJson } from '../../../core/src/types.js';
import type { DossierConfirm } from '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-avatar.js';
import '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-state.js';
import { cssText } from '../../../core/src/ui/css-text.js';
import { MenuController, type MenuItem } from '../../../core/src/ui/menu.js';
import { cellContent } from './cells.js';
import { styles } from './contact-table.styles.js';
import './messages.js';
import { allColumns, conditionsOf, DEFAULT_COLUMNS, ScrollMap, type BulkJob, type RangeJob, type Column, type Condition, type SavedView, type Sort } from './model.js';
import { BLOCK } from './row-blocks.js';
import { queryBody, RowSource } from './row-source.js';
import { fitTags, textWidth } from './tag-fit.js';
import { loadChunk } from '../../../core/src/chunk.js';

const ROW = 44;
const HEAD = 40;
/** Px per wheel "line" (Firefox reports lines), about a line of text as browsers scroll it. */
const LINE = 20;
const DEFAULT_SORT: Sort = { field: 'createdAt', dir: 'desc' };
/** A property the host sets by value (DossierElement), also read from an attribute: JSON (a list also "a,b"). */
const hostValue = (list?: true) =>
  ({ byValue: true, converter: (v: string | null) => { try { return JSON.parse(v!); } catch { return list && v?.split(','); } } }) as PropertyDeclaration;

/** The "My team" inbox's filter: contacts of the caller's teams. */
const MY_TEAM: Condition = { field: 'team', op: 'is_any', value: ['mine'] };
type Actions = typeof import('./table-actions.js');
type Labels = typeof import('./chips.js');
type Org = typeof import('./org-rows.js');
type OrgWorkspace = import('./org-rows.js').OrgWorkspace;

/**
 * The contacts list a staff member works in: virtualized rows over the whole result set (the blocks of
 * rows in view load as you scroll or jump), search, filters, sortable / resizable / pickable columns, saved views, selection
 * with bulk actions (tags, owner, delete, export), CSV import, merge / unmerge and the restore bin.
 *
 * @element contact-table
 * @attr q - Search text.
 * @attr view-id - The saved view to show (its search, filters, columns and sort).
 * @attr organization - The organization view: the provider holds an organization session token, and the table lists the contacts of the session's workspaces with a Workspace column and filter (read-only; a row opens in its own workspace).
 * @attr workspace-id - In the organization view: only this workspace's contacts (empty: all of them).
 * @attr bin - Show the restore bin (deleted contacts) instead of live contacts.
 * @attr active-id - The contact open beside the table: its row is marked (`aria-current`, part `row-active`) and scrolled into view when this changes.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {Condition[]} filter - Active filter conditions (AND-combined).
 * @prop {Sort} sort - `{ field, dir }`; default `{ field: 'createdAt', dir: 'desc' }`.
 * @prop {string[]} columns - Visible column keys in order (`name` always included; default: name, email, phone, tags, owner, createdAt, lastInteractionAt).
 * @prop {Record<string, number>} widths - Column widths in px by key (set by resizing). A column without one takes its preferred width when there is room and shrinks to its minimum when not.
 * @prop {string[]} selectedIds - The selected contact ids (read-only).
 * @fires contact-open - A row was opened (click, Enter, "View details", a duplicate's "Open", a contact just added): `detail.id`; "View messages" adds `detail.tab: 'conversations'` (set it as the record's `tab`).
 * @fires contact-create - A contact was created in Add contact: `detail.id`, `detail.contact`.
 * @fires contact-selection-change - `detail.ids`, `detail.allMatching`, `detail.except` (left out of all matching), `detail.count`.
 * @fires contact-view-change - Search, filters, sort, columns, saved view or bin changed: `detail`.
 * @fires dossier-error - A failure the table is showing: `detail.error`, `detail.action`.
 * @csspart toolbar - Search, view selector and actions.
 * @csspart chips - Active filter chips.
 * @csspart grid - The scrolling grid.
 * @csspart header - The sticky header row.
 * @csspart row - Each contact row.
 * @csspart row-active - The row of `active-id` (with `row`).
 * @csspart bulk-bar - The bar shown while rows are selected.
 * @csspart new-contacts - The "Show N new contacts" button, when others added contacts since the list loaded.
 * @cssprop --dossier-color-accent - Accent colour.
 * @cssprop --dossier-color-bg - Background.
 * @cssprop --dossier-color-border - Borders.
 * @cssprop --contact-table-height - Height of the element (default 600px).
 * @cssprop --contact-table-row-selected - Background of selected rows.
 * @cssprop --contact-table-row-active - The bar marking the active row (default: the accent colour).
 */
export class ContactTable extends DossierElement {
  static override styles = styles;
  /** Tallest scroll body in px before scrollTop maps onto rows proportionally (Chromium stops at ~33.5M px). */
  static maxBodyHeight = 10_000_000;
  /** Rows a shift-click range may select one by one when they are not loaded (their ids are fetched); past it, "Select all N matching". */
  static maxRange = 10_000;

  @property({ reflect: true }) q = '';
  @property({ attribute: 'view-id', reflect: true }) viewId = '';
  @property({ type: Boolean, reflect: true }) bin = false;
  /** Lists the contacts of an organization session's workspaces (the provider holds an organization session token). */
  @property({ type: Boolean, reflect: true }) organization = false;
  /** The organization view's Workspace filter: one workspace's id, or empty for all of them. */
  @property({ attribute: 'workspace-id', reflect: true }) workspaceId = '';
  // Attributes too, for a framework that wrote one before the element was defined.
  @property(hostValue()) filter: Condition[] = [];
  @property(hostValue()) sort: Sort = DEFAULT_SORT;
  @property(hostValue(true)) columns: string[] = DEFAULT_COLUMNS;
  @property(hostValue()) widths: Record<string, number> = {};
  /** The contact open beside the table (its record): that row is marked and scrolled into view. */
  @property({ attribute: 'active-id', reflect: true }) activeId = '';

  @state() session: Session | null = null;
  @state() members: MemberJson[] = [];
  @state() teams: TeamJson[] = [];
  @state() customFields: CustomFieldJson[] = [];
  @state() views: SavedView[] = [];
  /** The organization session's workspaces (the organization view). */
  @state() workspaces: OrgWorkspace[] = [];
  private org?: Org;
  @state() source: RowSource | null = null;
  @state() private scrollPos = 0;
  @state() private viewport = 480;
  @state() private selected = new Set<string>();
  @state() allMatching = false;
  /** The selection is what the header box selected: every loaded row. */
  @state() loadedSelected = false;
  /** With allMatching: the contacts unticked since ("all matching but these"; the bulk API's `except`). */
  @state() excluded = new Set<string>();
  @state() private cursor = { r: 0, c: 1 };
  @state() private menu: { index: number; mergeId?: string | null } | null = null;
  private rowMenu = new MenuController(this, () => (this.menu = null));
  @state() job: (BulkJob & { label: string }) | null = null;
  /** A shift-click range [from, to) whose ids are being fetched (rows not loaded), or why it could not be selected. */
  @state() range: RangeJob | null = null;
  @state() notice = '';
  /** Contacts others created (or restored) since this query started, not among its rows: "N new — Show". */
  @state() private arrived = new Set<string>();
  /** Contacts this table created itself (its Add contact): their stream events are not news. */
  private createdHere = new Set<string>();
  @state() private panel: '' | 'filters' | 'columns' | 'merge' | 'import' | 'add' = '';
  @state() private searchText = '';
  @state() private mergeContacts: ContactJson[] = [];
  @state() private version = 0;
  /** Chip labels (chips.ts), loaded with the first filter. */
  @state() private labels?: Labels;
  private labelsLoad?: Promise<Labels>;
  /** Share links by id, for the names on "viewed" chips (loaded when such a chip first shows). */
  @state() private links?: { id: string; name: string; documentId: string }[];
  @query('dossier-confirm') confirm!: DossierConfirm;
  @query('.grid') private grid?: HTMLElement;

  private anchor = -1;
  private debounce?: ReturnType<typeof setTimeout>;
  // clientHeight, not contentRect's fractional height: the browser scrolls by whole px (scrollTop ends at scrollHeight -
  // clientHeight), and a fractional room put the last row ~1 px past the grid's bottom at some layouts.
  private resizeObserver = new ResizeObserver(([entry]) => (this.viewport = (entry!.target as HTMLElement).clientHeight));
  /** The Tags column's room (its header cell less padding) and chip font: how many whole chips each row shows. */
  @state() private tagRoom = 0;
  private tagFont = '';
  private tagHead: Element | null = null;
  private tagObserver = new ResizeObserver(([entry]) => {
    const cell = entry!.target as HTMLElement;
    const style = getComputedStyle(cell);
    this.tagFont = `${parseFloat(style.fontSize) * 0.85}px ${style.fontFamily}`;
    this.tagRoom = cell.clientWidth - 12;
  });
  private actionsModule?: Promise<Actions>;
  /** The lazy actions once loaded (they render a shift-click range's progress). */
  private actions?: Actions;

  private loader = new Task(this, {
    onError: this.reportLoad('load-table'),
    args: () => [this.dossier, this.organization] as const,
    task: async ([client, organization]) => {
      if (!client) return;
      // The organization view reads /api/v1/org only: no session, members or views (they belong to one workspace).
      if (organization) {
        this.org = await loadChunk(() => import('./org-rows.js'));
        this.workspaces = await this.org.workspacesOf(client);
        if (this.columns === DEFAULT_COLUMNS) this.own(() => (this.columns = this.org!.ORG_COLUMNS));
        return this.reload();
      }
      const [session, members, fields, views, teams] = await Promise.all([
        client.session(),
        client.members(),
        client.customFields(),
        unwrap(client.api.api.v1.views.$get()).then((r) => r.items as unknown as SavedView[]),
        client.teams(),
      ]);
      this.session = session;
      this.members = members;
      this.teams = teams;
      this.customFields = fields;
      this.views = views;
      if (this.viewId) this.applyView(this.viewId, false);
      this.reload();
      // Rows can be selected: have the bulk bar's code by the time someone ticks one.
      if (this.selectable) setTimeout(() => void this.loadActions().catch(() => undefined), 0);
    },
  });

  /** The provider's client (for the lazily loaded actions). */
  get client() {
    return this.dossier;
  }

  get selectedIds(): string[] {
    return [...this.selected];
  }

  isSelected(id: string): boolean {
    return this.allMatching ? !this.excluded.has(id) : this.selected.has(id);
  }

  can(permission: Permission): boolean {
    return Boolean(this.session?.permissions.includes(permission));
  }

  /** Rows have boxes only when the bulk bar would offer something (agents: no bulk action, so no selection). */
  get selectable(): boolean {
    const bulk = this.can('contacts.bulk');
    return this.bin ? bulk && this.can('contacts.restore') : (bulk && (this.can('contacts.edit') || this.can('contacts.delete'))) || this.can('contacts.merge');
  }

  // ——— query ———

  /** Starts the current query from the top (new search, filter, sort, view or after a bulk change). */
  reload() {
    const client = this.dossier;
    this.source?.abort();
    if (!client || (this.organization && !this.org)) return;
    const query = { q: this.q, filter: this.filter, sort: this.sort, deleted: this.bin };
    this.source = this.org && this.organization
      ? new this.org.OrgRowSource(client, query, this.workspaceId ? [this.workspaceId] : [], () => this.onRows())
      : new RowSource(client, query, () => this.onRows());
    this.queriedWorkspace = this.workspaceId;
    this.generation++;
    this.range?.ctrl.abort();
    this.range = null;
    this.scrollPos = 0;
    if (this.grid) this.grid.scrollTop = 0;
    this.anchor = -1;
    this.arrived = new Set();
  }

  private onRows() {
    const s = this.source;
    this.version++;
    if (!s) return;
    if (s.error) this.reportError(s.error, 'load-contacts');
    // The end came sooner than the estimate said: keep the keyboard cursor on a real row.
    if (s.complete && this.cursor.r >= s.length && (this.renderRoot as ShadowRoot).activeElement?.closest('[role=grid]')) void this.focusCell(s.length - 1, this.cursor.c);
    this.publishIds();
  }

  /** Tells the record which ids surround the view (its previous / next), when that stretch changed. */
  private publishIds() {
    const s = this.source;
    const { ids, offset } = s?.idsAround() ?? { ids: [], offset: 0 };
    const total = s ? s.count : null;
    const key = `${this.generation}:${ids[0]}:${ids.length}:${ids.at(-1)}:${offset}:${total}:${s?.estimated}`;
    if (key === this.publishedIds) return;
    this.publishedIds = key;
    // idAt lets the record walk on past these ids: the table loads the row's block through its own query.
    this.dossier?.publish({ type: 'contact-list', ids, offset, total, estimated: s?.estimated ?? false, idAt: s?.idAt });
  }
  private publishedIds = '';
  /** The Workspace filter the current source was started with. */
  private queriedWorkspace = '';
  /** Counts queries, so a new one is published even when its first ids look like the last one's (none yet). */
  private generation = 0;

  changed(resetSelection = true) {
    if (resetSelection) this.clearSelection();
    this.reload();
    this.dispatchEvent(new ContactViewChangeEvent({ viewId: this.viewId || null, q: this.q, filter: this.filter, sort: this.sort, columns: this.columns, deleted: this.bin, ...(this.organization && { workspaceId: this.workspaceId || null }) }));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('q')) this.searchText = this.q;
    if (!this.columns.includes('name')) this.own(() => (this.columns = ['name', ...this.columns]));
    // Search, filters, sort or bin set by the host after the first load: start over before this render, so the
    // new source is drawn in this update (setting it in updated() would schedule a second one).
    const q = this.source?.query;
    if (q && (q.deleted !== this.bin || q.sort !== this.sort || q.filter !== this.filter || q.q !== this.q || this.queriedWorkspace !== this.workspaceId)) this.reload();
    // A new open contact (the record's arrows moved): show its row, when the table has it (before this render draws).
    if (changed.has('activeId') || (this.revealPending && this.source?.has(this.activeId))) this.revealActive();
    // Chips name fields, operators and values as the drawer does: those labels load with the first filter.
    if (this.filter.length && !this.labelsLoad) this.labelsLoad = loadChunk(() => import('./chips.js')).then((m) => (this.labels = m));
    // "Viewed" chips name their share links and documents.
    if (!this.links && this.dossier && !this.organization && this.filter.some((c) => (c.field === 'shareLink' || c.field === 'document') && Array.isArray(c.value))) {
      const client = this.dossier;
      this.links = [];
      void this.labelsLoad!.then((m) => m.shareLinksOf(client)).then((links) => (this.links = links)).catch(() => undefined);
    }
  }

  /**
   * A contact changed elsewhere — a record of this page, a bulk job, a merge, an import, another member (the live
   * stream): the loaded rows it touched are refreshed in place (no reload, scroll position kept).
   */
  private bus = new BusController(this, () => (this.organization ? undefined : this.dossier), (event) => {
    const s = this.source;
    if (!s || event.type === 'contact-list' || event.source === this) return;
    if (event.type === 'contact-deleted') return this.bin ? void this.refreshRows([event.id]) : s.remove(new Set([event.id]));
    if (event.type === 'contact-saved') return void this.refreshRows([event.contact ?? event.id]);
    if (event.type === 'contact-changed' && !this.bin && /created|restored|unmerged/.test(event.event.type)) {
      const news = event.event.contacts.filter((c) => !s.find(c.id) && !this.createdHere.has(c.id) && !this.arrived.has(c.id));
      if (news.length) this.arrived = new Set([...this.arrived, ...news.map((c) => c.id)]);
    }
    if (event.type === 'contact-changed') void this.refreshRows(event.event.contacts.filter((c) => c.version > (s.find(c.id)?.version ?? c.version)).map((c) => c.id));
  });

  /** Takes the current state of these loaded rows (ids are read, 100 at a time); rows that left this view go. */
  private async refreshRows(list: (string | ContactJson)[]) {
    const s = this.source;
    const client = this.dossier;
    const ids = list.filter((x): x is string => typeof x === 'string' && Boolean(s?.find(x)));
    const fresh = list.filter((x): x is ContactJson => typeof x !== 'string');
    if (!s || !client) return;
    try {
      for (let i = 0; i < ids.length; i += 100) {
        fresh.push(...((await unwrap(client.api.api.v1.contacts.$get({ query: { ids: ids.slice(i, i + 100).join(',') } }))).items as ContactJson[]));
      }
    } catch {
      return; // the rows keep their old values until the next reload
    }
    if (s !== this.source) return;
    const gone = new Set(ids);
    for (const c of fresh) {
      if (Boolean(c.deletedAt) === this.bin) gone.delete(c.id);
      if (!gone.has(c.id) && s.replace(c)) this.version++;
    }
    if (gone.size) s.remove(gone);
  }

  protected override updated(changed: PropertyValues<this>): void {    // The grid element is replaced when an empty state was shown in between: follow the one on screen.
    if (this.grid && this.grid !== this.observed) {
      if (this.observed) this.resizeObserver.unobserve(this.observed);
      this.observed = this.grid;
      this.resizeObserver.observe(this.grid);
    }
    const tagHead = this.renderRoot.querySelector('.head [data-key="tags"]');
    if (tagHead !== this.tagHead) {
      if (this.tagHead) this.tagObserver.unobserve(this.tagHead);
      if (tagHead) this.tagObserver.observe(tagHead);
      this.tagHead = tagHead;
    }
    // Load the rows in view, plus a margin so plain scrolling finds the next block already there.
    const { start, end } = this.map.range(this.scrollPos, 20);
    this.source?.want(start, end);
    this.publishIds();
  }
  private observed: HTMLElement | null = null;
  /** The open contact was not among the loaded rows yet: reveal it once it arrives. */
  private revealPending = false;

  private revealActive() {
    const i = this.activeId ? (this.source?.indexOf(this.activeId) ?? -1) : -1;
    this.revealPending = Boolean(this.activeId) && i < 0;
    const grid = this.grid;
    if (i < 0 || !grid) return;
    // The grid's height as it is now (the resize observer may not have reported a change yet).
    this.viewport = grid.clientHeight;
    const top = this.map.reveal(i, grid.scrollTop);
    if (top !== grid.scrollTop) grid.scrollTop = this.scrollPos = top;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.source?.abort();
    this.resizeObserver.disconnect();
    this.observed = null;
    this.tagObserver.disconnect();
    this.tagHead = null;
  }

  private onSearch(e: Event) {
    this.searchText = (e.target as HTMLInputElement).value;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.q = this.searchText;
      this.changed();
    }, 250);
  }

  setFilter(filter: Condition[]) {
    this.own(() => (this.filter = filter));
    this.changed();
  }

  private sortBy(col: Column) {
    const field = col.sort;
    if (!field) return;
    const dir = this.sort.field === field && this.sort.dir === 'asc' ? 'desc' : 'asc';
    this.own(() => (this.sort = { field, dir }));
    this.changed(false);
  }

  // ——— views ———

  applyView(id: string, notify = true) {
    this.own(() => this.showView(id));
    if (notify) this.changed();
  }

  private showView(id: string) {
    if (id === '__bin') {
      this.bin = true;
      this.viewId = '';
    } else if (id === '__team') {
      // The team inbox: the contacts of the member's teams, with the Team column.
      this.bin = false;
      this.viewId = this.q = '';
      this.filter = [MY_TEAM];
      this.sort = DEFAULT_SORT;
      this.columns = [...DEFAULT_COLUMNS.slice(0, 5), 'team', ...DEFAULT_COLUMNS.slice(5)];
      this.widths = {};
    } else {
      this.bin = false;
      this.viewId = id;
      const view = this.views.find((v) => v.id === id);
      const d = view?.definition;
      this.q = d?.q ?? '';
      this.filter = conditionsOf(d?.filter);
      this.sort = d?.sort ?? DEFAULT_SORT;
      this.columns = d?.columns.length ? d.columns : DEFAULT_COLUMNS;
      this.widths = d?.widths ?? {};
    }
  }

  get currentView() {
    return this.views.find((v) => v.id === this.viewId);
  }

  mayEdit(view: SavedView) {
    return view.scope === 'workspace' ? this.can('views.share') : view.ownerMemberId === this.session?.member?.id;
  }

  /** Runs an action, showing its failure instead of swallowing it. */
  async act(action: string, run: () => Promise<void>) {
    try {
      await run();
    } catch (err) {
      this.notice = (err as Error).message;
      this.reportError(err as Error, action);
    }
  }

  /** The lazy actions (bulk bar, jobs, views, export…); loaded once the table can select, before anyone does. */
  private async loadActions() {
    if (this.actions) return this.actions;
    const mod = (this.actions = await (this.actionsModule ??= loadChunk(() => import('./table-actions.js'))));
    this.requestUpdate();
    return mod;
  }

  /** Settles once the render is complete, the bulk bar included (drawn by the lazy actions while rows are selected). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (!this.selectionCount || this.actions) return done;
    await this.loadActions().catch(() => undefined);
    return super.getUpdateComplete();
  }

  /** Runs one of the lazily loaded actions. */
  async run<K extends keyof Actions>(name: K, ...args: Actions[K] extends (t: ContactTable, ...a: infer A) => unknown ? A : never) {
    const mod = await this.loadActions();
    return (mod[name] as (t: ContactTable, ...a: unknown[]) => Promise<unknown>)(this, ...args);
  }

  // ——— selection ———

  private emitSelection() {
    // The bulk bar is drawn by the lazy actions (loaded by now as a rule: see loadActions).
    if (this.selectionCount) void this.loadActions();
    const except = this.allMatching ? [...this.excluded] : [];
    this.dispatchEvent(new ContactSelectionChangeEvent({ ids: this.selectedIds, allMatching: this.allMatching, except, count: this.selectionCount }));
  }

  get selectionCount(): number {
    return this.allMatching ? Math.max(0, (this.source?.count ?? this.selected.size) - this.excluded.size) : this.selected.size;
  }

  toggleRow(index: number, range = false) {
    const s = this.source;
    const row = s?.row(index);
    if (!s || !row) return;
    const on = !this.isSelected(row.id);
    const [a, b] = range && this.anchor >= 0 ? [Math.min(this.anchor, index), Math.max(this.anchor, index)] : [index, index];
    this.anchor = index;
    const ids: string[] = [];
    for (let i = a; i <= b; i++) {
      const r = s.row(i);
      // Rows of the range that are not loaded (far apart after a jump): their ids come from the server.
      if (!r) return void this.run('selectRange', a, b + 1, on);
      ids.push(r.id);
    }
    this.select(ids, on);
  }

  /** Adds ids to the selection (or takes them out); under "all matching", unticked ones are left out of it. */
  select(ids: string[], on: boolean) {
    if (this.allMatching) {
      const excluded = new Set(this.excluded);
      for (const id of ids) excluded[on ? 'delete' : 'add'](id);
      // The bulk API leaves out at most 10,000: past that, fall back to listed ids (below).
      if (excluded.size <= 10_000) {
        this.excluded = excluded;
        return this.emitSelection();
      }
    }
    const next = new Set(this.allMatching ? this.source?.rows.filter((r) => !this.excluded.has(r.id)).map((r) => r.id) : this.selected);
    for (const id of ids) next[on ? 'add' : 'delete'](id);
    this.allMatching = this.loadedSelected = false;
    this.selected = next;
    this.emitSelection();
  }

  /** The header box: the rows in memory (Gmail's "this page"); the bulk bar then offers all matching. */
  private toggleAllLoaded() {
    const rows = this.source?.rows ?? [];
    const all = rows.length > 0 && rows.every((r) => this.isSelected(r.id));
    this.allMatching = false;
    this.excluded = new Set();
    this.selected = all ? new Set() : new Set(rows.map((r) => r.id));
    this.loadedSelected = !all;
    this.emitSelection();
  }

  selectAllMatching() {
    this.allMatching = true;
    this.excluded = new Set();
    this.loadedSelected = false;
    this.selected = new Set(this.source?.rows.map((r) => r.id));
    this.emitSelection();
  }

  clearSelection() {
    if (!this.selected.size && !this.allMatching) return;
    this.selected = new Set();
    this.excluded = new Set();
    this.allMatching = this.loadedSelected = false;
    this.emitSelection();
  }

  // ——— bulk actions ———
  // ——— row actions ———

  open(index: number) {
    const row = this.source?.row(index);
    if (!row) return;
    this.openId(row.id, undefined, (row as { workspaceId?: string }).workspaceId);
  }

  private async openMenu(index: number) {
    const cell = this.renderRoot.querySelector<HTMLElement>(`.cell.actions[data-r="${index}"]`);
    const button = cell?.querySelector('button');
    if (!cell || !button) return;
    this.rowMenu.open(button, 'first', cell);
    this.menu = { index };
    const row = this.source?.row(index);
    const client = this.dossier;
    if (!row || !client || this.bin || !this.can('contacts.merge')) return;
    try {
      const merges = (await unwrap(client.api.api.v1.merges.$get({ query: { contactId: row.id } }))).items as { id: string; undoneAt: number | null }[];
      if (this.menu?.index === index) this.menu = { index, mergeId: merges.find((m) => !m.undoneAt)?.id ?? null };
    } catch {
      // the menu still works without Unmerge
    }
  }

  closeMenu(refocus = true) {
    this.rowMenu.close();
    this.menu = null;
    if (refocus) void this.focusCell(this.cursor.r, this.cursor.c);
  }

  async showPanel(panel: 'filters' | 'columns' | 'merge' | 'import' | 'add') {
    await this.act('load-panel', async () => {
      // Selected rows may have left memory after a far scroll: those are fetched by id.
      const client = this.dossier!;
      if (panel === 'merge') this.mergeContacts = await Promise.all(this.selectedIds.map(async (id) => this.source?.rows.find((r) => r.id === id) ?? ((await unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } }))) as ContactJson)));
      await loadChunk<unknown>({ filters: () => import('./filter-drawer.js'), columns: () => import('./column-picker.js'), merge: () => import('./merge-dialog.js'), import: () => import('./import-wizard.js'), add: () => import('./add-contact-dialog.js') }[panel]);
      this.panel = panel;
    });
  }

  /**
   * The Add contact dialog created one: the query starts over so its row shows (the live stream only refreshes rows
   * already loaded), the host hears of it, and it opens as a row click would (its row is marked once loaded).
   */
  private onCreated(e: CustomEvent<{ contact: ContactJson }>) {
    const { contact } = e.detail;
    this.createdHere.add(contact.id);
    this.panel = '';
    this.reload();
    this.dispatchEvent(new ContactCreateEvent({ id: contact.id, contact }));
    this.openId(contact.id);
  }

  /** The organization view adds the row's workspace: the host opens the record with that workspace's token. */
  private openId(id: string, tab?: string, workspaceId?: string) {
    this.activeId = id;
    this.dispatchEvent(new ContactOpenEvent({ id, ...(tab && { tab }), ...(workspaceId && { workspaceId }) }));
  }

  private onMerged(e: CustomEvent<{ survivor: ContactJson; mergeId: string }>) {
    this.panel = '';
    this.notice = t('table.merged', { name: e.detail.survivor.name });
    this.clearSelection();
    this.reload();
  }

  // ——— keyboard (ARIA grid) ———

  private get visibleColumns(): Column[] {
    const all = allColumns(this.customFields, (k) => t(`table.col.${k}`), this.organization);
    const cols = this.columns.map((k) => all.find((c) => c.key === k)).filter((c): c is Column => Boolean(c));
    // In the restore bin the time left comes right after the name, where it is seen without scrolling sideways.
    if (this.bin) cols.splice(1, 0, { key: 'purge', label: t('table.col.purge'), min: 164, width: 180 });
    return cols.map((c) => {
      const set = this.widths[c.key];
      return set === undefined ? c : { ...c, width: set, min: set };
    });
  }

  async focusCell(r: number, c: number) {
    const s = this.source;
    const grid = this.grid;
    if (!s || !grid) return;
    r = Math.max(-1, Math.min(r, s.length - 1));
    c = Math.max(this.selectable ? 0 : 1, Math.min(c, this.visibleColumns.length + 1));
    this.cursor = { r, c };
    if (r >= 0) {
      grid.scrollTop = this.map.reveal(r, grid.scrollTop);
      this.scrollPos = grid.scrollTop;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-r="${r}"][data-c="${c}"]`)?.focus({ preventScroll: r < 0 });
  }

  /** Rows ↔ scroll positions for the current length and viewport. */
  private get map() {
    return new ScrollMap(this.source?.length ?? 0, this.viewport - HEAD, ROW, ContactTable.maxBodyHeight);
  }

  private onGridKey(e: KeyboardEvent) {
    const target = e.target as HTMLElement;
    if (target.getAttribute('role') === 'separator') return;
    const { r, c } = this.cursor;
    const page = Math.max(1, Math.floor((this.viewport - HEAD) / ROW) - 1);
    const last = (this.source?.length ?? 1) - 1;
    const moves: Record<string, [number, number]> = {
      ArrowDown: [r + 1, c],
      ArrowUp: [r - 1, c],
      ArrowRight: [r, c + 1],
      ArrowLeft: [r, c - 1],
      PageDown: [Math.min(last, r + page), c],
      PageUp: [Math.max(0, r - page), c],
      Home: e.ctrlKey ? [0, c] : [r, this.selectable ? 0 : 1],
      End: e.ctrlKey ? [last, c] : [r, this.visibleColumns.length + 1],
    };
    const move = moves[logicalKey(e, this)];
    if (move) {
      e.preventDefault();
      void this.focusCell(move[0], move[1]);
      return;
    }
    if (e.key === ' ' && r >= 0) {
      e.preventDefault();
      if (this.selectable) this.toggleRow(r, e.shiftKey);
    } else if (e.key === 'Enter' || (e.key === ' ' && r < 0)) {
      e.preventDefault();
      const cols = this.visibleColumns;
      if (r < 0) {
        // Column 0 (the header box) exists only when rows can be selected.
        if (c === 0) this.toggleAllLoaded();
        else if (cols[c - 1]) this.sortBy(cols[c - 1]!);
      } else if (c === cols.length + 1) void this.openMenu(r);
      else this.open(r);
    }
  }

  /**
   * Above the height cap one scroll px is several rows' worth, so the wheel would move that much faster: move the
   * virtual position by the wheel's distance instead (what an uncapped body does) and set the scrollTop for it.
   */
  private onWheel(e: WheelEvent) {
    const grid = this.grid;
    const map = this.map;
    if (!grid || map.scale <= 1 || e.ctrlKey || Math.abs(e.deltaY) <= Math.abs(e.deltaX)) return;
    const px = e.deltaY * (e.deltaMode === 1 ? LINE : e.deltaMode === 2 ? this.viewport - HEAD : 1);
    const top = grid.scrollTop;
    // At the top or bottom already: let the page scroll, as it would natively.
    if ((px < 0 && top <= 0) || (px > 0 && top >= grid.scrollHeight - grid.clientHeight - 1)) return;
    e.preventDefault();
    const want = map.offset(top) + px + this.wheelRest;
    grid.scrollTop = map.scrollFor(want);
    grid.scrollLeft += e.deltaX;
    // scrollTop lands on whole (or device) px, each worth `scale` virtual px: carry the difference to the next event.
    const rest = want - map.offset(grid.scrollTop);
    this.wheelRest = Math.abs(rest) < map.scale ? rest : 0;
  }
  private wheelRest = 0;

  private onRowClick(e: MouseEvent, index: number) {
    const el = e.target as HTMLElement;
    // No preventDefault on the box: a cancelled click puts the box back after this handler's render, so it would
    // show the opposite of the selection. The box toggles natively and live() keeps it equal to the selection.
    if (el.closest('.check')) this.toggleRow(index, e.shiftKey);
    else if (el.closest('.actions')) void this.openMenu(index);
    else this.open(index);
    const cell = el.closest<HTMLElement>('[data-c]');
    this.cursor = { r: index, c: Number(cell?.dataset.c ?? 1) };
  }

  // ——— column resizing (pointer and keyboard) ———

  private resize(key: string, width: number) {
    this.own(() => (this.widths = { ...this.widths, [key]: Math.max(60, Math.min(800, Math.round(width))) }));
  }

  /** A column's width as drawn: between its minimum and preferred width while the table is short of room. */
  private drawnWidth(handle: HTMLElement, col: Column) {
    const width = handle.parentElement?.getBoundingClientRect().width;
    return width ? Math.round(width) : col.width;
  }

  private onResizeDown(e: PointerEvent, col: Column) {
    e.preventDefault();
    e.stopPropagation();
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    const start = this.drawnWidth(handle, col);
    // Right-to-left, a column's end is its left edge: dragging left widens it.
    const move = (ev: PointerEvent) => this.resize(col.key, start + (isRtl(this) ? startX - ev.clientX : ev.clientX - startX));
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  }

  private onResizeKey(e: KeyboardEvent, col: Column) {
    const step = e.shiftKey ? 50 : 10;
    const key = logicalKey(e, this);
    if (key === 'ArrowRight' || key === 'ArrowLeft') {
      e.preventDefault();
      e.stopPropagation();
      this.resize(col.key, this.drawnWidth(e.currentTarget as HTMLElement, col) + (key === 'ArrowRight' ? step : -step));
    }
  }

  // ——— rendering ———

  // Everything sits in one flex column of our own, so the layout (and with it virtualization: a grid of bounded
  // height) does not depend on the host element keeping its display — a host may well say `display: block`.
  protected override render() {
    return html`<div class="frame">${this.renderFrame()}</div>`;
  }

  private renderFrame() {
    if (!this.dossier) return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    const pending = this.loader.render({
      initial: () => html`<dossier-state kind="loading"></dossier-state>`,
      pending: () => (this.session ? null : html`<dossier-state kind="loading"></dossier-state>`),
      error: (err) => this.renderError(err as Error, () => this.loader.run()),
      complete: () => null,
    });
    if (pending) return pending;
    return html`
      ${this.renderToolbar()} ${this.renderChips()} ${this.range && this.actions?.renderRange(this)} ${this.job && this.actions?.renderJob(this)}
      <!-- The bulk bar takes the count line's place, whose height is always reserved: selecting a row must not move the rows. -->
      <div class="bar ${this.selectionCount ? 'selecting' : ''}">
        <div class="status" role="status" aria-live="polite">${this.countText()}${this.notice ? html` — ${this.notice}` : nothing}${this.arrived.size
          ? html` · <button type="button" part="new-contacts" class="link" @click=${() => this.reload()}>${plural('table.arrived', this.arrived.size)}</button>`
          : nothing}</div>
        ${this.selectionCount ? this.actions?.renderBulkBar(this) : nothing}
      </div>
      ${this.renderBody()}
      ${this.panel === 'filters'
        ? html`<table-filter-drawer ?organization=${this.organization} .filter=${this.filter} .fields=${this.customFields} .members=${this.members} .teams=${this.teams} .canSave=${Boolean(this.session?.member)}
            @filter-change=${(e: CustomEvent<Condition[]>) => this.setFilter(e.detail)} @save-view=${() => this.run('saveView')} @close=${() => (this.panel = '')}></table-filter-drawer>`
        : nothing}
      ${this.panel === 'columns'
        ? html`<table-column-picker .columns=${this.columns} .all=${allColumns(this.customFields, (k) => t(`table.col.${k}`), this.organization)}
            @columns-change=${(e: CustomEvent<string[]>) => { this.own(() => (this.columns = e.detail)); this.changed(false); }} @close=${() => (this.panel = '')}></table-column-picker>`
        : nothing}
      ${this.panel === 'merge'
        ? html`<table-merge-dialog .contacts=${this.mergeContacts} .fields=${this.customFields} .members=${this.members}
            @merged=${this.onMerged} @close=${() => (this.panel = '')}></table-merge-dialog>`
        : nothing}
      ${this.panel === 'import'
        ? html`<table-import-wizard .fields=${this.customFields} @imported=${() => this.reload()} @close=${() => (this.panel = '')}></table-import-wizard>`
        : nothing}
      ${this.panel === 'add'
        ? html`<table-add-contact .fields=${this.customFields} .members=${this.members} .canImport=${this.can('contacts.import')} @created=${this.onCreated}
            @open-existing=${(e: CustomEvent<{ id: string }>) => { this.panel = ''; this.openId(e.detail.id); }}
            @add-several=${() => void this.showPanel('import')} @close=${() => this.panel === 'add' && (this.panel = '')}></table-add-contact>`
        : nothing}
      <dossier-confirm></dossier-confirm>
    `;
  }

  private renderError(err: Error, retry: () => void) {
    const status = err instanceof DossierApiError ? err.status : 0;
    if (status === 403) return html`<dossier-state kind="forbidden" message=${err.message}></dossier-state>`;
    return html`<dossier-state kind="error" message=${err.message} retryable @retry=${retry}></dossier-state>`;
  }

  private countText() {
    const s = this.source;
    if (!s || s.count === null) return s && !s.error ? t('state.loading') : '';
    if (s.estimated) return plural('table.countAbout', s.count);
    return plural('table.count', s.count);
  }

  private renderToolbar() {
    const view = this.currentView;
    const personal = this.views.filter((v) => v.scope === 'personal');
    const shared = this.views.filter((v) => v.scope === 'workspace');
    const me = this.session?.member?.id;
    const teamView = !this.viewId && !this.bin && this.filter.length === 1 && JSON.stringify(this.filter[0]) === JSON.stringify(MY_TEAM);
    return html`<div class="toolbar" part="toolbar">
      ${this.organization ? this.org?.workspaceSelect(this) : html`<label class="visually-hidden" for="view">${t('table.views')}</label>
      <select id="view" .value=${live(this.bin ? '__bin' : teamView ? '__team' : this.viewId)} @change=${(e: Event) => this.applyView((e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${!this.viewId && !this.bin && !teamView}>${t('table.view.all')}</option>
        ${me && this.teams.some((x) => x.memberIds.includes(me)) ? html`<option value="__team" ?selected=${teamView}>${t('table.view.team')}</option>` : nothing}
        ${personal.length ? html`<optgroup label=${t('table.view.personal')}>${personal.map((v) => html`<option value=${v.id} ?selected=${v.id === this.viewId}>${v.name}</option>`)}</optgroup>` : nothing}
        ${shared.length ? html`<optgroup label=${t('table.view.workspace')}>${shared.map((v) => html`<option value=${v.id} ?selected=${v.id === this.viewId}>${v.name}</option>`)}</optgroup>` : nothing}
        ${this.can('contacts.restore') ? html`<option value="__bin" ?selected=${this.bin}>${t('table.view.bin')}</option>` : nothing}
      </select>`}
      <input type="search" class="search" aria-label=${t('table.search')} placeholder=${t('table.searchPlaceholder')} .value=${this.searchText} @input=${this.onSearch} />
      <button class="btn" aria-haspopup="dialog" @click=${() => this.showPanel('filters')}>${this.filter.length ? t('table.filtersCount', { n: this.filter.length }) : t('table.filters')}</button>
      <button class="btn" aria-haspopup="dialog" @click=${() => this.showPanel('columns')}>${t('table.columns')}</button>
      <span class="spacer"></span>
      ${this.session?.member && !this.bin ? html`<button class="btn" @click=${() => this.run('saveView')}>${t('table.view.save')}</button>` : nothing}
      ${view && this.mayEdit(view)
        ? html`<button class="btn" @click=${() => this.run('renameView')}>${t('table.view.rename')}</button>
            <button class="btn danger" @click=${() => this.run('deleteView')}>${t('table.view.delete')}</button>`
        : nothing}
      ${this.can('contacts.export') ? html`<button class="btn" @click=${() => this.run('exportCsv')}>${t('table.export')}</button>` : nothing}
      ${this.can('contacts.create') && !this.bin ? html`<button class="btn primary" aria-haspopup="dialog" @click=${() => this.showPanel('add')}>${t('table.add')}</button>` : nothing}
      ${this.can('contacts.import') && !this.bin ? html`<button class="btn" aria-haspopup="dialog" @click=${() => this.showPanel('import')}>${t('table.import')}</button>` : nothing}
    </div>`;
  }

  private renderChips() {
    const labels = this.labels;
    if (!this.filter.length || !labels) return nothing;
    const ctx = { fields: this.customFields, members: this.members, teams: this.teams, links: this.links };
    const bad = this.invalidCondition();
    return html`<ul class="chips" part="chips" aria-label=${t('table.activeFilters')}>
      ${this.filter.map((c, i) => {
        const label = labels.chipLabel(c, ctx);
        return html`<li class="chip ${bad === i ? 'invalid' : ''}" aria-invalid=${bad === i ? 'true' : nothing}><span>${label}</span><button class="x" aria-label=${t('table.removeFilter', { label })} @click=${() => this.setFilter(this.filter.filter((_, j) => j !== i))}>×</button></li>`;
      })}
      <li><button class="link" @click=${() => this.setFilter([])}>${t('table.clearFilters')}</button></li>
    </ul>`;
  }

  /** The chip a refused query points at (`details.path` `filter.and[i]…`), so the user sees which condition to change. */
  private invalidCondition(): number {
    const err = this.source?.error;
    const path = err instanceof DossierApiError && err.code === 'invalid_filter' ? String((err.details as { path?: string } | undefined)?.path ?? '') : '';
    const m = /^filter(?:\.and\[(\d+)\])?/.exec(path);
    return m ? Number(m[1] ?? 0) : -1;
  }

  private renderBody() {
    const s = this.source;
    // Nothing loaded and the query failed: the error in place of the rows; toolbar, chips and drawer stay usable,
    // and a refused filter offers to clear the filters (trying the same query again would fail the same way).
    if (s?.error && s.rows.length === 0) {
      if (this.invalidCondition() < 0) return this.renderError(s.error, () => s.retry());
      return html`<dossier-state kind="error" message=${s.error.message}><button class="btn" @click=${() => this.setFilter([])}>${t('table.clearFilters')}</button></dossier-state>`;
    }
    if (s && s.end === 0) {
      if (this.bin) return html`<dossier-state kind="empty" heading=${t('table.binEmpty')}></dossier-state>`;
      if (this.q || this.filter.length) {
        return html`<dossier-state kind="empty" heading=${t('table.noMatches')}>
          <button class="btn" @click=${() => { this.q = ''; this.own(() => (this.filter = [])); this.changed(); }}>${t('table.clearFilters')}</button>
        </dossier-state>`;
      }
      return html`<dossier-state kind="empty" heading=${t('table.empty')} message=${t('table.emptyHint')}></dossier-state>`;
    }
    const cols = this.visibleColumns;
    // Each column takes its preferred width when there is room and gives some back (down to its minimum) when
    // there isn't; an empty last-but-one track takes what is left, so the row menu stays at the right edge. Below
    // the minimums the grid scrolls sideways.
    const track = (c: Column) => (c.min < c.width ? `minmax(${c.min}px, ${c.width}px)` : `${c.width}px`);
    // Without selection there is no box column: data columns start at aria-colindex 1 (keyboard column 1 either way).
    const o = this.selectable ? 1 : 0;
    const template = `${o ? '36px ' : ''}${cols.map(track).join(' ')} minmax(0, 1fr) 44px`;
    const width = 44 + 36 * o + cols.reduce((a, c) => a + c.min, 0);
    const length = s?.length ?? 0;
    const map = this.map;
    const { start, end } = map.range(this.scrollPos);
    const first = map.range(this.scrollPos, 0).start;
    const rows = s?.rows ?? [];
    const inRange = this.cursor.r >= start && this.cursor.r < end;
    const tabR = inRange ? this.cursor.r : -1;
    const allLoaded = rows.length > 0 && rows.every((r) => this.isSelected(r.id));
    const tab = (r: number, c: number) => (r === tabR && c === this.cursor.c ? 0 : -1);
    const sortOf = (col: Column) => (col.sort && this.sort.field === col.sort ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : col.sort ? 'none' : undefined);
    const restoreDays = this.session?.workspace.restoreDays ?? 30;
    const room = this.tagRoom || (cols.find((c) => c.key === 'tags')?.min ?? 90) - 12;
    const cell = { teams: this.teams, fitTags: (list: string[]) => fitTags(list, room, (s: string) => textWidth(s, this.tagFont || '12px sans-serif')) };
    const indices = [];
    for (let i = start; i < end; i++) indices.push(i);
    return html`<div class="grid" part="grid" role="grid" aria-label=${t('table.label')} aria-rowcount=${s?.complete || (s?.count !== null && !s?.estimated) ? length + 1 : -1} aria-colcount=${cols.length + 1 + o}
        aria-multiselectable=${o ? 'true' : 'false'} style=${cssText(`--cols:${template};--width:${width}px`)} @keydown=${this.onGridKey}
        @scroll=${(e: Event) => (this.scrollPos = (e.target as HTMLElement).scrollTop)} @wheel=${this.onWheel}>
      <div class="head" role="rowgroup">
        <div class="row header" part="header" role="row" aria-rowindex="1">
          ${o ? html`<div class="cell check" role="columnheader" aria-colindex="1" data-r="-1" data-c="0" tabindex=${tab(-1, 0)}>
            <input type="checkbox" tabindex="-1" aria-label=${t('table.selectAll')} title=${t('table.selectAll')} .checked=${live(allLoaded)} @click=${() => this.toggleAllLoaded()} />
          </div>` : nothing}
          ${cols.map((col, i) => html`<div class="cell" role="columnheader" data-key=${col.key} aria-colindex=${i + 1 + o} aria-sort=${sortOf(col) ?? nothing} data-r="-1" data-c=${i + 1} tabindex=${tab(-1, i + 1)}>
            ${col.sort
              ? html`<button class="sort" tabindex="-1" title=${col.label} @click=${() => this.sortBy(col)}><span class="sort-label">${col.label}</span><span aria-hidden="true" class="arrow ${sortOf(col) === 'none' ? 'idle' : ''}">${sortOf(col) === 'ascending' ? '▲' : sortOf(col) === 'descending' ? '▼' : '↕'}</span></button>`
              : html`<span class="label" title=${t('table.notSortable', { name: col.label })}>${col.label}</span>`}
            <div class="resizer" role="separator" aria-orientation="vertical" tabindex="0" aria-label=${t('table.resize', { name: col.label })}
              aria-valuenow=${col.width} aria-valuemin="60" aria-valuemax="800"
              @pointerdown=${(e: PointerEvent) => this.onResizeDown(e, col)} @keydown=${(e: KeyboardEvent) => this.onResizeKey(e, col)}></div>
          </div>`)}
          <div class="cell actions" role="columnheader" aria-colindex=${cols.length + 1 + o} data-r="-1" data-c=${cols.length + 1} tabindex=${tab(-1, cols.length + 1)}><span class="visually-hidden">${t('table.col.actions')}</span></div>
        </div>
      </div>
      <div class="body" role="rowgroup" style=${cssText(`height:${map.height}px`)}>
        ${indices.map((i) => {
          const row = s?.row(i);
          const sel = row && this.isSelected(row.id);
          // One template for loaded and placeholder rows, so a focused cell survives its block arriving.
          const active = row && row.id === this.activeId;
          return html`<div class="row ${row ? (active ? 'active' : '') : 'placeholder'}" part=${row ? (active ? 'row row-active' : 'row') : nothing} aria-current=${active ? 'true' : nothing} role="row" aria-rowindex=${i + 2} aria-selected=${row && o ? String(sel) : nothing}
              style=${cssText(`transform:translateY(${map.top(i, this.scrollPos)}px)`)} @click=${(e: MouseEvent) => this.onRowClick(e, i)}>
            ${o ? html`<div class="cell check" role="gridcell" aria-colindex="1" data-r=${i} data-c="0" tabindex=${tab(i, 0)}>
              ${row ? html`<input type="checkbox" tabindex="-1" .checked=${live(Boolean(sel))} aria-label=${t('table.selectRow', { name: row.name || row.id })} />` : nothing}
            </div>` : nothing}
            ${cols.map((col, c) => html`<div class="cell col-${col.key}" role="gridcell" aria-colindex=${c + 1 + o} data-r=${i} data-c=${c + 1} tabindex=${tab(i, c + 1)}>${row ? cellContent(col.key, row, this.members, restoreDays, cell, col.files) : c === 0 ? this.renderMissing(i, first) : nothing}</div>`)}
            <div class="cell actions" role="gridcell" aria-colindex=${cols.length + 1 + o} data-r=${i} data-c=${cols.length + 1} tabindex=${tab(i, cols.length + 1)}>
              ${row ? html`<button class="icon-btn" tabindex="-1" aria-haspopup="menu" aria-label=${t('table.actions', { name: row.name || row.id })}>⋯</button>` : nothing}
            </div>
          </div>`;
        })}
      </div>
      ${this.renderMenu()}
    </div>`;
  }

  /** A row whose block is loading, or failed: the failure and a retry show on the block's first row in view. */
  private renderMissing(i: number, first: number) {
    const s = this.source!;
    const error = s.block(i)?.error;
    if (!error) return t('table.loadingRow');
    if (i !== first && i % BLOCK) return nothing;
    return html`<span class="row-error">${error.message}</span> <button class="link" @click=${(e: Event) => { e.stopPropagation(); s.retry(); }}>${t('state.retry')}</button>`;
  }

  private renderMenu() {
    const m = this.menu;
    const row = m ? this.source?.row(m.index) : undefined;
    if (!m || !row) return nothing;
    const items: MenuItem[] = [{ label: t('table.action.view'), run: () => this.open(m.index) }];
    if (!this.bin) items.push({ label: t('table.action.messages'), run: () => this.openId(row.id, 'conversations', (row as { workspaceId?: string }).workspaceId) });
    if (this.bin) {
      if (this.can('contacts.restore')) items.push({ label: t('action.restore'), run: () => this.run('restoreRow', row) });
    } else {
      if (m.mergeId) items.push({ label: t('table.action.unmerge'), run: () => this.run('unmerge', m.mergeId!, row.name) });
      if (this.can('contacts.delete')) items.push({ label: t('action.delete'), run: () => this.run('deleteRow', row), danger: true });
    }
    return this.rowMenu.render(t('table.actions', { name: row.name || row.id }), items);
  }
}

define('contact-table', ContactTable);

declare global {
  interface HTMLElementTagNameMap {
    'contact-table': ContactTable;
  }
}
