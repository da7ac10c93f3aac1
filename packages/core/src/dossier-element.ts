import { consume } from '@lit/context';
import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DossierApiError } from './api.js';
import type { DossierClient } from './client.js';
import { dossierContext, themeContext, type Theme } from './context.js';
import { DossierErrorEvent } from './events.js';

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

/** Registers an element once, so two copies of the bundle on a page don't throw. */
export function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

/** Base of every Dossier element: the provider's client, the theme, and error reporting. */
export class DossierElement extends LitElement {
  // @state so that a new client or theme from the provider re-renders (and re-runs tasks).
  @consume({ context: dossierContext, subscribe: true })
  @state()
  protected dossier?: DossierClient;

  @consume({ context: themeContext, subscribe: true })
  @state()
  protected inheritedTheme?: Theme;

  /** `light` (default), `dark`, or `auto` (follows the OS). Inherits the provider's theme when unset. */
  @property({ reflect: true }) theme?: Theme;

  private onScheme = () => this.applyTheme();

  override connectedCallback(): void {
    super.connectedCallback();
    darkQuery?.addEventListener('change', this.onScheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    darkQuery?.removeEventListener('change', this.onScheme);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('theme') || changed.has('inheritedTheme')) this.applyTheme();
  }

  private applyTheme() {
    const theme = this.theme ?? this.inheritedTheme ?? 'light';
    const dark = theme === 'dark' || (theme === 'auto' && Boolean(darkQuery?.matches));
    this.dataset.theme = dark ? 'dark' : 'light';
  }

  /** Tells the host about a failure the widget is showing. */
  protected reportError(error: DossierApiError | Error, action: string) {
    this.dispatchEvent(new DossierErrorEvent({ error, action }));
  }
}
