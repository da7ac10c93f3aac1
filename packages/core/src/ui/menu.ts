import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { isRtl } from '../i18n.js';

export interface MenuItem {
  label: string;
  run: () => unknown;
  danger?: boolean;
}

const GAP = 2;
const EDGE = 4;

/**
 * The one action menu of every widget (a row's ⋯ menu): rendered in the host's shadow root but shown in the top
 * layer (`popover`), so no scrolling list or `overflow` of the host page clips it; placed against its anchor, below
 * it and flipped above at the viewport's bottom edge. Arrow keys, Home and End move between items, Escape and Tab
 * close it and give focus back, a click outside closes it, and so does anything moving the anchor (a scroll).
 */
export class MenuController implements ReactiveController {
  /** The element the open menu hangs from (null: closed). */
  anchor: HTMLElement | null = null;
  private returnTo: HTMLElement | null = null;
  private focus: 'first' | 'last' | null = null;
  private at = '';
  private frame = 0;

  constructor(
    private host: ReactiveControllerHost & { renderRoot: HTMLElement | DocumentFragment },
    /** Called once whenever the menu closes. */
    private onClose: () => void = () => undefined,
  ) {
    host.addController(this);
  }

  /** Opens the menu under `anchor` with focus on its first (or last) item; `returnTo` gets focus back (default the anchor). */
  open(anchor: HTMLElement, focus: 'first' | 'last' = 'first', returnTo: HTMLElement = anchor) {
    this.close();
    this.anchor = anchor;
    this.returnTo = returnTo;
    this.focus = focus;
    document.addEventListener('pointerdown', this.onOutside, true);
    this.host.requestUpdate();
  }

  close(refocus = false) {
    const back = this.returnTo;
    if (!this.anchor) return;
    this.anchor = this.returnTo = null;
    cancelAnimationFrame(this.frame);
    document.removeEventListener('pointerdown', this.onOutside, true);
    this.host.requestUpdate();
    if (refocus) back?.focus();
    this.onClose();
  }

  hostDisconnected() {
    this.close();
  }

  private get popover() {
    return this.host.renderRoot.querySelector<HTMLElement>('.dossier-menu');
  }

  private get items() {
    return [...(this.popover?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
  }

  hostUpdated() {
    const menu = this.popover;
    if (!this.anchor || !menu) return;
    if (!menu.matches(':popover-open')) menu.showPopover();
    this.place(menu, this.anchor);
    if (this.focus) {
      const items = this.items;
      items[this.focus === 'first' ? 0 : items.length - 1]?.focus();
      this.focus = null;
      this.watch();
    }
  }

  /** Below the anchor, end edges aligned; above it when it would pass the viewport's bottom; always inside the viewport. */
  private place(menu: HTMLElement, anchor: HTMLElement) {
    const a = anchor.getBoundingClientRect();
    const { width, height } = menu.getBoundingClientRect();
    const vw = document.documentElement.clientWidth;
    const vh = innerHeight;
    let top = a.bottom + GAP;
    const flip = top + height > vh - EDGE && a.top - GAP - height >= EDGE;
    if (flip) top = a.top - GAP - height;
    else top = Math.max(EDGE, Math.min(top, vh - EDGE - height));
    menu.style.top = `${top}px`;
    // Right-to-left, the menu lines up with the anchor's left edge instead.
    menu.style.left = `${Math.max(EDGE, Math.min(isRtl(anchor) ? a.left : a.right - width, vw - EDGE - width))}px`;
    this.at = `${a.top},${a.left}`;
  }

  /** Closes when the anchor moves (its list scrolled, the page scrolled or resized): the menu would float loose. */
  private watch = () => {
    const a = this.anchor?.getBoundingClientRect();
    if (!a) return;
    if (`${a.top},${a.left}` !== this.at || !this.anchor!.isConnected) return this.close();
    this.frame = requestAnimationFrame(this.watch);
  };

  private onOutside = (e: Event) => {
    const path = e.composedPath();
    if (!path.includes(this.popover!) && !path.includes(this.anchor!)) this.close();
  };

  private onKey = (e: KeyboardEvent) => {
    e.stopPropagation();
    const items = this.items;
    const i = items.indexOf((this.host.renderRoot as ShadowRoot).activeElement as HTMLElement);
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[e.key];
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      this.close(true);
    } else if (next !== undefined) {
      e.preventDefault();
      items[(next + items.length) % items.length]?.focus();
    }
  };

  /** The menu's template (nothing while closed); put it anywhere in the host's render. */
  render(label: string, items: MenuItem[]) {
    if (!this.anchor) return nothing;
    return html`<div class="dossier-menu" popover="manual" role="menu" aria-label=${label} @keydown=${this.onKey}>
      ${items.map(
        (item) => html`<button role="menuitem" tabindex="-1" class=${item.danger ? 'danger' : ''} @click=${() => (this.close(true), item.run())}>${item.label}</button>`,
      )}
    </div>`;
  }
}

/** The menu's look; add it to the host's styles. */
export const menuStyles = css`
  .dossier-menu {
    position: fixed;
    inset: auto;
    margin: 0;
    min-width: 180px;
    max-height: calc(100vh - 8px);
    overflow: auto;
    padding: 4px;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-sm);
    box-shadow: var(--_shadow);
  }
  .dossier-menu:popover-open {
    display: grid;
  }
  .dossier-menu button {
    border: 0;
    background: none;
    text-align: start;
    padding: 8px 10px;
    border-radius: 4px;
  }
  .dossier-menu button:hover,
  .dossier-menu button:focus {
    background: var(--_surface);
  }
  .dossier-menu .danger {
    color: var(--_danger);
  }
`;
