import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent, DossierClient } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { formatDateTime } from '../../../core/src/format.js';
import { getLocale, plural, t } from '../../../core/src/i18n.js';
import type { ActivityGroup, ActivityJson, Attribution, CustomFieldJson, MemberJson, TouchJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-state.js';
import type { AuditSubject } from '../contact-record/audit-sentences.js';
import { styles } from './contact-activity.styles.js';
import { channelLabel, facts, icon, origin, pageOf, sentence } from './sentences.js';
import './messages.js';

/** The filter chips, in the order shown. */
export const ACTIVITY_FILTERS: ActivityGroup[] = ['message', 'visit', 'form', 'call', 'purchase', 'document', 'share_view', 'field_change', 'merge', 'note', 'task', 'appointment', 'association', 'opportunity', 'workflow', 'portal', 'payment', 'invoice', 'subscription', 'custom'];
const PAGE = 30;
const DAY = 86_400_000;

export interface AttributionState {
  first: Attribution | null;
  latest: Attribution | null;
  touches: TouchJson[];
  truncated: boolean;
}

type Page = { items: ActivityJson[]; nextCursor: string | null };

const newestFirst = (a: ActivityJson, b: ActivityJson) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const dayKey = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
};

/**
 * A contact's activity: where they came from (first and latest interaction, and every touch under "Understanding
 * attribution") and a timeline of everything that happened with them — messages in and out, website visits, forms
 * and surveys, calls, purchases and payments, documents, share-link views, changes to the record, merges — newest
 * first, grouped by day, filterable by kind, loading more as it scrolls, with new events arriving live.
 *
 * @element contact-activity
 * @attr contact-id - The contact whose activity is shown.
 * @attr kind - Comma-separated kinds to show (`message`, `visit`, `form`, `call`, `purchase`, `document`, `share_view`, `field_change`, `merge`, `note`, `task`, `appointment`, `association`, `opportunity`, `workflow`, `portal`, `payment`, `invoice`, `subscription`, `custom`); empty: all.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {ActivityJson[]} items - The loaded events (set by the element; may be set directly to render without a server).
 * @prop {AttributionState | null} attribution - First and latest interaction and every touch (likewise).
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart attribution - The attribution card.
 * @csspart touches - The "Understanding attribution" list of every touch.
 * @csspart filters - The kind filter chips.
 * @csspart timeline - The timeline (scrolls past `--contact-activity-max-height`).
 * @csspart day - A day's heading.
 * @csspart item - One event.
 * @csspart more - The "Load more" button.
 * @cssprop --contact-activity-max-height - Height after which the timeline scrolls (default none: the page scrolls).
 */
