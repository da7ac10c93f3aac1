import { Task } from '@lit/task';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { cssText } from '../../../core/src/ui/css-text.js';
import { property, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DocumentDeleteEvent, DocumentOpenEvent, DocumentUploadEvent } from '../../../core/src/events.js';
import { formatBytes, formatDateTime, formatRelative } from '../../../core/src/format.js';
import { logicalKey, t } from '../../../core/src/i18n.js';
import type { CustomFieldJson, DocumentJson, MemberJson, Permission, Session } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-state.js';
import { MenuController, type MenuItem } from '../../../core/src/ui/menu.js';
import { styles } from './contact-documents.styles.js';
import { badge, hue, isImage, kindLabel, SECTIONS, type Origin, type Section } from './kinds.js';
import { LiveDocuments, type LiveEvent } from './live.js';
import './messages.js';
import { loadChunk } from '../../../core/src/chunk.js';

export type DocumentFilter = 'all' | Section;
export type DocumentSort = 'date' | 'name' | 'size';
/** Per section, and `fields`: how many are in file custom fields (the "Custom fields" folder, part of Internal). */
export type DocumentCounts = Record<DocumentFilter, number> & { fields?: number };
const FILTERS: DocumentFilter[] = ['all', ...SECTIONS];
const ORIGINS: Origin[] = ['email', 'sms', 'whatsapp', 'instagram', 'facebook', 'form', 'survey'];
const PAGE = '50';
/** List groups: a section, or the "Custom fields" folder (documents of file custom fields, all internal). */
const GROUPS = ['internal', 'fields', 'sent', 'received'] as const;
const groupOf = (d: DocumentJson) => (d.fieldKey ? 'fields' : d.section);

/** A labelled select of `[value, label]` options. */
const choice = (label: string, cls: string, value: string, options: (readonly [string, string])[], set: (value: string) => void) =>
  html`<label>${label}<select class=${cls} @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
    ${options.map(([v, l]) => html`<option value=${v} ?selected=${value === v}>${l}</option>`)}
  </select></label>`;

/**
 * A contact's documents: files the team uploaded (Internal), sent to the contact (Sent) and received from
 * them by email, SMS, social channels, forms and surveys (Received). Filter by section, search by name, sort,
 * preview images, PDFs and text in place, download one or a ZIP of several, upload with progress, rename,
 * move and delete with undo. Documents synced from messages appear live, without a refresh.
 *
 * @element contact-documents
 * @attr contact-id - The contact whose documents are shown.
 * @attr section - The open filter: `all` (default), `internal`, `sent` or `received`.
 * @attr sort - `date` (default), `name` or `size`.
 * @attr order - `asc` or `desc` (default: `desc` for date and size, `asc` for name).
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {DocumentJson[]} documents - The loaded documents (set by the element; may be set directly to render without a server).
 * @prop {boolean} live - Follow changes over Server-Sent Events while connected (default `true`).
 * @fires document-upload - After a file was uploaded (one event per file): `detail.contactId`, `detail.documentIds`.
 * @fires document-delete - After a document moved to the restore bin: `detail.contactId`, `detail.documentId`.
 * @fires document-open - A document was opened in the preview: `detail.contactId`, `detail.documentId`.
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart toolbar - Filters, search, sort and the Add button.
 * @csspart filters - The section filter (a tab list).
 * @csspart add - The Add button.
 * @csspart list - The document list (the tab panel).
 * @csspart document - Each document row.
 * @csspart name - A document's name (opens the preview).
 * @csspart preview - The preview panel.
 * @csspart share - The share dialog (`<share-link-dialog>`: gated share links for one document).
 * @csspart drop-overlay - The overlay shown while files are dragged over the widget.
 * @cssprop --dossier-color-accent - Accent colour (buttons, selected filter).
 * @cssprop --dossier-color-bg - Background.
 * @cssprop --dossier-color-text - Text colour.
 * @cssprop --dossier-color-border - Borders.
 * @cssprop --dossier-font-family - Font.
 * @cssprop --dossier-radius - Corner radius.
 * @cssprop --contact-documents-max-height - Height after which the list scrolls (default none).
 * @cssprop --contact-documents-thumb-size - Size of icons and thumbnails (default 40px).
 */
