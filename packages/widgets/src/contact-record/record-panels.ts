// The record's tabs and panels, loaded with import() while the contact itself loads (so no eager bytes): on a wide
// host two panels side by side — left the contact's own tabs, right the tabs of what happens with the contact —, on a
// narrow one a single column with every tab in one strip. The right panel's tabs are a registry: one entry per tab.
import { html, nothing, type ReactiveController } from 'lit';
import type { ContactJson } from '../../../core/src/types.js';
import { ScrollOverflowController } from '../../../core/src/scroll-overflow.js';
import { addMessages, logicalKey, t } from '../../../core/src/i18n.js';
import type { ContactRecord } from './contact-record.js';
import { renderContactTab } from './contact-tab.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { DossierClient } from '../../../core/src/client.js';
import { plural } from '../../../core/src/i18n.js';
import { endOfDay } from '../contact-tasks/due.js';
import '../contact-tasks/messages.js';
import { panelStyles } from './record-panels.styles.js';
export { renderAvatar } from './avatar-button.js';

/** A tab of the right panel: its own element (usable on its own too), loaded as a lazy chunk when first opened. */
export interface RightTab {
  id: string;
  /** Message key of its label. */
  label: string;
  load: () => Promise<unknown>;
  /** The element shown, given `contact-id`. */
  tag: string;
}

/** The right panel's tabs, in order. Another tab is one more entry here (and its chunk in vite.config.ts's LAZY). */
export const RIGHT_TABS: RightTab[] = [
  { id: 'activity', label: 'record.tab.activity', load: () => import('../contact-activity/contact-activity.js'), tag: 'contact-activity' },
  { id: 'conversations', label: 'record.tab.conversations', load: () => import('../contact-conversations/contact-conversations.js'), tag: 'contact-conversations' },
  { id: 'tasks', label: 'record.tab.tasks', load: () => import('../contact-tasks/contact-tasks.js'), tag: 'contact-tasks' },
  { id: 'notes', label: 'record.tab.notes', load: () => import('../contact-notes/contact-notes.js'), tag: 'contact-notes' },
  { id: 'appointments', label: 'record.tab.appointments', load: () => import('../contact-appointments/contact-appointments.js'), tag: 'contact-appointments' },
  { id: 'documents', label: 'record.tab.documents', load: () => import('../contact-documents/contact-documents.js'), tag: 'contact-documents' },
  { id: 'payments', label: 'record.tab.payments', load: () => import('../contact-payments/contact-payments.js'), tag: 'contact-payments' },
];
export const LEFT_TABS = ['contact', 'general', 'additional', 'dnd', 'audit'];

/**
 * The Actions panel under the contact's own tabs (reference 001): one collapsible section per entry, each its own
 * element (usable on its own too) loaded as a lazy chunk. Another section is one more entry here. The ids also work
 * in the record's `tabs` filter.
 */
export const ACTION_SECTIONS: RightTab[] = [];

// Labels only this chunk shows load with it, not with the script-tag bundle.
addMessages('en', {
  'record.actions': 'Actions',
  'record.tab.payments': 'Payments',
});
/** Below this width of the record the two panels become one column. */
export const WIDE_PX = 880;

/** Per record: its width class, the right panel's selection, the strips' scroll state and the tab elements made. */
class Layout implements ReactiveController {
  wide = false;
  /** The right panel's open tab (the host's `tab` holds the tab opened last, on either side). */
  right = RIGHT_TABS[0]!.id;
  /** The header's task badge: open tasks of the shown contact overdue and due today (the reader's today). */
  due: { contactId: string; overdue: number; dueToday: number } | null = null;
  private dueAsked = '';
  left = 'contact';
  /** Action sections the user closed (all open at first). */
  readonly actionsClosed = new Set<string>();
  readonly elements = new Map<string, HTMLElement>();
  // Measured in the next frame: re-rendering inside the observer's callback would be a ResizeObserver loop.
  private readonly resize = new ResizeObserver(() =>
    requestAnimationFrame(() => {
      const wide = this.host.getBoundingClientRect().width >= WIDE_PX;
      if (wide !== this.wide) {
        this.wide = wide;
        this.host.requestUpdate();
      }
    }),
  );
  readonly scroll: ScrollOverflowController[];

