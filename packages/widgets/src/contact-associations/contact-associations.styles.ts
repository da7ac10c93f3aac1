import { css } from 'lit';
import { controls, tokens } from '../../../core/src/theme.js';
import { menuStyles } from '../../../core/src/ui/menu.js';

export const styles = [
  tokens,
  controls,
  menuStyles,
  css`
    :host {
      display: block;
      background: var(--_bg);
      padding: 12px;
    }
    .toolbar {
      display: flex;
      align-items: center;
      gap: 8px;
      margin-bottom: 8px;
    }
    h2 {
      margin: 0;
      font-size: 1em;
    }
    .add {
      margin-inline-start: auto;
    }
    .group {
      margin-top: 12px;
    }
    h3 {
      margin: 0 0 6px;
      font-size: 0.85em;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: var(--_muted);
    }
    .count {
      font-weight: 400;
    }
    .cards {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 220px), 1fr));
      gap: 8px;
    }
    .card {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      align-items: start;
      gap: 4px 8px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      padding: 8px 10px;
      min-width: 0;
    }
    .main {
      display: grid;
      min-width: 0;
    }
    .open {
      border: 0;
      background: none;
      padding: 0;
      min-height: 24px;
      font: inherit;
      font-weight: 600;
      color: var(--_accent);
      text-align: start;
      cursor: pointer;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .open:hover {
      text-decoration: underline;
    }
    .detail {
      color: var(--_muted);
      font-size: 0.9em;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .badge {
      grid-column: 1;
      justify-self: start;
      font-size: 0.85em;
      padding: 1px 8px;
      border-radius: 999px;
      background: var(--_surface);
      border: 1px solid var(--_border);
      overflow-wrap: anywhere;
    }
    .remove {
      grid-column: 2;
      grid-row: 1;
      border: 0;
      background: none;
      color: var(--_muted);
      font-size: 1.2em;
      line-height: 1;
      min-width: 28px;
      min-height: 28px;
      border-radius: var(--_radius-sm);
      cursor: pointer;
    }
    .remove:hover {
      color: var(--_danger);
      background: var(--_surface);
    }
    .field-error {
      grid-column: 1 / -1;
      margin: 0;
      color: var(--_danger);
    }
    .empty,
    .note {
      color: var(--_muted);
      font-size: 0.92em;
    }
  `,
];