export class ContactActivity extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ reflect: true }) kind = '';
  @property({ attribute: false }) items: ActivityJson[] = [];
  @property({ attribute: false }) attribution: AttributionState | null = null;

  @state() private status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  @state() private error: DossierApiError | Error | null = null;
  @state() private nextCursor: string | null = null;
  @state() private loadingMore = false;
  @state() private moreError = '';
  @state() private attributionError = '';
  @state() private touchesOpen = false;
  @state() private announce = '';
  @state() private fresh = new Set<string>();
  private subject: AuditSubject = { contactId: '', members: [], fields: [] };
  private generation = 0;
  private abort?: AbortController;
  private observer?: IntersectionObserver;
  private observed?: Element;

  get groups(): ActivityGroup[] {
    return this.kind.split(',').map((s) => s.trim()).filter((s): s is ActivityGroup => (ACTIVITY_FILTERS as string[]).includes(s));
  }

  // Changes made anywhere to this contact (a message, a host event, an edit, a merge) reach the page over the
  // provider's one live contact stream: read the newest page again and put what is new on top.
  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'live-resumed') return void this.refreshHead(true);
    // A note written or a task created / completed (item events) shows in the timeline too.
    if (e.type === 'contact-item') return void (e.event.contactId === this.contactId && this.refreshHead(false));
    const mine =
      (e.type === 'contact-changed' && e.event.contacts.some((c) => c.id === this.contactId)) ||
      (e.type === 'contact-saved' && e.id === this.contactId);
    if (!mine) return;
    if (e.type === 'contact-changed' && e.event.mergeId) return void this.load();
    const fields = e.type === 'contact-changed' ? e.event.fields : undefined;
    void this.refreshHead(!fields || fields.includes('attribution'));
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('dossier' as keyof ContactActivity) || changed.has('contactId') || changed.has('kind')) {
      const attributionToo = changed.has('dossier' as keyof ContactActivity) || changed.has('contactId');
      if (this.dossier && this.contactId) void this.load(attributionToo);
    }
  }

  protected override updated(): void {
    const sentinel = this.renderRoot.querySelector('.sentinel');
    if (sentinel === this.observed) return;
    this.observer?.disconnect();
    this.observed = sentinel ?? undefined;
    if (!sentinel || typeof IntersectionObserver === 'undefined') return;
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !this.moreError) void this.loadMore();
    });
    this.observer.observe(sentinel);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observed = undefined;
    this.abort?.abort();
  }

  private query(cursor?: string | null, limit = PAGE): Record<string, string> {
    const q: Record<string, string> = { limit: String(limit) };
    if (this.groups.length) q.kind = this.groups.join(',');
    if (cursor) q.cursor = cursor;
    return q;
  }

  private fetchPage(client: DossierClient, cursor?: string | null, signal?: AbortSignal): Promise<Page> {
    return unwrap(client.api.api.v1.contacts[':id'].activity.$get({ param: { id: this.contactId }, query: this.query(cursor) as never }, { init: { signal } })) as Promise<Page>;
  }

  private async fetchAttribution(client: DossierClient) {
    try {
      this.attribution = (await unwrap(client.api.api.v1.contacts[':id'].attribution.$get({ param: { id: this.contactId }, query: {} }))) as AttributionState;
      this.attributionError = '';
    } catch (err) {
      this.attributionError = err instanceof Error ? err.message : String(err);
    }
  }

  /** Loads the first page (and the attribution): on a new contact, a new filter, or Try again. */
  async load(attributionToo = true): Promise<void> {
    const client = this.dossier;
    if (!client || !this.contactId) return;
    const gen = ++this.generation;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.status = 'loading';
    this.error = null;
    this.moreError = '';
    try {
      const [page, members, fields] = await Promise.all([
        this.fetchPage(client, null, abort.signal),
        client.members().catch(() => [] as MemberJson[]),
        client.customFields().catch(() => [] as CustomFieldJson[]),
        attributionToo ? this.fetchAttribution(client) : undefined,
      ]);
      if (gen !== this.generation) return;
      this.subject = { contactId: this.contactId, members, fields };
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.status = 'ready';
    } catch (err) {
      if (gen !== this.generation || abort.signal.aborted) return;
      this.error = err as Error;
      this.status = 'error';
      this.reportError(err as Error, 'load');
    }
  }

  /** The next page after the last event shown (keyset: what arrives on top meanwhile does not shift it). */
  async loadMore(): Promise<void> {
    const client = this.dossier;
    if (!client || !this.nextCursor || this.loadingMore || this.status !== 'ready') return;
    const gen = this.generation;
    this.loadingMore = true;
    this.moreError = '';
    try {
      const page = await this.fetchPage(client, this.nextCursor);
      if (gen !== this.generation) return;
      const known = new Set(this.items.map((i) => i.id));
      this.items = [...this.items, ...page.items.filter((i) => !known.has(i.id))];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      if (gen !== this.generation) return;
      this.moreError = err instanceof Error ? err.message : String(err);
      this.reportError(err as Error, 'load-more');
    } finally {
      this.loadingMore = false;
    }
  }

  /** New events on top: the first page again, merged with what is shown (nothing shown moves or disappears). */
  private async refreshHead(attributionToo: boolean) {
    const client = this.dossier;
    if (!client || !this.contactId || this.status !== 'ready') return void (this.status === 'error' && this.load());
    const gen = this.generation;
    try {
      const [page] = await Promise.all([this.fetchPage(client), attributionToo ? this.fetchAttribution(client) : undefined]);
      if (gen !== this.generation) return;
      const known = new Set(this.items.map((i) => i.id));
      const oldest = this.items[this.items.length - 1];
      // Only what sorts above the last shown event: older ones come with "load more".
      const added = page.items.filter((i) => !known.has(i.id) && (!oldest || !this.nextCursor || newestFirst(i, oldest) < 0));
      if (!added.length) return;
      this.items = [...added, ...this.items].sort(newestFirst);
      this.fresh = new Set([...this.fresh, ...added.map((i) => i.id)]);
      this.announce = plural('act.new', added.length);
      setTimeout(() => {
        this.fresh = new Set([...this.fresh].filter((id) => !added.some((a) => a.id === id)));
      }, 4000);
    } catch {
      // The next change or reconnect tries again; what is shown stays right as far as it goes.
    }
  }

  private setFilter(group: ActivityGroup | null) {
    if (group === null) this.kind = '';
    else {
      const now = new Set(this.groups);
      if (now.has(group)) now.delete(group);
      else now.add(group);
      this.kind = ACTIVITY_FILTERS.filter((g) => now.has(g)).join(',');
    }
  }

  // ——— rendering ———

  protected override render() {
    if (this.contactId && !this.dossier && !this.items.length && !this.attribution) {
      return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    }
    return html`<div class="root">
      ${this.renderAttribution()}
      ${this.renderFilters()}
      <div class="timeline" part="timeline" aria-busy=${this.status === 'loading' ? 'true' : 'false'}>${this.renderTimeline()}</div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
    </div>`;
  }

  private renderAttribution() {
    const a = this.attribution;
    if (!a && !this.attributionError) return nothing;
    return html`<section class="attribution" part="attribution" aria-labelledby="attr-title">
      <h3 id="attr-title" class="heading">${t('attr.title')}</h3>
      ${this.attributionError && !a
        ? html`<p class="inline-error" role="alert">${t('attr.error')} <button class="btn" @click=${() => this.dossier && this.fetchAttribution(this.dossier)}>${t('state.retry')}</button></p>`
        : html`<div class="touch-cards">
              ${this.renderTouch(t('attr.first'), a?.first ?? null, 'first')} ${this.renderTouch(t('attr.latest'), a?.latest ?? null, 'latest')}
            </div>
            <button class="link-btn understand" aria-expanded=${this.touchesOpen ? 'true' : 'false'} aria-controls="touches" @click=${() => (this.touchesOpen = !this.touchesOpen)}>
              ${this.touchesOpen ? t('attr.hide') : t('attr.understand')}
            </button>
            ${this.touchesOpen ? this.renderTouches(a) : nothing}`}
    </section>`;
  }

  private renderTouch(label: string, a: Attribution | null, which: string) {
    const row = (name: string, value: string | null | undefined, title?: string) =>
      value ? html`<div class="kv"><dt>${name}</dt><dd title=${title ?? value}>${value}</dd></div>` : nothing;
    return html`<div class="touch-card ${which}">
      <h4>${label}</h4>
      ${a
        ? html`<p class="channel">${channelLabel(a.channel) || a.source || t('attr.ch.direct')}</p>
            <dl>
              ${row(t('attr.source'), [a.source, a.medium].filter(Boolean).join(' / '))} ${row(t('attr.campaign'), a.campaign)} ${row(t('attr.term'), a.term)}
              ${row(t('attr.content'), a.content)} ${row(t('attr.landing'), pageOf(a.url), a.url ?? '')} ${row(t('attr.referrer'), pageOf(a.referrer), a.referrer ?? '')}
              ${row(t('attr.clickId'), a.gclid ? `gclid ${a.gclid}` : a.fbclid ? `fbclid ${a.fbclid}` : null)} ${row(t('attr.when'), a.at ? formatDateTime(a.at) : null)}
            </dl>`
        : html`<p class="muted">${t('attr.none')}</p>`}
    </div>`;
  }

  private renderTouches(a: AttributionState | null) {
    const touches = a?.touches ?? [];
    return html`<div id="touches" class="touches" part="touches" role="region" aria-label=${t('attr.understand')}>
      <p class="muted">${t('attr.explain')}</p>
      <p class="count">${plural('attr.touches', touches.length)}${a?.truncated ? html` · ${t('attr.touches.truncated', { count: touches.length })}` : nothing}</p>
      ${touches.length
        ? html`<ol class="touch-list">
            ${touches.map(
              (x) => html`<li>
                <time datetime=${new Date(x.at).toISOString()}>${formatDateTime(x.at)}</time>
                <strong>${channelLabel(x.channel)}</strong>
                ${origin(x) ? html`<span>${origin(x)}</span>` : nothing}
                ${x.url ? html`<span class="page" title=${x.url}>${pageOf(x.url)}</span>` : nothing}
                ${x.referrer ? html`<span class="muted" title=${x.referrer}>${t('attr.referrer')}: ${pageOf(x.referrer)}</span>` : nothing}
              </li>`,
            )}
          </ol>`
        : html`<p class="muted">${t('attr.noTouches')}</p>`}
    </div>`;
  }

  private renderFilters() {
    const selected = new Set(this.groups);
    return html`<div class="filters" role="group" part="filters" aria-label=${t('act.filter')}>
      <button class="chip" aria-pressed=${selected.size === 0 ? 'true' : 'false'} @click=${() => this.setFilter(null)}>${t('act.filter.all')}</button>
      ${ACTIVITY_FILTERS.map(
        (g) => html`<button class="chip" data-group=${g} aria-pressed=${selected.has(g) ? 'true' : 'false'} @click=${() => this.setFilter(g)}>
          <span class="chip-icon g-${g}">${icon({ group: g, channel: null })}</span>${t(`act.group.${g}`)}
        </button>`,
      )}
    </div>`;
  }

  private renderTimeline() {
    if (this.status === 'loading' && !this.items.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error') {
      const e = this.error;
      const kind = e instanceof DossierApiError && e.status === 404 ? 'not-found' : e instanceof DossierApiError && e.status === 403 ? 'forbidden' : 'error';
      return html`<dossier-state kind=${kind} message=${kind === 'error' ? (e?.message ?? '') : ''} ?retryable=${kind === 'error'} @retry=${() => this.load()}></dossier-state>`;
    }
    if (!this.items.length) {
      return html`<dossier-state kind="empty" heading=${this.groups.length ? t('act.empty.filtered') : t('act.empty')} message=${t('act.empty.hint')}></dossier-state>`;
    }
    const days: { key: string; at: number; items: ActivityJson[] }[] = [];
    for (const item of this.items) {
      const key = dayKey(item.at);
      const last = days[days.length - 1];
      if (last && last.key === key) last.items.push(item);
      else days.push({ key, at: item.at, items: [item] });
    }
    return html`${days.map(
        (d) => html`<section class="day" aria-labelledby="day-${d.key}">
          <h3 class="day-heading" part="day" id="day-${d.key}">${this.dayLabel(d.at)}</h3>
          <ol class="items">${d.items.map((i) => this.renderItem(i))}</ol>
        </section>`,
      )}
      ${this.renderMore()}`;
  }

  private renderMore() {
    if (this.moreError) {
      return html`<div class="more-row"><p class="inline-error" role="alert">${this.moreError}</p><button class="btn" part="more" @click=${() => this.loadMore()}>${t('state.retry')}</button></div>`;
    }
    if (!this.nextCursor) return html`<p class="end muted">${t('act.end')}</p>`;
    return html`<div class="more-row">
      <button class="btn" part="more" ?disabled=${this.loadingMore} @click=${() => this.loadMore()}>${this.loadingMore ? t('act.loadingMore') : t('act.more')}</button>
      <div class="sentinel" aria-hidden="true"></div>
    </div>`;
  }

  private dayLabel(at: number) {
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    if (at >= today.getTime()) return t('act.today');
    if (at >= today.getTime() - DAY) return t('act.yesterday');
    const sameYear = new Date(at).getFullYear() === today.getFullYear();
    return new Intl.DateTimeFormat(getLocale(), { weekday: 'long', day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) }).format(at);
  }

  private renderItem(item: ActivityJson) {
    const lines = facts(item);
    return html`<li class="item ${this.fresh.has(item.id) ? 'fresh' : ''}" part="item" data-id=${item.id} data-kind=${item.kind}>
      <span class="icon g-${item.group}">${icon(item)}</span>
      <div class="body">
        <p class="sentence">${sentence(item, this.subject)}</p>
        ${lines.map((l) => html`<p class="fact">${l}</p>`)}
        ${item.url && /^https?:/i.test(item.url) ? html`<a class="fact link" href=${item.url} target="_blank" rel="noopener noreferrer">${t('act.open')}<span class="visually-hidden"> ${pageOf(item.url)}</span></a>` : nothing}
      </div>
      <time datetime=${new Date(item.at).toISOString()} title=${formatDateTime(item.at)}>${new Intl.DateTimeFormat(getLocale(), { timeStyle: 'short' }).format(item.at)}</time>
    </li>`;
  }
}

define('contact-activity', ContactActivity);

declare global {
  interface HTMLElementTagNameMap {
    'contact-activity': ContactActivity;
  }
}
