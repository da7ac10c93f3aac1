// Column picker (loaded on first open): show / hide and reorder columns. Name is required.
import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import { controls, panelStyles, tokens } from '../../../core/src/theme.js';
import type { Column } from './model.js';

addMessages('en', {
  'columns.title': 'Customize columns',
  'columns.required': '{name} is required',
  'columns.up': 'Move {name} up',
  'columns.down': 'Move {name} down',
});

export class TableColumnPicker extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    panelStyles,
    css`
      header {
        display: flex;
        align-items: center;
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: 1.05em;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 8px 0;
      }
      li {
        display: flex;
        align-items: center;
        gap: 6px;
        padding: 2px 0;
      }
      li label {
        flex: 1;
        color: var(--_text);
        display: flex;
        gap: 8px;
        align-items: center;
      }
    `,
  ];

  @property({ attribute: false }) columns: string[] = [];
  @property({ attribute: false }) all: Column[] = [];

  override firstUpdated() {
    this.renderRoot.querySelector<HTMLElement>('input')?.focus();
  }

  private emit(columns: string[]) {
    this.columns = columns;
    this.dispatchEvent(new CustomEvent('columns-change', { detail: columns }));
  }

  private move(key: string, by: number) {
    const cols = [...this.columns];
    const i = cols.indexOf(key);
    const j = i + by;
    if (i < 0 || j < 0 || j >= cols.length) return;
    [cols[i], cols[j]] = [cols[j]!, cols[i]!];
    this.emit(cols);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-key="${key}"] [data-dir="${by}"]`)?.focus());
  }

  protected override render() {
    // Shown columns first in their order, then the hidden ones. Ticking one moves it up the list: rows are keyed by
    // column (an index-keyed row would hand its ticked box to the column that slid into its place) and the box
    // follows the columns, not what it last drew (live).
    const ordered = [...this.columns.map((k) => this.all.find((c) => c.key === k)!).filter(Boolean), ...this.all.filter((c) => !this.columns.includes(c.key))];
    return html`<div class="panel" role="dialog" aria-labelledby="t" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.dispatchEvent(new Event('close'))}>
      <header><h2 id="t">${t('columns.title')}</h2><button class="btn" @click=${() => this.dispatchEvent(new Event('close'))}>${t('action.close')}</button></header>
      <ul>
        ${repeat(ordered, (c) => c.key, (c) => {
          const shown = this.columns.includes(c.key);
          const required = c.key === 'name';
          return html`<li data-key=${c.key}>
            <label title=${required ? t('columns.required', { name: c.label }) : ''}>
              <input type="checkbox" .checked=${live(shown)} ?disabled=${required}
                @change=${(e: Event) => this.emit((e.target as HTMLInputElement).checked ? [...this.columns, c.key] : this.columns.filter((k) => k !== c.key))} />${c.label}
            </label>
            <button class="icon-btn" data-dir="-1" aria-label=${t('columns.up', { name: c.label })} ?disabled=${!shown} @click=${() => this.move(c.key, -1)}>↑</button>
            <button class="icon-btn" data-dir="1" aria-label=${t('columns.down', { name: c.label })} ?disabled=${!shown} @click=${() => this.move(c.key, 1)}>↓</button>
          </li>`;
        })}
      </ul>
    </div>`;
  }
}
define('table-column-picker', TableColumnPicker);
