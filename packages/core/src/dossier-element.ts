import { consume, ContextProvider } from '@lit/context';
import { LitElement, type PropertyDeclaration } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DossierApiError } from './api.js';
import type { DossierClient } from './client.js';
import { dossierContext, themeContext, type Theme } from './context.js';
import { DossierErrorEvent } from './events.js';
import { localize } from './i18n.js';

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

/** Set while an element writes its own `byValue` properties (ThemedElement.own). */
let owning = false;

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

  /**
   * Object and array properties a host sets (`byValue: true`: the table's `sort`, `columns`…). Frameworks pass inline
   * literals as a new object on every render: one equal by value to the last the host set changes nothing, so what
   * the user changed since stays; `undefined` (an unreadable attribute) too. The element's own writes use `own()`.
   */
  static override getPropertyDescriptor(name: PropertyKey, key: string | symbol, options: PropertyDeclaration) {
    const d = super.getPropertyDescriptor(name, key, options)!;
    const last = Symbol();
    return (options as { byValue?: true }).byValue
      ? {
          ...d,
          set(this: Record<symbol, string>, v: unknown) {
            const json = JSON.stringify(v);
            if (owning || (v !== undefined && json !== this[last] && (this[last] = json))) d.set!.call(this, v);
          },
        }
      : d;
  }

  /** The element's own writes to `byValue` properties (a header sort, a saved view): not the host's. */
  protected own(write: () => void) {
    owning = true;
    write();
    owning = false;
  }

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
