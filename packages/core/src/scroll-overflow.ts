import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isRtl } from './i18n.js';

/**
 * Follows a box that scrolls sideways (a tab list too wide for its widget): whether there is more before and after
 * what it shows (`start`, `end`, for scroll buttons), and scrolls a child wholly into view (the selected tab).
 */
export class ScrollOverflowController implements ReactiveController {
  start = false;
  end = false;
  private box: HTMLElement | null = null;
  // Measured in the next frame: showing a scroll button resizes the box, which inside the observer's own callback
  // would be a ResizeObserver loop.
  private readonly resize = new ResizeObserver(() => requestAnimationFrame(this.measure));

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly find: () => HTMLElement | null,
    /** The child to bring into view when the box first appears (the selected tab). */
    private readonly current: () => Element | null = () => null,
    /** Room to keep clear at either end when revealing a child (the scroll buttons' width). */
    private readonly edge = 0,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const box = this.find();
    if (box === this.box) return;
    this.detach();
    this.box = box;
    if (!box) return;
    box.addEventListener('scroll', this.measure, { passive: true });
    // The observer's first call measures; a change of content width shows as the last child moving.
    this.resize.observe(box);
    if (box.lastElementChild) this.resize.observe(box.lastElementChild);
    this.reveal(this.current(), this.edge);
  }

  hostDisconnected(): void {
    this.detach();
  }

  /**
   * Scrolls the box the least needed for `child` to be wholly visible and clear of `edge` px at either end (where
   * scroll buttons lie over the box; at the very start or end the button is hidden, and scrolling stops there).
   */
  reveal(child: Element | null, edge = this.edge): void {
    const box = this.box;
    if (!box || !child) return;
    const outer = box.getBoundingClientRect();
    const inner = child.getBoundingClientRect();
    if (inner.left < outer.left + edge) box.scrollLeft -= outer.left + edge - inner.left;
    else if (inner.right > outer.right - edge) box.scrollLeft += Math.min(inner.right - outer.right + edge, inner.left - outer.left - edge);
  }

  /** Scrolls most of a box width towards the start (-1) or the end (1). */
  page(direction: -1 | 1): void {
    // Right-to-left, the end lies to the left.
    this.box?.scrollBy({ left: direction * (isRtl(this.box) ? -0.8 : 0.8) * this.box.clientWidth, behavior: 'smooth' });
  }

  private measure = () => {
    const box = this.box;
    if (!box) return;
    // scrollLeft runs from 0 towards negative values right-to-left.
    const scrolled = Math.abs(box.scrollLeft);
    const start = scrolled > 1;
    const end = scrolled + box.clientWidth < box.scrollWidth - 1;
    if (start === this.start && end === this.end) return;
    this.start = start;
    this.end = end;
    this.host.requestUpdate();
  };

  private detach() {
    this.box?.removeEventListener('scroll', this.measure);
    this.resize.disconnect();
    this.box = null;
  }
}
