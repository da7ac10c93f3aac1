import { consume, ContextProvider } from '@lit/context';
import { LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DossierApiError } from './api.js';
import type { DossierClient } from './client.js';
import { dossierContext, themeContext, type Theme } from './context.js';
import { DossierErrorEvent } from './events.js';
import { localize } from './i18n.js';

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

/** Registers an element once, so two copies of the bundle on a page don't throw. */
export function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

/**
 * Takes the theme set on it, else from the nearest themed element or provider above, and passes the resolved
 * scheme down: parts rendered inside a widget's shadow root (dialogs, drawers, the tag input) follow the widget.
 */
export class ThemedElement extends LitElement {
  @consume({ context: themeContext, subscribe: true })
  @state()
  protected inheritedTheme?: Theme;

  /** `light` (default), `dark`, or `auto` (follows the OS). Inherits the provider's theme when unset. */
  @property({ reflect: true }) theme?: Theme;

  private themeForChildren = new ContextProvider(this, { context: themeContext });
  private onScheme = () => this.applyTheme();

  constructor() {
    super();
    // A controller, not willUpdate: subclasses override willUpdate (and forget super) without losing the theme.
    this.addController({ hostUpdate: () => this.applyTheme() });
    localize(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    darkQuery?.addEventListener('change', this.onScheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    darkQuery?.removeEventListener('change', this.onScheme);
  }

  private applyTheme() {
    const theme = this.theme ?? this.inheritedTheme ?? 'light';
    const scheme = theme === 'dark' || (theme === 'auto' && Boolean(darkQuery?.matches)) ? 'dark' : 'light';
    if (this.dataset.theme === scheme) return;
    this.dataset.theme = scheme;
    this.themeForChildren.setValue(scheme);
  }
}

/** Base of every Dossier element: the provider's client, the theme, and error reporting. */
export class DossierElement extends ThemedElement {
  // @state so that a new client from the provider re-renders (and re-runs tasks).
  @consume({ context: dossierContext, subscribe: true })
  @state()
  protected dossier?: DossierClient;

  /** Tells the host about a failure the widget is showing. */
  protected reportError(error: DossierApiError | Error, action: string) {
    this.dispatchEvent(new DossierErrorEvent({ error, action }));
  }

  /** A Task's `onError` for a load whose failure the widget shows in place (an aborted load is no failure). */
  protected reportLoad(action: string) {
    return (error: unknown) => (error as Error).name === 'AbortError' || this.reportError(error as Error, action);
  }
}
