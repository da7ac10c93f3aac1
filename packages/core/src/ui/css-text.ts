import { noChange } from 'lit';
import { Directive, directive, type AttributePart } from 'lit/directive.js';

/**
 * `style=${cssText(`--h:${hue}`)}`: sets the element's inline style through the CSSOM (`element.style.cssText`),
 * never as an attribute. A strict Content-Security-Policy (`style-src` without `'unsafe-inline'`) blocks style
 * attributes, including Lit's `style="…${}"` bindings, but not CSSOM writes. Use it as the whole attribute value.
 */
class CssText extends Directive {
  private last?: string;
  render(_value: string) {
    return noChange;
  }
  override update(part: AttributePart, [value]: [string]) {
    if (value !== this.last) (part.element as HTMLElement).style.cssText = this.last = value;
    return noChange;
  }
}
export const cssText = directive(CssText);