  constructor(private readonly host: ContactRecord) {
    host.addController(this);
    const root = host.renderRoot as ShadowRoot;
    if (panelStyles.styleSheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, panelStyles.styleSheet];
    // Tasks changed in the record's own Tasks tab, or anywhere else (the live stream the record follows).
    host.addEventListener('task-change', () => this.askDue(true));
    new BusController(host, () => (host as unknown as { dossier?: DossierClient }).dossier, (e) => {
      if (e.type === 'contact-item' && e.event.contactId === host.contactId && e.event.type.startsWith('task.')) this.askDue(true);
    }, false);
    this.scroll = ['a', 'b'].map((strip) => new ScrollOverflowController(host, () => host.renderRoot.querySelector(`[data-strip=${strip}] [role=tablist]`), () => host.renderRoot.querySelector(`[data-strip=${strip}] [aria-selected=true]`), 32));
    this.resize.observe(host);
    this.wide = host.getBoundingClientRect().width >= WIDE_PX;
  }
  hostConnected() {
    this.resize.observe(this.host);
  }
  hostDisconnected() {
    this.resize.disconnect();
  }
  /** Reads the due summary of the shown contact (once per contact, again when its tasks change). */
  askDue(again = false) {
    const id = this.host.contactId;
    const client = (this.host as unknown as { dossier?: DossierClient }).dossier;
    if (!client || !id || (!again && this.dueAsked === id)) return;
    this.dueAsked = id;
    const now = Date.now();
    unwrap(client.api.api.v1.contacts[':id'].tasks.due.$get({ param: { id }, query: { dayEnd: String(endOfDay(now)) } })).then(
      (due) => {
        if (this.host.contactId !== id) return;
        this.due = { contactId: id, ...due };
        this.host.requestUpdate();
      },
      () => undefined, // the badge is a hint: without it the Tasks tab still tells
    );
  }

  /** The tab opened (by a click, the keyboard or the `tab` attribute) is scrolled wholly into view in its strip. */
  private shownTab = '';
  hostUpdated() {
    if (this.host.tab === this.shownTab) return;
    this.shownTab = this.host.tab;
    this.scroll.forEach((s, i) => s.reveal(this.host.renderRoot.querySelector(`[data-strip=${'ab'[i]}] #tab-${this.host.tab}`)));
  }
}

const layouts = new WeakMap<ContactRecord, Layout>();
const layoutOf = (host: ContactRecord) => layouts.get(host) ?? (layouts.set(host, new Layout(host)), layouts.get(host)!);

/** The tab element of the right panel for this record, made once and kept (its state survives switching tabs). */
function tabElement(layout: Layout, tab: RightTab, contactId: string, theme: string | undefined) {
  let el = layout.elements.get(tab.id);
  if (!el) layout.elements.set(tab.id, (el = document.createElement(tab.tag)));
  if (el.getAttribute('contact-id') !== contactId) el.setAttribute('contact-id', contactId);
  if (theme) el.setAttribute('theme', theme);
  return el;
}

function renderPanel(host: ContactRecord, c: ContactJson, layout: Layout, id: string) {
  const right = RIGHT_TABS.find((r) => r.id === id);
  if (right) return host.lazyPanel(right.id, right.load, () => tabElement(layout, right, c.id, host.theme));
  switch (id) {
    case 'general':
      return host.lazyPanel('general', () => import('./general-tab.js'), (m) => m.renderGeneralTab(host, c));
    case 'additional':
      return host.lazyPanel('additional', () => import('./additional-tab.js'), (m) => m.renderAdditionalTab(host, c, host.customFields));
    case 'dnd':
      return host.lazyPanel('dnd', () => import('./dnd-tab.js'), (m) => m.renderDndTab(host, c));
    case 'audit':
      return host.lazyPanel('audit', () => import('./record-audit-log.js'), () =>
        html`<record-audit-log .contactId=${c.id} .version=${c.updatedAt} .members=${host.members} .fields=${host.customFields}></record-audit-log>`);
    default:
      return renderContactTab(host, c);
  }
}

/** The Actions panel: a section per entry of ACTION_SECTIONS shown, each open until the user closes it. */
function renderActions(host: ContactRecord, c: ContactJson, layout: Layout, ids: string[]) {
  if (!ids.length) return nothing;
  return html`<section class="actions" part="actions" aria-labelledby="actions-h">
    <h2 id="actions-h">${t('record.actions')}</h2>
    ${ids.map((id) => {
      const section = ACTION_SECTIONS.find((s) => s.id === id)!;
      const open = !layout.actionsClosed.has(id);
      const toggle = (e: Event) => {
        const now = (e.target as HTMLDetailsElement).open;
        if (now === open) return;
        if (now) layout.actionsClosed.delete(id);
        else layout.actionsClosed.add(id);
        host.requestUpdate();
      };
      return html`<details part="action" data-action=${id} ?open=${open} @toggle=${toggle}>
        <summary>${t(section.label)}</summary>
        ${open ? host.lazyPanel(`action-${id}`, section.load, () => tabElement(layout, section, c.id, host.theme)) : nothing}
      </details>`;
    })}
  </section>`;
}

