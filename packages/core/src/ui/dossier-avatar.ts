import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { define } from '../dossier-element.js';
import { initials } from '../format.js';

/** Round avatar: the image when it loads, else initials on a colour picked from the name. */
export class DossierAvatar extends LitElement {
  static override styles = css`
    :host {
      --size: var(--dossier-avatar-size, 40px);
      display: inline-grid;
      place-items: center;
      width: var(--size);
      height: var(--size);
      border-radius: 50%;
      overflow: hidden;
      flex: none;
      font-weight: 600;
      font-size: calc(var(--size) * 0.4);
      color: #fff;
      user-select: none;
    }
    img {
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
  `;

  @property() name = '';
  @property() src: string | null = null;
  @state() private failed = false;

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('src')) this.failed = false;
    // Hue from the name, dark enough for white text in both themes.
    let hash = 0;
    for (const ch of this.name) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
    this.style.background = `hsl(${Math.abs(hash) % 360} 50% 28%)`;
  }

  protected override render() {
    if (this.src && !this.failed) {
      return html`<img src=${this.src} alt="" referrerpolicy="no-referrer" @error=${() => (this.failed = true)} />`;
    }
    return html`<span aria-hidden="true">${initials(this.name)}</span>`;
  }
}
define('dossier-avatar', DossierAvatar);
