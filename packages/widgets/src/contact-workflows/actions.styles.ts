import { css } from 'lit';
import { controls, tokens } from '../../../core/src/theme.js';

/** What `<contact-workflows>` and `<contact-portal>` share: compact sections for the record's Actions panel. */
export const actionStyles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      background: var(--_bg);
    }
    section {
      margin: 12px;
    }
    h3 {
      font-size: 0.95em;
      margin: 0 0 6px;
      display: flex;
      align-items: center;
      gap: 8px;
    }
    h3 .count {
      color: var(--_muted);
      font-weight: normal;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 6px;
    }
    .item {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      padding: 8px 10px;
      min-width: 0;
    }
    .main {
      flex: 1;
      min-width: 0;
    }
    .name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .meta,
    .empty,
    .readonly {
      color: var(--_muted);
      font-size: 0.92em;
      overflow-wrap: anywhere;
    }
    .badge {
      font-size: 0.85em;
      padding: 1px 8px;
      border-radius: 999px;
      background: var(--_surface);
      border: 1px solid var(--_border);
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .row select,
    .row input[type='search'] {
      flex: 1 1 160px;
      min-width: 0;
    }
    .picker {
      margin-top: 8px;
      padding: 10px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      background: var(--_surface);
      display: grid;
      gap: 8px;
    }
    .choices {
      max-height: 220px;
      overflow: auto;
    }
    .choice {
      width: 100%;
      text-align: start;
      overflow-wrap: anywhere;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin-bottom: 8px;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      max-width: 100%;
      padding: 2px 4px 2px 10px;
      border-radius: 999px;
      background: var(--_surface);
      border: 1px solid var(--_border);
    }
    .chip span {
      overflow-wrap: anywhere;
    }
    .chip button {
      border: 0;
      background: none;
      color: var(--_muted);
      min-width: 24px;
      min-height: 24px;
      border-radius: 999px;
      font-size: 1.1em;
      line-height: 1;
    }
    .chip button:hover {
      color: var(--_danger);
    }
    .link {
      border: 0;
      background: none;
      color: var(--_accent);
      text-decoration: underline;
      padding: 2px 4px;
      min-height: 24px;
    }
    .link.danger {
      color: var(--_danger);
    }
  `,
];