/** One tab strip and its panel; `strip` names it (a: the left or only one, b: the right one). */
function renderStrip(host: ContactRecord, c: ContactJson, layout: Layout, strip: 'a' | 'b', ids: string[], selected: string) {
  const scroll = layout.scroll[strip === 'a' ? 0 : 1]!;
  const label = (id: string) => t(RIGHT_TABS.find((r) => r.id === id)?.label ?? `record.tab.${id}`);
  const open = (id: string) => {
    host.tab = id;
    void host.updateComplete.then(() => scroll.reveal(host.renderRoot.querySelector(`#tab-${id}`)));
  };
  const onKey = (e: KeyboardEvent) => {
    const index = ids.indexOf(selected);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: ids.length - 1 }[logicalKey(e, host)];
    if (next === undefined) return;
    e.preventDefault();
    const id = ids[(next + ids.length) % ids.length]!;
    open(id);
    void host.updateComplete.then(() => host.renderRoot.querySelector<HTMLElement>(`#tab-${id}`)?.focus());
  };
  return html`<section class="panel-col" data-strip=${strip}>
    <div class="tabbar">
      <button class="tab-scroll mirror" data-dir="start" tabindex="-1" aria-label=${t('record.tabs.earlier')} ?hidden=${!scroll.start} @click=${() => scroll.page(-1)}>‹</button>
      <div role="tablist" part="tabs" aria-label=${t(strip === 'b' ? 'record.tabs.right' : 'record.tabs')} @keydown=${onKey}>
        ${ids.map(
          (id) => html`<button role="tab" part="tab" id="tab-${id}" aria-selected=${id === selected ? 'true' : 'false'} aria-controls="panel-${strip}" tabindex=${id === selected ? 0 : -1} @click=${() => open(id)}>${label(id)}</button>`,
        )}
      </div>
      <button class="tab-scroll mirror" data-dir="end" tabindex="-1" aria-label=${t('record.tabs.more')} ?hidden=${!scroll.end} @click=${() => scroll.page(1)}>›</button>
    </div>
    <div role="tabpanel" id="panel-${strip}" part="panel" aria-labelledby="tab-${selected}" tabindex="0" class=${RIGHT_TABS.some((r) => r.id === selected) ? 'embedded' : ''}>${renderPanel(host, c, layout, selected)}</div>
  </section>`;
}

/**
 * The record's body under its header. `host.panels` and `host.tabs` choose what shows; `host.tab` is the tab opened
 * last, on either side (set it, or the `tab` attribute, to open one).
 */
export function renderPanels(host: ContactRecord, c: ContactJson) {
  const layout = layoutOf(host);
  const shown = (id: string) => !host.tabs || host.tabs.includes(id);
  const left = host.panels.includes('left') ? LEFT_TABS.filter(shown) : [];
  const right = host.panels.includes('right') ? RIGHT_TABS.map((r) => r.id).filter(shown) : [];
  if (left.includes(host.tab)) layout.left = host.tab;
  if (right.includes(host.tab)) layout.right = host.tab;
  const leftTab = left.includes(layout.left) ? layout.left : left[0];
  const rightTab = right.includes(layout.right) ? layout.right : right[0];
  const actions = host.panels.includes('left') ? ACTION_SECTIONS.map((s) => s.id).filter(shown) : [];
  if (!layout.wide || !left.length || !right.length) {
    const all = [...left, ...right];
    const selected = all.includes(host.tab) ? host.tab : (leftTab ?? rightTab);
    // One column: the Actions panel follows the contact's own tabs, not a right-panel list that scrolls on.
    return selected
      ? html`<div class="panels">${renderStrip(host, c, layout, 'a', all, selected)}${left.includes(selected) ? renderActions(host, c, layout, actions) : nothing}</div>`
      : actions.length
        ? html`<div class="panels">${renderActions(host, c, layout, actions)}</div>`
        : nothing;
  }
  return html`<div class="panels two"><div class="panel-col">${renderStrip(host, c, layout, 'a', left, leftTab!)}${renderActions(host, c, layout, actions)}</div>${renderStrip(host, c, layout, 'b', right, rightTab!)}</div>`;
}

/** The header's badge when the contact has open tasks overdue or due today; a click opens the Tasks tab. */
export function renderDue(host: ContactRecord) {
  const layout = layoutOf(host);
  layout.askDue();
  const due = layout.due;
  if (!due || due.contactId !== host.contactId || !(due.overdue + due.dueToday)) return nothing;
  const text = [due.overdue && plural('tasks.badge.overdue', due.overdue), due.dueToday && plural('tasks.badge.today', due.dueToday)].filter(Boolean).join(' · ');
  return html`<button class="due ${due.overdue ? 'overdue' : ''}" part="due" @click=${() => (host.tab = 'tasks')}>${text}</button>`;
}