export class ContactDocuments extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ reflect: true }) section: DocumentFilter = 'all';
  @property({ reflect: true }) sort: DocumentSort = 'date';
  @property({ reflect: true }) order?: 'asc' | 'desc';
  @property({ attribute: false }) documents: DocumentJson[] = [];
  @property({ attribute: false }) live = true;
  @property({ attribute: false }) session: Session | null = null;
  @property({ attribute: false }) members: MemberJson[] = [];
  @property({ attribute: false }) counts: DocumentCounts | null = null;
  /** The contact is in the restore bin: nothing can be added until it is restored. */
  @state() private contactDeleted = false;

  @state() private search = '';
  @state() private query = '';
  @state() private origin: Origin | '' = '';
  @state() private form = '';
  /** Only documents shared on the client portal. */
  @state() private portalOnly = false;
  /** Only the "Custom fields" folder (`*`) or one file field's documents (its key). */
  @state() private folder = '';
  /** The workspace's file custom fields (labels of the "Custom fields" folder). */
  @state() private fileFields: CustomFieldJson[] = [];
  @state() private nextCursor: string | null = null;
  @state() private selected = new Set<string>();
  @state() private menuFor = '';
  @state() private renaming = '';
  @state() private undo: DocumentJson | null = null;
  @state() private dragOver = false;
  @state() private uploadOpen = false;
  @state() private preview: DocumentJson | null = null;
  /** The document whose share dialog is open (the dialog module loads on first use). */
  @state() private sharing: DocumentJson | null = null;
  /** "Recently deleted" is open (its module loads on first use). */
  @state() private binOpen = false;
  @state() private thumbs: Record<string, string> = {};
  @state() private announce = '';
  @state() private actionError = '';
  @state() private moreBusy = false;
  @state() private formNames: string[] = [];

  private menu = new MenuController(this, () => (this.menuFor = ''));
  private get menuDocument() {
    return this.documents.find((d) => d.id === this.menuFor);
  }
  private debounce?: ReturnType<typeof setTimeout>;
  private countsTimer?: ReturnType<typeof setTimeout>;
  private liveFeed?: LiveDocuments;
  private loadedFor = '';
  private dragDepth = 0;
  /** Live events that arrived while the list load is in flight: its answer may predate them, so they are replayed on it. */
  private liveDuringLoad?: LiveEvent[];

  private loader = new Task(this, {
    onError: this.reportLoad('load-documents'),
    args: () => [this.dossier, this.contactId, this.section, this.query, this.sort, this.direction, this.origin, this.form, this.portalOnly, this.folder] as const,
    task: async ([client, id], { signal }) => {
      if (!client || !id) return;
      const missed: LiveEvent[] = [];
      this.liveDuringLoad = missed;
      const [page, session, members, fields] = await Promise.all([
        this.fetchPage(client, id, undefined, signal),
        client.session(),
        client.members().catch(() => [] as MemberJson[]),
        client.customFields().catch(() => [] as CustomFieldJson[]),
      ]).catch((err: unknown) => {
        if (this.liveDuringLoad === missed) this.liveDuringLoad = undefined;
        // No point following a contact we may not see.
        if (err instanceof DossierApiError && (err.status === 404 || err.status === 403)) this.unfollow();
        throw err;
      });
      if (this.loadedFor !== id) this.resetFor(id);
      this.session = session;
      this.members = members;
      this.fileFields = fields.filter((f) => f.type === 'file');
      this.documents = page.items;
      this.counts = page.counts;
      this.contactDeleted = page.contactDeleted;
      this.nextCursor = page.nextCursor;
      this.noteForms(page.items);
      void this.loadThumbs(page.items);
      // A document that arrived (or changed, or went) while the list was on its way may be missing from (or stale
      // in) the server's answer: replay those events on it, in order, so the list never lags behind the counts.
      if (this.liveDuringLoad === missed) this.liveDuringLoad = undefined;
      if (!signal.aborted && missed.length) {
        for (const e of missed) this.applyLive(e);
        this.refreshCounts();
      }
    },
  });

  get direction(): 'asc' | 'desc' {
    return this.order ?? (this.sort === 'name' ? 'asc' : 'desc');
  }

  private resetFor(id: string) {
    this.loadedFor = id;
    this.selected = new Set();
    this.undo = null;
    this.preview = null;
    this.thumbs = {};
    this.formNames = [];
    this.actionError = '';
  }

  private params(cursor?: string, limit = PAGE): Record<string, string> {
    const p: Record<string, string> = { sort: this.sort, dir: this.direction, limit };
    if (this.section !== 'all') p.section = this.section;
    if (this.query) p.q = this.query;
    if (this.origin) p.origin = this.origin;
    if (this.form) p.form = this.form;
    if (this.portalOnly) p.portal = 'true';
    if (this.folder) p.field = this.folder;
    if (cursor) p.cursor = cursor;
    return p;
  }

  private fetchPage(client: DossierClient, id: string, cursor?: string, signal?: AbortSignal, limit?: string) {
    return unwrap(client.api.api.v1.contacts[':id'].documents.$get({ param: { id }, query: this.params(cursor, limit) as never }, { init: { signal } })) as Promise<{
      items: DocumentJson[];
      nextCursor: string | null;
      counts: DocumentCounts;
      contactDeleted: boolean;
    }>;
  }

  can(permission: Permission): boolean {
    return Boolean(this.dossier && this.session?.permissions.includes(permission));
  }

  // ——— lifecycle: live feed ———

  // A merge or unmerge moves documents between contacts (no document event says so): list this contact's again. It
  // hears of them while a record or table of the same provider follows the live stream (it opens none of its own).
  // The contact deleted or restored (by another widget, or elsewhere): Add and drop follow.
  private bus = new BusController(this, () => this.dossier, (e) => {
    const mine = e.type === 'contact-changed' && e.event.contacts.some((c) => c.id === this.contactId);
    if (mine && e.event.mergeId) void this.loader.run();
    else if (mine && e.event.type === 'contact.deleted') this.contactDeleted = true;
    else if (mine && e.event.type === 'contact.restored' && this.contactDeleted) void this.loader.run();
    // Shown again after being out of the page (a record's tab): its own feed was closed meanwhile.
    else if (e.type === 'live-resumed' && this.hasUpdated) void this.loader.run();
    else if ((e.type === 'contact-deleted' || e.type === 'contact-saved') && e.id === this.contactId) {
      if (e.type === 'contact-deleted') this.contactDeleted = true;
      else if (this.contactDeleted) void this.loader.run();
    }
  }, false);

  protected override updated(changed: PropertyValues<ContactDocuments>): void {
    if (changed.has('dossier' as keyof ContactDocuments) || changed.has('contactId') || changed.has('live')) this.follow();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unfollow();
  }

  private unfollow() {
    this.liveFeed?.close();
    this.liveFeed = undefined;
    delete this.dataset.live;
  }

  /** Follows the contact's documents; `data-live="connected"` is set on the element while the stream is open. */
  private follow() {
    this.unfollow();
    if (this.dossier && this.contactId && this.live && this.isConnected) {
      this.liveFeed = new LiveDocuments(
        this.dossier,
        this.contactId,
        (e) => this.onLive(e),
        (again) => {
          this.dataset.live = 'connected';
          if (again) void this.loader.run();
        },
      );
    }
  }

  /** Does a document pass the current filters? */
  private passes(d: DocumentJson): boolean {
    return (
      (this.section === 'all' || d.section === this.section) &&
      (!this.query || d.name.toLowerCase().includes(this.query.toLowerCase())) &&
      (!this.origin || d.origin === this.origin) &&
      (!this.form || d.form === this.form) &&
      (!this.portalOnly || d.shareOnPortal) &&
      (!this.folder || (this.folder === '*' ? Boolean(d.fieldKey) : d.fieldKey === this.folder))
    );
  }

  private compare = (a: DocumentJson, b: DocumentJson): number => {
    const key = this.sort === 'name' ? a.name.localeCompare(b.name) : this.sort === 'size' ? a.size - b.size : a.createdAt - b.createdAt;
    return (this.direction === 'asc' ? 1 : -1) * (key || (a.id < b.id ? -1 : 1));
  };

  /** Puts a document in the list where the sort says (or leaves it for a later page), replacing an older copy. */
  private place(d: DocumentJson) {
    const rest = this.documents.filter((x) => x.id !== d.id);
    const last = rest[rest.length - 1];
    if (this.passes(d) && !d.deletedAt && (!this.nextCursor || !last || this.compare(d, last) < 0)) rest.push(d);
    this.documents = rest.sort(this.compare);
    this.noteForms([d]);
    if (isImage(d)) void this.loadThumbs([d]);
  }

  private drop(id: string) {
    this.documents = this.documents.filter((d) => d.id !== id);
    if (this.selected.has(id)) this.selected = new Set([...this.selected].filter((x) => x !== id));
  }

  private onLive(e: LiveEvent) {
    if (e.document.contactId !== this.contactId) return;
    this.liveDuringLoad?.push(e);
    this.applyLive(e);
    this.refreshCounts();
  }

  private applyLive({ type, document: d }: LiveEvent) {
    const known = this.documents.some((x) => x.id === d.id);
    if (type === 'deleted') this.drop(d.id);
    else this.place(d);
    if (type === 'created' && !known && this.documents.some((x) => x.id === d.id)) this.announce = t('docs.added', { name: d.name });
  }

  /** Counts after a change, from the server (they follow the search, so local arithmetic would drift). */
  private refreshCounts() {
    clearTimeout(this.countsTimer);
    this.countsTimer = setTimeout(async () => {
      const client = this.dossier;
      if (!client || !this.contactId) return;
      try {
        this.counts = (await this.fetchPage(client, this.contactId, undefined, undefined, '1')).counts;
      } catch {
        // counts stay as they were
      }
    }, 100);
  }

  private noteForms(items: DocumentJson[]) {
    const names = new Set(this.formNames);
    for (const d of items) if (d.form) names.add(d.form);
    if (names.size !== this.formNames.length) this.formNames = [...names].sort();
  }

  private async loadThumbs(items: DocumentJson[]) {
    const client = this.dossier;
    for (const d of items.filter((x) => isImage(x) && !this.thumbs[x.id])) {
      try {
        const { url } = await unwrap(client!.api.api.v1.documents[':id'].link.$post({ param: { id: d.id }, json: { inline: true } }));
        this.thumbs = { ...this.thumbs, [d.id]: url };
      } catch {
        // the icon stays
      }
    }
  }

  // ——— filters ———

  private setSection(section: DocumentFilter, focus = false) {
    this.section = section;
    if (section !== 'received') {
      this.origin = '';
      this.form = '';
    }
    if (section !== 'all' && section !== 'internal') this.folder = '';
    this.selected = new Set();
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${section}`)?.focus());
  }

  private onTabKey(e: KeyboardEvent) {
    const i = FILTERS.indexOf(this.section);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: FILTERS.length - 1 }[logicalKey(e, this)];
    if (next === undefined) return;
    e.preventDefault();
    this.setSection(FILTERS[(next + FILTERS.length) % FILTERS.length]!, true);
  }

  private onSearch(e: Event) {
    this.search = (e.target as HTMLInputElement).value;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => (this.query = this.search.trim()), 250);
  }

  private async loadMore() {
    const client = this.dossier;
    if (!client || !this.nextCursor) return;
    this.moreBusy = true;
    const filters = JSON.stringify([this.contactId, this.params()]);
    try {
      const page = await this.fetchPage(client, this.contactId, this.nextCursor);
      // The filters changed while the page was on its way: it belongs to the old list.
      if (filters !== JSON.stringify([this.contactId, this.params()])) return;
      const seen = new Set(this.documents.map((d) => d.id));
      this.documents = [...this.documents, ...page.items.filter((d) => !seen.has(d.id))];
      this.nextCursor = page.nextCursor;
      this.noteForms(page.items);
      void this.loadThumbs(page.items);
    } catch (err) {
      this.fail(err, 'load-documents');
    } finally {
      this.moreBusy = false;
    }
  }

  // ——— actions ———

  private fail(err: unknown, action: string) {
    const error = err instanceof Error ? err : new Error(String(err));
    this.actionError = error.message;
    this.reportError(error, action);
  }

  /** Sends the browser to a (signed) download URL. */
  protected followLink(url: string) {
    const a = document.createElement('a');
    a.href = url;
    a.download = '';
    a.rel = 'noopener';
    a.click();
  }

  async download(d: DocumentJson) {
    try {
      const { url } = await unwrap(this.dossier!.api.api.v1.documents[':id'].link.$post({ param: { id: d.id }, json: {} }));
      this.followLink(url);
    } catch (err) {
      this.fail(err, 'download-document');
    }
  }

  async downloadSelected() {
    try {
      const { url } = await unwrap(this.dossier!.api.api.v1.documents.zip.link.$post({ json: { ids: [...this.selected] } }));
      this.followLink(url);
    } catch (err) {
      this.fail(err, 'download-zip');
    }
  }

  private async patch(d: DocumentJson, json: { name?: string; section?: Section; shareOnPortal?: boolean }, action: string) {
    try {
      const updated = (await unwrap(this.dossier!.api.api.v1.documents[':id'].$patch({ param: { id: d.id }, json }))) as DocumentJson;
      this.actionError = '';
      this.place(updated);
      this.refreshCounts();
      return true;
    } catch (err) {
      this.fail(err, action);
      return false;
    }
  }

  private async rename(d: DocumentJson, input: HTMLInputElement) {
    const name = input.value.trim();
    if (name && name !== d.name && !(await this.patch(d, { name }, 'rename-document'))) return input.focus();
    this.renaming = '';
    await this.focusRow(d.id);
  }

  async deleteDocument(d: DocumentJson) {
    try {
      await unwrap(this.dossier!.api.api.v1.documents[':id'].$delete({ param: { id: d.id } }));
      this.drop(d.id);
      this.undo = d;
      this.actionError = '';
      this.refreshCounts();
      this.dispatchEvent(new DocumentDeleteEvent({ contactId: d.contactId, documentId: d.id }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.undo .btn')?.focus();
    } catch (err) {
      this.fail(err, 'delete-document');
    }
  }

  private async restore(d: DocumentJson) {
    try {
      const restored = (await unwrap(this.dossier!.api.api.v1.documents[':id'].restore.$post({ param: { id: d.id } }))) as DocumentJson;
      this.undo = null;
      this.place(restored);
      this.refreshCounts();
      await this.focusRow(d.id);
    } catch (err) {
      this.fail(err, 'restore-document');
    }
  }

  private async focusRow(id: string) {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${id}"] .name`)?.focus();
  }

  /** A lazy part's code; a failed load is shown (the action error) and reported as `chunk_load`. */
  private need(get: () => Promise<unknown>) {
    return loadChunk(get).then(() => true, (err) => this.fail(err, 'load-chunk'));
  }

  async openPreview(d: DocumentJson) {
    if (!(await this.need(() => import('./document-preview.js')))) return;
    this.preview = d;
    this.dispatchEvent(new DocumentOpenEvent({ contactId: d.contactId, documentId: d.id }));
  }

  /** Opens the share dialog for one document (lazy: the dialog's code loads on first use). */
  async openShare(d: DocumentJson) {
    if (!(await this.need(() => import('./share/share-link-dialog.js')))) return;
    this.sharing = d;
    await this.updateComplete;
    await this.renderRoot.querySelector<HTMLElement & { show(): Promise<void> }>('share-link-dialog')?.show();
  }

  private async openBin() {
    if (!(await this.need(() => import('./document-bin.js')))) return;
    this.binOpen = true;
  }

  /** A document restored from "Recently deleted": back in the list (if it passes the filters) and in the counts. */
  private onBinRestored(d: DocumentJson) {
    if (this.undo?.id === d.id) this.undo = null;
    this.place(d);
    this.refreshCounts();
  }

  private async closeBin() {
    this.binOpen = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.bin-open')?.focus();
  }

  private async closeShare() {
    const id = this.sharing?.id;
    this.sharing = null;
    if (id) await this.focusRow(id);
  }

  private async closePreview() {
    const id = this.preview?.id;
    this.preview = null;
    if (id) await this.focusRow(id);
  }

  /** Opens the Add dialog, with dropped files already in it. */
  async openUpload(files: File[] = []) {
    if (!(await this.need(() => import('./document-upload.js')))) return;
    this.uploadOpen = true;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('documents-upload');
    await dialog?.updateComplete;
    dialog?.add(files);
  }

  private onUploaded(items: DocumentJson[]) {
    for (const d of items) this.place(d);
    this.refreshCounts();
    this.dispatchEvent(new DocumentUploadEvent({ contactId: this.contactId, documentIds: items.map((d) => d.id) }));
  }

  private async closeUpload() {
    this.uploadOpen = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.add')?.focus();
  }

  // ——— drag and drop on the whole widget ———

  private get canUpload() {
    return this.can('documents.upload') && !this.contactDeleted;
  }

  private hasFiles = (e: DragEvent) => Boolean(e.dataTransfer?.types.includes('Files')) && this.canUpload;

  private onDragEnter(e: DragEvent) {
    if (!this.hasFiles(e)) return;
    e.preventDefault();
    this.dragDepth++;
    this.dragOver = true;
  }

  private onDragOver(e: DragEvent) {
    if (!this.hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
    this.dragOver = true;
  }

  private onDragLeave() {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (!this.dragDepth) this.dragOver = false;
  }

  private onDrop(e: DragEvent) {
    this.dragDepth = 0;
    this.dragOver = false;
    if (!this.hasFiles(e)) return;
    e.preventDefault();
    void this.openUpload([...(e.dataTransfer?.files ?? [])]);
  }

  // ——— the row menu ———

  private toggleMenu(d: DocumentJson, button: HTMLElement, focus: 'first' | 'last' = 'first') {
    if (this.menuFor === d.id) return this.menu.close();
    this.menu.open(button, focus);
    this.menuFor = d.id;
  }

  private onMenuButtonKey(e: KeyboardEvent, d: DocumentJson) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    if (this.menuFor !== d.id) this.toggleMenu(d, e.currentTarget as HTMLElement, e.key === 'ArrowDown' ? 'first' : 'last');
  }

  private menuItems(d: DocumentJson): MenuItem[] {
    const items: MenuItem[] = [
      { label: t('docs.preview'), run: () => this.openPreview(d) },
      { label: t('docs.download'), run: () => this.download(d) },
    ];
    if (this.can('share_links.manage')) items.push({ label: t('docs.share'), run: () => this.openShare(d) });
    if (this.can('documents.edit')) {
      items.push({
        label: t('docs.rename'),
        run: async () => {
          this.renaming = d.id;
          await this.updateComplete;
          this.renderRoot.querySelector<HTMLInputElement>('.rename')?.select();
        },
      });
      // A file field's document stays in Internal (in its folder) while it is in the field.
      for (const s of SECTIONS.filter((s) => s !== d.section && !d.fieldKey)) {
        items.push({ label: t('docs.moveTo', { section: t(`docs.section.${s}`) }), run: () => this.patch(d, { section: s }, 'move-document') });
      }
      items.push({ label: t(d.shareOnPortal ? 'docs.portal.stop' : 'docs.portal.start'), run: () => this.patch(d, { shareOnPortal: !d.shareOnPortal }, 'share-document-portal') });
    }
    if (this.can('documents.delete')) items.push({ label: t('docs.delete'), run: () => this.deleteDocument(d), danger: true });
    return items;
  }

  // ——— rendering ———

  protected override render() {
    if (this.contactId && !this.dossier && !this.documents.length) {
      return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    }
    return html`<div
      class="root ${this.dragOver ? 'drag-over' : ''}"
      @dragenter=${this.onDragEnter}
      @dragover=${this.onDragOver}
      @dragleave=${this.onDragLeave}
      @drop=${this.onDrop}
    >
      ${this.renderToolbar()}
      ${this.actionError ? html`<div class="banner error" role="alert">${this.actionError} <button class="icon-btn" aria-label=${t('action.close')} @click=${() => (this.actionError = '')}>×</button></div>` : nothing}
      ${this.undo ? html`<div class="banner undo" role="status">${t('docs.deleted', { name: this.undo.name })}
            <button class="btn" @click=${() => this.restore(this.undo!)}>${t('docs.undo')}</button>
            <button class="icon-btn" aria-label=${t('action.close')} @click=${() => (this.undo = null)}>×</button></div>` : nothing}
      ${this.selected.size ? this.renderSelection() : nothing}
      ${this.sharing
        ? html`<share-link-dialog part="share" document-id=${this.sharing.id} document-name=${this.sharing.name} @close=${this.closeShare}></share-link-dialog>`
        : nothing}
      ${this.preview
        ? html`<documents-preview part="preview" .client=${this.dossier} .document=${this.preview} @close=${this.closePreview} @download=${() => this.download(this.preview!)}></documents-preview>`
        : html`<div role="tabpanel" id="panel" part="list" aria-labelledby="tab-${this.section}" aria-busy=${this.loader.status === 1 ? 'true' : 'false'}>${this.renderBody()}</div>`}
      ${this.binOpen
        ? html`<documents-bin part="bin" .client=${this.dossier} .contactId=${this.contactId} .restoreDays=${this.session?.workspace.restoreDays ?? 30}
            @restored=${(e: CustomEvent<DocumentJson>) => this.onBinRestored(e.detail)} @close=${this.closeBin}></documents-bin>`
        : nothing}
      ${this.uploadOpen
        ? html`<documents-upload .client=${this.dossier} .contactId=${this.contactId} @uploaded=${(e: CustomEvent<DocumentJson[]>) => this.onUploaded(e.detail)} @close=${this.closeUpload}></documents-upload>`
        : nothing}
      ${this.menuDocument ? this.menu.render(t('docs.actions', { name: this.menuDocument.name }), this.menuItems(this.menuDocument)) : nothing}
      ${this.dragOver ? html`<div class="drop-overlay" part="drop-overlay" aria-hidden="true"><span>${t('docs.drop')}</span></div>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
    </div>`;
  }

  private renderToolbar() {
    const counts = this.counts;
    return html`<div class="toolbar" part="toolbar">
      <div class="row">
        <div role="tablist" part="filters" aria-label=${t('docs.filter')} @keydown=${this.onTabKey}>
          ${FILTERS.map(
            (f) => html`<button role="tab" id="tab-${f}" aria-selected=${this.section === f ? 'true' : 'false'} aria-controls="panel" tabindex=${this.section === f ? 0 : -1} @click=${() => this.setSection(f)}>
              ${t(`docs.section.${f}`)} ${counts ? html`<span class="count">${counts[f]}</span>` : nothing}
            </button>`,
          )}
        </div>
        ${this.canUpload ? html`<button class="btn primary add" part="add" @click=${() => this.openUpload()}><span aria-hidden="true">+</span> ${t('docs.add')}</button>` : nothing}
      </div>
      <div class="row">
        <input type="search" class="search" aria-label=${t('docs.search')} placeholder=${t('docs.search')} .value=${this.search} @input=${this.onSearch} />
        ${choice(t('docs.sort'), 'sort', this.sort, (['date', 'name', 'size'] as const).map((s) => [s, t(`docs.sort.${s}`)]), (v) => ((this.sort = v as DocumentSort), (this.order = undefined)))}
        <button class="icon-btn dir" aria-label=${t(`docs.dir.${this.direction}`)} title=${t(`docs.dir.${this.direction}`)} @click=${() => (this.order = this.direction === 'asc' ? 'desc' : 'asc')}>
          <span aria-hidden="true">${this.direction === 'asc' ? '↑' : '↓'}</span>
        </button>
        <label><input type="checkbox" class="portal-filter" .checked=${this.portalOnly} @change=${(e: Event) => (this.portalOnly = (e.target as HTMLInputElement).checked)} />${t('docs.portal.filter')}</label>
        ${this.can('documents.delete') ? html`<button class="btn bin-open" part="bin-button" @click=${this.openBin}>${t('docs.recentlyDeleted')}</button>` : nothing}
      </div>
      ${this.section === 'received'
        ? html`<div class="row">
            ${choice(t('docs.from'), 'origin', this.origin, [['', t('docs.from.any')], ...ORIGINS.map((o) => [o, t(`docs.origin.${o}`)] as const)], (v) => ((this.origin = v as Origin), (this.form = '')))}
            ${this.origin === 'form' || this.origin === 'survey'
              ? choice(t('docs.formName'), 'form-name', this.form, [['', t('docs.formName.any')], ...this.formNames.map((n) => [n, n] as const)], (v) => (this.form = v))
              : nothing}
          </div>`
        : this.fileFields.length && this.section !== 'sent'
          ? html`<div class="row">
              ${choice(t('docs.folder'), 'folder', this.folder, [['', t('docs.folder.any')], ['*', t('docs.group.fields')], ...this.fileFields.map((f) => [f.key, f.label] as const)], (v) => (this.folder = v))}
            </div>`
          : nothing}
    </div>`;
  }

  private renderSelection() {
    return html`<div class="banner selection" role="region" aria-label=${t('docs.selected', { n: this.selected.size })}>
      <span>${t('docs.selected', { n: this.selected.size })}</span>
      <button class="btn" @click=${() => this.downloadSelected()}>${t('docs.zip')}</button>
      <button class="btn" @click=${() => (this.selected = new Set())}>${t('docs.clear')}</button>
    </div>`;
  }

  private renderBody(): TemplateResult | typeof nothing {
    const stale = this.loadedFor !== this.contactId;
    const view = this.loader.render({
      initial: () => html`<dossier-state kind="loading"></dossier-state>`,
      pending: () => (stale ? html`<dossier-state kind="loading"></dossier-state>` : null),
      error: (err) => this.renderLoadError(err as Error),
      complete: () => null,
    });
    if (view && this.contactId && this.dossier) return view;
    if (!this.documents.length) {
      if (this.query) return html`<dossier-state kind="empty" heading=${t('docs.empty.search', { q: this.query })}></dossier-state>`;
      if (this.portalOnly || this.folder) return html`<dossier-state kind="empty" heading=${t('docs.empty.filtered')}></dossier-state>`;
      return html`<dossier-state kind="empty" heading=${t(`docs.empty.${this.section}`)} message=${t(`docs.empty.${this.section}.text`)}></dossier-state>`;
    }
    // All is grouped by section, with the "Custom fields" folder after Internal; so is Internal when it has that folder.
    const grouped = this.section === 'all' || (this.section === 'internal' && this.documents.some((d) => d.fieldKey));
    const groups = grouped ? GROUPS.map((g) => [g, this.documents.filter((d) => groupOf(d) === g)] as const).filter(([, items]) => items.length) : null;
    const c = this.counts;
    // The folder's documents are internal ones: the Internal group counts the others.
    const count = (g: (typeof GROUPS)[number]) => c && (g === 'fields' ? c.fields : g === 'internal' ? c.internal - (c.fields ?? 0) : c[g]);
    return html`${groups
        ? groups.map(
            ([s, items]) => html`<section class="group" aria-labelledby="group-${s}">
              <h3 id="group-${s}">${t(`docs.group.${s}`)} <span class="count">${count(s) ?? items.length}</span></h3>
              <ul>${items.map((d) => this.renderDoc(d))}</ul>
            </section>`,
          )
        : html`<ul aria-label=${t(`docs.group.${this.section}`)}>${this.documents.map((d) => this.renderDoc(d))}</ul>`}
      ${this.nextCursor ? html`<div class="more-row"><button class="btn" ?disabled=${this.moreBusy} @click=${this.loadMore}>${t('docs.more')}</button></div>` : nothing}`;
  }

  private renderLoadError(err: Error) {
    const status = err instanceof DossierApiError ? err.status : 0;
    if (status === 404) return html`<dossier-state kind="not-found" message=${err.message}></dossier-state>`;
    if (status === 403) return html`<dossier-state kind="forbidden" message=${err.message}></dossier-state>`;
    return html`<dossier-state kind="error" message=${err.message} retryable @retry=${() => this.loader.run()}></dossier-state>`;
  }

  private who(d: DocumentJson): string {
    if (!d.uploadedBy) return d.section === 'received' ? t('docs.byContact') : t('docs.byTeam');
    const m = this.members.find((x) => x.id === d.uploadedBy);
    return m ? t('docs.by', { name: m.name }) : t('docs.byUnknown');
  }

  private renderDoc(d: DocumentJson) {
    const thumb = this.thumbs[d.id];
    const open = this.menuFor === d.id;
    const origin = d.fieldKey
      ? t('docs.origin.field', { field: this.fileFields.find((f) => f.key === d.fieldKey)?.label ?? d.fieldKey })
      : t(`docs.origin.${d.origin}`) + (d.form ? ` · ${d.form}` : '');
    return html`<li class="doc" part="document" data-id=${d.id}>
      <input type="checkbox" aria-label=${t('docs.select', { name: d.name })} .checked=${this.selected.has(d.id)} @change=${(e: Event) => {
        const next = new Set(this.selected);
        if ((e.target as HTMLInputElement).checked) next.add(d.id);
        else next.delete(d.id);
        this.selected = next;
      }} />
      <span class="icon" style=${cssText(`--h:${hue(d.kind)}`)} aria-hidden="true">${thumb ? html`<img src=${thumb} alt="" loading="lazy" />` : badge(d.kind)}</span>
      <div class="main">
        ${this.renaming === d.id
          ? html`<input class="rename" aria-label=${t('docs.renameLabel', { name: d.name })} .value=${d.name}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === 'Enter') void this.rename(d, e.target as HTMLInputElement);
                if (e.key === 'Escape') (e.preventDefault(), (this.renaming = ''), void this.focusRow(d.id));
              }} />`
          : html`<button class="name" part="name" dir="auto" title=${d.name} @click=${() => this.openPreview(d)}>${d.name}</button>`}
        <div class="meta">
          ${d.shareOnPortal ? html`<span class="portal" title=${t('docs.portal.shared')}>${t('docs.portal.badge')}</span>` : nothing}
          <span>${kindLabel(d.kind)}</span><span>${formatBytes(d.size)}</span><span class="origin">${origin}</span><span class="who">${this.who(d)}</span>
          <time datetime=${new Date(d.createdAt).toISOString()} title=${formatDateTime(d.createdAt)}>${formatRelative(d.createdAt)}</time>
        </div>
      </div>
      <button class="icon-btn more" aria-label=${t('docs.actions', { name: d.name })} aria-haspopup="menu" aria-expanded=${open ? 'true' : 'false'}
        @click=${(e: Event) => this.toggleMenu(d, e.currentTarget as HTMLElement)} @keydown=${(e: KeyboardEvent) => this.onMenuButtonKey(e, d)}><span aria-hidden="true">⋯</span></button>
    </li>`;
  }
}

define('contact-documents', ContactDocuments);

declare global {
  interface HTMLElementTagNameMap {
    'contact-documents': ContactDocuments;
  }
}
