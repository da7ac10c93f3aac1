import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { define, ThemedElement } from '../dossier-element.js';
import { t } from '../i18n.js';
import { controls, tokens } from '../theme.js';

/**
 * Editable tag chips. Enter or comma adds, Backspace in the empty field removes the last tag.
 * Fires `tags-change` with `detail.tags` after every change.
 */
export class DossierTagInput extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 2px;
        background: var(--_accent-soft);
        color: var(--_text);
        border-radius: 999px;
        padding: 2px 4px 2px 10px;
        font-size: 0.9em;
        max-width: 220px;
      }
      .chip span {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .chip button {
        border: 0;
        background: transparent;
        width: 22px;
        height: 22px;
        border-radius: 50%;
        padding: 0;
        line-height: 1;
      }
      .chip button:hover {
        background: var(--_border);
      }
      input {
        flex: 1 1 120px;
        min-height: 28px;
        padding: 2px 8px;
      }
    `,
  ];

  @property({ type: Array }) tags: string[] = [];
  @property({ type: Boolean }) readonly = false;
  @property() label = t('tags.label');
  /** Returns suggestions for what the user typed. */
  @property({ attribute: false }) suggest?: (q: string) => Promise<string[]>;
  @state() private suggestions: string[] = [];

  private emit(tags: string[]) {
    this.tags = tags;
    this.dispatchEvent(new CustomEvent('tags-change', { detail: { tags }, bubbles: true, composed: true }));
  }

  private add(raw: string) {
    const tag = raw.trim().replace(/,$/, '').trim();
    if (!tag || this.tags.some((x) => x.toLowerCase() === tag.toLowerCase())) return;
    this.emit([...this.tags, tag]);
  }

  private onKey(e: KeyboardEvent) {
    const input = e.target as HTMLInputElement;
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      this.add(input.value);
      input.value = '';
    } else if (e.key === 'Backspace' && !input.value && this.tags.length) {
      this.emit(this.tags.slice(0, -1));
    }
  }

  private async onInput(e: InputEvent) {
    const value = (e.target as HTMLInputElement).value;
    if (this.suggest && value.trim()) this.suggestions = (await this.suggest(value.trim()).catch(() => [])).filter((s) => !this.tags.includes(s));
  }

  protected override render() {
    return html`
      ${this.tags.map(
        (tag) => html`<span class="chip" part="tag"
          ><span title=${tag}>${tag}</span>${this.readonly
            ? nothing
            : html`<button type="button" aria-label=${t('tags.remove', { tag })} @click=${() => this.emit(this.tags.filter((x) => x !== tag))}>×</button>`}</span
        >`,
      )}
      ${this.readonly
        ? nothing
        : html`<input
              aria-label=${this.label}
              placeholder=${t('tags.placeholder')}
              list="suggestions"
              @keydown=${this.onKey}
              @input=${this.onInput}
              @change=${(e: Event) => {
                // Picking a datalist suggestion fires change without a key press.
                const input = e.target as HTMLInputElement;
                if (this.suggestions.includes(input.value)) {
                  this.add(input.value);
                  input.value = '';
                }
              }}
            /><datalist id="suggestions">${this.suggestions.map((s) => html`<option value=${s}></option>`)}</datalist>`}
    `;
  }
}
define('dossier-tag-input', DossierTagInput);
