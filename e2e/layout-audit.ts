import type { Page } from '@playwright/test';

/** What the layout audit found on one screen: each entry names the element (tag, part/class, text) and the fault. */
export interface LayoutFaults {
  overflow: string[];
  cut: string[];
  light: string[];
  contrast: string[];
}

/**
 * Audits what is on screen now, through every open shadow root: the page does not scroll sideways; no text is cut
 * (an element whose text or value is wider than its box, unless it ends in an ellipsis; or text clipped by a box
 * that does not scroll); every text keeps a readable contrast with what is behind it; and, in dark theme, every
 * surface (an element painting a background bigger than a button) is dark. Robust across machines: it reads
 * boxes and computed colours, never compares pixels.
 */
export function auditLayout(page: Page, opts: { dark: boolean }): Promise<LayoutFaults> {
  return page.evaluate(({ dark }) => {
    const faults = { overflow: [] as string[], cut: [] as string[], light: [] as string[], contrast: [] as string[] };
    const all: Element[] = [];
    const collect = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        all.push(el);
        if (el.shadowRoot) collect(el.shadowRoot);
      }
    };
    collect(document);

    const parentOf = (el: Element): Element | null => {
      if (el.assignedSlot) return el.assignedSlot;
      if (el.parentElement) return el.parentElement;
      const root = el.getRootNode();
      return root instanceof ShadowRoot ? root.host : null;
    };
    const describe = (el: Element) => {
      const part = el.getAttribute('part') ?? (typeof el.className === 'string' ? el.className : '');
      const text = (el instanceof HTMLInputElement ? el.value : el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      const host = (el.getRootNode() as ShadowRoot).host?.localName ?? 'document';
      return `${host} › ${el.localName}${part ? `.${part.trim().split(/\s+/).join('.')}` : ''} “${text}”`;
    };
    const rgba = (value: string): [number, number, number, number] => {
      const m = /rgba?\(([^)]+)\)/.exec(value);
      if (!m) return [0, 0, 0, 0];
      const [r, g, b, a] = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
      return [r!, g!, b!, a ?? 1];
    };
    const luminance = ([r, g, b]: number[]) => {
      const c = [r!, g!, b!].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    /** The colour behind an element: its own background and its ancestors', blended until opaque. */
    const backdrop = (el: Element): number[] => {
      let colour = [0, 0, 0, 0];
      for (let node: Element | null = el; node; node = parentOf(node)) {
        const [r, g, b, a] = rgba(getComputedStyle(node).backgroundColor);
        if (a > 0) {
          const rest = 1 - colour[3]!;
          colour = [colour[0]! + r * a * rest, colour[1]! + g * a * rest, colour[2]! + b * a * rest, colour[3]! + a * rest];
          if (colour[3]! > 0.98) break;
        }
      }
      const rest = 1 - colour[3]!;
      const page = dark ? 16 : 255; // what the browser paints under a page with no background
      return [colour[0]! + page * rest, colour[1]! + page * rest, colour[2]! + page * rest];
    };
    const visible = (el: Element) => {
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
      const r = el.getBoundingClientRect();
      // Text for screen readers only (the visually-hidden pattern) is a 1 px box on purpose.
      return r.width > 1 && r.height > 1;
    };
    const ownText = (el: Element) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
    const textField = (el: Element) => el instanceof HTMLInputElement && /^(text|email|tel|search|url|number|password|)$/.test(el.type);

    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) {
      // Name what sticks out: the innermost visible elements reaching past the viewport's right edge.
      const out = all.filter((el) => visible(el) && el.getBoundingClientRect().right > doc.clientWidth + 1);
      const innermost = out.filter((el) => !out.some((other) => other !== el && parentOf(other) === el)).slice(0, 3);
      faults.overflow.push(`the page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px viewport: ${innermost.map(describe).join(', ')}`);
    }

    for (const el of all) {
      if (!(el instanceof HTMLElement) || !visible(el)) continue;
      const style = getComputedStyle(el);
      const text = ownText(el);
      const field = textField(el);
      const box = el.getBoundingClientRect();

      if ((text || field) && el.clientWidth > 0 && style.display !== 'inline') {
        const scrolls = !field && /auto|scroll/.test(style.overflowX);
        if (!scrolls && el.scrollWidth > el.clientWidth + 1 && style.textOverflow !== 'ellipsis') {
          faults.cut.push(`${describe(el)}: ${el.scrollWidth}px of text in ${el.clientWidth}px, no ellipsis`);
        }
        // Clipped by a box that neither scrolls nor ends the text in an ellipsis (e.g. squeezed out of a toolbar).
        for (let a = parentOf(el); a && a !== doc; a = parentOf(a)) {
          const s = getComputedStyle(a);
          if (s.overflowX === 'visible') continue;
          // A box that scrolls shows the rest on scrolling (the record's tabs are checked on their own).
          if (!/hidden|clip/.test(s.overflowX)) break;
          const r = a.getBoundingClientRect();
          if (box.left < r.left - 1 || box.right > r.right + 1) faults.cut.push(`${describe(el)}: clipped by ${describe(a)}`);
          break;
        }
      }

      if (text) {
        const fg = rgba(style.color);
        const bg = backdrop(el);
        const blended = [fg[0] * fg[3] + bg[0]! * (1 - fg[3]), fg[1] * fg[3] + bg[1]! * (1 - fg[3]), fg[2] * fg[3] + bg[2]! * (1 - fg[3])];
        const [hi, lo] = [luminance(blended), luminance(bg)].sort((x, y) => y - x);
        const ratio = (hi! + 0.05) / (lo! + 0.05);
        if (ratio < 3) faults.contrast.push(`${describe(el)}: contrast ${ratio.toFixed(2)} (${style.color} on rgb(${bg.map(Math.round).join(', ')}))`);
      }

      if (dark && box.width * box.height >= 4000 && !/^(button|canvas|img|video|input|select|textarea|progress)$/.test(el.localName)) {
        const [r, g, b, a] = rgba(style.backgroundColor);
        if (a >= 0.5 && luminance([r, g, b]) > 0.2) faults.light.push(`${describe(el)}: light background ${style.backgroundColor} (${Math.round(box.width)}×${Math.round(box.height)})`);
      }
    }
    return faults;
  }, opts);
}

/**
 * The selected tab of a tab list is wholly in view: inside the list's box, not cut, and not under anything laid
 * over the list's ends (scroll buttons) — what the page shows at its two ends is the tab itself.
 */
export function selectedTabInView(page: Page, tablist: string): Promise<boolean> {
  return page.locator(tablist).evaluate((list) => {
    const tab = list.querySelector('[role="tab"][aria-selected="true"]');
    if (!tab) return false;
    const l = list.getBoundingClientRect();
    const r = tab.getBoundingClientRect();
    if (r.left < l.left - 1 || r.right > l.right + 1 || tab.scrollWidth > tab.clientWidth + 1) return false;
    const root = tab.getRootNode() as Document | ShadowRoot;
    return [r.left + 2, r.right - 2].every((x) => {
      const hit = root.elementFromPoint(x, (r.top + r.bottom) / 2);
      return hit !== null && (hit === tab || tab.contains(hit));
    });
  });
}
