import { css } from 'lit';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';

/** The billing sections' look (lists of invoices and subscriptions). */
export const sectionStyles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      background: var(--_bg);
      color: var(--_text);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    li {
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      padding: 8px 10px;
      display: grid;
      gap: 4px;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 10px;
    }
    .name {
      font-weight: 600;
      overflow-wrap: anywhere;
      flex: 1 1 8em;
      min-width: 0;
    }
    .amount {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
      white-space: nowrap;
    }
    .muted {
      color: var(--_muted);
      font-size: 0.9em;
    }
    .badge {
      font-size: 0.8em;
      padding: 1px 8px;
      border-radius: 999px;
      border: 1px solid var(--_border);
      white-space: nowrap;
    }
    .badge.paid,
    .badge.active {
      color: var(--_success, #137a3a);
      border-color: currentColor;
    }
    .badge.past_due {
      color: var(--_danger);
      border-color: currentColor;
    }
    .badge.void,
    .badge.cancelled {
      color: var(--_muted);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
    }
    .inline {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      align-items: end;
    }
    .inline label {
      display: grid;
      gap: 2px;
      flex: 1 1 10em;
      min-width: 0;
    }
    .error {
      color: var(--_danger);
      font-size: 0.92em;
      margin: 0;
    }
    .empty {
      color: var(--_muted);
      margin: 0;
    }
    a {
      color: var(--_accent);
    }
  `,
];

/** The billing dialogs' look (Create invoice, Create subscription). */
export const dialogLook = [
  tokens,
  controls,
  dialogStyles,
  css`
    dialog {
      --_dialog-width: min(720px, 96vw);
      max-height: 94vh;
      box-sizing: border-box;
    }
    dialog.narrow {
      --_dialog-width: min(460px, 96vw);
    }
    h2 {
      margin: 0 0 12px;
      font-size: 1.1em;
    }
    .grid {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 0 12px;
    }
    .field {
      display: grid;
      /* Side by side in .grid, a field beside one with an error stays at the top instead of spreading out. */
      align-content: start;
      gap: 4px;
      margin-bottom: 10px;
      min-width: 0;
    }
    .wide {
      grid-column: 1 / -1;
    }
    input,
    select,
    textarea {
      min-width: 0;
      width: 100%;
      box-sizing: border-box;
    }
    fieldset {
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      padding: 8px 10px;
      margin: 0 0 10px;
      min-width: 0;
    }
    legend {
      padding: 0 4px;
    }
    .line {
      display: grid;
      grid-template-columns: minmax(8em, 3fr) 5em 7em minmax(7em, 2fr) auto;
      gap: 6px;
      align-items: start;
      padding-block: 6px;
      border-bottom: 1px solid var(--_border);
    }
    .line:last-of-type {
      border-bottom: 0;
    }
    .line label {
      display: grid;
      gap: 2px;
      min-width: 0;
      font-size: 0.9em;
    }
    .taxes {
      grid-column: 1 / -1;
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      font-size: 0.9em;
    }
    .taxes label,
    .check {
      display: inline-flex;
      gap: 4px;
      align-items: center;
    }
    .taxes input,
    .check input {
      width: auto;
    }
    .tax-row {
      display: grid;
      grid-template-columns: 2fr 6em auto;
      gap: 6px;
      margin-bottom: 6px;
    }
    .discount {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 4px;
    }
    .totals {
      margin: 0 0 10px auto;
      display: grid;
      grid-template-columns: auto auto;
      gap: 2px 16px;
      width: max-content;
      max-width: 100%;
      font-variant-numeric: tabular-nums;
    }
    .totals dt {
      color: var(--_muted);
    }
    .totals dd {
      margin: 0;
      text-align: end;
    }
    .totals .grand {
      font-weight: 700;
      color: var(--_text);
      font-size: 1.1em;
    }
    .icon {
      min-width: 32px;
      min-height: 32px;
      align-self: end;
      justify-self: end;
    }
    .error {
      color: var(--_danger);
      font-size: 0.92em;
      margin: 0;
    }
    [aria-invalid='true'] {
      border-color: var(--_danger);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
      flex-wrap: wrap;
    }
    .muted {
      color: var(--_muted);
      font-size: 0.9em;
    }
    @media (max-width: 600px) {
      .grid {
        grid-template-columns: 1fr;
      }
      .line {
        grid-template-columns: 1fr 1fr;
      }
      .line .desc {
        grid-column: 1 / -1;
      }
    }
  `,
];
